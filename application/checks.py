"""One check for every change to the figures: held per team and member, read, then checked against the rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from domain.model import Entry
from domain.ports import Tx
from domain import rules as checks
from domain.rules import Problem, add
from domain.settings import CampaignRules


@dataclass(frozen=True)
class Checked:
    """What a change was checked against (as stored before it), the entries it takes out, and its problems."""

    problems: list[Problem]
    member_day: dict[str, int]  # the member's day, all their channels, before the change
    team_day: dict[str, int]
    team_to_date: dict[str, int]
    removed: list[Entry] = field(default_factory=list)  # still active now: the caller withdraws or replaces these

    @property
    def removing(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.removed:
            out = add(out, e.values)
        return out


async def check_change(tx: Tx, rules: CampaignRules, member_id: int, team_id: int, day: date,
                       adding: dict[str, int], *, withdrawing: Iterable[int] = (),
                       replacing_day: bool = False) -> Checked:
    """Check a change to `member_id`'s `day` on team `team_id`: `adding` stored, and the member's entries
    `withdrawing` (ids; those no longer active are left out of `removed`) or their whole day (`replacing_day`)
    taken out.

    The team and the member are held first (`tx.entries.hold`), so the figures read here stay as they are until
    the caller's transaction, which writes the change, ends: two confirmations at once are checked one after the
    other, on every backend, whichever channel each came from."""
    await tx.entries.hold(team_id, member_id)
    removed: list[Entry] = []
    wanted = set(withdrawing)
    if replacing_day or wanted:
        removed = [e for e in await tx.entries.active_for_member(member_id, day)
                   if replacing_day or e.id in wanted]
    member_day, team_day, team_to_date = await tx.entries.for_report(member_id, team_id, day,
                                                                     rules.campaign.start_date)
    checked = Checked([], member_day, team_day, team_to_date, removed)
    problems = checks.check_change(rules, adding, checked.removing, member_day, team_to_date)
    # A change to an earlier day must hold to date as of every day since, too.
    to_date = team_to_date
    for later in (await tx.entries.team_after(team_id, day)).values():
        if any(p.key == "check.inconsistent" for p in problems):
            break
        to_date = add(to_date, later)
        problems += [p for p in checks.check_change(rules, adding, checked.removing, member_day, to_date)
                     if p.key == "check.inconsistent"]
    return Checked(problems, member_day, team_day, team_to_date, removed)
