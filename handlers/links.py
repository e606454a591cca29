"""Leaders' group chats: /link in a group sends the own unit's scheduled summaries there, /unlink stops it."""
from __future__ import annotations

from domain.cutoffs import summary_kinds
from domain.messages import Reply
from domain.model import LinkedChat
from domain.roles import MANAGERS
from handlers.context import Command, Context, Feature
from handlers.joining import in_scope


async def link(ctx: Context, args: str) -> list[Reply]:
    if args.strip():
        return [ctx.reply("chatlink.usage")]
    if not ctx.msg.is_group:
        return [ctx.reply("chatlink.private")]
    if ctx.unit is None:
        return [ctx.reply("chatlink.no_unit")]
    # A group linked to another unit is that unit's: only a leader of it (or above it, and so above both) moves it.
    linked = await ctx.tx.links.get(ctx.msg.channel, ctx.msg.chat_id)
    if linked is not None and linked.unit_id != ctx.unit.id:
        other = await ctx.tx.units.get(linked.unit_id)
        if other is not None and not await in_scope(ctx, other):
            return [ctx.reply("chatlink.taken", unit=other.name)]
    await ctx.tx.links.link(LinkedChat(ctx.msg.channel, ctx.msg.chat_id, ctx.unit.id, ctx.language),
                            ctx.member.id, ctx.now)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "chat.link", f"unit:{ctx.unit.code}", None,
                              {"channel": ctx.msg.channel})
    times = [_when(ctx, c) for c in ctx.rules.cutoffs if ctx.unit.kind in summary_kinds(ctx.rules, c)]
    if not times:
        return [ctx.reply("chatlink.done_unscheduled", unit=ctx.unit.name)]
    return [ctx.reply("chatlink.done", unit=ctx.unit.name, times=", ".join(times))]


def _when(ctx: Context, cutoff) -> str:
    time = cutoff.time.strftime("%H:%M")
    return ctx.t("chatlink.when_monthly", time=time, day=cutoff.day_of_month) if cutoff.monthly else time


async def unlink(ctx: Context, args: str) -> list[Reply]:
    if not ctx.msg.is_group:
        return [ctx.reply("chatlink.private")]
    linked = await ctx.tx.links.get(ctx.msg.channel, ctx.msg.chat_id)
    if linked is None:
        return [ctx.reply("chatlink.unlink_none")]
    unit = await ctx.tx.units.get(linked.unit_id)
    if unit is None or not await in_scope(ctx, unit):
        return [ctx.reply("error.not_allowed")]
    await ctx.tx.links.unlink(ctx.msg.channel, ctx.msg.chat_id)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "chat.unlink", f"unit:{unit.code}",
                              {"channel": ctx.msg.channel}, None)
    return [ctx.reply("chatlink.unlink_done", unit=unit.name)]


FEATURE = Feature(commands=(
    # The leader role is enough; team leaders and volunteers are not.
    Command("link", link, "help.link", roles=MANAGERS, aliases=("lienketnhom",), in_groups=True,
            refusal_key="chatlink.refused"),
    Command("unlink", unlink, "help.unlink", roles=MANAGERS, aliases=("huylienketnhom",), in_groups=True,
            refusal_key="chatlink.refused"),
))
