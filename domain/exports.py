"""What a leader's file holds: a unit's figures over a period, per child unit, per team and day, missing, notes."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Callable, Generic, Iterable, Iterator, Mapping, Sequence, TypeVar

from domain.dates import Period, PeriodKind  # noqa: F401  (the one Period, read by domain.dates)
from domain.i18n import Messages
from domain.plans import Phase, working_days
from domain.progress import Goal, measure
from domain.settings import Metric

T = TypeVar("T")


def period_text(period: Period, t: Messages) -> str:
    """The period as a file's title, a chart's subtitle and the chat say it: "tháng 11/2026 (01/11 – 20/11)"."""
    first, last = t.day(period.first), t.day(period.last)
    if period.kind == PeriodKind.DAY:
        return t("files.period.day", day=first)
    if period.kind == PeriodKind.MONTH:
        return t("files.period.month", month=f"{period.first.month:02d}/{period.first.year}", first=first, last=last)
    if period.kind == PeriodKind.PHASE:
        return t("files.period.phase", name=period.name, first=first, last=last)
    if period.kind == PeriodKind.CAMPAIGN:
        return t("files.period.campaign", first=first, last=last)
    return t("files.period.range", first=first, last=last)


@dataclass(frozen=True)
class Column:
    """A metric as a file shows it, in the reader's language."""

    key: str
    label: str
    short: str

    @classmethod
    def of(cls, metric: Metric, language: str) -> "Column":
        return cls(metric.key, metric.label(language), metric.short(language))


@dataclass(frozen=True)
class Place:
    """A unit as a file names it."""

    code: str
    name: str
    kind: str


Figures = tuple[int, ...]  # one whole number per metric, in the report's metric order
Goals = tuple[int | None, ...]  # per metric; None: nothing set


def figures(columns: Sequence[Column], totals: Mapping[str, int]) -> Figures:
    """A summary's {metric key: value} in the report's metric order; a metric not there is 0."""
    return tuple(int(totals.get(c.key, 0)) for c in columns)


def goals(columns: Sequence[Column], values: Mapping[str, int | None]) -> Goals:
    """{metric key: quota or target} in the report's metric order; a metric not there has none (None)."""
    return tuple(None if values.get(c.key) is None else int(values[c.key]) for c in columns)


def ratio(done: int, goal: int | None) -> float | None:
    """The share done; None where there is nothing to divide by (no goal, or a goal of 0), as /progress says."""
    return done / goal if goal else None


@dataclass(frozen=True)
class UnitFigures:
    """One row of "Tổng hợp": a child unit (or, as the total, the unit itself) over the period."""

    unit: Place
    figures: Figures  # the period's
    to_date: Figures  # since the campaign's start, through the period's last day
    quota: Goals = ()  # the daily quotas summed over the period's working days; () or None: none set
    target: Goals = ()  # the campaign target (the unit's share) the running total counts toward
    teams: int = 0  # teams expected to report (paused teams that did not report are left out)
    teams_reported: int = 0  # of those, teams with a report in the period
    on_time: int = 0  # members' reports of a day that came before the cut-off
    late: int = 0  # members' reports of a day that all came after it
    rank: int = 0  # by the report's ranking metric over the period; 0 on the total

    def quota_of(self, i: int) -> int | None:
        return self.quota[i] if i < len(self.quota) else None

    def target_of(self, i: int) -> int | None:
        return self.target[i] if i < len(self.target) else None

    def quota_done(self, i: int) -> float | None:
        return ratio(self.figures[i], self.quota_of(i))

    def target_done(self, i: int) -> float | None:
        return ratio(self.to_date[i], self.target_of(i))


@dataclass(frozen=True)
class TeamDay:
    """One row of "Theo ngày": a team's figures on one day, and who of it reported."""

    day: date
    team: Place
    parent: str  # the name of the unit the team is in (its ward or neighbourhood)
    figures: Figures
    members: int  # members expected to report that day
    reported: int  # of them, members who reported
    late: int = 0  # of those, members whose every report of the day came after the cut-off


@dataclass(frozen=True)
class Missing:
    """One row of "Chưa báo cáo": a team with members who had not reported that day."""

    day: date
    team: Place
    parent: str
    members: tuple[str, ...]  # names of those who had not reported
    expected: int  # members expected that day

    @property
    def whole_team(self) -> bool:
        return len(self.members) >= self.expected


@dataclass(frozen=True)
class Note:
    """One row of "Khó khăn, kiến nghị": what a member wrote for leaders, or (`off`) the reason of their day off."""

    day: date
    team: Place
    member: str
    text: str
    off: bool = False


@dataclass(frozen=True)
class Trend:
    """What the progress charts draw for one metric: per day of the period, its figure, the running total and the
    pace still needed to reach the target by its day (as /progress computes it for that day)."""

    metric: Column
    days: tuple[date, ...]
    daily: tuple[int, ...]
    cumulative: tuple[int, ...]
    target: int | None = None
    target_day: date | None = None
    daily_quota: tuple[int | None, ...] = ()  # per day; () : none
    pace_needed: tuple[int | None, ...] = ()  # per day; None where there is no target or no day left

    def __post_init__(self) -> None:
        n = len(self.days)
        if len(self.daily) != n or len(self.cumulative) != n:
            raise ValueError("a trend needs one figure and one running total per day")
        for name in ("daily_quota", "pace_needed"):
            if getattr(self, name) and len(getattr(self, name)) != n:
                raise ValueError(f"a trend's {name} needs one value per day")


def trend(metric: Column, days: Sequence[date], daily: Sequence[int], before: int, *,
          target: int | None = None, target_day: date | None = None,
          daily_quota: Sequence[int | None] = (), is_day_off: Callable[[date], bool] = lambda d: False) -> Trend:
    """The trend from each day's figure and the running total before the first day (`before`).

    The pace still needed on a day is domain.progress.measure's for that day once it is over: the target less the
    running total through that day, over the working days after it up to the target's day."""
    cumulative, running = [], before
    for value in daily:
        running += value
        cumulative.append(running)
    paces: list[int | None] = []
    for i, d in enumerate(days):
        if target is None or target_day is None:
            paces.append(None)
            continue
        left = len(working_days(d + timedelta(days=1), target_day, is_day_off))
        paces.append(measure(Goal.TARGET, target, cumulative[i], None, left).pace_needed)
    return Trend(metric, tuple(days), tuple(daily), tuple(cumulative), target, target_day,
                 tuple(daily_quota), tuple(paces) if target is not None else ())


@dataclass(frozen=True)
class Ranked:
    """One bar of the ranking chart."""

    name: str
    value: int
    goal: int | None  # the period's quota for the ranking metric
    rank: int


def ranking(rows: Iterable[UnitFigures], index: int) -> list[Ranked]:
    """Child units by the metric at `index`, highest first, ties sharing a rank (1, 2, 2, 4), order kept."""
    listed = [(r.unit.name, r.figures[index], r.quota_of(index)) for r in rows]
    ordered = sorted(enumerate(listed), key=lambda p: (-p[1][1], p[0]))
    out, rank, last = [], 0, None
    for position, (_, (name, value, goal)) in enumerate(ordered, 1):
        if value != last:
            rank, last = position, value
        out.append(Ranked(name, value, goal, rank))
    return out


class FileKind(str, Enum):
    """The files a leader can be sent: the workbook, and each chart."""

    WORKBOOK = "workbook"
    CUMULATIVE = "cumulative"  # the running total against the target, with the pace still needed
    DAILY = "daily"  # the period's daily bars
    RANKING = "ranking"  # the child units ranked

    @property
    def is_chart(self) -> bool:
        return self is not FileKind.WORKBOOK


CHARTS = (FileKind.CUMULATIVE, FileKind.DAILY, FileKind.RANKING)


def chart_kinds(period: Period, rows_are_units: bool) -> tuple[FileKind, ...]:
    """The charts a period has something to draw for: the progress charts over more than one day, the ranking
    where the rows are units to rank (not one team alone)."""
    kinds = (FileKind.CUMULATIVE, FileKind.DAILY) if period.length > 1 else ()
    return kinds + ((FileKind.RANKING,) if rows_are_units else ())


@dataclass(frozen=True)
class FileOrder:
    """One file a reply carries, as the core orders it: which file, of which unit, over which days, in which
    language, made when. Plain values only: a reply kept in the outbox can be sent, and its file made, after a
    restart. The file is made (gathered from the database, then built off the event loop) after the reply's
    transaction has committed, by whatever implements `domain.ports.Files`; the authorization was the core's,
    when it ordered."""

    kind: FileKind
    unit_code: str  # "": everything (an admin without a unit)
    period: Period
    language: str
    made_at: datetime  # the campaign's local time the file says it was made at

    @property
    def source(self) -> tuple:
        """What the file is gathered from: orders differing only in `kind` share one gathering."""
        return self.unit_code, self.period, self.language, self.made_at

    @property
    def mime(self) -> str:
        return "image/png" if self.kind.is_chart else XLSX_MIME

    @property
    def file_name(self) -> str:
        """An ASCII name, safe on every platform: baocao_P01_2026-11.xlsx, bieudo-xephang_P01_2026-11-20.png."""
        p = self.period
        if p.kind == PeriodKind.MONTH and p.first.day == 1:
            days = f"{p.first:%Y-%m}"
        elif p.first == p.last:
            days = p.first.isoformat()
        else:
            days = f"{p.first.isoformat()}_{p.last.isoformat()}"
        code = _SAFE.sub("-", self.unit_code).strip("-") or "all"
        stem = "baocao" if self.kind == FileKind.WORKBOOK else f"bieudo-{_CHART_WORDS[self.kind]}"
        return f"{stem}_{code}_{days}.{'png' if self.kind.is_chart else 'xlsx'}"


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")
_CHART_WORDS = {FileKind.CUMULATIVE: "luyke", FileKind.DAILY: "theongay", FileKind.RANKING: "xephang"}


class Stream(Generic[T]):
    """Rows made afresh each time they are read, so a national export never holds them all: wrap a function
    returning a generator. A list is read again just as well; a bare generator can be read once only."""

    def __init__(self, make: Callable[[], Iterable[T]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[T]:
        return iter(self._make())


@dataclass(frozen=True)
class Report:
    """Everything a leader's workbook, CSV, JSON or chart shows, in the reader's language, with no I/O.

    Figures are in the order of `metrics`. `rows`, `days`, `missing` and `notes` may be lists, or `Stream`s for a
    national export; `rows` are ranked by `rank_by` and `total` is the unit itself (its figures the sum of the rows',
    its quota and target the unit's own). `planned` lists the metrics shown with quota, target and % done.
    """

    unit: Place | None  # None: everything (an admin without a unit)
    period: Period
    made_at: datetime  # the campaign's local time
    language: str
    metrics: tuple[Column, ...]
    rank_by: str
    child_kind: str  # what the rows are: "ward", "team", …
    total: UnitFigures
    rows: Iterable[UnitFigures] = ()
    since: date | None = None  # running totals count from here; None: from the first report
    planned: tuple[str, ...] = ()
    days: Iterable[TeamDay] = ()
    missing: Iterable[Missing] = ()
    notes: Iterable[Note] = ()
    trend: Trend | None = None
    team_kind: str = "team"  # the campaign's team kind: rows of that kind are headed "Tổ", others "Đơn vị"

    @property
    def rows_are_teams(self) -> bool:
        return self.child_kind == self.team_kind

    def __post_init__(self) -> None:
        keys = [c.key for c in self.metrics]
        if len(set(keys)) != len(keys) or not keys:
            raise ValueError("a report needs its metrics, each once")
        if self.rank_by not in keys:
            raise ValueError(f"rank_by {self.rank_by!r} is not one of the report's metrics")
        unknown = [k for k in self.planned if k not in keys]
        if unknown:
            raise ValueError(f"planned metric {unknown[0]!r} is not one of the report's metrics")
        self.check(self.total)
        if isinstance(self.rows, Sequence):
            for row in self.rows:
                self.check(row)

    def check(self, row: UnitFigures | TeamDay) -> None:
        """Refuse a row whose figures do not line up with the metrics: a file must never shift a column."""
        n = len(self.metrics)
        lengths = [len(row.figures)] + ([len(row.to_date)] if isinstance(row, UnitFigures) else [])
        if isinstance(row, UnitFigures):
            lengths += [len(g) for g in (row.quota, row.target) if g]
        if any(length != n for length in lengths):
            raise ValueError(f"{row.team.code if isinstance(row, TeamDay) else row.unit.code}: "
                             f"figures for {lengths} metrics, the report has {n}")

    def index(self, key: str) -> int:
        return [c.key for c in self.metrics].index(key)

    @property
    def rank_index(self) -> int:
        return self.index(self.rank_by)

    def materialized(self) -> "Report":
        """The same report with every row held in a tuple: to send it to another process, or to read it twice."""
        return replace(self, rows=tuple(self.rows), days=tuple(self.days), missing=tuple(self.missing),
                       notes=tuple(self.notes))
