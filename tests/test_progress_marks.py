"""Progress marks a leader can trust: ✅ only when done to date reaches what was required to date, ⚠️ one below it,
and nothing either way while nothing is required yet; today's figure against today's quota never decides it."""
from __future__ import annotations

import pytest

from tests.support.chat import at
from tests.support.seed import join, seed_units
from tests.test_quota_chat import confirm, past_entries


@pytest.fixture
async def ward(chat, store, clock):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await join(chat, "chi", "P01-KP2-T")
    await join(chat, "lead", "P01", "leader")
    await confirm(chat, "admin", "/phase add GĐ 1 16/11/2026 25/11/2026", "phase:confirm")
    await confirm(chat, "lead", "/quota set P01-KP1-T kh1 10 16/11/2026")
    await confirm(chat, "lead", "/quota set P01-KP2-T kh1 10 16/11/2026")
    clock.set(at("17:00", "2026-11-19"))  # the 19th is over: 16th to 19th counted, 40 required
    return chat


@pytest.mark.parametrize("kp1, kp2", [(40, 39), (41, 0)])
async def test_the_mark_turns_exactly_at_what_was_required(ward, store, kp1, kp2):
    await past_entries(store, {"an": [("2026-11-16", kp1)], "chi": [("2026-11-16", kp2)] if kp2 else []})
    said = await ward.say("lead", "/progress P01-KP1")
    assert "✅ Tổ CNS KP1" in said.text and "cần đến nay 40 ✅ đúng tiến độ" in said.text
    said = await ward.say("lead", "/progress P01-KP2")
    assert "⚠️ Tổ CNS KP2" in said.text and "✅ Tổ CNS KP2" not in said.text
    assert f"cần đến nay 40 ⚠️ chậm tiến độ, thiếu {40 - kp2}" in said.text
    said = await ward.say("chi", "/summary")  # the team's own summary ends with the same line
    assert f"cần đến nay 40 ⚠️ chậm tiến độ, thiếu {40 - kp2}" in said.text


async def test_nothing_today_while_on_track_is_no_tick_for_today_and_behind_is_never_a_tick(ward, store, clock):
    await past_entries(store, {"an": [("2026-11-16", 26)]})  # 26 of the 40 required
    clock.set(at("10:00", "2026-11-20"))  # today not over: today's 0 of 10 is open, the 19th is still counted
    said = await ward.say("lead", "/progress P01-KP1-T")
    assert "hôm nay: 0/10 (0%) so với chỉ tiêu ngày\n" in said.text  # no mark while the day runs
    assert "cần đến nay 40 ⚠️ chậm tiến độ, thiếu 14" in said.text and "✅" not in said.text
