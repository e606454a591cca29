"""Webhook mode: Telegram POSTs each update to our one web server; stored before it is answered 200."""
from __future__ import annotations

import asyncio
import hmac
import logging

from aiohttp import web
from telegram import Update

from bot.plumbing.faults import fault
from bot.plumbing.health import IntakeHealth
from bot.plumbing.inbox import Inbox
from bot.telegram.inbox import update_id
from domain.clock import Clock

log = logging.getLogger(__name__)
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(channel: str) -> str:
    """Each bot its own route: the main bot at PATH, a province's bot "telegram:HCM" at /telegram/HCM/webhook."""
    _, _, name = channel.partition(":")
    return f"/telegram/{name}/webhook" if name else PATH


class WebhookEndpoint:
    def __init__(self, secret: str, inbox: Inbox[Update], queue: asyncio.Queue, health: IntakeHealth,
                 clock: Clock) -> None:
        self.secret = secret.encode()
        self.inbox = inbox
        self.queue = queue
        self.health = health
        self.clock = clock

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            return web.Response(status=403)
        body = await request.text()
        # Only Telegram knows the secret: what cannot be read is kept aside, and answered 200 all the same, so
        # that Telegram does not send it again and again ahead of everything after it.
        arrival = self.inbox.arrival(body, update_id(body))
        try:
            fresh = await self.inbox.keep([arrival])  # stored as Telegram sent it
        except Exception as exc:  # not stored: a non-2xx makes Telegram send it again later
            log.error("telegram: could not store webhook update %s (%s)", arrival.delivery_id, fault(exc))
            self.health.failed(self.clock.now(), fault(exc))
            return web.Response(status=500)
        self.health.ok(self.clock.now())
        # Enqueuing only hands the update to another task: the answer goes out without waiting for it.
        for u in fresh:
            self.queue.put_nowait(u)
        return web.Response(status=200)
