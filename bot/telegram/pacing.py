"""Telegram's sending limits, kept before Telegram has to enforce them: answers paced per chat, fan-out evenly."""
from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

PRIVATE = (3, 3.0)  # a person's chat: 3 messages in any 3 s — about one a second, a short burst passes
GROUP = (20, 60.0)  # a group: 20 messages a minute
_MESSAGES = ("send", "edit", "copy", "forward")  # the calls that put a message into a chat
_SWEEP_EVERY = 4096  # reservations between two sweeps of the chats gone quiet


class ChatWindows:
    """At most n messages to a chat in any `period` seconds, the n-th earlier one's time plus the period being
    the soonest the next may go; a chat's messages keep their order. Quiet chats are forgotten."""

    def __init__(self) -> None:
        self._times: dict[Hashable, deque[float]] = {}
        self._since_sweep = 0

    def reserve(self, chat: Hashable, limit: tuple[int, float], not_before: float) -> float:
        """The time this chat's next message may go (at `not_before` or later), booked for it."""
        n, period = limit
        times = self._times.get(chat)
        if times is None:
            times = self._times[chat] = deque(maxlen=n)
        at = max(not_before, times[-1] if times else not_before)
        if len(times) == n:
            at = max(at, times[0] + period)
        times.append(at)
        self._since_sweep += 1
        if self._since_sweep >= _SWEEP_EVERY:
            self._sweep(not_before)
        return at

    def _sweep(self, now: float) -> None:
        self._since_sweep = 0
        quiet = [chat for chat, times in self._times.items() if times[-1] + GROUP[1] <= now]
        for chat in quiet:
            del self._times[chat]

    def __len__(self) -> int:
        return len(self._times)


class EvenPace:
    """Message k goes at start + k/rate: never more than `rate` in any second, no burst, no slot left idle."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = float("-inf")

    def reserve(self, now: float) -> float:
        at = max(now, self._next)
        self._next = at + self.interval
        return at

    def hold(self, until: float) -> None:
        """Nothing goes before `until` (Telegram asked to wait)."""
        self._next = max(self._next, until)


class Pacing(BaseRateLimiter[dict]):
    """python-telegram-bot's rate limiter for the channel. A send marked `rate_limit_args={"bulk": True}` (the
    scheduler's fan-out) takes the next slot of one even pace per token, `bulk_rate` a second; everything
    else — the answers to a person's own message — goes at once. Both keep the per-chat limits (PRIVATE,
    GROUP). A 429 is waited out for its `retry_after` and the call repeated, up to `max_retries` times; a 429
    on a bulk send holds the whole bulk pace meanwhile.

    Time is injectable (`clock`, `sleep`) so tests do not wait on the wall clock.
    """

    def __init__(self, bulk_rate: float = 28.0, max_retries: int = 3, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.bulk = EvenPace(bulk_rate)
        self._bulk_sent: deque[float] = deque(maxlen=max(1, int(bulk_rate)))  # when the last ones really went
        self.chats = ChatWindows()
        self.max_retries = max_retries
        self.clock = clock
        self.sleep = sleep

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(self, callback: Callable[..., Awaitable[Any]], args: Any, kwargs: dict[str, Any],
                              endpoint: str, data: dict[str, Any], rate_limit_args: dict | None) -> Any:
        bulk = bool((rate_limit_args or {}).get("bulk"))
        chat = data.get("chat_id") if endpoint.startswith(_MESSAGES) else None  # not getChat, setMyCommands …
        retries = 0
        while True:
            await self._turn(chat, bulk)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                retries += 1
                if retries > self.max_retries:
                    raise
                wait = _seconds(exc)
                log.warning("telegram: rate limit hit (429) on %s%s; waiting %.1f s, then retry %d of %d",
                            endpoint, " (bulk)" if bulk else "", wait, retries, self.max_retries)
                if bulk:
                    self.bulk.hold(self.clock() + wait)  # every bulk send waits, not only this one
                else:
                    await self.sleep(wait)

    async def _turn(self, chat: object, bulk: bool) -> None:
        now = self.clock()
        at = self.bulk.reserve(now) if bulk else now
        if chat is not None:
            at = self.chats.reserve(chat, GROUP if is_group(chat) else PRIVATE, at)
        if at > now:
            await self.sleep(at - now)
        if bulk:
            await self._within_a_second()

    async def _within_a_second(self) -> None:
        """Slots are evenly spaced, but a busy event loop can wake several late at once: never let more than
        `bulk_rate` actually go in one second."""
        sent = self._bulk_sent
        while len(sent) == sent.maxlen and (now := self.clock()) - sent[0] < 1.0:
            await self.sleep(sent[0] + 1.0 - now)
        sent.append(self.clock())


def is_group(chat_id: object) -> bool:
    """Groups and channels have negative ids (or an @name); people's private chats positive ones."""
    if isinstance(chat_id, int):
        return chat_id < 0
    return str(chat_id).startswith(("-", "@"))


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)  # seconds today, a timedelta from PTB 23: both do
        wait = exc.retry_after
    return wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
