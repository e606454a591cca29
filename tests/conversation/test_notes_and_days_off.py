"""A report's note and a day off: previewed, sent in words, kept, and seen by the ward leader; a member off is not
chased and not counted as missing."""
from __future__ import annotations

import pytest

from tests.support.chat import at
from tests.support.field import populate, remind
from tests.support.outbox import RecordingOutbox


@pytest.fixture
async def field(chat, clock):
    clock.set(at("14:00"))
    await populate(chat)
    return chat


async def test_a_difficulty_with_the_figures_reaches_the_ward_leaders_summary(field):
    said = await field.say("an", "Hộ 20, app 15. Khó khăn: người dân chưa có điện thoại thông minh")
    assert "Số hộ đã đến: 20" in said.text
    assert "📝 Khó khăn: người dân chưa có điện thoại thông minh" in said.text
    said = await field.say("an", "ok")
    assert "Đã lưu" in said.text and "📝 Khó khăn: người dân chưa có điện thoại thông minh" in said.text
    said = await field.say("lead", "/summary")
    assert "📝 Khó khăn, kiến nghị:\n• Tổ CNS KP1 – An: Khó khăn: người dân chưa có điện thoại thông minh" \
        in said.text
    said = await field.say("tam", "/summary")  # the team leader's summary names the member only
    assert "• An: Khó khăn: người dân chưa có điện thoại thông minh" in said.text


async def test_a_day_off_is_previewed_sent_with_ok_and_stops_the_days_reminders(field, clock):
    said = await field.say("binh", "hôm nay em nghỉ, ốm")
    assert "Báo nghỉ hôm nay" in said.text and "🏖 Nghỉ, không đi: hôm nay em nghỉ, ốm" in said.text
    assert said.buttons == ["report:tell", "report:cancel"]
    said = await field.say("binh", "👍")
    assert "Đã ghi nhận bạn nghỉ hôm nay" in said.text and "không nhắc" in said.text
    said = await field.say("lead", "/summary")
    assert "🏖 Nghỉ có báo:\n• Tổ CNS KP1 – Binh: hôm nay em nghỉ, ốm" in said.text
    assert "Binh" not in said.text.split("Chưa báo cáo")[-1].split("🏖")[0]
    outbox = RecordingOutbox()
    clock.set(at("15:30"))
    await remind(field, outbox, "team", 30)
    assert "binh" not in outbox.chats and "an" in outbox.chats


async def test_a_day_off_cancelled_is_not_kept_and_the_member_is_still_reminded(field, clock):
    await field.say("binh", "mưa to không đi được")
    said = await field.say("binh", "huỷ")
    assert "Đã huỷ" in said.text
    said = await field.say("lead", "/summary")
    assert "🏖" not in said.text
    outbox = RecordingOutbox()
    clock.set(at("15:30"))
    await remind(field, outbox, "team", 30)
    assert "binh" in outbox.chats


async def test_a_note_alone_is_sent_without_figures(field):
    said = await field.say("an", "Kiến nghị: cấp thêm tài liệu hướng dẫn cho tổ")
    assert "không kèm số liệu" in said.text
    said = await field.say("an", "gửi")
    assert "Đã gửi ghi chú" in said.text
    said = await field.say("lead", "/summary")
    assert "• Tổ CNS KP1 – An: Kiến nghị: cấp thêm tài liệu hướng dẫn cho tổ" in said.text
    assert "Tổng: 0 · 0 · 0 · 0 · 0 · 0" in said.text  # nothing counted


async def test_undo_takes_the_note_back_with_its_report(field):
    await field.say("an", "ho 12. Ghi chú: 3 hộ hẹn lại mai")
    await field.say("an", "ok")
    await field.say("an", "/undo")
    said = await field.say("an", "ok")
    assert "Ghi chú" not in (await field.say("lead", "/summary")).text, said.text


async def test_a_re_delivered_report_keeps_its_note_once(field):
    await field.say("an", "ho 12. Ghi chú: 3 hộ hẹn lại mai", delivery_id="same")
    await field.say("an", "ok", delivery_id="ok1")
    await field.say("an", "ok", delivery_id="ok1")
    said = await field.say("lead", "/summary")
    assert said.text.count("3 hộ hẹn lại mai") == 1


async def test_english_day_off(field):
    await field.say("an", "/language en")
    await field.say("an", "ok")
    said = await field.say("an", "day off today, sick")
    assert "Day off" in said.text, said.text
    said = await field.say("an", "ok")
    assert "Day off" in said.text and "recorded" in said.text


async def test_the_wards_workbook_lists_the_notes_and_days_off_over_a_period(field, clock, store):
    import io
    from datetime import date

    import openpyxl

    from application.reports import collect_report
    from bot.files.workbook import workbook_bytes
    from domain.exports import Period

    await field.say("an", "ho 8. Khó khăn: mất điện cả khu")
    await field.say("an", "ok")
    clock.set(at("14:00", "2026-11-21"))
    await field.say("chi", "nghỉ họp chi bộ")
    await field.say("chi", "ok")
    await field.say("dung", "mưa")  # another ward's team: not in Bến Nghé's file
    await field.say("dung", "ok")

    async def work(tx):
        ward = await tx.units.by_code("P01")
        return await collect_report(tx, field.rules, ward, Period.between(date(2026, 11, 20), date(2026, 11, 21)),
                                    "vi", clock.now())
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(await store.read(work))), read_only=True)
    rows = [list(r) for r in book["Khó khăn, kiến nghị"].iter_rows(values_only=True)]
    body = [r[1:] for r in rows if r and r[1] in ("P01-KP1-T", "P01-KP2-T", "P02-KP1-T")]
    assert body == [["P01-KP1-T", "Tổ CNS KP1", "An", "Khó khăn: mất điện cả khu"],
                    ["P01-KP2-T", "Tổ CNS KP2", "Chi", "Nghỉ, không đi: nghỉ họp chi bộ"]]
    said = await field.say("lead", "/summary 20/11-21/11")
    assert "• 20/11/2026 – Tổ CNS KP1 – An: Khó khăn: mất điện cả khu" in said.text
    assert "• 21/11/2026 – Tổ CNS KP2 – Chi: nghỉ họp chi bộ" in said.text


async def test_a_team_leader_is_asked_whether_the_whole_team_is_off_and_ok_does_not_guess(field, clock):
    await field.say("an", "ho 5")
    await field.say("an", "ok")  # An has worked today: not marked off
    said = await field.say("tam", "tổ nghỉ hôm nay do bão")
    assert "Chỉ mình bạn nghỉ, hay cả tổ?" in said.text
    assert said.buttons == ["report:tell", "report:tell_team", "report:cancel"]
    said = await field.say("tam", "ok")  # neither choice means ok: the question is asked again
    assert "report:tell_team" in said.buttons and "Đã ghi nhận" not in said.text
    said = await field.press("tam", "report:tell_team")
    assert "cả tổ nghỉ hôm nay 20/11/2026 (2 người chưa báo cáo): Binh, Tam." in said.text
    said = await field.say("lead", "/summary")
    assert "• Tổ CNS KP1 – Binh: tổ nghỉ hôm nay do bão" in said.text
    assert "• Tổ CNS KP1 – An:" not in said.text
    outbox = RecordingOutbox()
    clock.set(at("15:30"))
    await remind(field, outbox, "team", 30)
    assert not {"an", "binh", "tam"} & set(outbox.chats) and "chi" in outbox.chats


async def test_the_whole_team_choice_is_checked_against_the_stored_role(field, store):
    await field.say("an", "nghỉ vì mưa")
    said = await field.press("an", "report:tell_team")  # a volunteer pressing a forged button
    assert "Chỉ tổ trưởng" in said.text
    assert "🏖" not in (await field.say("lead", "/summary")).text


async def test_a_difficulty_sent_after_the_figures_joins_the_report_waiting(field):
    await field.say("an", "ho 9, app 4")
    said = await field.say("an", "Khó khăn: nhiều hộ đi làm xa")
    assert "Đã thêm ghi chú vào báo cáo đang chờ" in said.text and "Số hộ đã đến: 9" in said.text
    assert "📝 Khó khăn: nhiều hộ đi làm xa" in said.text and said.buttons[0] == "report:confirm"
    said = await field.say("an", "ok")
    assert "Đã lưu" in said.text and "📝 Khó khăn: nhiều hộ đi làm xa" in said.text
    said = await field.say("lead", "/summary")
    assert "• Tổ CNS KP1 – An: Khó khăn: nhiều hộ đi làm xa" in said.text and "Tổng: 9 · 4" in said.text


async def test_a_member_off_who_reports_after_all_is_shown_with_the_figures_not_the_day_off(field):
    await field.say("binh", "nghỉ vì mưa")
    await field.say("binh", "ok")
    assert "🏖" in (await field.say("lead", "/summary")).text
    await field.say("binh", "tạnh mưa rồi, đi được 6 hộ")
    said = await field.say("binh", "ok")
    assert "Đã lưu" in said.text
    said = await field.say("lead", "/summary")
    assert "🏖" not in said.text and "Tổng: 6 ·" in said.text
