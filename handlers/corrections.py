"""Corrections: /undo takes back the last change of the day (a report, or an edit: the figures it replaced come
back), /edit re-opens the day's figures."""
from __future__ import annotations

from dataclasses import dataclass

from application.checks import check_change
from domain.messages import Reply
from domain.roles import REPORTERS
from domain.rules import add
from handlers import reporting
from handlers.context import Command, Context, Feature

NAME = "undo"


@dataclass(frozen=True)
class Withdrawing:
    """/undo's preview: the entry it offers to withdraw."""

    entry: int


async def undo(ctx: Context, args: str) -> list[Reply]:
    if not reporting.may_report(ctx):
        return [ctx.reply("report.not_a_reporter")]
    entries = await ctx.tx.entries.active_for_member(ctx.member.id, ctx.today)
    if not entries:
        return [ctx.reply("undo.nothing")]
    last = entries[-1]
    ctx.start(NAME, "confirm", Withdrawing(last.id))
    lines = "\n".join(ctx.t("undo.line", label=m.label(ctx.language), value=ctx.t.num(last.values[m.key]))
                      for m in ctx.rules.metrics if m.key in last.values)
    at = last.recorded_at.astimezone(ctx.rules.campaign.tz).strftime("%H:%M")
    buttons = [[ctx.button("btn.withdraw", f"{NAME}:yes"), ctx.button("btn.keep", f"{NAME}:no")]]
    return [ctx.reply("undo.preview", buttons, at=at, lines=lines)]


async def on_choice(ctx: Context, action: str) -> list[Reply]:
    withdrawing = ctx.state_of(Withdrawing)
    if ctx.conv.name != NAME or withdrawing is None:
        return [ctx.reply("error.stale_choice")]
    entry_id = withdrawing.entry
    ctx.finish()
    if action != "yes":
        return [ctx.reply("undo.kept")]
    if not reporting.may_report(ctx):  # as stored now, not as when /undo was shown
        return [ctx.reply("report.not_a_reporter")]
    # Only the sender's own, still active, entries of today can be withdrawn, whatever the button said.
    entries = {e.id: e for e in await ctx.tx.entries.active_for_member(ctx.member.id, ctx.today)}
    entry = entries.pop(entry_id, None)
    if entry is None:
        return [ctx.reply("undo.nothing")]
    # An edit taken back brings back the figures it replaced, never less: /edit then /undo is the day before the edit.
    restored = await ctx.tx.entries.replaced_by(entry.id)
    back: dict[str, int] = {}
    for e in restored:
        back = add(back, e.values)
    # The same rules as a report: taking out registrations may not leave more activations than registrations.
    checked = await check_change(ctx.tx, ctx.rules, ctx.member.id, entry.team_id, ctx.today, back,
                                 withdrawing=[entry.id])
    if checked.problems:
        return [*(reporting.problem_reply(ctx, p) for p in checked.problems), ctx.reply("undo.kept")]
    if not checked.removed:
        return [ctx.reply("undo.nothing")]
    await ctx.tx.entries.withdraw(entry.id, ctx.now)
    await ctx.tx.entries.restore(restored)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "entry.withdraw", f"entry:{entry.id}", entry.values,
                              {"restored": [e.id for e in restored]} if restored else None)
    remaining: dict[str, int] = dict(back)
    for e in entries.values():
        remaining = add(remaining, e.values)
    lines = "\n".join(ctx.t("undo.line", label=m.label(ctx.language), value=ctx.t.num(remaining.get(m.key, 0)))
                      for m in ctx.rules.metrics)
    return [ctx.reply("undo.done", lines=lines)]


async def on_input(ctx: Context, text: str) -> list[Reply]:
    ctx.finish()
    return await reporting.free_text(ctx, text)


async def edit(ctx: Context, args: str) -> list[Reply]:
    if not reporting.may_report(ctx):
        return [ctx.reply("report.not_a_reporter")]
    totals = (await ctx.tx.entries.member_totals([ctx.member.id], ctx.today))[ctx.member.id]
    if not totals:
        return [ctx.reply("edit.nothing")]
    replies = [ctx.reply("edit.intro")]
    return replies + await reporting.start_guided(ctx, "", day=ctx.today, base=totals, replace=True)


FEATURE = Feature(
    commands=(Command("undo", undo, "help.undo", roles=REPORTERS, aliases=("rutlai",),
                      refusal_key="report.not_a_reporter"),
              Command("edit", edit, "help.edit", roles=REPORTERS, aliases=("sua",),
                      refusal_key="report.not_a_reporter")),
    conversation=NAME, on_input=on_input, on_choice=on_choice, state=Withdrawing)
