"""Which unit and period a leader's question is about, decided from the asker's stored role and unit: units by code in
any case or by a unique part of their name, periods by domain.dates.read_period (the one reader)."""
from __future__ import annotations

from application.reports import campaign_first_day
from domain.dates import Period, PeriodProblem, UnreadablePeriod, read_period
from domain.lists import name_lines
from domain.messages import Reply
from domain.model import Unit
from domain.roles import REPORTERS
from domain.text import fold
from handlers.context import Context
from handlers.joining import in_scope, scope

MAX_CHOICES = 20  # units named when a part of a name fits several; the count says how many fit
PROBLEMS = {
    PeriodProblem.BAD_DATE: "error.bad_period",
    PeriodProblem.FUTURE: "export.period_future",
    PeriodProblem.REVERSED: "export.period_reversed",
    PeriodProblem.NO_PHASE: "export.period_no_phase",
    PeriodProblem.NO_START: "export.period_no_start",
}


async def matching_units(ctx: Context, text: str) -> list[Unit]:
    """The units `text` names: its code exactly, else in any case, else those in the asker's scope whose name
    holds it (diacritics and case aside). One: found; several: ask which; none: not a unit."""
    text = text.strip()
    if not text:
        return []
    exact = await ctx.tx.units.by_code(text)
    if exact is not None:
        return [exact]
    any_case = await ctx.tx.units.by_code_any_case(text)
    if any_case:
        return any_case
    key = fold(text)
    if len(key) < 2 or key.isdigit():
        return []
    own = await scope(ctx)
    under = [own] if own is not None and ctx.member.role in REPORTERS else await ctx.tx.units.in_subtree(own)
    named = [u for u in under if key in fold(u.name)]
    whole = [u for u in named if fold(u.name) == key]
    return whole if len(whole) == 1 else named


def which_unit(ctx: Context, text: str, found: list[Unit]) -> list[Reply]:
    """The answer when `text` names no unit, or several."""
    if not found:
        return [ctx.reply("error.unit_not_found", code=text)]
    shown = [f"{u.name} ({u.code})" for u in found[:MAX_CHOICES]]
    return [ctx.reply("error.unit_ambiguous", text=text, count=ctx.t.num(len(found)), units=name_lines(shown))]


async def allowed_unit(ctx: Context, unit: Unit | None) -> Unit | None | list[Reply]:
    """A team member always gets their own team (asking for another is refused); a leader any unit of their
    subtree; nothing asked: the asker's own unit."""
    own = await scope(ctx)
    if ctx.member.role in REPORTERS:
        if unit is not None and (own is None or unit.id != own.id):
            return [ctx.reply("error.not_allowed")]
        return own
    if unit is None:
        return own
    if not await in_scope(ctx, unit):
        return [ctx.reply("error.not_allowed")]
    return unit


async def read_asked_period(ctx: Context, text: str) -> Period | None:
    """The period `text` names (None: none); raises UnreadablePeriod for one that names a period wrongly."""
    phases = await ctx.tx.quotas.phases()
    return read_period(text, ctx.today, phases=phases, start=await campaign_first_day(ctx.tx, ctx.rules, phases),
                       end=ctx.rules.campaign.end_date)


async def asked_unit_and_period(ctx: Context, args: str, usage_key: str,
                                default: Period) -> tuple[Unit | None, Period] | list[Reply]:
    """`[unit] [period]`, either first → (unit, period), or the answer to give instead: a period that cannot be
    read is answered with an example that would work, a unit that is not found or fits several with that."""
    words = args.split()
    if not words:
        allowed = await allowed_unit(ctx, None)
        return allowed if isinstance(allowed, list) else (allowed, default)
    problem: UnreadablePeriod | None = None
    # Every way to cut the words into a unit and a period, the unit first or last; the first that reads wins.
    cuts = [(words[:i], words[i:]) for i in range(len(words) + 1)] + \
           [(words[i:], words[:i]) for i in range(1, len(words))]
    tried: list[tuple[str, list[Unit]]] = []
    unread: str | None = None  # what follows a unit that was found, and reads as no period
    for unit_words, period_words in cuts:
        try:
            period = await read_asked_period(ctx, " ".join(period_words)) if period_words else default
        except UnreadablePeriod as unreadable:
            problem = problem or unreadable
            continue
        if period is None:
            if unread is None and unit_words and len(await matching_units(ctx, " ".join(unit_words))) == 1:
                unread = " ".join(period_words)
            continue
        if not unit_words:
            found: Unit | None = None
        else:
            text = " ".join(unit_words)
            units = await matching_units(ctx, text)
            if len(units) != 1:
                tried.append((text, units))
                continue
            found = units[0]
        allowed = await allowed_unit(ctx, found)
        return allowed if isinstance(allowed, list) else (allowed, period)
    if problem is not None:
        return [ctx.reply(PROBLEMS[problem.problem], text=problem.text)]
    if unread is not None:
        return [ctx.reply("error.bad_period", text=unread)]
    several = next(((text, units) for text, units in tried if units), None)
    if several is not None:
        return which_unit(ctx, *several)
    if tried:
        return which_unit(ctx, tried[0][0], [])
    return [ctx.reply(usage_key)]

