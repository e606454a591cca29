"""Campaign phases: /phase lists them, /phase add names one with its first and last day (admins)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.messages import Reply
from domain.model import Role
from domain.roles import MANAGERS
from domain.text import fold
from handlers.arguments import Wrong, confirm_buttons, confirmed, date_arg, not_applied, wrong_reply
from handlers.context import Command, Context, Feature

NAME = "phase"
MAX_NAME = 100
_ADD = ("add", "them")


@dataclass(frozen=True)
class AddingPhase:
    """/phase add's preview: the phase to add (or to replace, by its name)."""

    name: str
    first: date
    last: date


async def phase(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    if not words:
        return await _list(ctx)
    try:
        if fold(words[0]) not in _ADD:
            raise Wrong("plan.unknown_form", word=words[0])
        if ctx.member.role != Role.ADMIN:
            return [ctx.reply("error.not_allowed")]
        return await _ask_add(ctx, words[1:])
    except Wrong as problem:
        return [wrong_reply(ctx, problem, "phase.example")]


async def _list(ctx: Context) -> list[Reply]:
    phases = await ctx.tx.quotas.phases()
    if not phases:
        return [ctx.reply("phase.none")]
    lines = [ctx.t("phase.row", name=p.name, first=ctx.t.day(p.first_day), last=ctx.t.day(p.last_day),
                   now=ctx.t("phase.now") if p.covers(ctx.today) else "") for p in phases]
    return [ctx.reply("phase.list", lines="\n".join(lines))]


async def _ask_add(ctx: Context, words: list[str]) -> list[Reply]:
    if len(words) < 3:
        raise Wrong("plan.missing")
    first, last = date_arg(words[-2]), date_arg(words[-1])
    name = " ".join(words[:-2])
    if len(name) > MAX_NAME:
        raise Wrong("phase.name_too_long", max=MAX_NAME)
    if last < first:
        raise Wrong("plan.bad_range", first=words[-2], last=words[-1])
    phases = await ctx.tx.quotas.phases()
    clash = next((p for p in phases if p.name != name and p.overlaps(first, last)), None)
    if clash is not None:
        raise Wrong("phase.overlap", other=clash.name, first=ctx.t.day(clash.first_day), last=ctx.t.day(clash.last_day))
    old = next((p for p in phases if p.name == name), None)
    ctx.start(NAME, "confirm", AddingPhase(name, first, last))
    key = "phase.preview_replace" if old else "phase.preview_add"
    return [ctx.reply(key, confirm_buttons(ctx, NAME), name=name, first=ctx.t.day(first), last=ctx.t.day(last),
                      old_first=ctx.t.day(old.first_day) if old else "",
                      old_last=ctx.t.day(old.last_day) if old else "")]


async def on_choice(ctx: Context, action: str) -> list[Reply]:
    adding = confirmed(ctx, NAME, action)
    if isinstance(adding, list):
        return adding
    if ctx.member is None or ctx.member.role != Role.ADMIN:
        return [ctx.reply("error.not_allowed")]
    name, first, last = adding.name, adding.first, adding.last
    # Another admin may have added an overlapping phase since the preview.
    if any(p.name != name and p.overlaps(first, last) for p in await ctx.tx.quotas.phases()):
        return [ctx.reply("phase.changed")]
    old = await ctx.tx.quotas.put_phase(name, first, last, ctx.member.id, ctx.now)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "phase.add", f"phase:{name}"[:128],
                              {"first": old.first_day.isoformat(), "last": old.last_day.isoformat()} if old else None,
                              {"first": first.isoformat(), "last": last.isoformat()})
    return [ctx.reply("phase.done", name=name, first=ctx.t.day(first), last=ctx.t.day(last))]


FEATURE = Feature(commands=(
    Command("phase", phase, "plan.help.phase", roles=MANAGERS, aliases=("giaidoan",)),
), conversation=NAME, on_input=not_applied, on_choice=on_choice, state=AddingPhase)
