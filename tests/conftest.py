"""Fixtures: a migrated store on every backend, a clock tests move by hand, and a chat driver."""
from __future__ import annotations

import pytest

from domain.clock import FixedClock
from tests.support.backends import BACKENDS, make_store
from tests.support.chat import Chat, at


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
def chat(store, clock) -> Chat:
    return Chat(store, clock, admins={"test": frozenset({"admin"})})
