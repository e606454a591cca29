"""A ward leader's workbook and charts on Telegram, asked for and on the 10th: uploaded through python-telegram-bot's
real HTTP stack to the Bot API double (sendDocument, sendPhoto as multipart/form-data), the workbook's cells those of
/summary."""
from __future__ import annotations

import re
from datetime import date

import pytest

from application import summaries
from domain.exports import XLSX_MIME
from scheduler import jobs
from tests.support.chat import at
from tests.support.files import png_size, sheet_names, summary_sheet
from tests.support.telegram_chat import join


@pytest.fixture
async def ward(tg, api, clock, files):
    await files(tg.app)
    for who, unit, role in (("an", "P01-KP1-T", "volunteer"), ("chi", "P01-KP2-T", "volunteer"),
                            ("lead", "P01", "leader")):
        await join(tg, who, unit, role)
    for day, who, text in (("2026-11-19", "an", "ho 10, muc 1 5, kh muc 1 3"),
                           ("2026-11-20", "an", "ho 20, muc 1 8, kh muc 1 6"),
                           ("2026-11-20", "chi", "ho 5, muc 1 9, kh muc 1 9")):
        clock.set(at("10:00", day))
        await tg.say(who, text)
        assert "Đã lưu" in (await tg.press(who, "report:confirm")).text
    return tg


async def test_the_workbook_arrives_as_a_document_with_summarys_figures(ward, api):
    summary = (await ward.say("lead", "/summary")).text
    total = re.search(r"^Tổng: (.+)$", summary, re.M).group(1)
    said = await ward.say("lead", "/export")
    assert said.texts == ["📊 Báo cáo Phường Bến Nghé, ngày 20/11/2026: tệp Excel theo biểu mẫu (Tổng hợp, Theo ngày, "
                          "Chưa báo cáo, Khó khăn, kiến nghị)."]
    (document,) = api.files_to("lead")
    assert document["method"] == "sendDocument" and document["name"] == "baocao_P01_2026-11-20.xlsx"
    assert document["mime"] == XLSX_MIME
    assert sheet_names(document["data"]) == ["Tổng hợp", "Theo ngày", "Chưa báo cáo", "Khó khăn, kiến nghị"]
    rows = summary_sheet(document["data"])
    last = next(r for r in rows if r[2] == "Tổng cộng")
    assert " · ".join(str(n) for n in last[3:9]) == total  # 25 · 0 · 17 · 15 · 0 · 0
    for name, numbers in re.findall(r"^\d+\. ✅ (.+?): ([\d ·]+) \[", summary, re.M):
        assert " · ".join(str(n) for n in next(r for r in rows if r[2] == name)[3:9]) == numbers


async def test_the_months_workbook_and_the_charts(ward, api):
    said = await ward.say("lead", "/export tháng 11")
    assert "tháng 11/2026 (01/11/2026 – 20/11/2026)" in said.text
    (document,) = api.files_to("lead")
    assert document["name"] == "baocao_P01_2026-11.xlsx"
    assert next(r for r in summary_sheet(document["data"]) if r[2] == "Tổng cộng")[3:9] == [35, 0, 22, 18, 0, 0]
    said = await ward.say("lead", "/chart tháng 11")
    assert said.texts == ["📈 Biểu đồ Phường Bến Nghé, tháng 11/2026 (01/11/2026 – 20/11/2026):"]
    photos = api.files_to("lead")[1:]
    assert [p["method"] for p in photos] == ["sendPhoto"] * 3
    assert [png_size(p["data"]) for p in photos] == [(1200, 800), (1200, 800), (1200, 1200)]
    assert [p["name"] for p in photos] == ["bieudo-luyke_P01_2026-11.png", "bieudo-theongay_P01_2026-11.png",
                                           "bieudo-xephang_P01_2026-11.png"]


async def test_one_file_is_built_once_for_everyone_it_goes_to(ward, api):
    await ward.say("lead", "/export 19/11")
    await ward.say("lead", "/export 19/11")
    assert ward.app.files.built == 1 and len(api.files_to("lead")) == 2
    assert api.files_to("lead")[0]["data"] == api.files_to("lead")[1]["data"]


async def test_the_monthly_report_reaches_telegram_with_its_files(tg, api, store, clock, files):
    await files(tg.app)
    for who, unit, role in (("an", "P01-KP1-T", "volunteer"), ("chi", "P01-KP2-T", "volunteer"),
                            ("lead", "P01", "leader")):
        await join(tg, who, unit, role)
    for day, who, text in (("2026-11-03", "an", "ho 10, muc 1 5, kh muc 1 3"),
                           ("2026-11-19", "chi", "ho 5, muc 1 9, kh muc 1 9")):
        clock.set(at("10:00", day))
        await tg.say(who, text)
        await tg.press(who, "report:confirm")
    clock.set(at("08:00", "2026-12-10"))
    monthly = next(c for c in tg.app.services.rules.cutoffs if c.name == "monthly")
    outcome = await jobs.at_cutoff(store, tg.app.services, tg.app, monthly, date(2026, 12, 10))
    assert outcome.sent == 1 and outcome.failed == 0
    assert api.sent_to("lead")[-1]["text"].startswith("🔔 Báo cáo tháng 11/2026\n📊 Phường Bến Nghé")
    document, *photos = api.files_to("lead")
    assert document["name"] == "baocao_P01_2026-11.xlsx"
    s = await store.read(lambda tx: _month(tx, tg.app.services.rules))
    total = next(r for r in summary_sheet(document["data"]) if r[2] == "Tổng cộng")
    assert total[3:9] == [s.total.get(m.key, 0) for m in tg.app.services.rules.metrics] == [15, 0, 14, 12, 0, 0]
    assert [(p["method"], png_size(p["data"])) for p in photos] == [
        ("sendPhoto", (1200, 800)), ("sendPhoto", (1200, 800)), ("sendPhoto", (1200, 1200))]


async def _month(tx, rules):
    return await summaries.collect(tx, rules, await tx.units.by_code("P01"), date(2026, 11, 30),
                                   first_day=date(2026, 11, 1))
