"""Demo members for the console: `chat --as volunteer` becomes a volunteer of the first team, and so on."""
from __future__ import annotations

from bot.config import Settings
from domain.model import Identity, Role
from domain.roles import REPORTERS
from storage.migrate import upgrade
from storage.store import SqlStore


async def demo_identity(settings: Settings, role_word: str) -> str | None:
    """The console identity of a demo member with that role, created on first use; None without units."""
    role = Role(role_word)
    who = f"demo-{role.value}"
    if role == Role.ADMIN:
        return "admin"  # the console's configured admin
    rules = settings.campaign_rules()
    store = SqlStore.from_url(settings.database.url)
    try:
        await upgrade(store.engine)

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
