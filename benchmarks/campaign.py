"""A realistic campaign generated straight into SQLite: the unit tree, members, and days of entries."""
from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from domain.clock import FixedClock

BENCH_CHANNEL = "telegram"  # the members can be driven through python-telegram-bot too
_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
_MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Thu")
_GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Mai",
          "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến")


@dataclass(frozen=True)
class Shape:
    """How big: members per team, teams per ward, wards per district, districts per province."""

    members: int = 400_000
    days: int = 30
    team_size: int = 5
    ward_teams: int = 8
    district_wards: int = 15
    province_districts: int = 10  # 8 × 15 × 10 = 1,200 teams per province, the national average
    report_share: float = 0.85  # of members who report on a given day
    first_day: date = date(2026, 10, 22)

    @property
    def teams(self) -> int:
        return -(-self.members // self.team_size)

    @property
    def province_teams(self) -> int:
        return self.ward_teams * self.district_wards * self.province_districts

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=self.days - 1)


@dataclass
class Campaign:
    """What the generator made, for the measurements to pick from."""

    path: Path
    shape: Shape
    teams: int
    members: int
    entries: int
    province_code: str
    ward_code: str

    @property
    def summary_day(self) -> date:
        return self.shape.last_day

    def reporters(self) -> list[str]:
        """External ids of every volunteer and team leader."""
        db = sqlite3.connect(self.path)
        try:
            return [r[0] for r in db.execute(
                "SELECT i.external_id FROM members m JOIN identities i ON i.member_id = m.id "
                "WHERE m.role IN ('volunteer', 'team_leader') AND i.channel = ? ORDER BY m.id", (BENCH_CHANNEL,))]
        finally:
            db.close()

    def clock(self) -> FixedClock:
        return clock_for(self.path)

    def save(self) -> None:
        info = {**asdict(self), "path": None, "shape": {**asdict(self.shape), "first_day": self.shape.first_day.isoformat()}}
        _sidecar(self.path).write_text(json.dumps(info, indent=1))

    @classmethod
    def load(cls, path: Path, shape: Shape) -> "Campaign | None":
        """The campaign generated earlier at `path` with this shape, if there is one."""
        side = _sidecar(path)
        if not path.exists() or not side.exists():
            return None
        info = json.loads(side.read_text())
        stored = Shape(**{**info.pop("shape"), "first_day": shape.first_day})
        if stored != shape:
            return None
        info.pop("path")
        return cls(path=path, shape=shape, **info)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def bench_day(path: Path | str) -> date:
    db = sqlite3.connect(path)
    try:
        last = db.execute("SELECT max(day) FROM entries").fetchone()[0]
    finally:
        db.close()
    return date.fromisoformat(last) + timedelta(days=1) if last else Shape().first_day


def clock_for(path: Path | str) -> FixedClock:
    """15:00 on the day after the last with entries: the peak hour, on a day no earlier run filled."""
    return FixedClock(datetime.combine(bench_day(path), time(15, 0), _TZ))


def _stamp(d: date, hh: int, mm: int) -> str:
    """A local time of day as SQLAlchemy stores an aware UTC datetime on SQLite."""
    utc = datetime.combine(d, time(hh, mm), _TZ).astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(path: Path, shape: Shape, seed: int = 6) -> Campaign:
    """Fill a migrated, empty database. Bulk SQL: 400,000 members × 30 days take a few minutes."""
    rnd = random.Random(seed)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")  # loading: no WAL growing by gigabytes; the bot's engine sets WAL again
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")  # 256 MB while loading; the bot's own connections use the default
    db.execute("PRAGMA temp_store=MEMORY")
    db.execute("BEGIN")
    teams = _units(db, shape)
    members = _members(db, shape, teams, rnd)
    db.execute("COMMIT")
    entries = _entries(db, shape)
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    row = db.execute("SELECT code FROM units WHERE kind='city' ORDER BY id LIMIT 1").fetchone()
    ward = db.execute("SELECT code FROM units WHERE kind='ward' ORDER BY id LIMIT 1").fetchone()
    db.close()
    campaign = Campaign(path, shape, len(teams), members, entries, row[0], ward[0])
    campaign.save()
    return campaign


def _units(db: sqlite3.Connection, shape: Shape) -> list[int]:
    rows, team_ids = [], []
    next_id = iter(range(1, 10**9))

    def unit(code: str, name: str, kind: str, parent: tuple[int, str] | None, households=None) -> tuple[int, str]:
        uid = next(next_id)
        path = f"{parent[1] if parent else '/'}{uid}/"
        rows.append((uid, code, name, kind, parent[0] if parent else None, path, households))
        return uid, path

    made = 0
    p = 0
    while made < shape.teams:
        p += 1
        province = unit(f"T{p:02d}", f"Tỉnh {p:02d}", "city", None)
        for d in range(1, shape.province_districts + 1):
            if made >= shape.teams:
                break
            district = unit(f"T{p:02d}-H{d:02d}", f"Huyện {d:02d} ({p:02d})", "district", province)
            for w in range(1, shape.district_wards + 1):
                if made >= shape.teams:
                    break
                ward = unit(f"T{p:02d}-H{d:02d}-X{w:02d}", f"Xã {w:02d} ({p:02d}.{d:02d})", "ward", district)
                for t in range(1, shape.ward_teams + 1):
                    if made >= shape.teams:
                        break
                    code = f"T{p:02d}-H{d:02d}-X{w:02d}-K{t:02d}"
                    hood = unit(code, f"Thôn {t:02d}", "neighbourhood", ward)
                    team = unit(f"{code}-T", f"Tổ CNS thôn {t:02d}", "team", hood, 300 + 17 * t)
                    team_ids.append(team[0])
                    made += 1
    db.executemany("INSERT INTO units (id, code, name, kind, parent_id, path, households) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return team_ids


def _members(db: sqlite3.Connection, shape: Shape, teams: list[int], rnd: random.Random) -> int:
    created = _stamp(shape.first_day - timedelta(days=3), 9, 0)
    members, idents = [], []
    for n in range(shape.members):
        mid = n + 1
        team = teams[n // shape.team_size]
        role = "team_leader" if n % shape.team_size == 0 else "volunteer"
        name = f"{rnd.choice(_FAMILY)} {rnd.choice(_MIDDLE)} {rnd.choice(_GIVEN)}"
        members.append((mid, name, role, team, "vi", 0, created))
        external = str(100_000_000 + mid)
        idents.append((BENCH_CHANNEL, external, mid, external))
    db.executemany("INSERT INTO members (id, name, role, unit_id, language, unreachable, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", members)
    db.executemany("INSERT INTO identities (channel, external_id, member_id, chat_id) VALUES (?, ?, ?, ?)", idents)
    return shape.members


def _entries(db: sqlite3.Connection, shape: Shape) -> int:
    """Entries, their six values and the teams' daily and running totals, made inside SQLite; indexes dropped while
    loading, rebuilt after."""
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                         "AND tbl_name IN ('entries', 'entry_values')").fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    share = int(shape.report_share * 1000)
    db.execute("BEGIN")
    for i in range(shape.days):
        day = shape.first_day + timedelta(days=i)
        # Most report in the afternoon before the 16:00 cut-off; a few late.
        db.execute(
            "INSERT INTO entries (member_id, team_id, day, recorded_at, source_key, late) "
            "SELECT id, unit_id, :day, :at, 'gen:' || id || ':' || :day, (abs(random()) % 25 = 0) "
            "FROM members WHERE role IN ('volunteer', 'team_leader') AND abs(random()) % 1000 < :share "
            "ORDER BY id",
            {"day": day.isoformat(), "at": _stamp(day, 15, 20), "share": share})
    db.execute(
        "INSERT INTO entry_values (entry_id, metric, value) "
        "SELECT e.id, m.metric, CASE m.metric "
        "  WHEN 'households' THEN 5 + e.id % 31 "
        "  WHEN 'installs' THEN e.id % 23 "
        "  WHEN 'l1_registrations' THEN 2 + e.id % 17 "
        "  WHEN 'l1_activations' THEN (2 + e.id % 17) * (e.id % 4) / 4 "
        "  WHEN 'l2_applications' THEN 1 + e.id % 5 "
        "  ELSE (1 + e.id % 5) * (e.id % 3) / 3 END "
        "FROM entries e CROSS JOIN (SELECT 'households' AS metric UNION ALL SELECT 'installs' "
        "  UNION ALL SELECT 'l1_registrations' UNION ALL SELECT 'l1_activations' "
        "  UNION ALL SELECT 'l2_applications' UNION ALL SELECT 'l2_activations') m")
    db.execute(
        "INSERT INTO team_day_totals (team_id, day, metric, total, entries) "
        "SELECT e.team_id, e.day, v.metric, sum(v.value), count(*) FROM entries e "
        "JOIN entry_values v ON v.entry_id = e.id GROUP BY e.team_id, e.day, v.metric")
    db.execute(
        "INSERT INTO team_totals (team_id, metric, total, entries) "
        "SELECT team_id, metric, sum(total), sum(entries) FROM team_day_totals GROUP BY team_id, metric")
    db.execute("COMMIT")
    for _, sql in indexes:
        db.execute(sql)
    return db.execute("SELECT count(*) FROM entries").fetchone()[0]
