"""Chasing who has not reported: reminders to members and leaders, missing lists, unreachable members — the
same planning for the scheduler's cut-offs and a leader's /remind."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from application.sends import MemberRecipient, Send
from application.services import Services
from domain.cutoffs import cutoff_at, is_paused, reporting_cutoff
from domain.i18n import Messages
from domain.messages import Address
from domain.model import Member, Role, Unit
from domain.ports import Tx
from domain.roles import REPORTERS
from domain.settings import CampaignRules, Cutoff

MANUAL = "manual"  # the claim topic of /remind: one on-demand reminder per member per day
MAX_NAMES = 30  # names listed in one reminder to a leader; the count says how many more


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


def _names(t: Messages, names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (t("remind.and_more", count=t.num(len(names) - MAX_NAMES)) if len(names) > MAX_NAMES else "")


async def reporter_reminders(tx: Tx, services: Services, within: Unit | None, day: date,
                             deadline: datetime | None, topic: str, now: datetime,
                             asked_by: str = "") -> list[Send]:
    """A private reminder to every volunteer and team leader under `within` (None: everywhere) who has not
    reported for `day`, in their language; paused teams and unreachable members are left out."""
    rules = services.rules
    tz = rules.campaign.tz
    teams = {t.id: t for t in await tx.units.in_subtree(within, rules.campaign.team_kind) if not is_paused(t, day)}
    reporters = await tx.entries.reporters(teams, day)
    out = []
    for m in await tx.members.in_units(teams):
        if m.role not in REPORTERS or m.unreachable or m.id in reporters[m.unit_id]:
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
    """Per unit: its teams, neither paused nor reported for `day`."""
    teams = [t for t in await tx.units.in_subtree(None, rules.campaign.team_kind) if not is_paused(t, day)]
    reporters = await tx.entries.reporters([t.id for t in teams], day)
    missing = [t for t in teams if not reporters[t.id]]
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
                 minutes=_minutes_left(deadline, now), names=_names(t, [x.name for x in teams]))
        out.append(Send("remind", topic, day, MemberRecipient(m.id), to, text, (False, unit.code, m.name, m.id),
                        m.name))
    return out


async def missing_notes(tx: Tx, services: Services, cutoff: Cutoff, day: date) -> list[Send]:
    """At the reporting cut-off: each team leader gets the names of the team's members who did not report."""
    rules = services.rules
    teams = {t.id: t for t in await tx.units.in_subtree(None, rules.campaign.team_kind) if not is_paused(t, day)}
    reporters = await tx.entries.reporters(teams, day)
    people = [m for m in await tx.members.in_units(teams) if m.role in REPORTERS]
    absent: dict[int, list[str]] = {}
    for m in people:
        if m.id not in reporters[m.unit_id]:
            absent.setdefault(m.unit_id, []).append(m.name)
    out = []
    for lead in people:
        names = absent.get(lead.unit_id)
        to = private_address(lead, services)
        if lead.role != Role.TEAM_LEADER or not names or lead.unreachable or to is None:
            continue
        t = _messages(services, lead.language)
        team = teams[lead.unit_id]
        text = t("cutoff.missing_members", team=team.name, count=t.num(len(names)), names=", ".join(names),
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


async def remind_now(tx: Tx, services: Services, within: Unit | None, day: date, now: datetime,
                     asker: Member) -> RemindedNow:
    """The scheduled reminder's own planning, for `within`'s subtree, now, each claimed in this transaction under
    the topic MANUAL (one on-demand reminder per member per day); the asker is left out: they know."""
    rules = services.rules
    cutoff = reporting_cutoff(rules)
    deadline = cutoff_at(rules, cutoff, day) if cutoff else None
    planned = [s for s in await reporter_reminders(tx, services, within, day, deadline, MANUAL, now,
                                                   asked_by=asker.name) if s.member_id != asker.id]
    claimed, already = [], []
    for s in sorted(planned, key=lambda s: s.urgency):
        if await tx.sends.claim(*s.key, now):
            await tx.sends.finish(*s.key, "queued", now)  # handed to the channel after this commits
            claimed.append(s)
        else:
            already.append(s.name)
    return RemindedNow(tuple(claimed), tuple(already))
