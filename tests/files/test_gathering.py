"""The report gathered from the database (application/reports.py) says what /summary and /progress say: a
workbook's cells equal /summary's for the same unit and day, a period's totals equal the sum of its days and the
summary's period figures, on SQLite and PostgreSQL."""
from __future__ import annotations

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from application import summaries
from application.reports import collect_report
from bot.files.workbook import workbook_bytes
from domain.exports import Period
from domain.plans import applies
from tests.support.chat import at
from tests.support.field import DAY, populate, report

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
NOV = Period.between(date(2026, 11, 18), DAY)


@pytest.fixture
async def field(chat, clock, store):
    """18/11: An. 19/11: An, Dũng. 20/11: An and Chi on time, Binh late; Đa Kao nothing. Quotas and a target on
    Bến Nghé and one of its teams. Everyone joined on the 17th."""
    clock.set(at("10:00", "2026-11-17"))
    await populate(chat)
    for day, who, text in (("2026-11-18", "an", "ho 7, muc 1 3, kh muc 1 2"),
                           ("2026-11-19", "an", "ho 10, muc 1 5, kh muc 1 3"),
                           ("2026-11-19", "dung", "ho 4, muc 1 4, kh muc 1 4"),
                           ("2026-11-20", "an", "ho 20, muc 1 8, kh muc 1 6"),
                           ("2026-11-20", "chi", "ho 5, muc 1 9, kh muc 1 9")):
        clock.set(at("10:00", day))
        await report(chat, who, text)
    clock.set(at("16:30"))
    await report(chat, "binh", "ho 4, muc 1 1, kh muc 1 1")

    async def plan(tx):
        ward, team = await tx.units.by_code("P01"), await tx.units.by_code("P01-KP1-T")
        await tx.quotas.set_quota(ward.id, "l1_activations", 10, None, None, None, None, None, NOW)
        await tx.quotas.set_quota(team.id, "l1_activations", 4, None, None, None, None, None, NOW)
        await tx.quotas.set_target(ward.id, "l1_activations", 300, date(2026, 12, 31), None, NOW)
    await store.write(plan)
    return chat


async def gathered(store, rules, code: str | None, period: Period, language: str = "vi"):
    async def work(tx):
        unit = await tx.units.by_code(code) if code else None
        first = None if period.first == period.last else period.first
        return (await collect_report(tx, rules, unit, period, language, NOW),
                await summaries.collect(tx, rules, unit, period.last, first_day=first))
    return await store.read(work)


def sheet_rows(report) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(report)), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


_ROW = re.compile(r"^\d+\. \S+ (.+?): ([\d. ·]+?)(?: \(.*\))? \[")


def summary_lines(text: str) -> tuple[dict[str, list[int]], list[int]]:
    """The rows and the total /summary shows: {name: figures}, total figures."""
    rows = {}
    for line in text.splitlines():
        m = _ROW.match(line)
        if m:
            rows[m.group(1)] = [int(n.replace(".", "")) for n in m.group(2).split(" · ")]
    total = re.search(r"^Tổng: (.+)$", text, re.M).group(1)
    return rows, [int(n.replace(".", "")) for n in total.split(" · ")]


async def test_the_workbook_shows_what_summary_shows_for_the_same_ward_and_day(field, store):
    said = await field.say("lead", "/summary")
    rows, total = summary_lines(said.text)
    assert len(rows) == 2 and total == [29, 0, 18, 16, 0, 0]
    r, _ = await gathered(store, field.rules, "P01", Period.day(DAY))
    table = sheet_rows(r)
    body = {row[2]: row for row in table if isinstance(row[0], int)}
    assert set(body) == set(rows)
    n = len(field.rules.metrics)
    for name, numbers in rows.items():
        assert body[name][3:3 + n] == numbers  # the day's figures, cell by cell
    last = next(row for row in table if row[2] == "Tổng cộng")
    assert last[3:3 + n] == total
    # The running totals and the rank as /summary has them for the day.
    s = await store.read(lambda tx: _collect(tx, field.rules, "P01", DAY))
    for row in s.rows:
        assert body[row.label][3 + n:3 + 2 * n] == [row.to_date.get(m.key, 0) for m in field.rules.metrics]
        assert body[row.label][-1] == row.rank
    # Reports on time and late, as the summary counts lateness: Binh's came after 16:00.
    kp1 = next(x for x in r.rows if x.unit.code == "P01-KP1-T")
    assert (kp1.on_time, kp1.late) == (1, 1) and (r.total.on_time, r.total.late) == (2, 1)
    assert kp1.late == next(x.late_count for x in s.rows if x.label == "Tổ CNS KP1")


async def _collect(tx, rules, code, day, first=None):
    return await summaries.collect(tx, rules, await tx.units.by_code(code), day, first_day=first)


@pytest.mark.parametrize("code", ["P01", "Q1", "HCM", "P01-KP1-T", None])
async def test_a_periods_totals_are_the_sum_of_its_days_and_the_summarys(field, store, code):
    r, s = await gathered(store, field.rules, code, NOV)
    keys = [m.key for m in field.rules.metrics]
    assert list(r.total.figures) == [s.total.get(k, 0) for k in keys]
    assert list(r.total.to_date) == [s.to_date.get(k, 0) for k in keys]
    days = list(r.days)
    assert len(days) == 3 * (1 if code == "P01-KP1-T" else 2 if code == "P01" else 3)  # every team, every day
    assert [sum(d.figures[i] for d in days) for i in range(len(keys))] == list(r.total.figures)
    for row in r.rows:  # each row: the sum of its teams' days
        mine = [d for d in days if d.team.code.startswith(row.unit.code)]
        assert [sum(d.figures[i] for d in mine) for i in range(len(keys))] == list(row.figures)
    for day in NOV.days():  # each day of the trend: the sum of that day's rows
        index = r.trend.days.index(day)
        assert r.trend.daily[index] == sum(d.figures[r.rank_index] for d in days if d.day == day)
    assert r.trend.cumulative[-1] == r.total.to_date[r.rank_index]
    workbook_bytes(r)  # the workbook's own check: the rows add up to the total


async def test_quotas_targets_and_the_pace_are_progress_s(field, store):
    r, _ = await gathered(store, field.rules, "P01", NOV)
    i = r.index("l1_activations")
    assert r.planned == ("l1_activations",)
    assert r.total.quota_of(i) == 30 and r.total.target_of(i) == 300  # 10 a day over 3 days; the ward's own target
    kp1 = next(x for x in r.rows if x.unit.code == "P01-KP1-T")
    assert kp1.quota_of(i) == 12
    share = await store.read(lambda tx: _share(tx, "P01-KP1-T"))
    assert kp1.target_of(i) == share == 120  # 4/10 of the ward's target, as /progress shares it
    assert r.trend.target == 300 and r.trend.target_day == date(2026, 12, 31)
    assert r.trend.daily_quota == (10, 10, 10)
    left = 300 - r.trend.cumulative[-1]
    assert r.trend.pace_needed[-1] * 42 >= left > (r.trend.pace_needed[-1] - 1) * 42  # 42 days 20/11–31/12


async def _share(tx, code):
    team = await tx.units.by_code(code)
    quotas = await tx.quotas.quotas_for(team.line)
    return applies(team.line, "l1_activations", DAY, quotas, await tx.quotas.targets_for(team.line)).share


async def test_who_did_not_report_each_day_and_the_english_file(field, store):
    r, _ = await gathered(store, field.rules, "P01", NOV, "en")
    missing = {(m.day, m.team.code): m.members for m in r.missing}
    assert missing[(DAY, "P01-KP1-T")] == ("Tam",)  # Binh reported late: not missing
    assert missing[(date(2026, 11, 18), "P01-KP2-T")] == ("Chi",)
    assert r.metrics[0].label == "Households visited"
    table = sheet_rows(r)
    assert table[0][0].startswith("RESULTS")


async def test_days_under_is_the_daily_totals_and_reporters_of_each_team_and_day(field, store):
    keys = [m.key for m in field.rules.metrics]

    async def both(tx):
        ward = await tx.units.by_code("P01")
        teams = [t.id for t in await tx.units.in_subtree(ward, "team")]
        found = await tx.entries.days_under(ward, "team", NOV.first, NOV.last, keys)
        one_by_one = {d: (await tx.entries.totals(teams, d, d), await tx.entries.reporters(teams, d))
                      for d in NOV.days()}
        return teams, found, one_by_one
    teams, found, one_by_one = await store.read(both)
    assert found.totals and found.reporters
    for d, (totals, reporters) in one_by_one.items():
        for t in teams:
            expected = tuple(totals[t].get(k, 0) for k in keys)
            assert found.totals.get((t, d), (0,) * len(keys)) == expected
            assert found.reporters.get((t, d), frozenset()) == frozenset(reporters[t])
            assert found.late.get((t, d), 0) == sum(reporters[t].values())


async def test_the_command_line_streams_everything_a_root_at_a_time(field, store, tmp_path, monkeypatch):
    """No --unit: the rows of "Theo ngày" are read root by root while written, never all held."""
    import csv

    from application import reports
    from bot import export as cli

    await store.write(lambda tx: tx.units.upsert("HN", "Hà Nội", "city", None, None))
    await store.write(lambda tx: tx.units.upsert("HN-T", "Tổ Hà Nội", "team", "HN", None))
    read, real = [], reports.part_days

    async def counted(tx, rules, scope, *args, **kw):
        part = await real(tx, rules, scope, *args, **kw)
        read.append((scope.code if scope is not None else None, len(part.days)))
        return part
    monkeypatch.setattr(cli, "part_days", counted)
    out = tmp_path / "all.csv"
    await cli.export(store, field.rules, cli.Asked(None, NOV, "csv", out=out), clock=field.clock)
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert {r[1] for r in rows[1:]} == {"P01-KP1-T", "P01-KP2-T", "P02-KP1-T", "HN-T"}
    assert len(rows) == 1 + 4 * 3
    assert read == [("HCM", 9), ("HN", 3)]  # one root's rows at a time, as the writer asked for them
