"""What a cut-off sends and to whom — reminders, missing lists, summaries — for the scheduler and /remind alike."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.i18n import Messages
from domain.messages import Address
from domain.model import Member, Role, Unit
from domain.ports import Tx
from domain.settings import CampaignRules, Cutoff
from handlers import summary
from handlers.context import REPORTERS, Services

MAX_NAMES = 30  # names listed in one reminder to a leader; the count says how many more


@dataclass(frozen=True)
class Send:
    """One message to claim, then send. Its key (kind, topic, day, recipient) is claimed once, ever."""

    kind: str  # remind, missing, summary, unreachable
    topic: str  # the cut-off ("team"), with the reminder offset ("team-30"); "manual" for /remind
    day: date  # the first day the message is about
    recipient: str  # "member:12" or "chat:telegram:-100123"
    to: Address
    text: str
    urgency: tuple = ()  # sent in ascending order
    name: str = ""  # who it goes to, for the sender's own confirmation
    member_id: int | None = None  # a private message: whom to mark unreachable if it bounces
    team_id: int | None = None  # a reminder: dropped at send time if the member reported meanwhile

    @property
    def key(self) -> tuple[str, str, date, str]:
        return self.kind, self.topic, self.day, self.recipient


def cutoff_at(rules: CampaignRules, cutoff: Cutoff, day: date) -> datetime:
    return datetime.combine(day, cutoff.time, tzinfo=rules.campaign.tz)


def covered(cutoff: Cutoff, day: date) -> tuple[date, date]:
    """The days a cut-off on `day` is about: that day, the day before (the recap), or the month before."""
    if cutoff.monthly:
        last = day.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    d = day + timedelta(days=cutoff.day_offset)
    return d, d


def reporting_cutoff(rules: CampaignRules) -> Cutoff | None:
    """The cut-off teams report by (the one lateness is measured against): volunteers are reminded before it."""
    daily = [c for c in rules.cutoffs if c.day_offset == 0 and not c.monthly]
    return min(daily, key=lambda c: c.time) if daily else None


def is_reporting(rules: CampaignRules, cutoff: Cutoff) -> bool:
    found = reporting_cutoff(rules)
    return found is not None and found.name == cutoff.name


def reminder_topic(cutoff: Cutoff, minutes: int) -> str:
    return f"{cutoff.name}-{minutes}"


def reminder_window(rules: CampaignRules, cutoff: Cutoff, day: date, minutes: int) -> tuple[datetime, datetime]:
    """When the reminder `minutes` before the cut-off on `day` may go: from its time until the next reminder's
    time (a late run would otherwise arrive together with the next one) or the cut-off."""
    at = cutoff_at(rules, cutoff, day)
    later = [m for m in cutoff.remind_before if m < minutes]
    return at - timedelta(minutes=minutes), at - timedelta(minutes=max(later, default=0))


def summary_kinds(rules: CampaignRules, cutoff: Cutoff) -> tuple[str, ...]:
    """The unit kinds whose leaders get this cut-off's summary, top down."""
    kinds = rules.campaign.unit_kinds
    top = kinds.index(cutoff.summary_level)
    bottom = kinds.index(cutoff.summary_to) if cutoff.summary_to else top
    return kinds[top:bottom + 1]


def is_paused(team: Unit, day: date) -> bool:
    return team.paused_until is not None and team.paused_until >= day


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
        out.append(Send("remind", topic, day, f"member:{m.id}", to, text,
                        (bool(reporters[team.id]), team.code, m.name, m.id), m.name, m.id, team.id))
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
        out.append(Send("remind", topic, day, f"member:{m.id}", to, text, (False, unit.code, m.name, m.id),
                        m.name, m.id))
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
        out.append(Send("missing", cutoff.name, day, f"member:{lead.id}", to, text, (1, team.code, lead.id),
                        lead.name, lead.id))
    return out


def _header(t: Messages, cutoff: Cutoff, first: date) -> str:
    if cutoff.monthly:
        return t("cutoff.header_month", month=f"{first.month:02d}/{first.year}")
    if cutoff.day_offset:
        return t("cutoff.header_final", date=t.day(first))
    return t("cutoff.header_day", time=cutoff.time.strftime("%H:%M"))


async def summaries(tx: Tx, services: Services, cutoff: Cutoff, day: date) -> list[Send]:
    """The cut-off's summary for each unit of its summary levels: into the unit's linked groups, or else
    privately to each of its leaders. On a day off, only units where someone reported anyway get one."""
    rules = services.rules
    first, last = covered(cutoff, day)
    day_off = not cutoff.monthly and rules.campaign.is_day_off(last)
    kinds = summary_kinds(rules, cutoff)
    units = [u for kind in kinds for u in await tx.units.in_subtree(None, kind)]
    ids = [u.id for u in units]
    links: dict[int, list] = {}
    for chat in await tx.links.for_units(ids):
        if chat.channel in services.traits:
            links.setdefault(chat.unit_id, []).append(chat)
    leaders: dict[int, list[Member]] = {}
    for m in await tx.members.in_units(ids):
        if m.role.leads and not m.unreachable and private_address(m, services) is not None:
            leaders.setdefault(m.unit_id, []).append(m)
    out = []
    for unit in units:
        targets = [(f"chat:{c.channel}:{c.chat_id}", Address(c.channel, c.chat_id), c.language, None, "")
                   for c in links.get(unit.id, ())]
        if not targets:
            targets = [(f"member:{m.id}", private_address(m, services), m.language, m.id, m.name)
                       for m in leaders.get(unit.id, ())]
        if not targets:
            continue
        s = await summary.collect(tx, rules, unit, last, first_day=first if cutoff.monthly else None)
        if (s.teams == 0 and s.teams_reported == 0) or (day_off and s.teams_reported == 0):
            continue
        texts: dict[str, str] = {}
        for recipient, to, language, member_id, name in targets:
            if language not in texts:
                t = _messages(services, language)
                texts[language] = _header(t, cutoff, first) + "\n" + summary.render(s, rules, t)
            out.append(Send("summary", cutoff.name, first, recipient, to, texts[language],
                            (0, kinds.index(unit.kind), unit.code, recipient), name, member_id))
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
        out.append(Send("unreachable", f"member-{m.id}", day, f"member:{lead.id}", to,
                        t("cutoff.unreachable", name=m.name, team=team.name), (0, lead.id), lead.name, lead.id))
    return out
