"""Random conversations through the real dispatcher, then the database checked against what must always hold.

Hypothesis draws sequences of members' messages (reports, bare numbers, ok/cancel words), button presses, commands
(/undo, /edit, /report, /remove, /role, /quota, /summary…), presses of the buttons just shown, role changes
and the clock moving on, from five members
of two teams (one of them on two linked apps), their team leader, a ward leader and an admin. Every input must get an
answer that is not the internal error; after each sequence, over the whole database:
- no figure is negative, none is over its metric's daily maximum, for a member's day across all their channels;
- every consistency rule ("activations ≤ registrations") holds per team, to date as of every day;
- the running totals and the daily totals equal the sums of the active entries;
- entries are only by members who were reporters of that team when they were stored;
- roles are valid, reporters belong to a team, quotas are not negative.

Each example gets its own units and people in the one database of the test (a fresh database per example would cost
more than the example). Examples: BAOCAO_FUZZ_EXAMPLES (default 30 per backend, well inside CI's time); a long run:
`BAOCAO_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py` (docs/testing.md)."""
from __future__ import annotations

import itertools
import json
import os
from collections import defaultdict

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import or_, select

from domain.roles import REPORTERS
from domain.model import Role
from storage.schema import audit_log, days_off, entries, entry_values, members, notes, quotas, units
from storage.schema import team_day_totals, team_totals
from tests.support.chat import Chat, at
from tests.support.seed import invite_code

EXAMPLES = int(os.environ.get("BAOCAO_FUZZ_EXAMPLES", "30"))
STEPS = 25
_examples = itertools.count(1)

PEOPLE = ("v1", "v1z", "v2", "tl", "w1", "lead", "admin")  # v1z: v1 on the other app
METRIC_WORDS = ("ho", "app", "muc 1", "kh muc 1", "muc 2", "kh muc 2")
PAYLOADS = ("report:confirm", "report:fix", "report:cancel", "report:skip", "report:back", "undo:yes", "undo:no",
            "people:confirm", "people:cancel", "quota:confirm", "quota:cancel", "report:stale", "report:tell",
            "report:tell_team")
WORDS = ("ok", "huy", "co", "khong", "1", "2", "3", "bo qua", "quay lai", "hom qua", "xin chao", "", "nghi om",
         "to nghi vi mua", "Kho khan: mat dien", "ho 3. Kien nghi: them tai lieu")

figure = st.one_of(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=600))


def _plausible(ns: list[int]) -> str:
    """Six figures, activations within registrations: most such reports are stored."""
    h, i, r1, a1, r2, a2 = ns
    return f"{h} {i} {r1} {min(a1, r1)} {r2} {min(a2, r2)}"


report = st.one_of(
    st.lists(st.tuples(st.sampled_from(METRIC_WORDS), figure), min_size=1, max_size=4)
    .map(lambda pairs: ", ".join(f"{w} {n}" for w, n in pairs)),
    st.lists(figure, min_size=6, max_size=6).map(lambda ns: " ".join(map(str, ns))),
    st.lists(st.integers(min_value=0, max_value=120), min_size=6, max_size=6).map(_plausible),
    st.tuples(st.sampled_from(METRIC_WORDS), figure).map(lambda p: f"hom qua {p[0]} {p[1]}"),
)
plain = st.one_of(report, figure.map(str), st.sampled_from(WORDS))
command = st.one_of(
    st.sampled_from(("/undo", "/edit", "/report", "/report hom qua", "/summary", "/progress", "/members", "/quota",
                     "/help", "/start")),
    st.tuples(st.sampled_from(PEOPLE), st.sampled_from(("remove", "role"))).map(lambda p: (f"@{p[0]}", p[1])),
    st.tuples(st.sampled_from(("ta", "tb", "w")), st.sampled_from(("kh1", "ho", "m2")), figure)
    .map(lambda q: ("quota", *q)),
)
action = st.one_of(
    st.tuples(st.just("say"), st.sampled_from(PEOPLE), plain),
    st.tuples(st.just("say"), st.sampled_from(PEOPLE), command),
    st.tuples(st.just("press"), st.sampled_from(PEOPLE), st.sampled_from(PAYLOADS)),
    st.tuples(st.just("role"), st.sampled_from(PEOPLE), st.sampled_from([r.value for r in Role])),
    st.tuples(st.just("wait"), st.just(""), st.integers(min_value=1, max_value=900)),
    *[st.tuples(st.just("report"), st.sampled_from(PEOPLE), report)] * 3,  # a report and its ✅ at once
    st.tuples(st.just("tap"), st.sampled_from(PEOPLE), st.integers(min_value=0, max_value=3)),  # a button shown
)


class World:
    """One example's units and people, all named with the example's number."""

    def __init__(self, chat: Chat, n: int) -> None:
        self.chat, self.n = chat, n
        self.ids: dict[str, int] = {}
        self.shown: dict[str, list[str]] = {}  # the buttons of each person's last answer

    def code(self, short: str) -> str:
        return {"w": f"F{self.n}", "kp": f"F{self.n}-KP", "ta": f"F{self.n}-KP-TA", "tb": f"F{self.n}-KP-TB"}[short]

    def who(self, person: str) -> tuple[str, str]:
        """(sender id, channel)."""
        if person == "admin":
            return "admin", "test"
        if person == "v1z":
            return f"f{self.n}-v1z", "plain"
        return f"f{self.n}-{person}", "test"

    async def build(self, store) -> None:
        async def tree(tx):
            for code, kind, parent in (("w", "ward", None), ("kp", "neighbourhood", "w"), ("ta", "team", "kp"),
                                       ("tb", "team", "kp")):
                await tx.units.upsert(self.code(code), f"Unit {self.code(code)}", kind,
                                      self.code(parent) if parent else None, 100)
        await store.write(tree)
        for person, unit, role in (("v1", "ta", "volunteer"), ("v2", "ta", "volunteer"),
                                   ("tl", "ta", "team_leader"), ("w1", "tb", "volunteer"), ("lead", "w", "leader")):
            said = await self.chat.say("admin", f"/invite {self.code(unit)} {role}")
            sender, _ = self.who(person)
            assert "Chào mừng" in (await self.chat.say(sender, f"/start {invite_code(said.text)}")).text
            member = await store.read(lambda tx: tx.members.by_identity("test", sender))
            self.ids[person] = member.id
        link = (await self.chat.say(self.who("v1")[0], "/link_account")).text.split("/link_account ")[1].split()[0]
        sender, channel = self.who("v1z")
        assert "Đã liên kết" in (await self.chat.say(sender, f"/link_account {link}", channel=channel)).text
        self.ids["v1z"] = self.ids["v1"]
        self.ids["admin"] = 0

    def text(self, what) -> str:
        if isinstance(what, str):
            return what
        if what[0] == "quota":
            _, unit, metric, n = what
            return f"/quota set {self.code(unit)} {metric} {n}"
        person, verb = what[0][1:], what[1]
        target = f"#{self.ids.get(person, 0)}"
        return f"/remove {target}" if verb == "remove" else f"/role {target} team_leader"

    async def do(self, step) -> None:
        kind, person, what = step
        chat = self.chat
        chat.clock.advance(seconds=1)  # strictly ordered audit records and entries
        if kind == "wait":
            chat.clock.advance(minutes=what)
            return
        if kind == "role":  # a role change by whoever may make it: the ward leader, else the admin
            target = self.ids.get(person)
            if not target:
                return
            for boss in ("lead", "admin"):
                sender, channel = self.who(boss)
                await self.answered(await chat.say(sender, f"/role #{target} {what}", channel=channel), boss)
                await self.answered(await chat.press(sender, "people:confirm", channel=channel), boss)
            return
        sender, channel = self.who(person)
        if kind == "tap":
            shown = self.shown.get(person) or ["report:confirm"]
            kind, what = "press", shown[what % len(shown)]
        if kind == "press":
            said = await chat.press(sender, what, channel=channel)
        else:
            said = await chat.say(sender, self.text(what), channel=channel)
        await self.answered(said, person)
        if kind == "report":
            await self.answered(await chat.press(sender, "report:confirm", channel=channel), person)

    async def answered(self, said, person: str) -> None:
        internal = {self.chat.services.translator.for_language(lang)("error.internal") for lang in ("vi", "en")}
        assert said.out, f"no answer for {person}"
        assert not internal & set(said.texts), said.texts
        self.shown[person] = said.buttons


async def check_invariants(store, rules, prefix: str) -> None:
    """Everything that must hold over the example's units (codes starting with `prefix`) and their members,
    whatever was said. Each example is checked on its own: a fault is blamed on the sequence that made it."""
    maxima = {m.key: m.max_daily for m in rules.metrics}

    async def read(tx):
        c = tx.conn
        found = {}
        found["units"] = {u.id: u for u in await c.execute(select(units).where(
            or_(units.c.code == prefix, units.c.code.like(prefix + "-%"))))}
        ids = list(found["units"])
        found["values"] = (await c.execute(
            select(entries.c.id, entries.c.member_id, entries.c.team_id, entries.c.day, entries.c.recorded_at,
                   entry_values.c.metric, entry_values.c.value)
            .join(entry_values, entry_values.c.entry_id == entries.c.id)
            .where(entries.c.withdrawn_at.is_(None), entries.c.replaced_by.is_(None),
                   entries.c.team_id.in_(ids)))).all()
        found["all_values"] = (await c.execute(
            select(entry_values.c.value).join(entries, entries.c.id == entry_values.c.entry_id)
            .where(entries.c.team_id.in_(ids)))).scalars().all()
        found["entries"] = (await c.execute(select(entries).where(entries.c.team_id.in_(ids)))).all()
        found["running"] = (await c.execute(select(team_totals).where(team_totals.c.team_id.in_(ids)))).all()
        found["daily"] = (await c.execute(select(team_day_totals).where(team_day_totals.c.team_id.in_(ids)))).all()
        found["members"] = (await c.execute(select(members).where(members.c.unit_id.in_(ids)))).all()
        found["quotas"] = (await c.execute(select(quotas).where(quotas.c.unit_id.in_(ids)))).all()
        found["notes"] = (await c.execute(select(notes).where(notes.c.team_id.in_(ids)))).all()
        found["days_off"] = (await c.execute(select(days_off).where(days_off.c.team_id.in_(ids)))).all()
        found["audit"] = (await c.execute(select(audit_log).where(audit_log.c.action.in_(
            ("member.join", "member.role"))).order_by(audit_log.c.id))).all()
        return found
    db = await store.read(read)

    assert all(v >= 0 for v in db["all_values"]), "a negative figure"
    # A note kept with a report is that report's member, team and day; notes and days off are in the example's teams.
    by_id = {e.id: e for e in db["entries"]}
    for n in db["notes"]:
        assert n.team_id in db["units"] and n.text.strip()
        if n.entry_id is not None:
            e = by_id[n.entry_id]
            assert (e.member_id, e.team_id, e.day) == (n.member_id, n.team_id, n.day), "a note on another's report"
    assert all(d.team_id in db["units"] for d in db["days_off"])
    member_day, team_day = defaultdict(int), defaultdict(int)
    team_entries = defaultdict(int)
    for _, member, team, day, _, metric, value in db["values"]:
        member_day[(member, day, metric)] += value
        team_day[(team, day, metric)] += value
    for (member, day, metric), total in member_day.items():
        assert total <= maxima[metric], f"member {member} has {total} {metric} on {day}, over {maxima[metric]}"

    # The rules, per team, to date as of every day.
    days = defaultdict(lambda: defaultdict(dict))
    for (team, day, metric), total in team_day.items():
        days[team][day][metric] = total
    for team, by_day in days.items():
        to_date: dict[str, int] = defaultdict(int)
        for day in sorted(by_day):
            for metric, total in by_day[day].items():
                to_date[metric] += total
            for rule in rules.rules:
                assert to_date[rule.lesser] <= to_date[rule.greater], \
                    f"team {team} to {day}: {rule.lesser} {to_date[rule.lesser]} > " \
                    f"{rule.greater} {to_date[rule.greater]}"

    # Running and daily totals are the sums of the active entries.
    counted = defaultdict(int)
    for _, _, team, day, _, metric, _ in db["values"]:
        counted[(team, day, metric)] += 1
    daily = {(r.team_id, r.day, r.metric): (r.total, r.entries) for r in db["daily"] if r.entries}
    assert daily == {k: (v, counted[k]) for k, v in team_day.items()}, "daily totals differ from the entries"
    running = defaultdict(int)
    for (team, _, metric), total in team_day.items():
        running[(team, metric)] += total
    assert {(r.team_id, r.metric): r.total for r in db["running"] if r.entries} == dict(running), \
        "running totals differ from the entries"
    assert all(r.total >= 0 and r.entries >= 0 for r in [*db["running"], *db["daily"]])

    # Entries only by members who were reporters of that very team when the entry was stored.
    history = defaultdict(list)  # member → [(at, role)]
    for r in db["audit"]:
        member = r.actor_id if r.action == "member.join" else int(r.subject.split(":")[1])
        history[member].append((r.at, json.loads(r.new)["role"]))
    people = {m.id: m for m in db["members"]}
    for e in db["entries"]:
        member = people.get(e.member_id)
        assert member is not None, f"entry {e.id} by a member of no unit of the example"
        assert e.team_id == member.unit_id and db["units"][e.team_id].kind == rules.campaign.team_kind
        assert member.removed_at is None or e.recorded_at <= member.removed_at
        roles = [role for when, role in history[e.member_id] if when <= e.recorded_at]
        assert roles and Role(roles[-1]) in REPORTERS, f"entry {e.id} stored by a {roles[-1:]}"

    # Valid roles and quotas.
    for m in db["members"]:
        role = Role(m.role)
        if role in REPORTERS:
            assert m.unit_id is not None and db["units"][m.unit_id].kind == rules.campaign.team_kind
    assert all(q.daily >= 0 and q.metric in maxima for q in db["quotas"])


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          derandomize=os.environ.get("BAOCAO_FUZZ_EXAMPLES") is None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(action, min_size=STEPS // 2, max_size=STEPS))
async def test_random_conversations_keep_the_database_sound(chat, store, clock, steps):
    clock.set(at("09:00"))
    world = World(chat, next(_examples))
    await world.build(store)
    for step in steps:
        await world.do(step)
    await check_invariants(store, chat.rules, world.code("w"))
