"""Demo members for the console: `chat --as volunteer` becomes a volunteer of the first team, and so on. With no
units stored yet, the example units (examples/units.csv) are imported first, so the console needs no prior step."""
from __future__ import annotations

import sys
from pathlib import Path

from bot.config import Settings
from bot.units_import import import_units
from domain.model import Identity, Role
from domain.roles import REPORTERS
from storage.migrate import upgrade
from storage.store import SqlStore

EXAMPLE_UNITS = Path(__file__).resolve().parent.parent / "examples" / "units.csv"


async def demo_identity(settings: Settings, role_word: str, example_units: Path = EXAMPLE_UNITS) -> str | None:
    """The console identity of a demo member with that role, created on first use; None without units (none
    stored and no example file to import)."""
    role = Role(role_word)
    who = f"demo-{role.value}"
    rules = settings.campaign_rules()
    store = SqlStore.from_url(settings.database.url)
    try:
        await upgrade(store.engine)
        if not await store.read(lambda tx: tx.units.roots()):
            if not example_units.exists():
                return None
            changed, _ = await import_units(store, rules, example_units, progress=False)
            print(f"No units yet: imported the {changed} example units of {example_units.name} "
                  "(python -m bot units import FILE for your own).", file=sys.stderr)
        if role == Role.ADMIN:
            return "admin"  # the console's configured admin

        async def work(tx):
            if await tx.members.by_identity("console", who):
                return who
            kind = rules.campaign.team_kind if role in REPORTERS else None
            units = await tx.units.in_subtree(None, kind)
            if not units:
                return None
            unit = units[0] if kind else min(units, key=lambda u: len(u.path))
            await tx.members.create(f"Demo {role.value}", role, unit.id, "vi", Identity("console", who, who))
            return who

        return await store.write(work)
    finally:
        await store.close()
