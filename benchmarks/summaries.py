"""A ward's and a province's daily summary through the bot's code, against one hand-tuned query on plain sqlite3."""
from __future__ import annotations

import sqlite3
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

from application.summaries import MAX_TEAM_ROWS, collect
from domain.settings import CampaignRules
from storage.store import SqlStore

# Everything a daily summary shows, in one statement: per team and metric the day's total and the day before's
# (kept in team_day_totals), the running total (team_totals, less the days after), who reported and whether only
# late (from the entries' covering index), and, for a summary that names people, every reporting member of the
# teams (the missing are the rest).
_TOTALS_AND_REPORTERS = """
WITH t AS (SELECT id FROM units WHERE path GLOB :subtree AND kind = :team_kind)
SELECT 'total', d.team_id, d.metric, d.total FROM team_day_totals d
 WHERE d.team_id IN (SELECT id FROM t) AND d.day = :day
UNION ALL
SELECT 'previous', d.team_id, d.metric, d.total FROM team_day_totals d
 WHERE d.team_id IN (SELECT id FROM t) AND d.day = :previous
UNION ALL
SELECT 'to_date', team_id, metric, sum(total) FROM (
  SELECT r.team_id, r.metric, r.total FROM team_totals r WHERE r.team_id IN (SELECT id FROM t)
  UNION ALL
  SELECT d.team_id, d.metric, -d.total FROM team_day_totals d WHERE d.team_id IN (SELECT id FROM t) AND d.day > :day)
 GROUP BY team_id, metric
UNION ALL
SELECT 'reported', e.team_id, e.member_id, min(e.late) FROM entries e
 WHERE e.team_id IN (SELECT id FROM t) AND e.day = :day AND e.withdrawn_at IS NULL AND e.replaced_by IS NULL
 GROUP BY e.team_id, e.member_id
"""
_MEMBERS = """
UNION ALL
SELECT 'member', m.unit_id, m.id, m.name FROM members m
 WHERE m.unit_id IN (SELECT id FROM t) AND m.removed_at IS NULL AND m.role IN ('volunteer', 'team_leader')
"""
# (`IN (SELECT id FROM t)` rather than a join: as a join SQLite 3.38+ first builds a Bloom filter over every
# member in the country, 60 ms where the answer takes 0.1)


def hand_tuned(names: bool) -> str:
    """The query; with `names` it also lists the members (a summary of up to MAX_TEAM_ROWS teams names the
    missing; a larger one shows group rows only)."""
    return _TOTALS_AND_REPORTERS + (_MEMBERS if names else "")


@dataclass
class Timing:
    scope: str
    teams: int
    bot_ms: float
    sql_ms: float

    @property
    def ratio(self) -> float:
        return self.bot_ms / self.sql_ms if self.sql_ms else 0.0


def _median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


async def time_summary(store: SqlStore, db_path: str, rules: CampaignRules, code: str, day: date,
                       repeat: int) -> Timing:
    """collect() as /summary runs it, inside the dispatcher's transaction (whose own cost, shared by every
    message, is not the summary's); the hand-tuned query on a plain connection right after each run."""
    async def find(tx):
        return await tx.units.by_code(code)

    unit = await store.read(find)
    params = {"subtree": unit.path + "*", "team_kind": rules.campaign.team_kind, "day": day.isoformat(),
              "previous": (day - timedelta(days=1)).isoformat()}
    plain = sqlite3.connect(db_path)

    async def measure(tx) -> Timing:
        summary = await collect(tx, rules, unit, day)  # first runs warm the page caches of both alike
        query = hand_tuned(names=summary.teams <= MAX_TEAM_ROWS)
        plain.execute(query, params).fetchall()
        bot, sql = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            await collect(tx, rules, unit, day)
            bot.append(time.perf_counter() - t)
            t = time.perf_counter()
            plain.execute(query, params).fetchall()
            sql.append(time.perf_counter() - t)
        return Timing(code, summary.teams, _median_ms(bot), _median_ms(sql))

    try:
        return await store.write(measure)
    finally:
        plain.close()
