"""A test double of the Telegram Bot API on 127.0.0.1: what python-telegram-bot's real HTTP stack talks to."""
from __future__ import annotations

import asyncio
import bisect
import itertools
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from doubles.telegram_limits import SendingLimits

TOKEN = "123456789:AAFake-test-token_NEVER-logged-0123456789"
BOT_ID = 123456789
USERNAME = "baocao_test_bot"
DATE = 1_795_000_000  # a fixed Unix time: the double has no clock of its own
NESTED = {"reply_markup", "allowed_updates", "commands", "scope", "entities", "link_preview_options",
          "reply_parameters"}  # PTB sends these as JSON strings inside a form body
SENDS = ("sendMessage", "editMessageText", "sendDocument", "sendPhoto")  # the calls Telegram's limits count
UPLOADS = {"sendDocument": "document", "sendPhoto": "photo"}  # the file field of each upload


@dataclass
class Failure:
    method: str
    status: int
    description: str
    parameters: dict = field(default_factory=dict)
    chat_id: str | None = None  # only calls to this chat fail; None: any


class FakeTelegram:
    """Queue updates as people would send them; read what the bot called. Long polls wait on events, not time."""

    def __init__(self, token: str = TOKEN, clock=None, *, username: str = USERNAME, bot_id: int = BOT_ID,
                 users: dict[str, int] | None = None, latency: float = 0.0, limits: SendingLimits | None = None,
                 first_update_id: int = 5001) -> None:
        """`latency`, `limits`: a round trip to api.telegram.org and Telegram's sending limits (429 beyond them),
        for the benchmarks; tests keep the defaults, none of either."""
        self.token = token
        self.username = username
        self.bot_id = bot_id
        self.bots: dict[str, FakeTelegram] = {token: self}  # every token this server answers for
        self.clock = clock  # the test's clock: messages are dated by it, as Telegram dates them on arrival
        self.updates: list[dict] = []  # every update ever queued, in order
        self.confirmed_below = 0  # Telegram forgets updates below the highest offset asked for
        self.calls: list[tuple[str, dict]] = []
        self.sent: list[dict] = []  # successful sendMessage calls: chat_id, text, reply_markup, message_id
        self.files: list[dict] = []  # successful sendDocument/sendPhoto calls: method, chat_id, name, mime, data,
        #                              caption, message_id (uploads, as PTB posts them: multipart/form-data)
        self.commands: dict[tuple[str, str], list[dict]] = {}  # (scope type, language code) → commands
        self.webhook: dict = {}
        self.blocked: set[str] = set()
        self.migrated: dict[str, str] = {}
        self.failures: list[Failure] = []
        self.on_call: Callable[[str, dict], None] | None = None  # sees every call before it is answered
        self.latency = latency
        self.limits = limits
        self.too_many = 0  # 429 answers given for the limits
        self.first_update_id = first_update_id
        self._update_ids = itertools.count(first_update_id)
        self._unread: dict[str, asyncio.Queue] = defaultdict(asyncio.Queue)  # chat → messages next_message gives
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._user_ids: dict[str, int] = users if users is not None else {}
        self._tick = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    def _date(self) -> int:
        return int(self.clock.now().timestamp()) if self.clock is not None else DATE

    # ---- serving -------------------------------------------------------------------------------------
    async def start(self) -> "FakeTelegram":
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    def add_bot(self, token: str, username: str, bot_id: int) -> "FakeTelegram":
        """Another bot on this server, as the one Bot API serves every token: its own updates (update ids count
        from 5001 again), webhook and sent messages; a person has one user id across bots, as on Telegram."""
        other = FakeTelegram(token, self.clock, username=username, bot_id=bot_id, users=self._user_ids,
                             latency=self.latency, limits=self.limits.fresh() if self.limits else None,
                             first_update_id=self.first_update_id)
        other.port = self.port
        self.bots[token] = other
        return other

    async def stop(self) -> None:
        for bot in self.bots.values():
            bot._closing = True
            bot._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def _notify(self) -> None:
        self._tick.set()
        self._tick = asyncio.Event()

    async def until(self, condition: Callable[[], bool], timeout: float = 15) -> None:
        """Wait until `condition()` holds; it is re-checked on every call the bot makes or update queued.
        The timeout only keeps a broken test from hanging; no assertion depends on it."""
        async def wait() -> None:
            while not condition():
                await self._tick.wait()
        await asyncio.wait_for(wait(), timeout)

    # ---- people --------------------------------------------------------------------------------------
    def user_id(self, who: str) -> int:
        return self._user_ids.setdefault(who, 1000 + len(self._user_ids) + 1)

    def user(self, who: str) -> dict:
        return {"id": self.user_id(who), "is_bot": False, "first_name": who.title(), "language_code": "vi"}

    def chat(self, who: str, group: str | None = None) -> dict:
        if group is not None:
            return {"id": -100 - self.user_id("group:" + group), "type": "supergroup", "title": group}
        return {"id": self.user_id(who), "type": "private", "first_name": who.title()}

    def queue(self, update: dict) -> int:
        """Queue an update as Telegram would hold it; returns its update_id."""
        update = {"update_id": next(self._update_ids), **update}
        if self.limits is not None:
            sender = update.get("message", update.get("callback_query", {})).get("from", {}).get("id")
            self.limits.heard(str(sender))
        self.updates.append(update)
        self._notify()
        return update["update_id"]

    def message(self, who: str, text: str | None = None, *, group: str | None = None, **content) -> int:
        msg = {"message_id": next(self._message_ids), "date": self._date(), "chat": self.chat(who, group),
               "from": self.user(who), **content}
        if text is not None:
            msg["text"] = text
        return self.queue({"message": msg})

    def edit(self, who: str, message_update_id: int, text: str) -> int:
        """The person edits the text of the message queued as `message_update_id`: Telegram sends an
        edited_message update with the same message id and a new text."""
        original = next(u["message"] for u in self.updates if u["update_id"] == message_update_id)
        return self.queue({"edited_message": {**original, "text": text, "edit_date": self._date()}})

    def press(self, who: str, data: str, on: dict | None = None) -> int:
        """A button press; `on` is the sent message (from `sent`) the button was under."""
        query = {"id": str(next(self._query_ids)), "from": self.user(who), "chat_instance": "1", "data": data}
        if on is not None:
            query["message"] = {"message_id": on["message_id"], "date": self._date(), "text": on["text"],
                                "chat": self.chat(who), "from": {"id": self.bot_id, "is_bot": True,
                                                                 "first_name": "Báo cáo"}}
        return self.queue({"callback_query": query})

    def unconfirm(self) -> None:
        """As if the offset that confirmed the updates never reached Telegram: it sends them all again."""
        self.confirmed_below = 0

    def confirmed(self, update_id: int) -> bool:
        return self.confirmed_below > update_id

    async def next_message(self, who: str, timeout: float = 60) -> dict:
        """The next message sent to `who`'s private chat that no earlier call returned. Many people may wait at
        once: each wakes for their own chat only."""
        return await asyncio.wait_for(self._unread[str(self.user_id(who))].get(), timeout)

    def sent_to(self, who: str) -> list[dict]:
        chat = str(self.user_id(who))
        return [m for m in self.sent if m["chat_id"] == chat]

    def files_to(self, who: str) -> list[dict]:
        chat = str(self.user_id(who))
        return [f for f in self.files if f["chat_id"] == chat]

    def fail_next(self, method: str, status: int, description: str, chat_id: str | None = None,
                  **parameters) -> None:
        self.failures.append(Failure(method, status, description, parameters, chat_id))

    # ---- the API -------------------------------------------------------------------------------------
    async def _dispatch(self, request: web.Request) -> web.Response:
        bot = self.bots.get(request.match_info["token"])
        if bot is None:
            return _error(401, "Unauthorized")
        return await bot._answer(request)

    async def _answer(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append((method, params))
        self._notify()
        if self.on_call is not None:
            self.on_call(method, params)
        failure = self._failure(method, params)
        if failure is not None:
            return _error(failure.status, failure.description, failure.parameters)
        # Counted as it arrives, the round trip around it: sends that arrived evenly are not bunched by a slow wake.
        retry = self.limits.retry_after(str(params.get("chat_id"))) if self.limits and method in SENDS else 0
        if self.latency and method != "getUpdates":  # getUpdates: the round trip once updates are there
            await asyncio.sleep(self.latency)
        if retry:
            self.too_many += 1
            return _error(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(400, f"Bad Request: the test double has no method {method}")
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    def _failure(self, method: str, params: dict) -> Failure | None:
        for f in self.failures:
            if f.method == method and (f.chat_id is None or f.chat_id == str(params.get("chat_id"))):
                self.failures.remove(f)
                return f
        return None

    async def _api_getMe(self, params: dict) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Báo cáo", "username": self.username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _api_deleteWebhook(self, params: dict) -> bool:
        self.webhook = {}
        return True

    async def _api_setWebhook(self, params: dict) -> bool:
        self.webhook = params
        return True

    async def _api_setMyCommands(self, params: dict) -> bool:
        scope = (params.get("scope") or {}).get("type", "default")
        self.commands[(scope, params.get("language_code") or "")] = params["commands"]
        return True

    async def _api_answerCallbackQuery(self, params: dict) -> bool:
        return True

    async def _api_getUpdates(self, params: dict) -> list[dict] | web.Response:
        if self.webhook:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset > self.confirmed_below:
            self.confirmed_below = offset
            self._notify()
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)

        def waiting() -> list[dict]:  # update ids grow in queue order: no need to look at the confirmed ones
            start = bisect.bisect_left(self.updates, self.confirmed_below, key=lambda u: u["update_id"])
            return self.updates[start:start + limit]

        if not waiting() and timeout and not self._closing:
            try:
                await self.until(lambda: bool(waiting()) or self._closing, timeout)
            except asyncio.TimeoutError:
                pass
        if self.latency and waiting():
            await asyncio.sleep(self.latency)
        return waiting()

    async def _api_sendMessage(self, params: dict) -> dict | web.Response:
        chat_id = str(params["chat_id"])
        if chat_id in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.migrated:
            return _error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                          {"migrate_to_chat_id": int(self.migrated[chat_id])})
        if not chat_id.lstrip("-").isdigit():
            return _error(400, "Bad Request: chat not found")
        text = params["text"]
        if not 1 <= len(text) <= 4096:
            return _error(400, "Bad Request: message is too long" if text else "Bad Request: message text is empty")
        message_id = next(self._message_ids)
        self.sent.append({"chat_id": chat_id, "text": text, "reply_markup": params.get("reply_markup"),
                          "message_id": message_id, "message_thread_id": params.get("message_thread_id")})
        self._unread[chat_id].put_nowait(self.sent[-1])
        self._notify()
        message = {"message_id": message_id, "date": self._date(), "text": text,
                   "chat": {"id": int(chat_id), "type": "private" if int(chat_id) > 0 else "supergroup"},
                   "from": {"id": self.bot_id, "is_bot": True, "first_name": "Báo cáo", "username": self.username}}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_sendDocument(self, params: dict) -> dict | web.Response:
        return await self._upload("sendDocument", params)

    async def _api_sendPhoto(self, params: dict) -> dict | web.Response:
        return await self._upload("sendPhoto", params)

    async def _upload(self, method: str, params: dict) -> dict | web.Response:
        """A file uploaded as a multipart part (a URL or file_id, which the bot never sends, is refused)."""
        chat_id = str(params["chat_id"])
        if chat_id in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.migrated:
            return _error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                          {"migrate_to_chat_id": int(self.migrated[chat_id])})
        part = params.get(UPLOADS[method])
        if not isinstance(part, web.FileField):
            return _error(400, f"Bad Request: the test double takes {UPLOADS[method]} as an uploaded file")
        data = part.file.read()
        caption = params.get("caption") or ""
        if not data or len(caption) > 1024:
            return _error(400, "Bad Request: caption is too long" if data else "Bad Request: file must be non-empty")
        message_id = next(self._message_ids)
        self.files.append({"method": method, "chat_id": chat_id, "name": part.filename, "mime": part.content_type,
                           "data": data, "caption": caption, "message_id": message_id})
        self._notify()
        kind = {"file_id": f"f{message_id}", "file_unique_id": f"u{message_id}", "file_size": len(data)}
        content = {"document": {**kind, "file_name": part.filename, "mime_type": part.content_type}} \
            if method == "sendDocument" else {"photo": [{**kind, "width": 1200, "height": 800}]}
        return {"message_id": message_id, "date": self._date(), **content,
                "chat": {"id": int(chat_id), "type": "private" if int(chat_id) > 0 else "supergroup"},
                "from": {"id": self.bot_id, "is_bot": True, "first_name": "Báo cáo", "username": self.username}}


async def _params(request: web.Request) -> dict:
    """PTB posts form bodies with nested values as JSON strings; other clients post JSON. Accept both."""
    params: dict = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json() or {})
        return params
    form = await request.post()
    for key, value in form.items():
        params[key] = json.loads(value) if key in NESTED and isinstance(value, str) else value
    return params


def _error(status: int, description: str, parameters: dict | None = None) -> web.Response:
    body = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def buttons(message: dict) -> list[str]:
    """The callback data of every inline button under a sent message."""
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]
