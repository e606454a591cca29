"""/export and /chart in the chat: who may ask for which unit (as /summary decides), the periods they read, and the
files their replies order — built only when the reply is sent."""
from __future__ import annotations

from datetime import date

import pytest

from domain.exports import FileKind, Period, PeriodKind
from domain.messages import Attachment, AttachmentKind
from tests.support.field import populate, report
from tests.support.chat import at


@pytest.fixture
async def field(chat, clock):
    await populate(chat)
    clock.set(at("10:00", "2026-11-19"))
    await report(chat, "an", "ho 10, muc 1 5, kh muc 1 3")
    clock.set(at("10:00"))
    await report(chat, "chi", "ho 5, muc 1 9, kh muc 1 9")
    return chat


def orders(said) -> list:
    return [a.order for o in said.out for a in o.reply.attachments]


async def test_a_ward_leader_orders_the_months_workbook_of_their_ward(field):
    said = await field.say("lead", "/export tháng 11")
    assert "📊 Báo cáo Phường Bến Nghé, tháng 11/2026 (01/11/2026 – 20/11/2026)" in said.text
    (order,) = orders(said)
    assert order.kind == FileKind.WORKBOOK and order.unit_code == "P01" and order.language == "vi"
    assert order.period == Period(date(2026, 11, 1), date(2026, 11, 20), PeriodKind.MONTH)
    assert order.file_name == "baocao_P01_2026-11.xlsx"
    (attachment,) = said.out[0].reply.attachments
    assert attachment.kind == AttachmentKind.DOCUMENT
    assert Attachment.from_dict(attachment.as_dict()) == attachment  # what an outbox row keeps, read back


@pytest.mark.parametrize("args, first, last, kind", [
    ("", "2026-11-20", "2026-11-20", PeriodKind.DAY),
    ("19/11", "2026-11-19", "2026-11-19", PeriodKind.DAY),
    ("P01 01/11-15/11", "2026-11-01", "2026-11-15", PeriodKind.RANGE),
    ("Q1 11/2026", "2026-11-01", "2026-11-20", PeriodKind.MONTH),
    ("tháng trước", "2026-10-01", "2026-10-31", PeriodKind.MONTH),
    ("chiến dịch", "2026-11-19", "2026-11-20", PeriodKind.CAMPAIGN),
])
async def test_the_periods_a_leader_may_ask_for(field, args, first, last, kind):
    (order,) = orders(await field.say("quan", f"/xuat {args}".strip()))
    assert (order.period.first, order.period.last, order.period.kind) == (date.fromisoformat(first),
                                                                          date.fromisoformat(last), kind)


async def test_only_ones_own_subtree_as_for_summary(field):
    other = await field.say("lead", "/export P02 tháng 11")
    assert other.text == "Bạn không có quyền làm việc này." and orders(other) == []
    refused = await field.say("lead", "/export Q1")
    assert orders(refused) == [] and refused.text == (await field.say("lead", "/summary Q1")).text
    # A team leader gets their own team, whatever code they type; a volunteer gets no file at all.
    assert [o.unit_code for o in orders(await field.say("tam", "/export"))] == ["P01-KP1-T"]
    assert orders(await field.say("tam", "/export P01")) == []
    assert orders(await field.say("an", "/export")) == []
    assert [o.unit_code for o in orders(await field.say("admin", "/export"))] == [""]  # everything


async def test_words_that_are_no_period_or_unit_get_one_sentence(field):
    assert (await field.say("lead", "/export XYZ tháng 11")).text.startswith("Không tìm thấy đơn vị «XYZ». Gõ mã")
    garbled = await field.say("lead", "/export P01 hôm kia nữa")
    assert garbled.text.startswith("«hôm kia nữa» không đọc được thành ngày hay kỳ. Các dạng đọc được: 20/11/2026")
    assert orders(garbled) == []
    future = await field.say("lead", "/export 25/11/2026")
    assert "chưa đến" in future.text and orders(future) == []
    assert "trước ngày bắt đầu" in (await field.say("lead", "/export 20/11/2026-10/11/2026")).text
    assert "/phase" in (await field.say("lead", "/export giai đoạn 7")).text


async def test_charts_of_the_campaign_so_far_or_the_period_asked(field):
    said = await field.say("lead", "/bieudo")
    assert [o.kind for o in orders(said)] == [FileKind.CUMULATIVE, FileKind.DAILY, FileKind.RANKING]
    assert {o.period for o in orders(said)} == {Period(date(2026, 11, 19), date(2026, 11, 20), PeriodKind.CAMPAIGN)}
    assert all(a.kind == AttachmentKind.PHOTO for a in said.out[0].reply.attachments)
    one_day = await field.say("lead", "/chart 20/11")
    assert [o.kind for o in orders(one_day)] == [FileKind.RANKING]  # one day: no progress over days to draw
    team = await field.say("tam", "/chart 20/11")
    assert orders(team) == [] and "kỳ dài hơn" in team.text
    assert [o.kind for o in orders(await field.say("tam", "/chart"))] == [FileKind.CUMULATIVE, FileKind.DAILY]


async def test_an_english_speaker_gets_english_files(field):
    await field.say("lead", "/language en")
    said = await field.say("lead", "/export")
    assert said.text.startswith("📊 Report of Phường Bến Nghé") and orders(said)[0].language == "en"
