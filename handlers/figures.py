"""Reading the figures: /summary and /progress for a unit and day within the asker's scope."""
from __future__ import annotations

from application.progress import collect_section, render_progress
from application.summaries import collect, render
from domain.messages import Reply
from handlers.context import Command, Context, Feature
from handlers.scopes import asked_unit_and_day


async def summary(ctx: Context, args: str) -> list[Reply]:
    asked = await asked_unit_and_day(ctx, args, "summary.usage")
    if isinstance(asked, list):
        return asked
    unit, day = asked
    s = await collect(ctx.tx, ctx.rules, unit, day, now=ctx.now)
    return [Reply(render(s, ctx.rules, ctx.t))]


async def progress(ctx: Context, args: str) -> list[Reply]:
    asked = await asked_unit_and_day(ctx, args, "progress.usage")
    if isinstance(asked, list):
        return asked
    unit, day = asked
    section = await collect_section(ctx.tx, ctx.rules, unit, day, always=True, now=ctx.now)
    return [Reply(render_progress(section, unit, ctx.t))]


# Two features, so that /help lists /summary with the reporting commands and /progress with the plans.
SUMMARY = Feature(commands=(Command("summary", summary, "help.summary", aliases=("tonghop", "th"), in_groups=True),))
PROGRESS = Feature(commands=(Command("progress", progress, "plan.help.progress", aliases=("tiendo",)),))
