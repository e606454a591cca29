"""Two confirmations at the same moment on PostgreSQL: the rules hold per team and per member (issue 12, Why 1).

Each round previews two reports that each fit alone but not together, and confirms both at once through the real
dispatcher: two transactions on two connections. Before the fix the rules were read under READ COMMITTED with no
lock, and most rounds stored both.

Below them, every other change meets the same checks: /undo, a report for yesterday (to date as of today too), and a
draft or an /undo pressed after its author stopped being a reporter (issue 12, Why 5)."""
from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, select

from storage.schema import entries, entry_values
from tests.support.backends import BACKENDS, make_store
from tests.support.chat import Chat, at
from tests.support.seed import join, seed_units

ROUNDS = 12
pytestmark = pytest.mark.parametrize("backend", BACKENDS)


@pytest.fixture
async def pooled(backend, tmp_path, clock):
    async with make_store(backend, tmp_path, clock) as s:
        yield s


async def _team(store, clock) -> Chat:
    chat = Chat(store, clock, admins={"test": frozenset({"admin"})})
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await join(chat, "binh", "P01-KP1-T")
    return chat


async def _sum(store, metric: str, **where) -> int:
    async def work(tx):
        q = (select(func.coalesce(func.sum(entry_values.c.value), 0))
             .join(entries, entries.c.id == entry_values.c.entry_id)
             .where(entry_values.c.metric == metric, entries.c.withdrawn_at.is_(None),
                    entries.c.replaced_by.is_(None), *(getattr(entries.c, k) == v for k, v in where.items())))
        return (await tx.conn.execute(q)).scalar_one()
    return await store.read(work)


async def test_two_volunteers_confirming_together_keep_activations_within_registrations(pooled, clock):
    chat = await _team(pooled, clock)
    for day in range(1, ROUNDS + 1):
        clock.set(at("10:00", f"2026-11-{day:02d}"))
        await chat.say("an", "muc 1 3")
        assert "Đã lưu" in (await chat.press("an", "report:confirm")).text
        # Each alone fits: 3 more activations against 3 more registrations today. Together, 6 would not.
        assert "report:confirm" in (await chat.say("an", "them kh muc 1 3")).buttons
        assert "report:confirm" in (await chat.say("binh", "kh muc 1 3")).buttons
        saids = await asyncio.gather(chat.press("an", "report:confirm"), chat.press("binh", "report:confirm"))
        stored = [s for s in saids if "Đã lưu" in s.text]
        refused = [s for s in saids if "Chưa lưu gì" in s.text]
        assert len(stored) == 1 and len(refused) == 1, [s.text for s in saids]
        assert f"Kích hoạt mức 1 ({3 * day + 3}) không thể nhiều hơn Đăng ký mức 1 ({3 * day})" in refused[0].text
        assert await _sum(pooled, "l1_activations") <= await _sum(pooled, "l1_registrations")


async def test_one_person_confirming_on_two_linked_apps_stays_within_the_daily_maximum(pooled, clock):
    chat = await _team(pooled, clock)
    said = await chat.say("an", "/link_account")
    code = said.text.split("/link_account ")[1].split()[0]
    assert "Đã liên kết" in (await chat.say("an-plain", f"/link_account {code}", channel="plain")).text
    for day in range(1, ROUNDS + 1):
        clock.set(at("10:00", f"2026-11-{day:02d}"))
        assert "report:confirm" in (await chat.say("an", "ho 200")).buttons
        assert "200" in (await chat.say("an-plain", "ho 200", channel="plain")).text
        saids = await asyncio.gather(chat.press("an", "report:confirm"),
                                     chat.press("an-plain", "report:confirm", channel="plain"))
        assert sum("Đã lưu" in s.text for s in saids) == 1, [s.text for s in saids]
        assert any("vượt mức hợp lý" in s.text for s in saids)
        assert await _sum(pooled, "households", day=date(2026, 11, day)) == 200


async def test_undo_is_checked_by_the_same_rules_and_the_refusal_names_the_figures(pooled, clock):
    chat = await _team(pooled, clock)
    await chat.say("an", "muc 1 5")
    await chat.press("an", "report:confirm")
    await chat.say("binh", "kh muc 1 5")
    await chat.press("binh", "report:confirm")
    await chat.say("an", "/undo")
    said = await chat.press("an", "undo:yes")
    assert "Kích hoạt mức 1 (5) không thể nhiều hơn Đăng ký mức 1 (0)" in said.text
    assert "Đã giữ nguyên báo cáo" in said.text
    assert await _sum(pooled, "l1_registrations") == 5
    await chat.say("binh", "/undo")
    await chat.press("binh", "undo:yes")
    assert await _sum(pooled, "l1_activations") == 0


async def test_a_report_for_yesterday_may_not_break_today_to_date(pooled, clock):
    chat = await _team(pooled, clock)
    clock.set(at("10:00", "2026-11-19"))
    await chat.say("an", "muc 1 5")
    await chat.press("an", "report:confirm")
    clock.set(at("10:00", "2026-11-20"))
    await chat.say("an", "kh muc 1 5")
    await chat.press("an", "report:confirm")
    said = await chat.say("binh", "hom qua kh muc 1 3")  # 3 ≤ 5 to yesterday, but 8 > 5 to today
    assert "Kích hoạt mức 1 (8) không thể nhiều hơn Đăng ký mức 1 (5)" in said.text and "Chưa lưu gì" in said.text


async def test_a_draft_is_not_stored_once_its_author_is_no_longer_a_reporter(pooled, clock):
    chat = await _team(pooled, clock)
    await join(chat, "lead", "P01", "leader")
    await chat.say("an", "ho 5")
    await chat.say("binh", "ho 7")
    await chat.press("binh", "report:confirm")
    await chat.say("binh", "/undo")
    for who in ("an", "binh"):
        member = (await pooled.read(lambda tx: tx.members.by_identity("test", who))).id
        await chat.say("lead", f"/role #{member} leader")
        assert "lãnh đạo" in (await chat.press("lead", "people:confirm")).text
    assert "Đã lưu" not in (await chat.press("an", "report:confirm")).text
    assert await _sum(pooled, "households") == 7
    await chat.press("binh", "undo:yes")
    assert await _sum(pooled, "households") == 7
