"""Retry with backoff, on tenacity: a platform call tried a few times, a polling loop that never ends. Time is
injectable (`sleep`) so tests never wait on the wall clock."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tenacity import (AsyncRetrying, RetryCallState, retry_if_exception_type, retry_if_not_exception_type,
                      stop_after_attempt, wait_exponential)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[Any]]
Wait = Callable[[RetryCallState], float]


class Stopped(Exception):
    """A polling loop was asked to stop (raised by its round or its sleep): it returns, nothing is retried."""


def backoff(first: float, most: float) -> Wait:
    """first, 2×first, 4×first … at most `most` seconds."""
    return wait_exponential(multiplier=first, min=first, max=most)


async def call_with_retries(work: Callable[[], Awaitable[T]], *, retry_on: tuple[type[BaseException], ...],
                            retries: int, wait: Wait, sleep: Sleep,
                            before_retry: Callable[[BaseException, int, float], None] | None = None) -> T:
    """`work()`, tried again after a failure of the types in `retry_on`, up to `retries` more times, waiting as
    `wait` says; then that failure is raised. `before_retry(error, retry number, seconds)` hears each retry."""
    def told(state: RetryCallState) -> None:
        if before_retry is not None:
            before_retry(state.outcome.exception(), state.attempt_number, state.next_action.sleep)

    async def attempt() -> T:  # tenacity awaits only what a coroutine function returns
        return await work()

    retrying = AsyncRetrying(retry=retry_if_exception_type(retry_on), stop=stop_after_attempt(retries + 1),
                             wait=wait, sleep=sleep, before_sleep=told, reraise=True)
    return await retrying(attempt)


async def poll_forever(round_: Callable[[], Awaitable[None]], *, wait: Wait, sleep: Sleep,
                       failed: Callable[[BaseException, float], None]) -> None:
    """`round_()` again and again. Any failure is told to `failed(error, seconds until the next try)` and waited
    out with backoff, reset by the next success; nothing ends the loop but cancellation or `Stopped`."""
    while True:
        retrying = AsyncRetrying(retry=retry_if_not_exception_type((Stopped, asyncio.CancelledError)),
                                 wait=wait, sleep=sleep, reraise=True,
                                 before_sleep=lambda s: failed(s.outcome.exception(), s.next_action.sleep))
        try:
            await retrying(round_)
        except Stopped:
            return
