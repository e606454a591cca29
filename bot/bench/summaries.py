"""A ward's and a province's daily summary through the bot's code, against one hand-tuned query on plain sqlite3."""
from __future__ import annotations

import sqlite3
import statistics
import time
from dataclasses import dataclass
from datetime import date

from domain.settings import CampaignRules
from handlers.summary import collect
from storage.store import SqlStore

# Everything a daily summary shows, in one statement: per team and metric the sum of the day's active entries,
# who reported (and whether only late), and every reporting member of the teams (the missing are the rest).
HAND_TUNED = """
WITH t AS (SELECT id FROM units WHERE path GLOB :subtree AND kind = :team_kind),
     e AS (SELECT e.id, e.team_id, e.member_id, e.late FROM t
           JOIN entries e ON e.team_id = t.id AND e.day = :day
                         AND e.withdrawn_at IS NULL AND e.replaced_by IS NULL)
SELECT 'total', e.team_id, v.metric, sum(v.value) FROM e JOIN entry_values v ON v.entry_id = e.id
 GROUP BY e.team_id, v.metric
UNION ALL
SELECT 'reported', team_id, member_id, min(late) FROM e GROUP BY team_id, member_id
UNION ALL
SELECT 'member', m.unit_id, m.id, m.name FROM t JOIN members m ON m.unit_id = t.id
 WHERE m.removed_at IS NULL AND m.role IN ('volunteer', 'team_leader')
"""


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
    async def run(tx):
        unit = await tx.units.by_code(code)
        return await collect(tx, rules, unit, day)

    async def path_of(tx):
        return (await tx.units.by_code(code)).path

    subtree = await store.read(path_of) + "*"
    params = {"subtree": subtree, "team_kind": rules.campaign.team_kind, "day": day.isoformat()}
    plain = sqlite3.connect(db_path)
    try:
        summary = await store.read(run)  # first runs warm the page caches of both alike
        plain.execute(HAND_TUNED, params).fetchall()
        bot, sql = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            await store.read(run)
            bot.append(time.perf_counter() - t)
            t = time.perf_counter()
            plain.execute(HAND_TUNED, params).fetchall()
            sql.append(time.perf_counter() - t)
    finally:
        plain.close()
    return Timing(code, summary.teams, _median_ms(bot), _median_ms(sql))
