"""Fixtures: a migrated store on every backend, a clock tests move by hand, a chat driver wired by the bot's own
composition root, and a guard that fails any test that waits on the wall clock."""
from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from domain.clock import FixedClock
from tests.support.backends import BACKENDS, make_store
from tests.support.chat import Chat, at
from tests.support.files import file_maker

TESTS = str(Path(__file__).resolve().parent)


@pytest.fixture(autouse=True)
def no_wall_clock_sleeps(monkeypatch):
    """A test, or its support code, that sleeps for a real duration fails: time is a FixedClock (or a fake
    monotonic clock for pacing), and waiting is on events. `sleep(0)`, a turn of the loop, is fine."""
    real_async, real_time = asyncio.sleep, time.sleep

    def check(delay, caller) -> None:
        if delay and delay > 0 and caller.f_code.co_filename.startswith(TESTS):
            raise AssertionError(f"{caller.f_code.co_filename}:{caller.f_lineno} sleeps {delay}s on the wall "
                                 "clock: move a FixedClock, or wait for an event")

    async def async_sleep(delay, result=None):
        check(delay, sys._getframe(1))
        return await real_async(delay, result)

    def time_sleep(delay):
        check(delay, sys._getframe(1))
        return real_time(delay)

    monkeypatch.setattr(asyncio, "sleep", async_sleep)
    monkeypatch.setattr(time, "sleep", time_sleep)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(at("10:00"))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
async def store(backend, tmp_path, clock):
    async with make_store(backend, tmp_path, clock) as s:
        yield s


@pytest.fixture
async def files(store, tmp_path):
    """`await files(app, public_url=None, mode="thread")`: the app's leaders' files made from the test's database
    into tmp_path/files (tests/support/files.py); closed after the test."""
    made = []

    async def use(app, public_url: str | None = None, mode: str = "thread"):
        app.files = await file_maker(app, tmp_path / "files", public_url, mode)
        made.append(app.files)
        return app.files
    yield use
    for maker in made:
        await maker.close()


@pytest.fixture
def chat(store, clock) -> Chat:
    return Chat(store, clock, admins={"test": frozenset({"admin"})})

