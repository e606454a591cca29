"""Chasing who has not reported: reminders to members and leaders, missing lists, unreachable members — the
same planning for the scheduler's cut-offs and a leader's /remind."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Collection

from application.sends import MemberRecipient, Send
from application.services import Services
from domain.cutoffs import cutoff_at, reporting_cutoff
from domain.i18n import Messages
from domain.lists import name_lines
from domain.messages import Address
from domain.model import Member, Membership, Role, Unit
from domain.ports import Tx
from domain.roles import REPORTERS
from domain.settings import CampaignRules, Cutoff

MANUAL = "manual"  # the claim topic of /remind: one on-demand reminder per member per day


async def excused(tx: Tx, day: date, member_ids: Collection[int]) -> set[int]:
    """Of these members, those excused from reporting on `day`: their day off. The one place the roll call asks."""
    return await tx.days_off.excused(day, member_ids)


@dataclass
class RollCall:
    """Who should have reported, per team and day of [first, last]: the members of the team that day (not before
    they joined, not after they left), reporting roles only, none on the campaign's days off, while the team is
    paused, or when excused. A team is expected on a day when one of its members is; a team nobody has joined
    yet stays expected, so that a leader sees it."""

    first: date
    last: date
    teams: dict[int, Unit]
    roster: dict[int, list[Membership]]  # per team: every reporting member it had over the period
    tz: object
    off: frozenset[date] = frozenset()  # the campaign's days off in the period
    paused: frozenset[tuple[int, date]] = frozenset()  # (team id, day)
    excused: frozenset[tuple[int, date]] = frozenset()  # (member id, day)
    _on: dict[tuple[int, date], tuple[Member, ...]] = field(default_factory=dict)

    def members_on(self, team_id: int, day: date) -> tuple[Member, ...]:
        """The team's reporting members that day, excused or not."""
        key = (team_id, day)
        if key not in self._on:
            start = datetime.combine(day, time(), tzinfo=self.tz)
            end = start + timedelta(days=1)
            # Joined before the day ended, and not removed before it began: a member the day they join or leave.
            self._on[key] = tuple(m.member for m in self.roster.get(team_id, ())
                                  if m.joined < end and (m.left is None or m.left >= start))
        return self._on[key]

    def expected(self, team_id: int, day: date) -> tuple[Member, ...]:
        """Who of the team should have reported that day."""
        if day in self.off or (team_id, day) in self.paused:
            return ()
        return tuple(m for m in self.members_on(team_id, day) if (m.id, day) not in self.excused)

    def team_expected(self, team_id: int, day: date) -> bool:
        if day in self.off or (team_id, day) in self.paused:
            return False
        return bool(self.expected(team_id, day)) or not self.roster.get(team_id)

    def is_paused(self, team_id: int, day: date) -> bool:
        return (team_id, day) in self.paused

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


async def roll_call(tx: Tx, rules: CampaignRules, teams: Collection[Unit], first: date, last: date | None = None,
                    *, with_identities: bool = False) -> RollCall:
    """Who should have reported for each day of [first, last] in these teams: the one definition /remind,
    /summary, the cut-offs' lists and the leaders' files all use."""
    last = last or first
    tz = rules.campaign.tz
    by_id = {t.id: t for t in teams}
    since = datetime.combine(first, time(), tzinfo=tz)
    roster: dict[int, list[Membership]] = {}
    for m in await tx.members.roster(by_id, since, with_identities):
        if m.member.role in REPORTERS:
            roster.setdefault(m.member.unit_id, []).append(m)
    call = RollCall(first, last, by_id, roster, tz)
    call.off = frozenset(d for d in call.days() if rules.campaign.is_day_off(d))
    paused = set()
    for p in await tx.pauses.for_units(by_id, first, last):
        paused |= {(p.unit_id, d) for d in call.days() if p.covers(d)}
    call.paused = frozenset(paused)
    out = set()
    for d in call.days():
        if d in call.off:
            continue
        ids = {m.id for t in by_id if (t, d) not in paused for m in call.members_on(t, d)}
        if ids:
            out |= {(i, d) for i in await excused(tx, d, ids)}
    call.excused = frozenset(out)
    return call


def reminder_topic(cutoff: Cutoff, minutes: int) -> str:
    return f"{cutoff.name}-{minutes}"


def private_address(member: Member, services: Services) -> Address | None:
    """The member's chat on the first channel that is running (the order of their identities), a bot of their
    own part of the tree before its platform's general one: that is where fan-out has room."""
    bound = {b.channel for b in services.bindings}
    for ident in sorted(member.identities, key=lambda i: i.channel not in bound):
        if ident.channel in services.traits and not ident.blocked:
            return Address(ident.channel, ident.chat_id)
    return None


def _messages(services: Services, language: str) -> Messages:
    return services.translator.for_language(language)


def _minutes_left(deadline: datetime, now: datetime) -> int:
    return max(1, math.ceil((deadline - now).total_seconds() / 60))


def _names(names: list[str]) -> str:
    return name_lines(names)


async def reporter_reminders(tx: Tx, services: Services, within: Unit | None, day: date,
                             deadline: datetime | None, topic: str, now: datetime,
                             asked_by: str = "") -> list[Send]:
    """A private reminder to every volunteer and team leader under `within` (None: everywhere) who has not
    reported for `day`, in their language; paused teams and unreachable members are left out."""
    rules = services.rules
    tz = rules.campaign.tz
    teams = {t.id: t for t in await tx.units.in_subtree(within, rules.campaign.team_kind)}
    call = await roll_call(tx, rules, teams.values(), day, with_identities=True)
    reporters = await tx.entries.reporters(teams, day)
    out = []
    for m in (m for t in teams for m in call.expected(t, day)):
        if m.unreachable or m.id in reporters[m.unit_id]:
            continue
        to = private_address(m, services)
        if to is None:
            continue
        t = _messages(services, m.language)
        team = teams[m.unit_id]
        values = {"name": m.name, "team": team.name, "date": t.day(day)}
        if deadline is None:
            text = t("remind.member_open", **values)
        elif now < deadline:
            text = t("remind.member", time=deadline.astimezone(tz).strftime("%H:%M"),
                     minutes=_minutes_left(deadline, now), **values)
        else:
            text = t("remind.member_late", time=deadline.astimezone(tz).strftime("%H:%M"), **values)
        if asked_by:
            text += "\n" + t("remind.asked_by", leader=asked_by)
        # Teams with nothing at all yet first: their ward sees a blank row at the cut-off.
        out.append(Send("remind", topic, day, MemberRecipient(m.id), to, text,
                        (bool(reporters[team.id]), team.code, m.name, m.id), m.name, team.id))
    return out


async def missing_teams_by_unit(tx: Tx, rules: CampaignRules, units: list[Unit], day: date) -> dict[int, list[Unit]]:
    """Per unit: its teams expected on `day` (the roll call) that have not reported for it."""
    teams = await tx.units.in_subtree(None, rules.campaign.team_kind)
    call = await roll_call(tx, rules, teams, day)
    reporters = await tx.entries.reporters([t.id for t in teams], day)
    missing = [t for t in teams if call.team_expected(t.id, day) and not reporters[t.id]]
    return {u.id: [t for t in missing if u.contains(t)] for u in units}


async def leader_reminders(tx: Tx, services: Services, cutoff: Cutoff, day: date, deadline: datetime,
                           topic: str, now: datetime) -> list[Send]:
    """Before a later cut-off: the leaders one level below its summary level (ward leaders before the
    district's cut-off) who still have teams missing, each told which."""
    rules = services.rules
    kinds = rules.campaign.unit_kinds
    level = kinds.index(cutoff.summary_level) + 1
    if level >= len(kinds):
        return []
    units = await tx.units.in_subtree(None, kinds[level])
    missing = await missing_teams_by_unit(tx, rules, units, day)
    by_id = {u.id: u for u in units}
    out = []
    for m in await tx.members.in_units([u.id for u in units if missing[u.id]]):
        to = private_address(m, services)
        if not m.role.leads or m.unreachable or to is None:
            continue
        t = _messages(services, m.language)
        unit, teams = by_id[m.unit_id], missing[m.unit_id]
        text = t("remind.leader", unit=unit.name, count=t.num(len(teams)), date=t.day(day),
                 time=deadline.astimezone(rules.campaign.tz).strftime("%H:%M"),
                 minutes=_minutes_left(deadline, now), names=_names([x.name for x in teams]))
        out.append(Send("remind", topic, day, MemberRecipient(m.id), to, text, (False, unit.code, m.name, m.id),
                        m.name))
    return out


async def missing_notes(tx: Tx, services: Services, cutoff: Cutoff, day: date) -> list[Send]:
    """At the reporting cut-off: each team leader gets the names of the team's members who did not report."""
    rules = services.rules
    teams = {t.id: t for t in await tx.units.in_subtree(None, rules.campaign.team_kind)}
    call = await roll_call(tx, rules, teams.values(), day, with_identities=True)
    reporters = await tx.entries.reporters(teams, day)
    absent: dict[int, list[str]] = {}
    for t in teams:
        for m in call.expected(t, day):
            if m.id not in reporters[t]:
                absent.setdefault(t, []).append(m.name)
    out = []
    for lead in (m for t in teams for m in call.members_on(t, day)):
        names = absent.get(lead.unit_id)
        to = private_address(lead, services)
        if lead.role != Role.TEAM_LEADER or not names or lead.unreachable or to is None:
            continue
        t = _messages(services, lead.language)
        team = teams[lead.unit_id]
        text = t("cutoff.missing_members", team=team.name, count=t.num(len(names)), names=name_lines(names),
                 time=cutoff.time.strftime("%H:%M"), date=t.day(day))
        out.append(Send("missing", cutoff.name, day, MemberRecipient(lead.id), to, text, (1, team.code, lead.id),
                        lead.name))
    return out


async def mark_unreachable(tx: Tx, services: Services, member_id: int, bounced: Address, day: date,
                           at: datetime) -> list[Send]:
    """A message to a member bounced at `bounced` (they blocked the bot there): that chat is not used again. If
    they have no other running channel, they are marked unreachable and their team leader told, once."""
    m = await tx.members.get(member_id)
    if m is None or m.unreachable:
        return []
    await tx.members.set_blocked(m.id, bounced.channel, bounced.chat_id, True)
    m = await tx.members.get(m.id)
    if private_address(m, services) is not None:
        await tx.audit.record(at, None, "member.blocked_on", f"member:{m.id}", None, bounced.channel)
        return []  # still reached on another channel: nobody needs telling
    await tx.members.set_unreachable(m.id, True)
    await tx.audit.record(at, None, "member.unreachable", f"member:{m.id}", False, True)
    if m.role not in REPORTERS or m.unit_id is None:
        return []
    team = await tx.units.get(m.unit_id)
    out = []
    for lead in await tx.members.in_units([team.id]):
        to = private_address(lead, services)
        if lead.role != Role.TEAM_LEADER or lead.id == m.id or lead.unreachable or to is None:
            continue
        t = _messages(services, lead.language)
        out.append(Send("unreachable", f"member-{m.id}", day, MemberRecipient(lead.id), to,
                        t("cutoff.unreachable", name=m.name, team=team.name), (0, lead.id), lead.name))
    return out


@dataclass(frozen=True)
class RemindedNow:
    """What a leader's /remind did: the reminders claimed now (to send once the transaction commits), and the
    names of those who had been reminded this way today already."""

    sends: tuple[Send, ...]
    already: tuple[str, ...]
    unreached: tuple[str, ...] = ()  # missing, but the bot cannot reach them (blocked it, or no running channel)
    asker_missing: bool = False  # the asker should have reported too, and has not


async def remind_now(tx: Tx, services: Services, within: Unit | None, day: date, now: datetime,
                     asker: Member) -> RemindedNow:
    """The scheduled reminder's own planning, for `within`'s subtree, now, each claimed in this transaction under
    the topic MANUAL (one on-demand reminder per member per day); the asker is left out: they know."""
    rules = services.rules
    cutoff = reporting_cutoff(rules)
    deadline = cutoff_at(rules, cutoff, day) if cutoff else None
    planned = [s for s in await reporter_reminders(tx, services, within, day, deadline, MANUAL, now,
                                                   asked_by=asker.name) if s.member_id != asker.id]
    # Who is missing, as /summary counts them: those the reminders cannot reach are named, not passed over.
    teams = await tx.units.in_subtree(within, rules.campaign.team_kind)
    call = await roll_call(tx, rules, teams, day)
    reporters = await tx.entries.reporters([t.id for t in teams], day)
    missing = [m for t in teams for m in call.expected(t.id, day) if m.id not in reporters[t.id]]
    reached = {s.member_id for s in planned}
    unreached = tuple(m.name for m in missing if m.id not in reached and m.id != asker.id)
    asker_missing = any(m.id == asker.id for m in missing)
    claimed, already = [], []
    for s in sorted(planned, key=lambda s: s.urgency):
        if await tx.sends.claim(*s.key, now):
            await tx.sends.finish(*s.key, "queued", now)  # handed to the channel after this commits
            claimed.append(s)
        else:
            already.append(s.name)
    return RemindedNow(tuple(claimed), tuple(already), unreached, asker_missing)
