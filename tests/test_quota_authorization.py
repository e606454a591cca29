"""Who may do what: every new command × every role × own and foreign subtree; after a refusal nothing changed."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.model import Identity, Role
from tests.support.seed import seed_units

REFUSALS = ("Bạn không có quyền làm việc này.", "Bạn chưa là thành viên.",
            "Không tìm thấy thành viên")  # a member outside one's units is answered as a missing one
ROLES = ("volunteer", "team_leader", "leader", "admin", "outsider")
TABLES = ("units", "members", "identities", "invites", "entries", "entry_values", "audit_log", "quotas", "targets",
          "phases")

# Every actor sits in (or over) ward P01: its team P01-KP1-T is the own subtree, P02's team a foreign one.
COMMANDS = {
    "quota show": ("/quota P01-KP1-T", "/quota P02-KP1-T"),
    "quota set": ("/quota set P01-KP1-T kh1 10", "/quota set P02-KP1-T kh1 10 01/11/2026 30/11/2026"),
    "quota split": ("/quota split P01-KP1 kh1 10", "/quota split P02-KP1 kh1 10 all"),
    "target set": ("/target set P01-KP1-T kh1 100 30/11/2026", "/target set P02-KP1-T act1 100 2026-11-30"),
    "phase list": ("/phase", "/phase"),
    "phase add": ("/phase add Giai đoạn 1 01/11/2026 30/11/2026", "/phase add GĐ 2 01/12/2026 31/12/2026"),
    "progress": ("/progress P01-KP1-T", "/progress P02-KP1-T"),
    "members": ("/members P01-KP1-T", "/members P02-KP1-T"),
    "role": ("/role #{own} team_leader", "/role #{far} team_leader"),
    "remove": ("/remove #{own}", "/remove #{far}"),
}
CHANGES = {"quota set": "quota", "quota split": "quota", "target set": "quota", "phase add": "phase",
           "role": "people", "remove": "people"}

MANAGERS = {"leader", "admin"}
ALLOWED = {  # command → roles allowed on their own subtree; on a foreign subtree only the admin is
    "quota show": MANAGERS, "quota set": MANAGERS, "quota split": MANAGERS, "target set": MANAGERS,
    "phase list": MANAGERS, "phase add": {"admin"}, "progress": {"volunteer", "team_leader", "leader", "admin"},
    "members": {"team_leader", "leader", "admin"}, "role": MANAGERS, "remove": {"team_leader", "leader", "admin"},
}
CAMPAIGN_WIDE = {"phase list", "phase add"}  # no subtree: own and foreign are the same


def expected(command: str, role: str, subtree: str) -> bool:
    if role not in ALLOWED[command]:
        return False
    return subtree == "own" or role == "admin" or command in CAMPAIGN_WIDE


@pytest.fixture
async def world(chat, store):
    """Units, one member of each role, and two volunteers to act on, written straight to the database."""
    await seed_units(store)
    ids = {}

    async def people(tx):
        team, ward, far = [await tx.units.by_code(c) for c in ("P01-KP1-T", "P01", "P02-KP1-T")]
        for who, role, unit in (("volunteer", Role.VOLUNTEER, team), ("team_leader", Role.TEAM_LEADER, team),
                                ("leader", Role.LEADER, ward), ("own", Role.VOLUNTEER, team),
                                ("far", Role.VOLUNTEER, far)):
            m = await tx.members.create(who.title(), role, unit.id, "vi", Identity("test", who, who))
            ids[who] = m.id
    await store.write(people)
    await chat.say("admin", "/help")  # the config-listed admin becomes a member on the first message
    return ids


async def dump(store) -> dict:
    async def read(tx):
        from storage.schema import metadata
        out = {}
        for name in TABLES:
            table = metadata.tables[name]
            out[name] = sorted(tuple(str(v) for v in row) for row in await tx.conn.execute(select(table)))
        return out
    return await store.read(read)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", list(COMMANDS))
async def test_authorization_matrix(world, chat, store, command, role):
    who = role
    for subtree, template in (("foreign", COMMANDS[command][1]), ("own", COMMANDS[command][0])):
        text = template.format(own=world["own"], far=world["far"])
        before = await dump(store)
        said = await chat.say(who, text)
        assert said.texts, f"{role} {text}: a refusal is always a reply"
        if not expected(command, role, subtree):
            assert len(said.texts) == 1 and said.texts[0].startswith(REFUSALS), f"{role} {text}: {said.text}"
            if command in CHANGES:  # a forged confirmation after the refusal finds nothing to apply
                await chat.press(who, f"{CHANGES[command]}:confirm")
            assert await dump(store) == before, f"{role} {text} changed the database"
            continue
        assert not said.texts[0].startswith(REFUSALS), f"{role} {text}: {said.text}"
        if command not in CHANGES:
            assert await dump(store) == before, f"{role} {text}: looking changed something"
            continue
        assert said.buttons == [f"{CHANGES[command]}:confirm", f"{CHANGES[command]}:cancel"], said.text
        assert await dump(store) == before, "nothing is applied before the confirmation"
        done = await chat.press(who, f"{CHANGES[command]}:confirm")
        assert "✅" in done.text, f"{role} {text}: {done.text}"
        after = await dump(store)
        assert after != before and len(after["audit_log"]) > len(before["audit_log"]), f"{role} {text}: not logged"


def test_the_matrix_covers_every_new_command():
    from handlers import figures, people, phases, quota
    names = {c.name for f in (quota.FEATURE, phases.FEATURE, figures.PROGRESS, people.FEATURE) for c in f.commands}
    assert names == {c.split()[0] for c in COMMANDS}
