"""The Telegram channel: updates in (polling or webhook, both through the inbox), replies and the outbox out."""
from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import CallbackQuery, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.app import StartError
from bot.config import TelegramConfig
from bot.plumbing.delivery import handle_and_reply, send_unsent
from bot.plumbing.faults import fault_with_traceback
from bot.plumbing.health import IntakeHealth
from bot.plumbing.inbox import Inbox
from bot.plumbing.retry import Sleep
from bot.telegram.http import AiohttpRequest, UpdatesRequest
from bot.telegram.inbox import telegram_inbox
from bot.telegram.logs import describe, quiet_loggers
from bot.telegram.menu import set_menus
from bot.telegram.ordering import SenderOrderedProcessor
from bot.telegram.pacing import Pacing
from bot.telegram.poller import InboxPoller
from bot.telegram.translate import ALLOWED_UPDATES, TRAITS, keyboard, to_incoming
from bot.telegram.webhook import WebhookEndpoint, webhook_path
from bot.web import WebServer
from domain.messages import Address, Attachment, AttachmentKind, Reply, SendResult
from domain.ports import FileNotMade
from domain.present import split_text

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
CONCURRENT = 256  # updates of different people handled at once (the database pool bounds it too)
CONNECTIONS = 128  # Bot API calls in flight at once: answers, button answers, the fan-out (paced anyway)


class TelegramChannel:
    def __init__(self, config: TelegramConfig, web: WebServer, name: str = TRAITS.name,
                 token_from: str = "config.toml [telegram] token or TELEGRAM_BOT_TOKEN") -> None:
        self.traits = replace(TRAITS, name=name)  # each bot token is a channel of its own
        self.path = webhook_path(name)
        self.token_from = token_from  # where the operator put this bot's token, for the refusal below
        self.config = config
        self.web = web
        self.token = config.token.get_secret_value()
        self.application: Application | None = None
        self.poller: InboxPoller | None = None
        self.app: App | None = None
        self.updates_request = UpdatesRequest()
        self.limiter = Pacing(config.bulk_rate, config.max_retries)  # tests give it a clock of their own
        self.sleep: Sleep = asyncio.sleep  # the polling backoff's; tests give a fake one
        self.inbox: Inbox[Update] | None = None
        self.health = IntakeHealth(name, config.mode)
        web.watch(self.health)

    def build(self) -> Application:
        return (ApplicationBuilder().token(self.token)
                .base_url(self.config.api_base_url).base_file_url(self.config.api_file_url)
                .updater(None).job_queue(None)
                .request(AiohttpRequest(CONNECTIONS)).get_updates_request(self.updates_request)
                .rate_limiter(self.limiter)
                .concurrent_updates(SenderOrderedProcessor(CONCURRENT))
                .build())

    async def start(self, app: App) -> None:
        quiet_loggers()
        self.app = app
        if self.config.mode == "webhook" and not _webhook_url(app, self.path):
            raise StartError("Telegram webhook mode needs [web] public_url, the https address Telegram "
                             "can reach this server at (or set [telegram] mode = \"polling\").")
        try:
            await self._start(app)
        except BaseException:
            await self.stop()
            raise

    async def _start(self, app: App) -> None:
        application = self.build()
        self.application = application
        application.add_handler(TypeHandler(Update, self._on_update))
        application.add_error_handler(self._on_error)
        try:
            await application.initialize()  # getMe
        except InvalidToken as exc:
            raise StartError(f"Telegram refused the bot token: copy it again from @BotFather into "
                             f"{self.token_from}.") from exc
        except NetworkError as exc:
            raise StartError(f"Cannot reach the Telegram Bot API at {self.config.api_base_url}: "
                             f"{describe(exc, self.token)}") from exc
        bot = application.bot
        app.services.join_links[self.traits.name] = f"https://t.me/{bot.username}?start={{code}}"
        try:
            await set_menus(bot, app.dispatcher, app.services.translator)
        except TelegramError as exc:  # a menu is a nicety; the bot works without it
            log.warning("telegram: could not set the command menu (%s)", describe(exc, self.token))
        await application.start()
        inbox = self.inbox = telegram_inbox(app.store, app.services.clock, bot, self.traits.name)
        await send_unsent(app.dispatcher, app.store, app.send, self.traits.name)  # committed, never sent
        for update in await inbox.pending():  # what a previous run stored but did not finish
            application.update_queue.put_nowait(update)
        if self.config.mode == "webhook":
            await self._start_webhook(app, inbox)
        else:
            await bot.delete_webhook()
            self.poller = InboxPoller(bot, inbox, application.update_queue, self.config.poll_timeout,
                                      self.updates_request, health=self.health, sleep=self.sleep)
            self.poller.start()
        log.info("telegram: @%s is up (%s)", bot.username, self.config.mode)

    async def _start_webhook(self, app: App, inbox: Inbox[Update]) -> None:
        # Without a configured secret, one per run: setWebhook below tells Telegram each start.
        secret = self.config.webhook_secret.get_secret_value() or secrets.token_urlsafe(32)
        endpoint = WebhookEndpoint(secret, inbox, self.application.update_queue, self.health, app.services.clock)
        self.web.add_post(self.path, endpoint.handle)
        await self.application.bot.set_webhook(url=_webhook_url(app, self.path), secret_token=secret,
                                               allowed_updates=ALLOWED_UPDATES)

    async def stop(self) -> None:
        if self.poller is not None:
            await self.poller.stop()
            self.poller = None
        if self.application is not None:
            if self.application.running:
                await self.application.stop()  # finishes what is queued (it is in the inbox anyway)
            await self.application.shutdown()
            self.application = None

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        app = self.app
        if update.callback_query is not None:
            await self._answer(update.callback_query)
        incoming = to_incoming(update, app.services.clock.now(), self.traits.name)
        if incoming is None:
            await self.inbox.done(str(update.update_id))
            return
        await handle_and_reply(app.dispatcher, app.send, incoming)

    async def _answer(self, query: CallbackQuery) -> None:
        """Stops the button's spinner. A replayed press is too old to answer, which is no matter."""
        try:
            await query.answer()
        except TelegramError:
            pass

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else "-"
        log.error("telegram: update %s failed\n%s", update_id, fault_with_traceback(context.error))

    async def send(self, to: Address, reply: Reply, *, bulk: bool = False) -> SendResult:
        """The outbox: every part of the text in order, the buttons under the last part. A bulk send (the
        scheduler's fan-out) takes the token's even pace; an answer only its chat's."""
        if self.application is None:
            return SendResult(ok=False, error="telegram channel is not running")
        chat_id = to.chat_id
        topic = {"message_thread_id": int(to.thread)} if to.thread else {}  # back to the forum topic it came from
        sent: list[str] = []
        parts = split_text(reply.text, self.traits.max_text) if reply.text.strip() or not reply.attachments else []
        for i, part in enumerate(parts):
            markup = keyboard(reply) if i == len(parts) - 1 else None
            try:
                chat_id, message_id = await self._send_part(chat_id, part, markup, bulk, topic)
            except TelegramError as exc:
                return self._failed(exc, _moved(to, chat_id), tuple(sent))
            sent.append(message_id)
        for attachment in reply.attachments:
            try:
                chat_id, message_id = await self._send_file(chat_id, attachment, bulk, topic)
            except TelegramError as exc:
                return self._failed(exc, _moved(to, chat_id), tuple(sent))
            sent.append(message_id)
        return SendResult(ok=True, moved_to=_moved(to, chat_id), message_ids=tuple(sent))

    async def _send_file(self, chat_id: str, attachment: Attachment, bulk: bool, topic: dict) -> tuple[str, str]:
        """The attachment's file, made now (its reply is committed): the workbook as a document, a chart as a
        photo, paced like any message; one sentence instead when it cannot be made."""
        try:
            made = await self.app.files.make(attachment.order)
        except FileNotMade:
            t = self.app.services.translator.for_language(attachment.order.language)
            return await self._send_part(chat_id, t("export.not_made", name=attachment.name), None, bulk, topic)
        data = await asyncio.to_thread(Path(made.path).read_bytes)
        bot, pace, caption = self.application.bot, {"bulk": bulk}, attachment.caption or None

        async def upload(chat: str):
            if attachment.kind == AttachmentKind.PHOTO:
                return await bot.send_photo(chat_id=_chat(chat), photo=data, filename=made.name, caption=caption,
                                            rate_limit_args=pace, **topic)
            return await bot.send_document(chat_id=_chat(chat), document=data, filename=made.name, caption=caption,
                                           rate_limit_args=pace, **topic)
        return await self._migrating(chat_id, upload)

    def _failed(self, exc: TelegramError, moved_to: str | None, sent: tuple[str, ...]) -> SendResult:
        error = describe(exc, self.token)
        if isinstance(exc, Forbidden):
            blocked = True
        elif isinstance(exc, BadRequest):
            blocked = "chat not found" in str(exc).lower()
        else:  # a 429 beyond [telegram] max_retries, the network, a Telegram outage
            blocked = False
            log.warning("telegram: sending failed (%s)", error)
        return SendResult(ok=False, blocked=blocked, error=error, moved_to=moved_to, message_ids=sent)

    async def _send_part(self, chat_id: str, text: str, markup, bulk: bool, topic: dict) -> tuple[str, str]:
        """Sends one message; returns the chat id it went to and the message's id."""
        bot = self.application.bot
        return await self._migrating(chat_id, lambda chat: bot.send_message(
            chat_id=_chat(chat), text=text, reply_markup=markup, rate_limit_args={"bulk": bulk}, **topic))

    @staticmethod
    async def _migrating(chat_id: str, call) -> tuple[str, str]:
        """`call(chat_id)`, again at the group's new id if it became a supergroup; the chat id it went to and the
        message's id."""
        try:
            message = await call(chat_id)
            return chat_id, str(message.message_id)
        except ChatMigrated as exc:  # a group became a supergroup: it has a new id from now on
            chat_id = str(exc.new_chat_id)
        message = await call(chat_id)
        return chat_id, str(message.message_id)


def _moved(to: Address, chat_id: str) -> str | None:
    return chat_id if chat_id != to.chat_id else None


def _webhook_url(app: App, path: str) -> str:
    public = app.settings.web.public_url.rstrip("/")
    return public + path if public.startswith(("https://", "http://")) else ""


def _chat(chat_id: str) -> int | str:
    try:
        return int(chat_id)
    except ValueError:
        return chat_id  # "@channelname"
