"""Webhook mode: Telegram POSTs each update to our one web server; stored before it is answered 200."""
from __future__ import annotations

import asyncio
import hmac
import json
import logging

from aiohttp import web
from telegram import Bot, Update

from bot.telegram.inbox import Inbox

log = logging.getLogger(__name__)
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(channel: str) -> str:
    """Each bot its own route: the main bot at PATH, a province's bot "telegram:HCM" at /telegram/HCM/webhook."""
    _, _, name = channel.partition(":")
    return f"/telegram/{name}/webhook" if name else PATH


class WebhookEndpoint:
    def __init__(self, secret: str, bot: Bot, inbox: Inbox, queue: asyncio.Queue) -> None:
        self.secret = secret.encode()
        self.bot = bot
        self.inbox = inbox
        self.queue = queue

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            return web.Response(status=403)
        try:
            body = await request.text()
            update = Update.de_json(json.loads(body), self.bot)
        except Exception:  # only Telegram knows the secret, so this is a bug or an API change: say no more
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        try:
            fresh = await self.inbox.record([update], {update.update_id: body})  # stored as Telegram sent it
        except Exception:  # not stored: a non-2xx makes Telegram send it again later
            log.exception("telegram: could not store webhook update %s", update.update_id)
            return web.Response(status=500)
        # Enqueuing only hands the update to another task: the answer goes out without waiting for it.
        for u in fresh:
            self.queue.put_nowait(u)
        return web.Response(status=200)
