"""A test double of the Zalo Bot API on 127.0.0.1, and a driver that POSTs Zalo events to the bot's webhook."""
from __future__ import annotations

import asyncio
import itertools
import json
import socket
import uuid
from dataclasses import dataclass

import aiohttp
from aiohttp import web

TOKEN = "1234567890:zalo-test-token-SECRET"
BOT_ID = "bot0000000000000000a"
SECRET = "hook-secret-123"


@dataclass
class Call:
    method: str
    params: dict


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ZaloApi:
    """Answers like bot-api.zaloplatforms.com: `/bot<token>/<method>`, JSON `{"ok", "result"|"error_code"}`.

    Every call is recorded. `fail(method, status, times)` makes the next calls fail; `block(chat)` makes
    sendMessage to that chat answer 403; `push(update)` hands an update to the next getUpdates.
    """

    def __init__(self, token: str = TOKEN, bot_id: str = BOT_ID, can_join_groups: bool = False) -> None:
        self.token = token
        self.me = {"id": bot_id, "account_name": "bot.baocao", "account_type": "BASIC",
                   "can_join_groups": can_join_groups}
        self.calls: list[Call] = []
        self.webhook = {"url": "", "secret_token": ""}
        self.blocked: set[str] = set()
        self.sent: list[tuple[str, str]] = []  # (chat_id, text) of every message accepted, in order
        self.photos: list[tuple[str, str, str]] = []  # (chat_id, photo URL, caption) of every photo accepted
        self._failures: dict[str, list[tuple[int, dict]]] = {}
        self._updates: list[dict] = []
        self._arrived = asyncio.Event()
        self._closing = asyncio.Event()
        self._sending = asyncio.Condition()
        self._ids = itertools.count(1)
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> "ZaloApi":
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # Scripting

    def fail(self, method: str, status: int, times: int = 1, *, in_body_only: bool = False,
             retry_after: float | None = None) -> None:
        """The next `times` calls of `method` fail with `status` (HTTP and error_code, or in the body only)."""
        body = {"ok": False, "error_code": status, "description": f"error {status}"}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self._failures.setdefault(method, []).extend([(200 if in_body_only else status, body)] * times)

    def block(self, chat_id: str) -> None:
        self.blocked.add(chat_id)

    def push(self, update: dict) -> None:
        self._updates.append(update)
        self._arrived.set()

    # What the bot did

    def of(self, method: str) -> list[dict]:
        return [c.params for c in self.calls if c.method == method]


    async def until_sent(self, n: int) -> None:
        """Wait until `n` messages in all have been accepted (polling mode has no settled() to await)."""
        async with self._sending:
            await self._sending.wait_for(lambda: len(self.sent) >= n)

    def texts_to(self, chat_id: str) -> list[str]:
        return [text for chat, text in self.sent if chat == chat_id]

    # The API

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params: dict = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(await request.post())
        call = Call(method, params)
        self.calls.append(call)
        queued = self._failures.get(method)
        if queued:
            status, body = queued.pop(0)
            return web.json_response(body, status=status)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return await handler(params)

    @staticmethod
    def _ok(result) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(code: int, description: str, status: int | None = None) -> web.Response:
        return web.json_response({"ok": False, "error_code": code, "description": description},
                                 status=status or code)

    async def _m_getMe(self, params: dict) -> web.Response:
        return self._ok(self.me)

    async def _m_setWebhook(self, params: dict) -> web.Response:
        secret = str(params.get("secret_token", ""))
        if not params.get("url") or not 8 <= len(secret) <= 256:
            return self._error(400, "Bad Request")
        self.webhook = {"url": params["url"], "secret_token": secret}
        return self._ok({"url": params["url"], "updated_at": 1750316131602})

    async def _m_deleteWebhook(self, params: dict) -> web.Response:
        self.webhook = {"url": "", "secret_token": ""}
        return self._ok({"url": "", "updated_at": 1750316131602})

    async def _m_getWebhookInfo(self, params: dict) -> web.Response:
        return self._ok({"url": self.webhook["url"], "updated_at": 1750316131602})

    async def _m_getUpdates(self, params: dict) -> web.Response:
        if self.webhook["url"]:
            return self._error(400, "Webhook is set; getUpdates is not allowed")
        timeout = min(float(params.get("timeout", 30)), 30.0)
        if not self._updates:
            self._arrived.clear()
            closing = asyncio.ensure_future(self._closing.wait())
            arrived = asyncio.ensure_future(self._arrived.wait())
            await asyncio.wait({closing, arrived}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            closing.cancel()
            arrived.cancel()
        if not self._updates:
            return self._error(408, "Request timeout", status=200)  # Zalo answers "nothing new" in the body
        return self._ok(self._updates.pop(0))

    async def _m_sendMessage(self, params: dict) -> web.Response:
        text = str(params.get("text", ""))
        chat_id = str(params.get("chat_id", ""))
        if not chat_id or not 1 <= len(text) <= 2000:
            return self._error(400, "Bad Request")
        if chat_id in self.blocked:
            return self._error(403, "Forbidden")
        self.sent.append((chat_id, text))
        async with self._sending:
            self._sending.notify_all()
        return self._ok({"message_id": uuid.uuid4().hex[:20], "date": 1750316131602 + next(self._ids)})

    async def _m_sendPhoto(self, params: dict) -> web.Response:
        chat_id, url = str(params.get("chat_id", "")), str(params.get("photo", ""))
        caption = str(params.get("caption", ""))
        if not chat_id or not url.startswith(("http://", "https://")) or len(caption) > 2000:
            return self._error(400, "Bad Request")
        if chat_id in self.blocked:
            return self._error(403, "Forbidden")
        self.photos.append((chat_id, url, caption))
        async with self._sending:
            self._sending.notify_all()
        return self._ok({"message_id": uuid.uuid4().hex[:20], "date": 1750316131602 + next(self._ids)})

    async def _m_sendChatAction(self, params: dict) -> web.Response:
        return self._ok(True)


def event(sender: str, text: str = "", *, name: str | None = None, event_name: str = "message.text.received",
          message_id: str | None = None, group: str | None = None, is_bot: bool = False,
          date: int = 1750316131602) -> dict:
    """A Zalo event as documented: the body's `result`. `date` is when Zalo got it, in ms (the default lies far
    in the past, so the bot dates the message by its own clock)."""
    message = {"from": {"id": sender, "display_name": name or sender.title(), "is_bot": is_bot},
               "chat": {"id": group or sender, "chat_type": "GROUP" if group else "PRIVATE"},
               "message_id": message_id or uuid.uuid4().hex[:20], "date": date}
    if event_name == "message.text.received":
        message["text"] = text
    elif event_name == "message.image.received":
        message["photo"] = "https://example.invalid/photo.jpg"
        message["caption"] = text
    return {"event_name": event_name, "message": message}


class ZaloUser:
    """Talks to the bot as Zalo would: real HTTP POSTs to its webhook, then reads what the API was asked to send."""

    def __init__(self, api: ZaloApi, channel, webhook_url: str, secret: str = SECRET) -> None:
        self.api = api
        self.channel = channel
        self.url = webhook_url
        self.secret = secret

    async def post(self, body: dict, *, secret: str | None = None, wrapped: bool = True,
                   raw: str | None = None) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is None:
            secret = self.secret
        if secret:
            headers["X-Bot-Api-Secret-Token"] = secret
        data = raw if raw is not None else json.dumps({"ok": True, "result": body} if wrapped else body)
        async with aiohttp.ClientSession() as session:
            async with session.post(self.url, data=data.encode(), headers=headers) as resp:
                await resp.read()
                return resp.status

    async def say(self, who: str, text: str, *, wrapped: bool = True, **kw) -> str:
        """Send `text` as `who`; the bot's answers to that chat, joined by "---"."""
        before = len(self.api.sent)
        status = await self.post(event(who, text, **kw), wrapped=wrapped)
        assert status == 200, status
        await self.channel.settled()
        chat = kw.get("group") or who
        return "\n---\n".join(t for c, t in self.api.sent[before:] if c == chat)
