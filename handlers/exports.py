"""Leaders' files in the chat: /export answers with the workbook, /chart with the progress charts, for a unit and a
period within the asker's scope (authorized exactly as /summary is). The handler only orders the files: they are
gathered and built after the reply is committed, off the event loop (domain.ports.Files)."""
from __future__ import annotations

from datetime import date

from application.files import attachments, charts_for
from application.reports import MAX_TEAM_DAYS, campaign_first_day
from domain.dates import Period, PeriodKind
from domain.exports import FileKind, period_text
from domain.messages import Reply
from domain.model import Role, Unit
from domain.plans import phase_on
from handlers.context import Command, Context, Feature
from handlers.scopes import asked_unit_and_period as scoped_unit_and_period

ROLES = frozenset({Role.TEAM_LEADER, Role.LEADER, Role.ADMIN})


async def export(ctx: Context, args: str) -> list[Reply]:
    asked = await asked_unit_and_period(ctx, args, "export.usage", default=Period.day(ctx.today))
    if isinstance(asked, list):
        return asked
    unit, period = asked
    text = ctx.t("export.sent", unit=_name(ctx, unit), period=period_text(period, ctx.t))
    return [Reply(text, attachments=attachments(ctx.rules, unit, period, ctx.language, ctx.now,
                                                (FileKind.WORKBOOK,)))]


async def chart(ctx: Context, args: str) -> list[Reply]:
    asked = await asked_unit_and_period(ctx, args, "chart.usage", default=await _progress_period(ctx))
    if isinstance(asked, list):
        return asked
    unit, period = asked
    kinds = charts_for(ctx.rules, unit, period)
    if not kinds:
        return [ctx.reply("chart.nothing")]
    text = ctx.t("chart.sent", unit=_name(ctx, unit), period=period_text(period, ctx.t))
    return [Reply(text, attachments=attachments(ctx.rules, unit, period, ctx.language, ctx.now, kinds))]


async def asked_unit_and_period(ctx: Context, args: str, usage_key: str,
                                default: Period) -> tuple[Unit | None, Period] | list[Reply]:
    """`[unit] [period]` read as /summary reads them (handlers.scopes), and no larger than a chat's file may be."""
    asked = await scoped_unit_and_period(ctx, args, usage_key, default)
    if isinstance(asked, list):
        return asked
    unit, period = asked
    teams = len(await ctx.tx.units.in_subtree(unit, ctx.rules.campaign.team_kind))
    if teams * period.length > MAX_TEAM_DAYS:  # a national month: the command line's job (it streams)
        return [ctx.reply("export.too_large", teams=ctx.t.num(teams), days=ctx.t.num(period.length))]
    return unit, period


async def _start(ctx: Context, phases) -> date | None:
    return await campaign_first_day(ctx.tx, ctx.rules, phases)


async def _progress_period(ctx: Context) -> Period:
    """A chart's days unless asked: the phase under way, else the campaign so far, else the month so far."""
    phases = await ctx.tx.quotas.phases()
    phase = phase_on(phases, ctx.today)
    if phase is not None:
        return Period(phase.first_day, ctx.today, PeriodKind.PHASE, phase.name)
    start = await _start(ctx, phases)
    if start is not None and start < ctx.today:
        return Period(start, ctx.today, PeriodKind.CAMPAIGN)
    return Period(ctx.today.replace(day=1), ctx.today, PeriodKind.MONTH)


def _name(ctx: Context, unit: Unit | None) -> str:
    return unit.name if unit is not None else ctx.t("unit.everything")


FEATURE = Feature(commands=(
    Command("export", export, "export.help", roles=ROLES, aliases=("xuat", "baocaofile")),
    Command("chart", chart, "chart.help", roles=ROLES, aliases=("bieudo",)),
))
