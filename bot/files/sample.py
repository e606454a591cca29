"""A realistic campaign's report, made up the same way every time: for the benchmark, the README's chart and tests."""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Iterator

from domain.exports import (Column, Missing, Note, Period, Place, Report, Stream, TeamDay, UnitFigures,
                            goals, ranking, trend)
from domain.plans import largest_remainder
from domain.settings import DEFAULT_METRICS

DISTRICTS = ("Quận 1", "Quận 3", "Quận 4", "Quận 5", "Quận 6", "Quận 7", "Quận 8", "Quận 10", "Quận 11", "Quận 12",
             "Quận Bình Thạnh", "Quận Bình Tân", "Quận Gò Vấp", "Quận Phú Nhuận", "Quận Tân Bình", "Quận Tân Phú",
             "Thành phố Thủ Đức", "Huyện Bình Chánh", "Huyện Cần Giờ", "Huyện Củ Chi", "Huyện Hóc Môn", "Huyện Nhà Bè")
WARDS = ("Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường 7", "Phường 8", "Phường 9",
               "Phường 10", "Phường 11", "Phường 12", "Phường Thắng Nhất", "Phường Thắng Nhì", "Phường Thắng Tam",
               "Phường Rạch Dừa", "Phường Nguyễn An Ninh", "Xã Long Sơn", "Phường Bến Nghé", "Phường Đa Kao",
               "Phường Cầu Ông Lãnh", "Phường Tân Định", "Phường Võ Thị Sáu", "Phường Hòa Hưng", "Phường Thủ Thiêm")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Huỳnh", "Phan", "Vũ")
GIVEN = ("Văn An", "Thị Bích", "Hoàng Cường", "Thu Dung", "Minh Đức", "Thị Hồng", "Quốc Huy", "Ngọc Lan",
         "Thanh Phương", "Kim Yến", "Đức Thắng", "Thị Ánh Tuyết", "Hữu Nghĩa", "Thị Mỹ Lệ")
NOTES = ("Nhiều hộ đi làm ăn xa, không gặp được chủ hộ.",
         "Mạng yếu, ứng dụng VNeID báo lỗi khi kích hoạt mức 2.",
         "Đề nghị bổ sung máy đọc CCCD gắn chip cho tổ.",
         "Người cao tuổi không có điện thoại thông minh, cần hỗ trợ tại nhà.",
         "Kiến nghị tổ chức thu nhận hồ sơ mức 2 vào buổi tối và cuối tuần.",
         "Khó khăn: nhiều công dân chưa được cấp CCCD gắn chip.")
MEMBERS_PER_TEAM = 5
PLANNED = ("l1_activations", "l2_applications")
DAILY_QUOTA_PER_TEAM = {"l1_activations": 14, "l2_applications": 5}


@dataclass(frozen=True)
class Shape:
    """The made-up campaign: `teams` teams under `groups` child units of `unit`, over `period`."""

    unit: Place = Place("VT", "Thành phố Vũng Tàu", "city")
    child_kind: str = "ward"
    groups: int = 17
    teams: int = 200
    period: Period = Period.between(date(2023, 6, 1), date(2023, 6, 20))
    since: date = date(2023, 5, 15)
    target_day: date = date(2023, 6, 25)
    target: int = 130_464  # level-1 activations, as Vũng Tàu's plan of June 2023 asks
    seed: int = 6
    names: tuple[str, ...] = WARDS

    def group_of(self, team: int) -> int:
        return team * self.groups // self.teams

    def group(self, g: int) -> Place:
        name = self.names[g] if g < len(self.names) else f"Đơn vị {g + 1}"
        return Place(f"{self.unit.code}-{g + 1:02d}", name, self.child_kind)

    def team(self, i: int) -> Place:
        g = self.group_of(i)
        first = -(-g * self.teams // self.groups)  # the group's first team
        return Place(f"{self.group(g).code}-T{i - first + 1:02d}", f"Tổ CNS khu phố {i - first + 1}", "team")

    def members(self, i: int) -> list[str]:
        rng = random.Random(self.seed * 7919 + i)
        return [f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}" for _ in range(MEMBERS_PER_TEAM)]


def _day(shape: Shape, i: int, n: int) -> tuple[list[int], list[tuple[str, bool]], list[str], str | None]:
    """Team `i` on the period's day `n`: figures (metric order), reporters with lateness, the missing, a note."""
    rng = random.Random((shape.seed << 40) ^ (i << 12) ^ n)
    values = [0] * len(DEFAULT_METRICS)
    reporters, missing = [], []
    for name in shape.members(i):
        if rng.random() < 0.1:
            missing.append(name)
            continue
        reporters.append((name, rng.random() < 0.08))
        households = rng.randint(4, 10)
        installs = rng.randint(households // 2, households)
        reg1 = rng.randint(installs // 2, installs)
        act1 = rng.randint(reg1 // 2, reg1)
        app2 = rng.randint(0, 3)
        act2 = rng.randint(0, app2)
        for k, v in enumerate((households, installs, reg1, act1, app2, act2)):
            values[k] += v
    note = rng.choice(NOTES) if reporters and rng.random() < 0.03 else None
    return values, reporters, missing, note


def _before(shape: Shape, i: int) -> list[int]:
    """The team's running total before the period."""
    rng = random.Random(shape.seed * 104729 + i)
    days = (shape.period.first - shape.since).days
    return [rng.randint(20, 40) * days, rng.randint(15, 30) * days, rng.randint(12, 25) * days,
            rng.randint(10, 18) * days, rng.randint(3, 8) * days, rng.randint(1, 5) * days]


def sample_report(shape: Shape = Shape(), *, language: str = "vi", streamed: bool = False,
                  made_at: datetime | None = None) -> Report:
    """The report of `shape`, its rows adding up exactly. `streamed`: the per-day rows as Streams, never held."""
    columns = tuple(Column.of(m, language) for m in DEFAULT_METRICS)
    n_metrics, days = len(columns), list(shape.period.days())
    per_group = [[0] * n_metrics for _ in range(shape.groups)]
    before = [[0] * n_metrics for _ in range(shape.groups)]
    counts = [[0, 0, 0, 0] for _ in range(shape.groups)]  # teams, reported, on time, late
    teams_in = [0] * shape.groups
    rank_index = [c.key for c in columns].index("l1_activations")
    daily_total = [0] * len(days)
    for i in range(shape.teams):
        g = shape.group_of(i)
        teams_in[g] += 1
        reported_any = False
        for k, v in enumerate(_before(shape, i)):
            before[g][k] += v
        for n in range(len(days)):
            values, reporters, _, _ = _day(shape, i, n)
            for k, v in enumerate(values):
                per_group[g][k] += v
            daily_total[n] += values[rank_index]
            reported_any = reported_any or bool(reporters)
            counts[g][2] += sum(1 for _, late in reporters if not late)
            counts[g][3] += sum(1 for _, late in reporters if late)
        counts[g][0] += 1
        counts[g][1] += int(reported_any)
    quota = {key: [per_team * teams_in[g] * len(days) for g in range(shape.groups)]
             for key, per_team in DAILY_QUOTA_PER_TEAM.items()}
    targets = _shares(shape.target, teams_in)
    rows = []
    for g in range(shape.groups):
        to_date = [b + p for b, p in zip(before[g], per_group[g])]
        rows.append(UnitFigures(shape.group(g), tuple(per_group[g]), tuple(to_date),
                                goals(columns, {k: quota[k][g] for k in quota}),
                                goals(columns, {"l1_activations": targets[g]}), *counts[g]))
    ranked = ranking(rows, rank_index)
    order = sorted(range(len(rows)), key=lambda g: (-rows[g].figures[rank_index], g))
    rows = [_with_rank(rows[g], r.rank) for g, r in zip(order, ranked)]
    total = UnitFigures(shape.unit, tuple(map(sum, zip(*(r.figures for r in rows)))),
                        tuple(map(sum, zip(*(r.to_date for r in rows)))),
                        goals(columns, {k: sum(v) for k, v in quota.items()}),
                        goals(columns, {"l1_activations": shape.target}),
                        *(sum(c[k] for c in counts) for k in range(4)))
    series = trend(columns[rank_index], days, daily_total, sum(b[rank_index] for b in before),
                   target=shape.target, target_day=shape.target_day,
                   daily_quota=[DAILY_QUOTA_PER_TEAM["l1_activations"] * shape.teams] * len(days))
    made_at = made_at or datetime.combine(shape.period.last + timedelta(days=1), time(8, 0))

    def team_days() -> Iterator[TeamDay]:
        for n, d in enumerate(days):
            for i in range(shape.teams):
                values, reporters, _, _ = _day(shape, i, n)
                yield TeamDay(d, shape.team(i), shape.group(shape.group_of(i)).name, tuple(values),
                              MEMBERS_PER_TEAM, len(reporters), sum(1 for _, late in reporters if late))

    def missing() -> Iterator[Missing]:
        for n, d in enumerate(days):
            for i in range(shape.teams):
                _, _, absent, _ = _day(shape, i, n)
                if absent:
                    yield Missing(d, shape.team(i), shape.group(shape.group_of(i)).name, tuple(absent),
                                  MEMBERS_PER_TEAM)

    def notes() -> Iterator[Note]:
        for n, d in enumerate(days):
            for i in range(shape.teams):
                _, reporters, _, note = _day(shape, i, n)
                if note:
                    yield Note(d, shape.team(i), reporters[0][0], note)

    make = (lambda f: Stream(f)) if streamed else (lambda f: list(f()))
    return Report(unit=shape.unit, period=shape.period, made_at=made_at, language=language, metrics=columns,
                  rank_by="l1_activations", child_kind=shape.child_kind, total=total, rows=rows, since=shape.since,
                  planned=PLANNED, days=make(team_days), missing=make(missing), notes=make(notes), trend=series)


def _with_rank(row: UnitFigures, rank: int) -> UnitFigures:
    return replace(row, rank=rank)


def _shares(total: int, weights: list[int]) -> list[int]:
    return largest_remainder(total, weights)


def province_month() -> Shape:
    """The size issue 14 measures: a province's month, 1,200 teams in 22 districts over 31 days."""
    return Shape(unit=Place("HCM", "Thành phố Hồ Chí Minh", "city"), child_kind="district", groups=22,
                 teams=1200, period=Period.month(2023, 5), since=date(2023, 4, 15), target_day=date(2023, 6, 25),
                 target=1_800_000, names=DISTRICTS)
