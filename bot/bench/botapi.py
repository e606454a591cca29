"""A Telegram Bot API double on 127.0.0.1 for the benchmarks: a round trip of its own, Telegram's limits, many tokens.

Real client code (python-telegram-bot) talks to it over HTTP. Every answer comes after `latency` (a realistic
round trip to api.telegram.org). Sending is limited as the Bot FAQ describes — per chat about one a second with
short bursts passing, and `bulk_rate` messages a second per token overall for bulk: messages to chats that have
not written to the bot in the last `answer_window` seconds (an answer to a person's own message is not bulk) —
and over a limit it answers 429 with `retry_after`, counting each. Simulated people send updates (served by
long-polled getUpdates, or POSTed to a webhook by the caller) and wait for the bot's messages to their chat.

`DoubleProcess` runs the double in a process of its own, so its CPU does not compete with the bot's event loop
on a small machine (as Telegram's servers do not); the people, when there are any, live there with it.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import multiprocessing
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Sent:
    chat_id: str
    text: str
    message_id: int
    buttons: list[str]  # callback_data of an inline keyboard, in order
    at: float


@dataclass
class Token:
    """What the double keeps per bot token."""

    updates: deque = field(default_factory=deque)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    sent: list[Sent] = field(default_factory=list)
    inbox: dict[str, asyncio.Queue] = field(default_factory=lambda: defaultdict(asyncio.Queue))
    window: deque = field(default_factory=deque)  # send times within the last second, all chats
    per_chat: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    heard: dict[str, float] = field(default_factory=dict)  # chat → when it last wrote to the bot
    too_many: int = 0  # 429 answers
    calls: int = 0


class BotApiDouble:
    def __init__(self, latency: float = 0.1, bulk_rate: float = 30.0, chat_burst: int = 3,
                 chat_rate: float = 1.0, answer_window: float = 60.0) -> None:
        self.latency = latency
        self.answer_window = answer_window
        self.bulk_rate = bulk_rate
        self.chat_burst = chat_burst  # messages to one chat that may go at once
        self.chat_rate = chat_rate  # and how fast that allowance comes back, per second
        self.tokens: dict[str, Token] = defaultdict(Token)
        self._update_ids = itertools.count(int(time.time() * 1000))  # fresh each run: a reused database keeps an inbox
        self._message_ids = itertools.count(1000)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # people

    def say(self, token: str, user_id: int, text: str) -> dict:
        return self._push(token, {"message": {
            "message_id": next(self._message_ids), "date": int(time.time()), "text": text,
            "chat": {"id": user_id, "type": "private"}, "from": _user(user_id)}})

    def press(self, token: str, user_id: int, message_id: int, data: str) -> dict:
        return self._push(token, {"callback_query": {
            "id": str(next(self._update_ids)), "chat_instance": str(user_id), "data": data, "from": _user(user_id),
            "message": {"message_id": message_id, "date": int(time.time()), "chat": {"id": user_id, "type": "private"},
                        "from": _user(1, bot=True), "text": "…"}}})

    async def reply_to(self, token: str, chat_id: int) -> Sent:
        """The next message the bot sends to this chat."""
        return await self.tokens[token].inbox[str(chat_id)].get()

    def _push(self, token: str, body: dict) -> dict:
        update = {"update_id": next(self._update_ids), **body}
        t = self.tokens[token]
        sender = body.get("message", body.get("callback_query", {})).get("from", {}).get("id")
        t.heard[str(sender)] = time.monotonic()
        t.updates.append(update)
        t.arrived.set()
        return update

    # the API

    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        params = await _params(request)
        t = self.tokens[token]
        t.calls += 1
        if method == "getUpdates":
            return _ok(await self._get_updates(t, params))
        sending = method in ("sendMessage", "editMessageText")
        # Counted as it arrives (the round trip is around it): a double slow to wake its timers must not
        # bunch sends that arrived evenly into one second.
        retry = self._limited(t, str(params.get("chat_id"))) if sending else 0
        await asyncio.sleep(self.latency)
        if method == "getMe":
            return _ok(_user(int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1, bot=True))
        if method in ("deleteWebhook", "setWebhook", "answerCallbackQuery", "sendChatAction", "setMyCommands"):
            return _ok(True)
        if sending:
            chat_id = str(params.get("chat_id"))
            if retry:
                t.too_many += 1
                return web.json_response({"ok": False, "error_code": 429,
                                          "description": f"Too Many Requests: retry after {retry}",
                                          "parameters": {"retry_after": retry}}, status=429)
            sent = Sent(chat_id, params.get("text", ""), int(params.get("message_id") or next(self._message_ids)),
                        _buttons(params.get("reply_markup")), time.perf_counter())
            t.sent.append(sent)
            t.inbox[chat_id].put_nowait(sent)
            return _ok({"message_id": sent.message_id, "date": int(time.time()), "text": sent.text,
                        "chat": {"id": int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id, "type": "private"},
                        "from": _user(1, bot=True)})
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)

    async def _get_updates(self, t: Token, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        while t.updates and t.updates[0]["update_id"] < offset:  # confirmed
            t.updates.popleft()
        if not t.updates:
            t.arrived.clear()
            try:
                await asyncio.wait_for(t.arrived.wait(), timeout=float(params.get("timeout") or 0))
            except asyncio.TimeoutError:
                return []
        await asyncio.sleep(self.latency)
        limit = int(params.get("limit") or 100)
        return list(itertools.islice(t.updates, limit))

    def _limited(self, t: Token, chat_id: str) -> int:
        """Seconds to wait if this send breaks a limit, else 0 (and the send is counted)."""
        now = time.monotonic()
        while t.window and now - t.window[0] >= 1.0:
            t.window.popleft()
        bulk = now - t.heard.get(chat_id, float("-inf")) >= self.answer_window
        if bulk and len(t.window) >= self.bulk_rate:
            return 1
        chat = t.per_chat[chat_id]
        while chat and now - chat[0] >= self.chat_burst / self.chat_rate:
            chat.popleft()
        if len(chat) >= self.chat_burst:
            return 1
        if bulk:
            t.window.append(now)
        chat.append(now)
        return 0

    def stats(self) -> dict[str, dict]:
        return {name: {"sent": len(t.sent), "too_many": t.too_many, "calls": t.calls} for name, t in self.tokens.items()}


class DoubleProcess:
    """The double in a child process: `start()` gives its base URL; `people(...)` runs simulated people there
    (see `bot.bench.ptb`) and returns what they measured; `stop()` returns the per-token counts."""

    def __init__(self, latency: float = 0.1, people=None) -> None:
        self.latency = latency
        self.people = people  # `people(double, *args)`, run by ask("people", *args): given, not imported (no cycle)
        self._conn = None
        self._process = None

    def start(self) -> str:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, self.latency, self.people), daemon=True)
        self._process.start()
        return self._conn.recv()

    async def ask(self, *message) -> object:
        self._conn.send(message)
        return await asyncio.to_thread(self._conn.recv)

    async def stop(self) -> dict[str, dict]:
        stats = await self.ask("stop")
        await asyncio.to_thread(self._process.join)
        return stats


def _serve(conn, latency: float, people) -> None:
    asyncio.run(_serving(conn, latency, people))


async def _serving(conn, latency: float, people) -> None:
    double = BotApiDouble(latency=latency)
    conn.send(await double.start())
    try:
        while True:
            kind, *args = await asyncio.to_thread(conn.recv)
            if kind == "stop":
                conn.send(double.stats())
                return
            if kind == "people":
                conn.send(await people(double, *args))
    finally:
        await double.stop()


def _user(user_id: int, bot: bool = False) -> dict:
    return {"id": user_id, "is_bot": bot, "first_name": "Bot" if bot else f"TNV {user_id}",
            **({"username": "baocao_bench_bot"} if bot else {})}


def _ok(result) -> web.Response:
    return web.json_response({"ok": True, "result": result})


async def _params(request: web.Request) -> dict:
    if request.content_type == "application/json":
        return await request.json() if request.can_read_body else {}
    params = dict(request.query)
    if request.can_read_body:
        params.update(await request.post())
    return {k: v for k, v in params.items()}


def _buttons(markup) -> list[str]:
    if not markup:
        return []
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]
