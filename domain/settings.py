"""The campaign as configured: metrics, consistency rules, cut-offs, days off, invites."""
from __future__ import annotations

from datetime import date, time
from functools import cached_property
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.text import fold

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Metric(BaseModel):
    """One daily figure, and the words volunteers name it by (domain/reading builds its grammar from them)."""

    model_config = ConfigDict(frozen=True)

    key: str
    vi: str
    en: str
    aliases: tuple[str, ...] = ()  # names that mean this metric by themselves ("kh1"); a level word here ("mức 1")
    #                                makes that level said alone mean this metric
    actions: tuple[str, ...] = ()  # what was done ("kích hoạt", "kh"): with `levels`, the pair names the metric
    hints: tuple[str, ...] = ()  # words that mean this metric only when no action word says otherwise ("thành công")
    levels: tuple[str, ...] = ()  # the level's words ("mức 1", "m1"); metrics that share a word share the level
    max_daily: int = Field(gt=0)
    short_vi: str = ""
    short_en: str = ""

    def label(self, language: str) -> str:
        return self.vi if language == "vi" else self.en

    def short(self, language: str) -> str:
        return (self.short_vi or self.vi) if language == "vi" else (self.short_en or self.en)

    @cached_property
    def folded_aliases(self) -> tuple[str, ...]:
        words = {fold(a) for a in self.aliases} | {fold(self.key.replace("_", " ")), fold(self.vi), fold(self.en)}
        return tuple(sorted((w for w in words if w), key=len, reverse=True))


class Rule(BaseModel):
    """`lesser` to date may not exceed `greater` to date, counted over the team since the campaign began."""

    model_config = ConfigDict(frozen=True)

    lesser: str
    greater: str


class Cutoff(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    time: time
    summary_level: str
    remind_before: tuple[int, ...] = ()
    day_offset: int = 0  # -1: the summary covers the previous day (the 08:00 recap)
    summary_to: str | None = None  # the lowest unit kind whose leaders also get it, each for their own unit
    day_of_month: int | None = Field(default=None, ge=1, le=28)  # monthly: covers the previous calendar month
    files: bool = False  # the summary comes with the period's workbook and charts (issue 14)

    @field_validator("time", mode="before")
    @classmethod
    def _hhmm(cls, v):
        if isinstance(v, str):
            hh, mm = v.strip().split(":")
            return time(int(hh), int(mm))
        return v

    @field_validator("remind_before")
    @classmethod
    def _whole_minutes(cls, v):
        if any(m <= 0 or m >= 24 * 60 for m in v):
            raise ValueError("remind_before takes whole minutes above 0 and under a day")
        return tuple(sorted(set(v), reverse=True))

    @model_validator(mode="after")
    def _monthly_has_no_reminders(self):
        if self.day_of_month is not None and (self.remind_before or self.day_offset):
            raise ValueError(f"cut-off {self.name!r}: a monthly cut-off takes no remind_before or day_offset")
        return self

    @property
    def monthly(self) -> bool:
        return self.day_of_month is not None


_LEVEL_1 = ("mức 1", "mức độ 1", "cấp độ 1", "m1", "l1", "lv1", "lvl1", "level 1")
_LEVEL_2 = ("mức 2", "mức độ 2", "cấp độ 2", "m2", "l2", "lv2", "lvl2", "level 2")
_REGISTER = ("đăng ký", "đăng kí", "đk", "đktk", "reg", "register", "registered", "registration", "registrations")
_ACTIVATE = ("kích hoạt", "kh", "khtk", "act", "activate", "activated", "activation", "activations")

# The same six as config.toml's [[metrics]] (tests/reading/test_vocabulary.py keeps them equal).
DEFAULT_METRICS = (
    Metric(key="households", short_vi="Hộ", short_en="Hh", vi="Số hộ đã đến", en="Households visited",
           aliases=("ho", "so ho", "ho dan", "nha", "hh", "households"), max_daily=300,
           actions=("hộ", "số hộ", "hộ dân", "hộ gia đình", "nhà", "gõ cửa", "thăm", "hh", "household",
                    "households", "house", "houses"),
           hints=("hướng dẫn", "hd", "hđ", "đến", "visit", "visited", "visits")),
    Metric(key="installs", short_vi="App", short_en="App", vi="Cài đặt VNeID", en="VNeID installs",
           aliases=("cai", "cai dat", "cai app", "app", "vneid", "install", "installs"), max_daily=500,
           actions=("cài", "cài đặt", "tải", "app", "apps", "install", "installs", "installed", "download",
                    "downloads", "downloaded"),
           hints=("vneid", "ứng dụng")),
    Metric(key="l1_registrations", short_vi="ĐK1", short_en="Reg1", vi="Đăng ký mức 1", en="Level-1 registrations",
           aliases=("dk muc 1", "dang ky muc 1", "muc 1", "muc1", "dk1", "m1", "l1", "reg1"), max_daily=500,
           actions=_REGISTER, levels=_LEVEL_1),
    Metric(key="l1_activations", short_vi="KH1", short_en="Act1", vi="Kích hoạt mức 1", en="Level-1 activations",
           aliases=("kh muc 1", "kich hoat muc 1", "kh muc1", "kh1", "act1"), max_daily=500,
           actions=_ACTIVATE, hints=("thành công",), levels=_LEVEL_1),
    Metric(key="l2_applications", short_vi="HS2", short_en="App2", vi="Thu nhận hồ sơ mức 2", en="Level-2 applications",
           aliases=("muc 2", "muc2", "ho so muc 2", "thu nhan muc 2", "hs2", "m2", "l2", "app2"), max_daily=300,
           actions=("thu nhận", "thu", "hồ sơ", "hs", "tnhs", "hồ sơ kích hoạt", *_REGISTER, "application",
                    "applications", "applied"),
           hints=("nhận",), levels=_LEVEL_2),
    Metric(key="l2_activations", short_vi="KH2", short_en="Act2", vi="Kích hoạt mức 2", en="Level-2 activations",
           aliases=("kh muc 2", "kich hoat muc 2", "kh muc2", "kh2", "act2"), max_daily=300,
           actions=_ACTIVATE, hints=("thành công",), levels=_LEVEL_2),
)

DEFAULT_RULES = (
    Rule(lesser="l1_activations", greater="l1_registrations"),
    Rule(lesser="l2_activations", greater="l2_applications"),
)

DEFAULT_CUTOFFS = (
    Cutoff(name="team", time="16:00", summary_level="ward", remind_before=(30, 10)),
    Cutoff(name="ward", time="17:00", summary_level="district", remind_before=(20,)),
    Cutoff(name="recap", time="08:00", summary_level="city", summary_to="ward", day_offset=-1, files=True),
    Cutoff(name="monthly", time="08:00", summary_level="city", summary_to="ward", day_of_month=10, files=True),
)


class Campaign(BaseModel):
    model_config = ConfigDict(frozen=True)

    timezone: str = "Asia/Ho_Chi_Minh"
    start_date: date | None = None  # running totals count from here; None: from the first entry
    end_date: date | None = None  # the campaign's last day: its final report goes to the leaders the morning after
    unit_kinds: tuple[str, ...] = ("city", "district", "ward", "neighbourhood", "team")
    holidays: tuple[date, ...] = ()
    weekly_days_off: tuple[str, ...] = ()
    allow_yesterday: bool = True  # false: only today, whatever report_days_back says
    report_days_back: int = Field(default=1, ge=0, le=31)  # how many days back a stated day may be
    rank_by: str | None = "l1_activations"  # the metric summaries rank by (accounts activated); None: the first

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v):
        ZoneInfo(v)
        return v

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self

    @field_validator("weekly_days_off")
    @classmethod
    def _days(cls, v):
        bad = [d for d in v if d.lower() not in WEEKDAYS]
        if bad:
            raise ValueError(f"unknown weekday {bad[0]!r}; use {', '.join(WEEKDAYS)}")
        return tuple(d.lower() for d in v)

    @property
    def days_back(self) -> int:
        """How many days before today a report may be for (0: today only)."""
        return self.report_days_back if self.allow_yesterday else 0

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def team_kind(self) -> str:
        return self.unit_kinds[-1]

    def is_day_off(self, day: date) -> bool:
        return day in self.holidays or WEEKDAYS[day.weekday()] in self.weekly_days_off


class Invites(BaseModel):
    model_config = ConfigDict(frozen=True)

    ttl_days: int = Field(default=7, gt=0)
    max_uses: int = Field(default=30, gt=0)
    max_failures_per_hour: int = Field(default=5, gt=0)


class CampaignRules(BaseModel):
    """Everything the core needs to know about the campaign, read once at start."""

    model_config = ConfigDict(frozen=True)

    campaign: Campaign = Campaign()
    metrics: tuple[Metric, ...] = DEFAULT_METRICS
    rules: tuple[Rule, ...] = DEFAULT_RULES
    cutoffs: tuple[Cutoff, ...] = DEFAULT_CUTOFFS
    invites: Invites = Invites()

    @model_validator(mode="after")
    def _consistent(self):
        keys = [m.key for m in self.metrics]
        if len(set(keys)) != len(keys):
            raise ValueError("metric keys must be unique")
        for r in self.rules:
            for k in (r.lesser, r.greater):
                if k not in keys:
                    raise ValueError(f"rule names unknown metric {k!r}")
        kinds = self.campaign.unit_kinds
        for c in self.cutoffs:
            if c.summary_level not in kinds:
                raise ValueError(f"cut-off {c.name!r}: summary_level {c.summary_level!r} is not a unit kind")
            if c.summary_to is not None and (c.summary_to not in kinds
                                             or kinds.index(c.summary_to) < kinds.index(c.summary_level)):
                raise ValueError(f"cut-off {c.name!r}: summary_to {c.summary_to!r} is not a unit kind "
                                 f"at or below {c.summary_level!r}")
        if len({c.name for c in self.cutoffs}) != len(self.cutoffs):
            raise ValueError("cut-off names must be unique")
        if self.campaign.rank_by is not None and self.campaign.rank_by not in keys:
            raise ValueError(f"rank_by names unknown metric {self.campaign.rank_by!r}")
        return self

    @property
    def rank_metric(self) -> Metric:
        return self.metric(self.campaign.rank_by) if self.campaign.rank_by else self.metrics[0]

    def metric(self, key: str) -> Metric:
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(key)

    def find_metric(self, word: str) -> Metric | None:
        """A metric by its key or any one of its aliases, diacritics and case ignored."""
        w = fold(word)
        for m in self.metrics:
            if w == m.key or w in m.folded_aliases:
                return m
        return None
