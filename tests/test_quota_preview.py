"""Quota previews say what they change: every unit whose quota changes, old → new as stored, and a split from above
that would overwrite a unit's own quota says so before it is confirmed."""
from __future__ import annotations

import pytest

from tests.support.seed import join, seed_units
from tests.test_quota_chat import confirm


@pytest.fixture
async def city(chat, store):
    await seed_units(store)
    await join(chat, "lead", "P01", "leader")
    return chat


async def test_a_split_from_above_names_the_ward_quota_it_overwrites(city, store):
    await confirm(city, "lead", "/quota set P01 kh1 400")  # the ward's own quota
    said = await city.say("admin", "/quota split Q1 kh1 3000 all")
    text = said.text
    assert "• Phường Bến Nghé (P01): 400 → 2.571 ⚠️ ghi đè chỉ tiêu riêng" in text
    assert "• Phường Đa Kao (P02): chưa có → 429" in text
    assert "  • Khu phố 1 (P01-KP1): chưa có →" in text  # the levels below are listed too, not only counted
    assert "  • Tổ CNS Đa Kao 1 (P02-KP1-T)" in text.replace("    ", "  ")
    assert "ghi đè chỉ tiêu riêng (đặt trực tiếp) của 1 đơn vị: Phường Bến Nghé" in text


async def test_the_set_preview_shows_the_stored_old_value(city, store):
    await confirm(city, "lead", "/quota set P01 kh1 400")
    await confirm(city, "lead", "/quota set P01 kh1 450")
    said = await city.say("lead", "/quota set P01 kh1 500")
    assert "450 → 500/ngày" in said.text
