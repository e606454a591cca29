"""A disk that fills up while the bot runs: every message still gets a sentence in the sender's language, nothing
is half-stored, and once writing works again a re-delivery is handled as new."""
from __future__ import annotations

import sqlite3

import pytest

from tests.support.chat import Chat
from tests.support.seed import join, seed_units


class FullDisk:
    """The store as SQLite answers when its disk is full: reads work, every write fails as SQLite fails it."""

    def __init__(self, store) -> None:
        self.store = store
        self.full = True

    def __getattr__(self, name):
        return getattr(self.store, name)

    async def read(self, work):
        return await self.store.read(work)

    async def write(self, work):
        if self.full:
            raise sqlite3.OperationalError("database or disk is full")
        return await self.store.write(work)


@pytest.fixture
async def full(chat, store, clock):
    await seed_units(store)
    ready = chat
    await join(ready, "an", "P01-KP1-T")
    await join(ready, "ben", "P01-KP1-T")
    await ready.say("ben", "/language en")
    await ready.say("ben", "ok")
    disk = FullDisk(store)
    return Chat(disk, clock), disk


async def test_a_report_on_a_full_disk_is_answered_in_one_sentence_and_nothing_is_kept(full, store, caplog):
    chat, disk = full
    said = await chat.say("an", "ho 20, app 5", delivery_id="d-full")
    assert said.texts == ["Xin lỗi, máy chủ tạm thời không ghi được dữ liệu. Tin nhắn này chưa được lưu; vui lòng "
                          "gửi lại sau ít phút."]
    assert said.out[0].reply_id is None  # kept nowhere: the outbox could not be written either
    said = await chat.say("ben", "/summary")
    assert said.texts[0].startswith("Sorry, the server cannot save anything right now.")
    assert "ho 20" not in caplog.text  # the message's text never reaches the log
    disk.full = False
    said = await chat.say("an", "ho 20, app 5", delivery_id="d-full")  # the same delivery, once the disk has room
    assert "Số hộ đã đến: 20" in said.text and "report:confirm" in said.buttons
