"""What leaders type: unit codes in any case or a unique part of a name, and a day, a range, a month or the phase,
read by the one period reader (domain.dates.read_period) for /summary, /progress and /export alike; a range's
summary is the sum of its days."""
from __future__ import annotations

import re

import pytest

from tests.support.chat import at
from tests.support.field import populate, report


@pytest.fixture
async def field(chat, clock):
    clock.set(at("09:00", "2026-11-17"))
    await populate(chat)
    for day, who, text in (("2026-11-18", "an", "ho 7, app 3"), ("2026-11-18", "chi", "ho 2, app 1"),
                           ("2026-11-19", "an", "ho 10, app 5"), ("2026-11-20", "chi", "ho 5, app 9")):
        clock.set(at("10:00", day))
        await report(chat, who, text)
    clock.set(at("16:30"))  # after the 16:00 cut-off: late
    await report(chat, "binh", "ho 4, app 2")
    clock.set(at("17:00"))
    return chat


def total(text: str) -> list[int]:
    line = next(x for x in text.split("\n") if x.startswith("Tổng:"))
    return [int(n.replace(".", "")) for n in re.findall(r"[\d.]+", line)]


async def test_a_range_summary_is_the_sum_of_its_days(field):
    days = [total((await field.say("lead", f"/summary P01 {d}/11/2026")).text) for d in (18, 19, 20)]
    summed = [sum(col) for col in zip(*days)]
    for asked in ("/summary P01 18/11-20/11", "/summary P01 18/11/2026 20/11/2026", "/summary p01 từ 18/11 đến 20/11"):
        said = await field.say("lead", asked)
        assert "18/11/2026" in said.text and "20/11/2026" in said.text, said.text
        assert total(said.text) == summed == [28, 20, 0, 0, 0, 0]
    said = await field.say("lead", "/summary tháng này")
    assert total(said.text) == summed and "11/2026" in said.text


async def test_unit_codes_in_any_case_and_by_part_of_a_name(field):
    for asked in ("/summary p01", "/summary P01", "/summary bến nghé", "/summary ben nghe", "/tonghop BEN NGHE"):
        said = await field.say("city", asked)
        assert said.text.startswith("📊 Phường Bến Nghé — 20/11/2026"), (asked, said.text)
    said = await field.say("city", "/summary p01-kp1-t 19/11")
    assert said.text.startswith("📊 Tổ CNS KP1 — 19/11/2026")
    said = await field.say("city", "/summary khu phố 1")  # a whole name beats the names it is part of
    assert said.text.startswith("📊 Khu phố 1 — 20/11/2026")
    said = await field.say("city", "/summary đa kao")  # a ward, a neighbourhood and a team: ask which
    assert "khớp với 3 đơn vị" in said.text and "(P02)" in said.text and "(P02-KP1-T)" in said.text
    said = await field.say("lead", "/summary đa kao")  # not in the ward leader's subtree
    assert "Không tìm thấy đơn vị «đa kao»" in said.text
    said = await field.say("lead", "/progress p01 tháng 11")
    assert said.text.startswith("📈 Tiến độ — Phường Bến Nghé — 20/11/2026")
    said = await field.say("lead", "/quota set p01 kh1 400")
    assert "Phường Bến Nghé (P01)" in said.text


async def test_what_cannot_be_read_gets_forms_that_work(field):
    said = await field.say("lead", "/summary P01 hôm kia")
    assert said.text.startswith("«hôm kia» không đọc được thành ngày hay kỳ. Các dạng đọc được: 20/11/2026")
    said = await field.say("lead", "/summary P01 31/02/2026")
    assert "31/02/2026" in said.text and "Các dạng đọc được" in said.text
    await field.say("lead", "/language en")
    said = await field.say("lead", "/summary P01 the day before")
    assert "cannot be read as a day or a period. Forms that work: 20/11/2026" in said.text


async def test_timeliness_per_unit_over_the_period_in_summaries_and_progress(field):
    """18th to 20th: Tổ KP1 owes 3 reports a day (An, Binh, Tam), on time An's two: 2/9; Tổ KP2 owes Chi's three,
    two on time: 2/3; the ward 4/12. Binh's report came after the cut-off: due, not on time."""
    said = await field.say("lead", "/summary P01 18/11-20/11")
    assert "⏱ Đúng hạn (báo cáo trước giờ chốt / cần báo cáo): 4/12 (33%)" in said.text
    assert "Từng đơn vị: Tổ CNS KP1 2/9 (22%), Tổ CNS KP2 2/3 (67%)" in said.text
    said = await field.say("lead", "/summary")  # the day: KP1 owed 3, none on time; KP2 1 of 1
    assert "4/12" not in said.text and "Đúng hạn (báo cáo trước giờ chốt / cần báo cáo): 1/4 (25%)" in said.text
    said = await field.say("lead", "/progress P01 18/11-20/11")
    assert "⏱ Đúng hạn từ 18/11/2026 đến 20/11/2026: 4/12 báo cáo (33%)" in said.text
    assert "Khu phố 2: chưa có chỉ tiêu\n   ⏱ Đúng hạn từ 18/11/2026 đến 20/11/2026: 2/3 báo cáo (67%)" in said.text
