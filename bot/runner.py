"""`python -m bot run`: start the configured channels, the web server and the scheduler; stop on SIGTERM/Ctrl-C."""
from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot.app import App, StartError, build_app
from bot.bindings import check_bindings
from bot.config import MAIN_TELEGRAM, Settings, bot_token_variable
from bot.web import WebServer
from storage.faults import probe, said

log = logging.getLogger(__name__)

NO_TOKEN = ("No bot token: create a bot with @BotFather in Telegram (/newbot), then put its token in "
            "config.toml under [telegram] token, or in the TELEGRAM_BOT_TOKEN environment variable.")


def configured_channels(settings: Settings, web: WebServer) -> list:
    """The channels that have a token, each constructed (not started): the main Telegram bot, one per
    [[telegram.bots]] entry (all on the one web server, each its own webhook path), Zalo."""
    channels = []
    if settings.telegram.token.get_secret_value():
        from bot.telegram.channel import TelegramChannel
        channels.append(TelegramChannel(settings.telegram, web, MAIN_TELEGRAM))
        for bot in settings.telegram.bots:
            channels.append(TelegramChannel(
                settings.telegram.for_bot(bot), web, bot.channel,
                token_from=f"the token of the [[telegram.bots]] entry for unit {bot.unit!r} or "
                           f"{bot_token_variable(bot.key)}"))
    if settings.zalo.token.get_secret_value():
        from bot.zalo.channel import ZaloChannel
        channels.append(ZaloChannel(settings.zalo, web))
    return channels


async def run(settings: Settings, stop: asyncio.Event | None = None) -> int:
    if problem := settings.telegram.missing_token():
        print(problem, file=sys.stderr)
        return 2
    web = WebServer(settings.web.host, settings.web.port)
    channels = configured_channels(settings, web)
    if not channels:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    app = None
    try:
        app = await build_app(settings, {c.traits.name: c.traits for c in channels})
        await probe(app.store)
    except Exception as exc:  # a storage fault the operator can fix: one sentence, no traceback
        sentence = said(exc, settings.database.url)
        if sentence is None:
            raise
        print(sentence, file=sys.stderr)
        if app is not None:
            await app.store.close()
        return 2
    app.web = web
    try:
        await serve(app, channels, stop)
    except StartError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


async def serve(app: App, channels: list, stop: asyncio.Event) -> None:
    """Start everything, wait for `stop`, then shut down in reverse order. Tests call this directly."""
    started = []
    try:
        await check_bindings(app.store, app.services.bindings)
        for channel in channels:
            app.channels[channel.traits.name] = channel
            await channel.start(app)
            started.append(channel)
        if app.files is not None:
            await app.files.start()
            if app.web is not None and app.files.links:  # files by link (Zalo's): at [web] public_url
                app.web.serve_files(app.files.shelf)
        if app.web is not None and app.web.serves:  # webhooks, and /healthz for every channel
            await app.web.start()
        await start_scheduler(app)
        log.info("baocao is running: %s", ", ".join(c.traits.name for c in channels))
        await stop.wait()
    finally:
        log.info("shutting down")
        await stop_scheduler(app)
        if app.web is not None:
            await app.web.stop()
        for channel in reversed(started):
            await channel.stop()
        if app.files is not None:
            await app.files.close()
        await app.store.close()


async def start_scheduler(app: App) -> None:
    """Reminders and summaries on the campaign's clock, sent through the app's outbox; run by the one process
    holding the lead when several share the database."""
    from datetime import timedelta

    from scheduler.service import Scheduler
    from storage.lease import leader_lease

    settings = app.settings.scheduler
    lease = leader_lease(app.store, ttl=timedelta(seconds=settings.lease_seconds))
    scheduler = Scheduler(app.store, app.services, app, settings, leadership=lease)
    await scheduler.start()
    app.scheduler = scheduler


async def stop_scheduler(app: App) -> None:
    """Running jobs finish the messages in flight; nothing new starts."""
    scheduler = getattr(app, "scheduler", None)
    if scheduler is not None:
        app.scheduler = None
        await scheduler.stop()
