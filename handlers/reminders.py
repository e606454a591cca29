"""Leaders chasing their teams: /remind reminds the missing members now, /pause silences a team's reminders."""
from __future__ import annotations

from datetime import date

from application.chasing import remind_now
from domain.dates import parse_date
from domain.lists import name_lines
from domain.messages import Reply
from domain.roles import LEADS
from domain.text import fold
from handlers.context import Command, Context, Feature
from handlers.joining import in_scope, scope
from handlers.scopes import matching_units

_OFF = ("off", "tat", "bo", "huy")
_UNTIL = ("until", "den", "toi")
FOREVER = date.max  # /pause without a date: until someone turns it off


async def remind(ctx: Context, args: str) -> list[Reply]:
    """The scheduled reminder's own planning, for the sender's subtree, now; claimed like the scheduled ones."""
    if args.strip():
        return [ctx.reply("remind.usage")]
    done = await remind_now(ctx.tx, ctx.services, await scope(ctx), ctx.today, ctx.now, ctx.member)
    if not done.sends and not done.already and not done.unreached and not done.asker_missing:
        return [ctx.reply("remind.nobody", date=ctx.t.day(ctx.today))]
    names = name_lines(s.name for s in done.sends)
    lines = [ctx.t("remind.done", count=ctx.t.num(len(done.sends)), names=names)] if done.sends else []
    if done.already:
        lines.append(ctx.t("remind.already", count=ctx.t.num(len(done.already)), names=name_lines(done.already)))
    if done.unreached:
        lines.append(ctx.t("remind.unreached", count=ctx.t.num(len(done.unreached)), names=name_lines(done.unreached)))
    if done.asker_missing:
        lines.append(ctx.t("remind.you_too", date=ctx.t.day(ctx.today)))
    return [Reply("\n".join(lines)), *(Reply(s.text, to=s.to) for s in done.sends)]


async def pause(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    if not words:
        return [ctx.reply("pause.usage")]
    found = await matching_units(ctx, words[0])
    team = found[0] if len(found) == 1 else None
    if team is None:
        return [ctx.reply("error.unknown_unit", code=words[0])]
    if team.kind != ctx.rules.campaign.team_kind:
        return [ctx.reply("pause.not_team", code=team.code)]
    if not await in_scope(ctx, team):
        return [ctx.reply("error.not_allowed")]
    rest = words[1:]
    dated = bool(rest) and fold(rest[0]) in _UNTIL
    if dated:
        rest = rest[1:]
    if len(rest) > 1 or (dated and not rest):
        return [ctx.reply("pause.usage")]
    if not rest:
        until, key = FOREVER, "pause.done_open"
    elif fold(rest[0]) in _OFF and not dated:
        until, key = None, "pause.off"
    else:
        until, key = parse_date(rest[0]), "pause.done"
        if until is None:
            return [ctx.reply("error.bad_date", text=rest[0])]
        if until < ctx.today:
            return [ctx.reply("pause.past", date=ctx.t.day(until))]
    await ctx.tx.units.set_paused(team.id, until)
    await ctx.tx.pauses.set(team.id, ctx.today, until, ctx.member.id, ctx.now)  # past days keep their pauses
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "unit.pause", f"unit:{team.code}",
                              team.paused_until, until)
    return [ctx.reply(key, team=team.name, code=team.code, date=ctx.t.day(until) if until else "")]


FEATURE = Feature(commands=(
    Command("remind", remind, "help.remind", roles=LEADS, aliases=("nhac",)),
    Command("pause", pause, "help.pause", roles=LEADS, aliases=("tamdung",)),
))
