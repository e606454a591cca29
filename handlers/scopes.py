"""Which unit and day a leader's question is about, decided from the asker's stored role and unit."""
from __future__ import annotations

from datetime import date

from domain.dates import looks_like_date, parse_date
from domain.messages import Reply
from domain.model import Unit
from domain.roles import REPORTERS
from handlers.context import Context
from handlers.joining import in_scope, scope


async def asked_unit_and_day(ctx: Context, args: str, usage_key: str) -> tuple[Unit | None, date] | list[Reply]:
    """`[unit_code] [date]` in any order → (unit, day), or the refusal to answer with.

    A team member always gets their own team, whatever was asked; a leader any unit of their subtree."""
    day, code = ctx.today, None
    for word in args.split():
        if looks_like_date(word):
            day = parse_date(word)
            if day is None:
                return [ctx.reply("error.bad_date", text=word)]
        elif code is None:
            code = word
        else:
            return [ctx.reply(usage_key)]
    own = await scope(ctx)
    if ctx.member.role in REPORTERS:
        if code and (own is None or code != own.code):
            return [ctx.reply("error.not_allowed")]
        return own, day
    if not code:
        return own, day
    unit = await ctx.tx.units.by_code(code)
    if unit is None:
        return [ctx.reply("error.unknown_unit", code=code)]
    if not await in_scope(ctx, unit):
        return [ctx.reply("error.not_allowed")]
    return unit, day
