"""Summaries for leaders: per team (or per child unit) totals, the grand total, and who has not reported."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.dates import looks_like_date, parse_date
from domain.i18n import Messages
from domain.messages import Reply
from domain.model import Role, Unit
from domain.ports import Tx
from domain.rules import add
from domain.settings import CampaignRules
from handlers.context import Command, Context, Feature
from handlers.joining import in_scope, scope

MAX_TEAM_ROWS = 40  # beyond this many teams a summary goes one level down instead of listing every team


@dataclass
class Row:
    unit: Unit | None  # None: a member row in a team's summary
    label: str
    totals: dict[str, int] = field(default_factory=dict)
    teams: int = 0
    teams_reported: int = 0
    missing_members: list[str] = field(default_factory=list)
    late: bool = False

    @property
    def reported(self) -> bool:
        return self.teams_reported > 0


@dataclass
class Summary:
    unit: Unit | None
    day: date
    rows: list[Row]
    total: dict[str, int]
    teams: int
    teams_reported: int
    missing_teams: list[Unit]
    per_member: bool = False


async def collect(tx: Tx, rules: CampaignRules, unit: Unit | None, day: date) -> Summary:
    """Everything a summary shows, from the stored entries of `day` under `unit` (None: everything)."""
    team_kind = rules.campaign.team_kind
    teams = [unit] if unit is not None and unit.kind == team_kind else await tx.units.in_subtree(unit, team_kind)
    ids = [t.id for t in teams]
    totals = await tx.entries.totals(ids, day, day)
    reporters = await tx.entries.reporters(ids, day)
    grouped = not (unit is not None and unit.kind == team_kind) and len(teams) > MAX_TEAM_ROWS
    # A grouped summary shows no names: loading a province's members would only cost time.
    people = [] if grouped else [m for m in await tx.members.in_units(ids, with_identities=False)
                                 if m.role in (Role.VOLUNTEER, Role.TEAM_LEADER)]
    missing: dict[int, list[str]] = {}
    for m in people:
        if m.id not in reporters.get(m.unit_id, {}):
            missing.setdefault(m.unit_id, []).append(m.name)
    grand: dict[str, int] = {}
    for t in ids:
        grand = add(grand, totals[t])
    missing_teams = [t for t in teams if not reporters[t.id]]
    if unit is not None and unit.kind == team_kind:
        member_totals = await tx.entries.member_totals([m.id for m in people], day)
        rows = [Row(None, m.name, member_totals[m.id], 1, int(m.id in reporters[unit.id]),
                    late=reporters[unit.id].get(m.id, False)) for m in people]
        return Summary(unit, day, rows, grand, 1, int(bool(reporters[unit.id])), missing_teams, per_member=True)
    if not grouped:
        rows = [Row(t, t.name, totals[t.id], 1, int(bool(reporters[t.id])), missing.get(t.id, []),
                    late=bool(reporters[t.id]) and all(reporters[t.id].values())) for t in teams]
    else:
        groups = await tx.units.children(unit.id) if unit is not None else await tx.units.roots()
        rows = []
        for g in groups:
            under = [t for t in teams if t.path.startswith(g.path)]
            row = Row(g, g.name, {}, len(under), sum(1 for t in under if reporters[t.id]))
            for t in under:
                row.totals = add(row.totals, totals[t.id])
            rows.append(row)
    return Summary(unit, day, rows, grand, len(teams), len(teams) - len(missing_teams), missing_teams)


def render(s: Summary, rules: CampaignRules, t: Messages) -> str:
    lang = t.language
    numbers = lambda totals: " · ".join(t.num(totals.get(m.key, 0)) for m in rules.metrics)  # noqa: E731
    lines = [t("summary.title", unit=s.unit.name if s.unit else t("unit.everything"), date=t.day(s.day)),
             t("summary.reported", done=t.num(s.teams_reported), total=t.num(s.teams)),
             t("summary.legend", order=" · ".join(m.short(lang) for m in rules.metrics)), ""]
    for r in s.rows:
        mark = "✅" if r.reported else "⏳"
        late = t("summary.late_mark") if r.late else ""
        if r.teams > 1:
            lines.append(t("summary.group_row", mark=mark, name=r.label, numbers=numbers(r.totals),
                           done=t.num(r.teams_reported), total=t.num(r.teams)))
        else:
            lines.append(t("summary.row", mark=mark, name=r.label, numbers=numbers(r.totals), late=late))
    lines += ["", t("summary.total", numbers=numbers(s.total))]
    if not s.per_member and s.missing_teams:
        lines.append(t("summary.missing_teams", names=", ".join(u.name for u in s.missing_teams[:50]),
                       count=t.num(len(s.missing_teams))))
    if s.per_member:
        absent = [r.label for r in s.rows if not r.reported]
        if absent:
            lines.append(t("summary.missing_members", names=", ".join(absent)))
    else:
        absent = [f"{r.label}: {', '.join(r.missing_members)}" for r in s.rows if r.missing_members and r.reported]
        if absent:
            lines.append(t("summary.missing_in_teams", lines="\n".join(absent)))
    return "\n".join(lines)


async def summary(ctx: Context, args: str) -> list[Reply]:
    day, code = ctx.today, None
    for word in args.split():
        if looks_like_date(word):
            day = parse_date(word)
            if day is None:
                return [ctx.reply("error.bad_date", text=word)]
        elif code is None:
            code = word
        else:
            return [ctx.reply("summary.usage")]
    own = await scope(ctx)
    if ctx.member.role in (Role.VOLUNTEER, Role.TEAM_LEADER):
        unit = own  # a team member sees only the own team, whatever was asked
        if code and (own is None or code != own.code):
            return [ctx.reply("error.not_allowed")]
    elif code:
        unit = await ctx.tx.units.by_code(code)
        if unit is None:
            return [ctx.reply("error.unknown_unit", code=code)]
        if not await in_scope(ctx, unit):
            return [ctx.reply("error.not_allowed")]
    else:
        unit = own
    s = await collect(ctx.tx, ctx.rules, unit, day)
    return [Reply(render(s, ctx.rules, ctx.t))]


FEATURE = Feature(commands=(Command("summary", summary, "help.summary", aliases=("tonghop", "th")),))
