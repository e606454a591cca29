"""Transcripts: an admin sets a city target and splits the quota down to teams; leaders follow progress."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from domain.model import NewEntry
from tests.support.chat import at
from tests.support.seed import join, seed_units


@pytest.fixture
async def city(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await join(chat, "chi", "P01-KP2-T")
    await join(chat, "dung", "P02-KP1-T")
    await join(chat, "lead", "P01", "leader")
    return chat


async def confirm(chat, who, text, payload="quota:confirm"):
    said = await chat.say(who, text)
    assert payload in said.buttons, said.text
    done = await chat.press(who, payload)
    assert "✅" in done.text, done.text
    return said, done


async def past_entries(store, figures: dict[str, list[tuple[str, int]]]):
    """Earlier days' reports, written as stored entries: {member: [(YYYY-MM-DD, level-1 activations)]}."""
    async def work(tx):
        for who, days in figures.items():
            member = await tx.members.by_identity("test", who)
            for day, n in days:
                await tx.entries.add(NewEntry(member.id, member.unit_id, date.fromisoformat(day),
                                              {"l1_registrations": n, "l1_activations": n}, at("15:00", day),
                                              f"past-{who}-{day}"))
    await store.write(work)


async def audit(store) -> list[tuple]:
    async def read(tx):
        from storage.schema import audit_log
        rows = await tx.conn.execute(select(audit_log).order_by(audit_log.c.id))
        return [(r.actor_id, r.action, r.subject, r.old, r.new) for r in rows]
    return await store.read(read)


async def test_admin_sets_a_city_target_splits_it_to_teams_and_leaders_see_progress(city, store):
    await confirm(city, "admin", "/phase add Giai đoạn 1 01/11/2026 30/11/2026", "phase:confirm")
    said, _ = await confirm(city, "admin", "/target set HCM kh1 130464 30/11/2026")
    assert "chưa có → 130.464" in said.text and "30/11/2026" in said.text
    await confirm(city, "admin", "/quota set HCM kh1 4000")
    said, _ = await confirm(city, "admin", "/quota split Q1 kh1 4.000")
    assert "• Phường Bến Nghé (P01): chưa có → 3.429" in said.text  # 600 of 700 households
    assert "• Phường Đa Kao (P02): chưa có → 571" in said.text and "Cộng lại: 4.000/ngày" in said.text
    assert "Chỉ tiêu của Quận 1: chưa có → 4.000/ngày" in said.text

    # The ward leader divides the ward's part on down to the teams, from the chat.
    said, done = await confirm(city, "lead", "/quota split P01 kh1 3429 all")
    assert "theo số hộ" in said.text and "• Khu phố 1 (P01-KP1): chưa có → 2.286" in said.text
    assert "  • Tổ CNS KP2 (P01-KP2-T): chưa có → 1.143" in said.text and "cho 4 đơn vị" in done.text
    said = await city.say("lead", "/quota P01-KP2-T")
    assert "• Kích hoạt mức 1: 1.143/ngày (từ 20/11/2026) — phần của Khu phố 2, theo số hộ" in said.text
    assert "mục tiêu của TP. Hồ Chí Minh là 130.464 đến 30/11/2026" in said.text
    assert "phần của đơn vị này theo chỉ tiêu ngày: 37.280" in said.text  # 130,464 × 1,143 / 4,000

    await past_entries(store, {"an": [("2026-11-18", 60000)]})
    await city.say("an", "dk m1 400, kh m1 400")
    assert "Đã lưu" in (await city.press("an", "report:confirm")).text

    # At 10:00 the 20th is not over: 19 of the phase's 30 days are counted, 11 left. The ward's share of the
    # city's target (111,840) spread evenly required 70,832 by now; 60,400 done is behind, whatever today shows.
    said = await city.say("lead", "/progress")
    text = said.text
    assert "📅 Giai đoạn 1 (01/11/2026 – 30/11/2026), ngày 20/30" in text
    assert "• Kích hoạt mức 1 hôm nay: 400/3.429 (12%) so với chỉ tiêu ngày\n" in text  # one goal a line
    assert ("• Kích hoạt mức 1 lũy kế: 60.400/111.840 (54%) so với phần mục tiêu cấp trên chia đến 30/11/2026; "
            "cần đến nay 70.832 ⚠️ chậm tiến độ, thiếu 10.432; còn 11 ngày đến 30/11/2026, cần 4.677/ngày") in text
    assert ("✅ Khu phố 1\n   KH1 hôm nay: 400/2.286 (17%) so với chỉ tiêu ngày\n"
            "   KH1 lũy kế: 60.400/74.560 (81%) so với phần mục tiêu cấp trên chia đến 30/11/2026; cần đến nay 47.222 "
            "✅ đúng tiến độ; còn 11 ngày đến 30/11/2026, cần 1.288/ngày") in text
    assert ("⚠️ Khu phố 2\n   KH1 hôm nay: 0/1.143 (0%) so với chỉ tiêu ngày\n"
            "   KH1 lũy kế: 0/37.280 (0%) so với phần mục tiêu cấp trên chia đến 30/11/2026; cần đến nay 23.611 "
            "⚠️ chậm tiến độ, thiếu 23.611; còn 11 ngày đến 30/11/2026, cần 3.390/ngày") in text

    said = await city.say("lead", "/summary")
    text = said.text
    assert "Tổng: 0 · 0 · 400 · 400 · 0 · 0" in text  # the summary itself is unchanged above the section
    assert "Giai đoạn này: 0 · 0 · 60.400 · 60.400 · 0 · 0" in text
    assert "Lũy kế từ 18/11/2026: 0 · 0 · 60.400 · 60.400 · 0 · 0" in text  # the summary's own line, once
    assert "📈 Tiến độ:\n• Kích hoạt mức 1 hôm nay: 400/3.429 (12%)" in text
    assert "⚠️ Chậm tiến độ (1): Khu phố 2" in text

    said = await city.say("admin", "/summary HCM")
    assert ("lũy kế: 60.400/130.464 (46%) so với mục tiêu đến 30/11/2026; cần đến nay 82.628 ⚠️ chậm tiến độ, "
            "thiếu 22.228; còn 11 ngày đến 30/11/2026, cần 6.370/ngày") in said.text
    said = await city.say("an", "/progress")  # a volunteer sees the own team
    assert "Tổ CNS KP1" in said.text and "lũy kế: 60.400/74.560 (81%)" in said.text and "Đa Kao" not in said.text

    trail = await audit(store)
    assert [a[1] for a in trail if a[1].startswith(("quota", "target", "phase"))] == [
        "phase.add", "target.set", "quota.set", "quota.split", "quota.split"]
    admin, lead = await member_id(store, "admin"), await member_id(store, "lead")
    assert (admin, "quota.set", "unit:HCM:l1_activations", None,
            '{"daily": 4000, "first": "2026-11-20", "last": null}') in trail
    actor, _, subject, old, new = [a for a in trail if a[1] == "quota.split"][-1]
    assert (actor, subject) == (lead, "unit:P01:l1_activations")
    assert json.loads(old) == {"P01-KP1": None, "P01-KP1-T": None, "P01-KP2": None, "P01-KP2-T": None}
    assert json.loads(new) == {"daily": {"P01-KP1": 2286, "P01-KP1-T": 2286, "P01-KP2": 1143, "P01-KP2-T": 1143},
                               "first": "2026-11-20", "last": None, "basis": "households", "down_to_teams": True}


async def member_id(store, who: str) -> int:
    return (await store.read(lambda tx: tx.members.by_identity("test", who))).id


async def test_a_later_phase_carries_the_earlier_phases_figures_on(city, store):
    await confirm(city, "admin", "/phase add Giai đoạn 1 01/11/2026 15/11/2026", "phase:confirm")
    await confirm(city, "admin", "/phase add Giai đoạn 2 2026-11-16 2026-11-30", "phase:confirm")
    await past_entries(store, {"an": [("2026-11-10", 5), ("2026-11-18", 7)], "chi": [("2026-11-14", 2)]})
    said = await city.say("lead", "/summary 12/11/2026")
    assert "📅 Giai đoạn 1 (01/11/2026 – 15/11/2026), ngày 12/15" in said.text
    assert "Giai đoạn này: 0 · 0 · 5 · 5 · 0 · 0" in said.text and "Lũy kế từ 10/11/2026: 0 · 0 · 5 · 5" in said.text
    said = await city.say("lead", "/summary")
    assert "📅 Giai đoạn 2 (16/11/2026 – 30/11/2026), ngày 5/15" in said.text
    assert "Giai đoạn này: 0 · 0 · 7 · 7 · 0 · 0" in said.text
    assert "Lũy kế từ 10/11/2026: 0 · 0 · 14 · 14 · 0 · 0" in said.text  # 5 + 2 from phase 1, 7 from phase 2
    assert said.text.count("Lũy kế") == 1
    said = await city.say("lead", "/phase")
    assert "• Giai đoạn 2: 16/11/2026 – 30/11/2026 (đang diễn ra)" in said.text


async def test_progress_against_the_phase_quota_when_there_is_no_target(city, store, clock):
    await confirm(city, "admin", "/phase add GĐ 1 16/11/2026 25/11/2026", "phase:confirm")
    await confirm(city, "lead", "/quota set P01-KP1-T kh1 10 16/11/2026")  # stated from the phase's first day
    await confirm(city, "lead", "/quota set P01-KP2-T kh1 10")  # set today, day 5: counts from today, never back
    await past_entries(store, {"an": [("2026-11-16", 10), ("2026-11-17", 10), ("2026-11-18", 10), ("2026-11-19", 10)]})
    said = await city.say("lead", "/progress P01-KP1-T")  # 10:00: the 20th is not over, four days are counted
    assert ("giai đoạn: 40/100 (40%) so với chỉ tiêu cả giai đoạn; cần đến nay 40 ✅ đúng tiến độ; "
            "còn 6 ngày đến 25/11/2026, cần 10/ngày") in said.text
    assert "chậm" not in said.text
    said = await city.say("lead", "/progress P01-KP2-T")
    assert "giai đoạn: 0/60 (0%) so với chỉ tiêu cả giai đoạn; còn 6 ngày" in said.text  # 6 days × 10, not 100
    assert "✅" not in said.text and "⚠️" not in said.text  # nothing was required of it yet
    clock.set(at("18:00", "2026-11-22"))  # after the cut-off: the 22nd counts
    said = await city.say("lead", "/progress P01-KP1-T")
    assert ("cần đến nay 70 ⚠️ chậm tiến độ, thiếu 30; còn 3 ngày đến 25/11/2026, cần 20/ngày") in said.text
    clock.set(at("09:00", "2026-11-26"))
    said = await city.say("lead", "/progress P01-KP1-T 25/11/2026")
    assert "❌ đã hết hạn 25/11/2026, còn thiếu 60" in said.text
    said = await city.say("lead", "/progress P01-KP1-T")
    assert "GĐ 1" not in said.text and "hôm nay: 0/10 (0%) so với chỉ tiêu ngày" in said.text  # after the phase


async def test_target_met_missed_and_quota_zero_read_sensibly(city, store, clock):
    await confirm(city, "admin", "/target set P01-KP1-T kh1 30 22/11/2026")
    await confirm(city, "admin", "/target set P01-KP2-T kh1 30 22/11/2026")
    await confirm(city, "admin", "/quota set P01-KP1-T kh1 0")
    await past_entries(store, {"an": [("2026-11-19", 35)], "chi": [("2026-11-19", 10)]})
    said = await city.say("lead", "/progress P01-KP1-T")
    assert ("• Kích hoạt mức 1 hôm nay: 0 (chỉ tiêu ngày 0)\n"
            "• Kích hoạt mức 1 lũy kế: 35/30 (117%) so với mục tiêu đến 22/11/2026; ✅ đã đạt") in said.text
    said = await city.say("lead", "/progress P01-KP2-T")
    # No campaign start to spread the target from: the pace is shown, no mark either way.
    assert ("lũy kế: 10/30 (33%) so với mục tiêu đến 22/11/2026; còn 3 ngày đến 22/11/2026, cần 7/ngày"
            in said.text and "⚠️" not in said.text and "✅" not in said.text)
    clock.set(at("09:00", "2026-11-23"))
    said = await city.say("lead", "/progress P01-KP2-T")
    assert "❌ đã hết hạn 22/11/2026, còn thiếu 20" in said.text
    said = await city.say("lead", "/progress P01-KP2")
    assert "⚠️ Tổ CNS KP2\n   KH1 lũy kế: 10/30 (33%) so với mục tiêu đến 22/11/2026; ❌ đã hết hạn 22/11/2026" \
        in said.text
    said = await city.say("lead", "/progress")  # the neighbourhoods between ward and teams have no quota
    assert "Đơn vị này chưa có chỉ tiêu hay mục tiêu." in said.text and "• Khu phố 2: chưa có chỉ tiêu" in said.text


async def test_quota_shows_own_numbers_ranges_in_force_and_what_comes_from_above(city):
    await confirm(city, "admin", "/quota set P01 kh1 300")
    await confirm(city, "admin", "/quota set P01 kh1 350 15/11/2026 30/11/2026")
    await confirm(city, "admin", "/quota set Q1 kh2 50")
    said = await city.say("lead", "/quota")
    assert "📌 Chỉ tiêu — Phường Bến Nghé (P01), ngày 20/11/2026" in said.text
    assert "• Kích hoạt mức 1: 300/ngày (từ 20/11/2026)\n" in said.text
    assert "• Kích hoạt mức 1: 350/ngày (từ 15/11/2026 đến 30/11/2026) (đang áp dụng)" in said.text
    assert "• Kích hoạt mức 2: chưa có chỉ tiêu riêng; Quận 1 có 50/ngày, chưa chia xuống" in said.text
    assert "• Khu phố 1 (P01-KP1): chưa có" in said.text
    said = await city.say("lead", "/quota set P01 kh1 360 15/11/2026 30/11/2026")
    assert "350 → 360/ngày" in said.text  # replacing the quota over the same range shows what it was


async def test_every_change_waits_for_confirmation_and_cancel_changes_nothing(city, store):
    before = await audit(store)
    for text, prefix in (("/quota set P01 kh1 5", "quota"), ("/quota split P01 kh1 5", "quota"),
                         ("/target set P01 kh1 5 30/11/2026", "quota"),
                         ("/phase add X 01/12/2026 02/12/2026", "phase")):
        said = await city.say("admin", text)
        assert said.buttons == [f"{prefix}:confirm", f"{prefix}:cancel"]
        assert "Không có gì thay đổi" in (await city.press("admin", f"{prefix}:cancel")).text
        assert "không còn hiệu lực" in (await city.press("admin", f"{prefix}:confirm")).text
    said = await city.say("admin", "/quota set P01 kh1 5")
    assert "Đã huỷ" in (await city.say("admin", "thôi")).text  # a no in words, as the button
    said = await city.say("admin", "/quota set P01 kh1 5")
    assert "Chưa áp dụng" in (await city.say("admin", "chào bot")).text
    assert await audit(store) == before
    assert "Chưa có chỉ tiêu hay mục tiêu nào" in (await city.say("lead", "/quota")).text


async def test_a_leader_removed_between_preview_and_confirmation_changes_nothing(city, store):
    said = await city.say("lead", "/quota set P01-KP1-T kh1 10")
    assert said.buttons == ["quota:confirm", "quota:cancel"]
    await join(city, "boss", "Q1", "leader")
    await confirm(city, "boss", "/remove Lead", "people:confirm")
    said = await city.press("lead", "quota:confirm")
    assert "chưa là thành viên" in said.text
    assert "Chưa có chỉ tiêu hay mục tiêu nào" in (await city.say("boss", "/quota P01-KP1-T")).text


@pytest.mark.parametrize("text, problem, example", [
    ("/quota set P01 kh9 5", "«kh9» không phải chỉ số nào (dùng: ho, cai, m1, kh1, m2, kh2).",
     "/quota set P01 kh1 400"),
    ("/quota set P01 kh1 nam", "«nam» không phải số nguyên từ 0 trở lên.", "/quota set P01 kh1 400"),
    ("/quota set P01 kh1 -5", "«-5» không phải số nguyên từ 0 trở lên.", "/quota set P01 kh1 400"),
    ("/quota set P01 kh1", "Lệnh còn thiếu thông tin.", "/quota set P01 kh1 400"),
    ("/quota set P01 kh1 5 31/02/2026", "«31/02/2026» không phải ngày hợp lệ", "/quota set P01 kh1 400"),
    ("/quota set P01 kh1 5 10/11/2026 01/11/2026", "Ngày kết thúc 01/11/2026 đứng trước ngày bắt đầu 10/11/2026.",
     "/quota set"),
    ("/quota set P01 kh1 5 01/11/2026 10/11/2026 x", "Thừa «x» ở cuối lệnh.", "/quota set"),
    ("/quota set XX kh1 5", "Không tìm thấy đơn vị có mã «XX».", "/quota set P01 kh1 400"),
    ("/quota split P01-KP1-T kh1 5", "Tổ CNS KP1 không có đơn vị trực thuộc để chia.", "/quota split P01 kh1 400"),
    ("/quota move P01 kh1 5", "Không hiểu «move».", "/quota set P01 kh1 400"),
    ("/target set P01 kh1 0 30/11/2026", "Mục tiêu phải lớn hơn 0.", "/target set HCM kh1 130464 30/06/2030"),
    ("/target set P01 kh1 5 19/11/2026", "Ngày 19/11/2026 đã qua.", "/target set HCM kh1 130464 30/06/2030"),
    ("/target set P01 kh1 5", "Lệnh còn thiếu thông tin.", "/target set HCM kh1 130464 30/06/2030"),
    ("/phase add 01/11/2026 30/11/2026", "Lệnh còn thiếu thông tin.", "/phase add Giai đoạn 1 01/06/2030 30/06/2030"),
    ("/phase add GĐ 1 01/11/2026 tomorrow", "«tomorrow» không phải ngày hợp lệ", "/phase add Giai đoạn 1"),
    ("/phase remove GĐ 1", "Không hiểu «remove».", "/phase add Giai đoạn 1 01/06/2030 30/06/2030"),
])
async def test_a_wrong_argument_gets_one_sentence_and_an_example(city, text, problem, example):
    said = await city.say("admin", text)
    assert len(said.texts) == 1 and said.texts[0].startswith(problem), said.text
    assert "Ví dụ: " + example in said.text or example in said.text.split("Ví dụ: ")[1], said.text
    assert said.buttons == []


async def test_phases_may_not_overlap_and_a_phase_of_the_same_name_is_replaced(city):
    await confirm(city, "admin", "/phase add Giai đoạn 1 01/11/2026 30/11/2026", "phase:confirm")
    said = await city.say("admin", "/phase add Giai đoạn 2 25/11/2026 31/12/2026")
    assert "Trùng thời gian với «Giai đoạn 1» (01/11/2026 – 30/11/2026)." in said.text and said.buttons == []
    said, _ = await confirm(city, "admin", "/phase add Giai đoạn 1 01/11/2026 20/11/2026", "phase:confirm")
    assert "01/11/2026 – 30/11/2026 → 01/11/2026 – 20/11/2026" in said.text
    await confirm(city, "admin", "/phase add Giai đoạn 2 21/11/2026 31/12/2026", "phase:confirm")
    said = await city.say("lead", "/phase")
    assert "• Giai đoạn 1: 01/11/2026 – 20/11/2026 (đang diễn ra)\n• Giai đoạn 2: 21/11/2026 – 31/12/2026" in said.text
    assert "không có quyền" in (await city.say("lead", "/phase add GĐ 3 01/01/2027 31/01/2027")).text


async def test_split_weighs_children_without_households_as_the_average_and_evenly_without_any(chat, store):
    await seed_units(store, [("W", "Phường", "ward", None, None), ("A", "Tổ A", "team", "W", 100),
                             ("B", "Tổ B", "team", "W", None), ("C", "Tổ C", "team", "W", 300),
                             ("V", "Phường V", "ward", None, None), ("V1", "Tổ V1", "team", "V", None),
                             ("V2", "Tổ V2", "team", "V", None), ("V3", "Tổ V3", "team", "V", None)])
    said = await chat.say("admin", "/quota split W kh1 600")
    assert "theo số hộ (đơn vị chưa có số hộ tính bằng mức trung bình)" in said.text
    assert "Tổ A (A): chưa có → 100" in said.text and "Tổ B (B): chưa có → 200" in said.text
    assert "Tổ C (C): chưa có → 300" in said.text
    said = await chat.say("admin", "/quota split V kh1 10")
    assert "chia đều" in said.text and "→ 4\n" in said.text and said.text.count("→ 3\n") == 2


async def test_english_and_a_text_only_channel(city, store):
    from domain.model import Identity

    async def link(tx):
        lead = await tx.members.by_identity("test", "lead")
        await tx.members.add_identity(lead.id, Identity("plain", "lead", "lead"))
    await store.write(link)
    await city.say("lead", "/language en")
    said = await city.say("lead", "/quota set P01-KP1-T act1 12", channel="plain")
    assert "Set the Level-1 activations quota of Tổ CNS KP1 (P01-KP1-T) (from 20/11/2026):\nnone → 12/day" in said.text
    assert "1. ✅" in said.text and "2. " in said.text
    said = await city.say("lead", "1", channel="plain")
    assert "✅ The Level-1 activations quota of Tổ CNS KP1 is now 12/day (from 20/11/2026)." in said.text
    said = await city.say("lead", "/quota set P01 act9 1")
    assert said.text.startswith("“act9” is not a metric") and "For example: /quota set" in said.text


async def test_help_lists_the_new_commands_by_role(city):
    await join(city, "tuan", "P01-KP1-T", "team_leader")
    volunteer = (await city.say("an", "/help")).text
    team_leader = (await city.say("tuan", "/help")).text
    leader = (await city.say("lead", "/help")).text
    admin = (await city.say("admin", "/help")).text
    assert "/progress" in volunteer and not any(c in volunteer for c in ("/quota", "/target", "/members", "/role"))
    assert "/members" in team_leader and "/remove" in team_leader and "/quota" not in team_leader
    assert "/role" not in team_leader
    for text in (leader, admin):
        assert all(c in text for c in ("/quota", "/target", "/phase", "/progress", "/members", "/role", "/remove"))
    outsider = (await city.say("stranger", "/help")).text
    assert "/quota" not in outsider and "/progress" not in outsider


async def test_days_off_are_not_counted_as_days_left(city, store, clock):
    from domain.settings import Campaign, CampaignRules
    from tests.support.chat import Chat

    await confirm(city, "admin", "/target set P01-KP1-T kh1 100 30/11/2026")
    said = await city.say("admin", "/progress P01-KP1-T")  # 20/11 is a Friday: 11 days to the 30th
    assert "còn 11 ngày đến 30/11/2026, cần 10/ngày" in said.text
    sundays_off = Chat(store, clock, rules=CampaignRules(campaign=Campaign(weekly_days_off=("sunday",))),
                       admins={"test": frozenset({"admin"})})
    said = await sundays_off.say("admin", "/progress P01-KP1-T")  # the 22nd and the 29th are Sundays
    assert "còn 9 ngày đến 30/11/2026, cần 12/ngày" in said.text
