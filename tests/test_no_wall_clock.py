"""The suite's guard against waiting on the wall clock (tests/conftest.py) catches both kinds of sleep."""
from __future__ import annotations

import asyncio
import time

import pytest


async def test_the_guard_fails_a_test_that_sleeps_on_the_wall_clock():
    with pytest.raises(AssertionError, match="sleeps 0.01s on the wall clock"):
        await asyncio.sleep(0.01)
    with pytest.raises(AssertionError, match="sleeps 0.01s on the wall clock"):
        time.sleep(0.01)
    await asyncio.sleep(0)  # a turn of the loop is no wait
