"""Per-team totals of one day as CSV or JSON on stdout, for spreadsheets and upward reports."""
from __future__ import annotations

import csv
import json
import sys
from datetime import date

from domain.settings import CampaignRules
from storage.store import SqlStore


async def team_totals(store: SqlStore, rules: CampaignRules, day: date, unit_code: str | None) -> list[dict]:
    async def work(tx):
        unit = None
        if unit_code:
            unit = await tx.units.by_code(unit_code)
            if unit is None:
                raise LookupError(f"no unit has the code {unit_code!r}")
        teams = await tx.units.in_subtree(unit, rules.campaign.team_kind)
        totals = await tx.entries.totals([t.id for t in teams], day, day)
        reporters = await tx.entries.reporters([t.id for t in teams], day)
        return [{"date": day.isoformat(), "team_code": t.code, "team_name": t.name,
                 "reported": bool(reporters[t.id]),
                 **{m.key: totals[t.id].get(m.key, 0) for m in rules.metrics}} for t in teams]
    return await store.read(work)


def write(rows: list[dict], fmt: str, rules: CampaignRules, out=None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    fields = ["date", "team_code", "team_name", "reported", *(m.key for m in rules.metrics)]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
