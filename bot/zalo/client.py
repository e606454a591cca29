"""A thin Zalo Bot API client on one aiohttp session: status and body read, 429/5xx retried, per-chat pace."""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from typing import Any, Callable
from urllib.parse import quote

import aiohttp
from tenacity import RetryCallState

from bot.plumbing.retry import Sleep, backoff as backoff_policy, call_with_retries

log = logging.getLogger(__name__)

POLL_TIMEOUT = 30  # seconds a getUpdates call waits for something new
NOTHING_NEW = 408  # getUpdates: no update within the timeout


class ZaloError(Exception):
    """An API call failed. The text never contains the token (aiohttp's own errors carry the URL)."""

    retry_after: float | None = None  # seconds, when a 429 answer names them

    def __init__(self, method: str, code: int | None, description: str) -> None:
        self.method = method
        self.code = code
        self.description = description
        super().__init__(f"Zalo {method} failed ({code if code is not None else 'no answer'}): {description}")


class ZaloBadRequest(ZaloError):
    """400: a parameter was refused (e.g. an empty or over-long text, an unknown chat)."""


class ZaloUnauthorized(ZaloError):
    """401: the token was refused; check [zalo] token or ZALO_BOT_TOKEN."""


class ZaloForbidden(ZaloError):
    """403: the bot may not write to this chat (the user blocked it or never talked to it)."""


class ZaloNotFound(ZaloError):
    """404: no such method or chat (also what a wrong API base URL gives)."""


class ZaloRateLimited(ZaloError):
    """429: still over the quota after every retry."""


class ZaloServerError(ZaloError):
    """5xx: Zalo failed, still after every retry."""


class ZaloNetworkError(ZaloError):
    """No answer: connection refused, reset or timed out, after every retry."""


_BY_CODE: dict[int, type[ZaloError]] = {400: ZaloBadRequest, 401: ZaloUnauthorized, 403: ZaloForbidden,
                                        404: ZaloNotFound, 429: ZaloRateLimited}


_RETRIED = (ZaloRateLimited, ZaloServerError, ZaloNetworkError)


def error_for(method: str, code: int | None, description: str) -> ZaloError:
    if code is not None and code >= 500:
        return ZaloServerError(method, code, description)
    return _BY_CODE.get(code or 0, ZaloError)(method, code, description)


class Pacer:
    """About one message per `interval` seconds per chat; a chat's sends also go out in the order asked."""

    def __init__(self, interval: float = 1.0, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def slot(self, chat_id: str):
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            now = self._monotonic()
            ready = self._next.get(chat_id, now)
            if ready > now:
                await self._sleep(ready - now)
                now = ready
            try:
                yield
            finally:
                self._next[chat_id] = max(now, self._monotonic()) + self.interval
        self._forget_idle()

    def _forget_idle(self) -> None:
        if len(self._locks) < 1024:
            return
        now = self._monotonic()
        for chat_id in [c for c, t in self._next.items() if t <= now and not self._locks[c].locked()]:
            del self._next[chat_id]
            del self._locks[chat_id]


class ZaloClient:
    """`<api_base_url><token>/<method>`, every answer `{"ok", "result" | "error_code", "description"}`."""

    def __init__(self, token: str, api_base_url: str, *, retries: int = 4, backoff: float = 1.0,
                 max_backoff: float = 30.0, timeout: float = 30.0, sleep: Sleep = asyncio.sleep,
                 pacer: Pacer | None = None) -> None:
        if not token:
            raise ValueError("no Zalo bot token")
        self._token = token
        self._base = api_base_url
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self._sleep = sleep
        self._backoff = backoff_policy(backoff, max_backoff)
        self.pacer = pacer or Pacer(sleep=sleep)
        self._session: aiohttp.ClientSession | None = None

    def _session_now(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers={"User-Agent": "baocao"})
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def scrub(self, text: str) -> str:
        """The text with the token removed, in every spelling a URL may give it."""
        for form in {self._token, quote(self._token, safe=""), quote(self._token)}:
            text = text.replace(form, "<token>")
        return text

    async def call(self, method: str, params: dict | None = None, *, timeout: float | None = None) -> Any:
        """One call, retried on 429, 5xx and lost connections with exponential backoff; the result or a ZaloError."""
        def told(exc: BaseException, attempt: int, wait: float) -> None:
            code = exc.code if isinstance(exc, ZaloError) else None
            log.warning("Zalo %s: %s; retry %d/%d in %.1fs", method, code or "no answer", attempt, self.retries, wait)

        return await call_with_retries(lambda: self._once(method, params or {}, timeout or self.timeout),
                                       retry_on=_RETRIED, retries=self.retries, wait=self._wait, sleep=self._sleep,
                                       before_retry=told)

    def _wait(self, state: RetryCallState) -> float:
        """The backoff, or longer when Zalo named a wait (429 `retry_after`, up to 5 minutes)."""
        wait = self._backoff(state)
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, ZaloError) and exc.retry_after:
            wait = min(max(wait, float(exc.retry_after)), 300.0)
        return wait

    async def _once(self, method: str, params: dict, timeout: float) -> Any:
        url = f"{self._base}{self._token}/{method}"
        try:
            async with self._session_now().post(url, json=params,
                                                timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
                status = resp.status
                reason = resp.reason or ""
                try:
                    body = await resp.json(content_type=None)
                except (ValueError, aiohttp.ContentTypeError):
                    body = None
        except aiohttp.InvalidURL as exc:  # a wrong api_base_url: retrying will not mend it
            raise ZaloError(method, None, self.scrub(f"invalid URL {exc}")) from None
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            # aiohttp's messages may name the URL, and so the token: only the scrubbed text leaves here.
            raise ZaloNetworkError(method, None, self.scrub(f"{type(exc).__name__}: {exc}")) from None
        if not isinstance(body, dict):
            body = {}
        if status < 400 and body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code")
        if not isinstance(code, int) or code < 400:
            code = status if status >= 400 else None
        description = self.scrub(str(body.get("description") or reason or "unreadable answer"))
        error = error_for(method, code, description)
        extra = body.get("parameters")
        if isinstance(extra, dict) and isinstance(extra.get("retry_after"), (int, float)):
            error.retry_after = float(extra["retry_after"])
        raise error

    async def get_me(self) -> dict:
        return await self.call("getMe")

    async def get_updates(self, timeout: int = POLL_TIMEOUT) -> list[dict]:
        """The next update(s); [] when nothing came within `timeout` seconds (Zalo's 408)."""
        try:
            result = await self.call("getUpdates", {"timeout": timeout}, timeout=timeout + 15)
        except ZaloError as exc:
            if exc.code == NOTHING_NEW:
                return []
            raise
        if isinstance(result, list):
            return [u for u in result if isinstance(u, dict)]
        return [result] if isinstance(result, dict) and result else []

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> Any:
        return await self.call("getWebhookInfo")

    async def send_message(self, chat_id: str, text: str) -> dict:
        """One message of 1-2,000 characters, paced per chat."""
        if not 1 <= len(text) <= 2000:
            raise ZaloBadRequest("sendMessage", 400, f"text of {len(text)} characters (1-2000 allowed)")
        async with self.pacer.slot(chat_id):
            return await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def send_photo(self, chat_id: str, url: str, caption: str = "") -> dict:
        """A picture Zalo fetches from `url` (the bot's own link to it), with a caption of up to 2,000 characters;
        paced per chat like a message."""
        params = {"chat_id": chat_id, "photo": url}
        if caption:
            params["caption"] = caption[:2000]
        async with self.pacer.slot(chat_id):
            return await self.call("sendPhoto", params)

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> Any:
        return await self.call("sendChatAction", {"chat_id": chat_id, "action": action})
