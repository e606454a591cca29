"""Timeliness: per unit, the share of the reports due over a period that came in before the reporting cut-off."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application.chasing import RollCall
from domain.model import Unit
from domain.ports import Tx
from domain.settings import CampaignRules


@dataclass(frozen=True)
class Timeliness:
    """Reports on time ÷ reports due: due are the members the roll call expected each day, and anyone who reported
    anyway; on time, those whose report of the day was not all after the cut-off. A missing report is not on time."""

    on_time: int = 0
    due: int = 0

    @property
    def ratio(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def __add__(self, other: "Timeliness") -> "Timeliness":
        return Timeliness(self.on_time + other.on_time, self.due + other.due)


async def per_team(tx: Tx, rules: CampaignRules, scope: Unit | None, call: RollCall, first: date,
                   last: date) -> dict[int, Timeliness]:
    """Each team of the roll call over [first, last], from the same daily reads as the leaders' files."""
    found = await tx.entries.days_under(scope, rules.campaign.team_kind, first, last, [rules.rank_metric.key])
    out: dict[int, Timeliness] = {}
    for t in call.teams:
        on_time = due = 0
        for d in call.days():
            who = found.reporters.get((t, d), frozenset())
            expected = {m.id for m in call.expected(t, d)}
            due += len(expected | who)
            on_time += len(who) - found.late.get((t, d), 0)
        out[t] = Timeliness(on_time, due)
    return out


def of(units: dict[int, Timeliness], ids) -> Timeliness:
    total = Timeliness()
    for i in ids:
        total = total + units.get(i, Timeliness())
    return total
