"""Dates as people type them: YYYY-MM-DD or DD/MM/YYYY (also DD-MM-YYYY and DD.MM.YYYY), "yesterday", and periods."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum
from typing import Iterator, Sequence

from domain.plans import Phase
from domain.text import fold

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# The words that move a report to the day before, folded: "hôm qua" with or without diacritics, "yesterday".
YESTERDAY_WORDS = ("hom qua", "homqua", "yesterday", "hqua")


def parse_date(text: str) -> date | None:
    t = text.strip()
    m = _ISO.match(t)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _VN.match(t)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def looks_like_date(text: str) -> bool:
    return bool(_ISO.match(text.strip()) or _VN.match(text.strip()))


def says_yesterday(text: str) -> bool:
    """Whether the text is one of the words for yesterday (`/report hôm qua`, `/report homqua`)."""
    return fold(text) in YESTERDAY_WORDS


# Periods: the one type and the one reader (read_period) that /summary, /progress, /export, /chart and the export
# command line share.

class PeriodKind(str, Enum):
    DAY = "day"
    RANGE = "range"
    MONTH = "month"
    PHASE = "phase"
    CAMPAIGN = "campaign"


@dataclass(frozen=True)
class Period:
    """The days a summary, a progress line or a file covers, both ends included, and what they are to a leader."""

    first: date
    last: date
    kind: PeriodKind = PeriodKind.DAY
    name: str = ""  # the phase's name

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a period cannot end ({self.last}) before it starts ({self.first})")

    @classmethod
    def day(cls, day: date) -> "Period":
        return cls(day, day, PeriodKind.DAY)

    @classmethod
    def between(cls, first: date, last: date) -> "Period":
        if first == last:
            return cls.day(first)
        if first.day == 1 and (first.year, first.month) == (last.year, last.month) \
                and last.day == calendar.monthrange(last.year, last.month)[1]:
            return cls(first, last, PeriodKind.MONTH)
        return cls(first, last, PeriodKind.RANGE)

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), PeriodKind.MONTH)

    @classmethod
    def of_phase(cls, phase: Phase) -> "Period":
        return cls(phase.first_day, phase.last_day, PeriodKind.PHASE, phase.name)

    @classmethod
    def campaign(cls, first: date, last: date) -> "Period":
        return cls(first, last, PeriodKind.CAMPAIGN)

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1

    def days(self) -> Iterator[date]:
        d = self.first
        while d <= self.last:
            yield d
            d += timedelta(days=1)



class PeriodProblem(str, Enum):
    BAD_DATE = "bad_date"  # looks like a day and is none (31/02)
    FUTURE = "future"  # begins after today
    REVERSED = "reversed"  # ends before it begins
    NO_PHASE = "no_phase"  # no phase of that name, or none now
    NO_START = "no_start"  # the campaign has no start to count from yet


class UnreadablePeriod(ValueError):
    """The words name a period that cannot be used; `problem` says why, `text` is what was typed."""

    def __init__(self, problem: PeriodProblem, text: str) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.text = text


_DAY = r"\d{1,2}[/.]\d{1,2}(?:[/.]\d{4})?|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4}"
_SHORT_DAY = re.compile(r"^(\d{1,2})[/.](\d{1,2})$")
_RANGE = re.compile(rf"^(?:tu\s+|from\s+)?({_DAY})(?:\s*(?:-|–|—|\.\.|den|toi|to)\s*|\s+)({_DAY})$")
_MONTH = re.compile(r"^(?:thang|month)?\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_ONLY = re.compile(r"^(?:thang|month)\s*(\d{1,2})$")
_PHASE = re.compile(r"^(?:giai doan|phase|dot)(?:\s+(.+))?$")
TODAY_WORDS = ("hom nay", "homnay", "today", "nay")
THIS_MONTH_WORDS = ("thang nay", "this month")
LAST_MONTH_WORDS = ("thang truoc", "last month")
CAMPAIGN_WORDS = ("chien dich", "ca chien dich", "campaign", "toan bo", "tat ca", "all")


def read_period(text: str, today: date, *, phases: Sequence[Phase] = (), start: date | None = None,
                end: date | None = None) -> Period | None:
    """The period `text` names, none of it after `today`: a day (20/11/2026, 20/11, hôm nay, hôm qua), a range
    (01/12-05/12, 01/12/2026 đến 05/12/2026), a month (11/2026, tháng 11, tháng này, tháng trước), a phase (giai
    đoạn: the current one; giai đoạn 2, or a phase's name) or the whole campaign (chiến dịch: from `start` to `end`).
    A day or month without a year is the latest one not after today. None: `text` names no period at all (the
    caller may read it as something else); UnreadablePeriod: it names one that cannot be used."""
    words = fold(text)
    if not words:
        return None
    if words in TODAY_WORDS:
        return Period.day(today)
    if words in YESTERDAY_WORDS:
        return Period.day(today - timedelta(days=1))
    if looks_like_date(words) or _SHORT_DAY.match(words):
        day = _day(words, today, text)
        return _until(Period.day(day), today, text)
    m = _RANGE.match(words)
    if m:
        return _until(_range(m.group(1), m.group(2), today, text), today, text)
    month = _month(words, today, text)
    if month is not None:
        return _until(month, today, text)
    if words in CAMPAIGN_WORDS:
        if start is None:
            raise UnreadablePeriod(PeriodProblem.NO_START, text)
        last = min(end, today) if end is not None else today
        return _until(Period(start, max(start, last), PeriodKind.CAMPAIGN), today, text)
    phase = _phase(words, today, phases, text)
    return None if phase is None else _until(Period.of_phase(phase), today, text)


def _until(period: Period, today: date, text: str) -> Period:
    """The period's days up to today: a month or phase in progress is read so far."""
    if period.first > today:
        raise UnreadablePeriod(PeriodProblem.FUTURE, text)
    return period if period.last <= today else replace(period, last=today)


def _latest(day: int, month: int, today: date, text: str) -> date:
    try:
        found = date(today.year, month, day)
        return found if found <= today else date(today.year - 1, month, day)
    except ValueError:
        raise UnreadablePeriod(PeriodProblem.BAD_DATE, text) from None


def _day(word: str, today: date, text: str) -> date:
    short = _SHORT_DAY.match(word)
    if short:
        return _latest(int(short.group(1)), int(short.group(2)), today, text)
    found = parse_date(word)
    if found is None:
        raise UnreadablePeriod(PeriodProblem.BAD_DATE, text)
    return found


def _range(a: str, b: str, today: date, text: str) -> Period:
    """Both ends; an end without a year takes the other's (the first: the latest not after today)."""
    short_a, short_b = _SHORT_DAY.match(a), _SHORT_DAY.match(b)
    if short_a and short_b:
        first = _latest(int(short_a.group(1)), int(short_a.group(2)), today, text)
        last = _in_year(first.year, short_b, text)
        last = last if last >= first else _in_year(first.year + 1, short_b, text)
    elif short_a:
        last = _day(b, today, text)
        first = _in_year(last.year, short_a, text)
        first = first if first <= last else _in_year(last.year - 1, short_a, text)
    else:
        first = _day(a, today, text)
        last = _in_year(first.year, short_b, text) if short_b else _day(b, today, text)
    if last < first:
        raise UnreadablePeriod(PeriodProblem.REVERSED, text)
    return Period.between(first, last)


def _in_year(year: int, short: re.Match, text: str) -> date:
    try:
        return date(year, int(short.group(2)), int(short.group(1)))
    except ValueError:
        raise UnreadablePeriod(PeriodProblem.BAD_DATE, text) from None


def _month(words: str, today: date, text: str) -> Period | None:
    if words in THIS_MONTH_WORDS:
        return Period.month(today.year, today.month)
    if words in LAST_MONTH_WORDS:
        before = today.replace(day=1) - timedelta(days=1)
        return Period.month(before.year, before.month)
    m, iso, only = _MONTH.match(words), _ISO_MONTH.match(words), _MONTH_ONLY.match(words)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
    elif iso:
        month, year = int(iso.group(2)), int(iso.group(1))
    elif only:
        month = int(only.group(1))
        year = today.year if month <= today.month else today.year - 1
    else:
        return None
    if not 1 <= month <= 12:
        raise UnreadablePeriod(PeriodProblem.BAD_DATE, text)
    return Period.month(year, month)


def _phase(words: str, today: date, phases: Sequence[Phase], text: str) -> Phase | None:
    """A phase by its name (with or without "giai đoạn"/"phase"), or the current one (the latest begun) for the
    phase word alone; None when the words name no phase and are no phase word either."""
    named = [p for p in phases if fold(p.name) == words]
    if named:
        return named[0]
    m = _PHASE.match(words)
    if m is None:
        return None
    rest = m.group(1)
    if rest is None:
        begun = [p for p in phases if p.first_day <= today]
        if not begun:
            raise UnreadablePeriod(PeriodProblem.NO_PHASE, text)
        return max(begun, key=lambda p: (p.covers(today), p.first_day))
    for p in phases:
        name = fold(p.name)
        bare = _PHASE.match(name)
        if rest == name or (bare is not None and bare.group(1) == rest):
            return p
    raise UnreadablePeriod(PeriodProblem.NO_PHASE, text)
