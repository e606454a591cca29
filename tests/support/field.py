"""A ward's day for the scheduler's tests: members of three teams, their leaders, and the jobs at hand."""
from __future__ import annotations

from datetime import date

from domain.settings import Cutoff
from scheduler import jobs
from tests.support.seed import join, seed_units

DAY = date(2026, 11, 20)  # a Friday
PEOPLE = (
    ("an", "P01-KP1-T", "volunteer"), ("binh", "P01-KP1-T", "volunteer"), ("tam", "P01-KP1-T", "team_leader"),
    ("chi", "P01-KP2-T", "volunteer"), ("dung", "P02-KP1-T", "volunteer"),
    ("lead", "P01", "leader"), ("lead2", "P02", "leader"), ("quan", "Q1", "leader"), ("city", "HCM", "leader"),
)
REPORTERS = {"an", "binh", "tam", "chi", "dung"}


async def populate(chat) -> None:
    await seed_units(chat.store)
    for who, unit, role in PEOPLE:
        await join(chat, who, unit, role)


async def report(chat, who: str, text: str) -> None:
    await chat.say(who, text)
    said = await chat.press(who, "report:confirm")
    assert "Đã lưu" in said.text or "Saved" in said.text, said.text


def cutoff(chat, name: str) -> Cutoff:
    return next(c for c in chat.rules.cutoffs if c.name == name)


async def remind(chat, outbox, name: str, minutes: int, day: date = DAY, store=None, **kw) -> jobs.Outcome:
    return await jobs.remind(store or chat.store, chat.services, outbox, cutoff(chat, name), day, minutes, **kw)


async def at_cutoff(chat, outbox, name: str, day: date = DAY, store=None, **kw) -> jobs.Outcome:
    return await jobs.at_cutoff(store or chat.store, chat.services, outbox, cutoff(chat, name), day, **kw)
