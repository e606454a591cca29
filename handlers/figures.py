"""Reading the figures: /summary and /progress for a unit and a day or period within the asker's scope."""
from __future__ import annotations

from application.progress import collect_section, render_progress
from application.summaries import collect, render
from application.chasing import roll_call
from application.timeliness import of, per_team
from domain.dates import Period, PeriodKind
from domain.exports import period_text
from domain.messages import Reply
from handlers.context import Command, Context, Feature
from handlers.scopes import asked_unit_and_period


async def summary(ctx: Context, args: str) -> list[Reply]:
    """A day's summary, or a period's: its totals are the sum of its days' (the same stored entries)."""
    asked = await asked_unit_and_period(ctx, args, "summary.usage", Period.day(ctx.today))
    if isinstance(asked, list):
        return asked
    unit, period = asked
    first = None if period.first == period.last else period.first
    s = await collect(ctx.tx, ctx.rules, unit, period.last, first_day=first, now=ctx.now)
    return [Reply(render(s, ctx.rules, ctx.t))]


async def progress(ctx: Context, args: str) -> list[Reply]:
    """Progress as it stood at the end of the day or period asked for."""
    asked = await asked_unit_and_period(ctx, args, "progress.usage", Period.day(ctx.today))
    if isinstance(asked, list):
        return asked
    unit, period = asked
    section = await collect_section(ctx.tx, ctx.rules, unit, period.last, always=True, now=ctx.now)
    if not args.strip() or period.first == period.last:  # timeliness over a day says little: the phase so far
        period = Period(section.phase.first_day, period.last, PeriodKind.PHASE, section.phase.name) \
            if section.phase is not None else Period(period.last.replace(day=1), period.last, PeriodKind.MONTH)
    team_kind = ctx.rules.campaign.team_kind
    teams = [unit] if unit is not None and unit.kind == team_kind else await ctx.tx.units.in_subtree(unit, team_kind)
    call = await roll_call(ctx.tx, ctx.rules, teams, period.first, period.last)
    teams_on_time = await per_team(ctx.tx, ctx.rules, unit, call, period.first, period.last)
    shares = {u.id if u is not None else None: of(teams_on_time, [t.id for t in teams if u is None or u.contains(t)])
              for u in (unit, *(c.unit for c in section.children))}
    return [Reply(render_progress(section, unit, ctx.t, shares, period_text(period, ctx.t)))]


# Two features, so that /help lists /summary with the reporting commands and /progress with the plans.
SUMMARY = Feature(commands=(Command("summary", summary, "help.summary", aliases=("tonghop", "th"), in_groups=True),))
PROGRESS = Feature(commands=(Command("progress", progress, "plan.help.progress", aliases=("tiendo",)),))
