"""Reporting the day's tallies: free text or guided steps, checked, previewed, confirmed, then stored."""
from __future__ import annotations

from dataclasses import dataclass, replace as changed
from datetime import date

from application.checks import check_change
from domain.cutoffs import is_late
from domain.dates import says_yesterday
from domain.messages import Reply
from domain.model import NewEntry
from domain.parsing import parse_one_number, parse_tally
from domain.roles import REPORTERS
from domain.rules import Problem, add
from handlers.context import Command, Context, Feature

NAME = "report"


@dataclass(frozen=True)
class Asking:
    """Guided steps: the metric asked now, the figures typed so far, and those shown as current (a fix, an edit)."""

    day: date
    index: int
    values: dict[str, int]
    base: dict[str, int]
    replace: bool  # an /edit: the figures take the place of the member's whole day


@dataclass(frozen=True)
class Confirming:
    """A report previewed, waiting for Xác nhận, Sửa or Huỷ."""

    day: date
    values: dict[str, int]
    source: str  # the delivery that made the preview: the entry's business key
    replace: bool


def may_report(ctx: Context) -> bool:
    return (ctx.member is not None and ctx.member.role in REPORTERS and ctx.unit is not None
            and ctx.unit.kind == ctx.rules.campaign.team_kind)


def _day_label(ctx: Context, day: date) -> str:
    key = "report.today" if day == ctx.today else "report.yesterday"
    return f"{ctx.t(key)} {ctx.t.day(day)}"


async def start_guided(ctx: Context, args: str, *, day: date | None = None, base: dict | None = None,
                       replace: bool = False) -> list[Reply]:
    if not may_report(ctx):
        return [ctx.reply("report.not_a_reporter")]
    if day is None:
        day = ctx.today
        if says_yesterday(args):
            if not ctx.rules.campaign.allow_yesterday:
                return [ctx.reply("report.no_yesterday")]
            day = ctx.yesterday
        elif args:
            return [ctx.reply("report.usage")]
    ctx.start(NAME, "ask", Asking(day, 0, {}, dict(base or {}), replace), expects_number=True)
    return [_ask(ctx, ctx.state)]


def _ask(ctx: Context, asking: Asking) -> Reply:
    metrics = ctx.rules.metrics
    metric = metrics[asking.index]
    current = asking.values.get(metric.key, asking.base.get(metric.key))
    row = [ctx.button("btn.skip", f"{NAME}:skip", "-")]
    if asking.index > 0:
        row.insert(0, ctx.button("btn.back", f"{NAME}:back", "<"))
    buttons = [row, [ctx.button("btn.cancel", f"{NAME}:cancel", "huy")]]
    current_text = "" if current is None else ctx.t("report.current", value=ctx.t.num(current))
    return ctx.reply("report.ask_metric", buttons, n=asking.index + 1, total=len(metrics),
                     label=metric.label(ctx.language), current=current_text)


async def on_input(ctx: Context, text: str) -> list[Reply]:
    asking = ctx.state_of(Asking)
    if ctx.conv.step == "confirm" or asking is None:
        # A new report while one waits for confirmation replaces the draft.
        return await free_text(ctx, text)
    n = parse_one_number(text)
    if n is None:
        return [ctx.reply("report.bad_number", text=text[:40]), _ask(ctx, asking)]
    metric = ctx.rules.metrics[asking.index]
    if n > metric.max_daily:
        return [ctx.reply("check.too_high", metric=metric.label(ctx.language), value=ctx.t.num(n),
                          max=ctx.t.num(metric.max_daily)), _ask(ctx, asking)]
    return await _advance(ctx, changed(asking, values={**asking.values, metric.key: n}), +1)


async def _advance(ctx: Context, asking: Asking, step: int) -> list[Reply]:
    asking = changed(asking, index=max(0, asking.index + step))
    ctx.state = asking
    if asking.index < len(ctx.rules.metrics):
        return [_ask(ctx, asking)]
    values = {**asking.base, **asking.values}
    if not values:
        ctx.finish()
        return [ctx.reply("report.nothing")]
    return await _preview(ctx, asking.day, values, replace=asking.replace)


async def free_text(ctx: Context, text: str) -> list[Reply]:
    """Plain text outside a conversation: a report if it reads as one, else a short help."""
    if ctx.member is None or not may_report(ctx):
        return [ctx.reply("help.hint")]
    parsed = parse_tally(text, ctx.rules.metrics)
    if parsed.problems:
        key, detail = parsed.problems[0]
        label = ctx.rules.metric(detail).label(ctx.language) if key == "parse.twice" else detail
        return [ctx.reply(key, detail=label, count=len(ctx.rules.metrics)),
                ctx.reply("report.example", order=_order(ctx))]
    day = ctx.today
    if parsed.yesterday:
        if not ctx.rules.campaign.allow_yesterday:
            return [ctx.reply("report.no_yesterday")]
        day = ctx.yesterday
    return await _preview(ctx, day, parsed.values, replace=False)


def _order(ctx: Context) -> str:
    return ", ".join(m.label(ctx.language) for m in ctx.rules.metrics)


async def _preview(ctx: Context, day: date, values: dict[str, int], *, replace: bool) -> list[Reply]:
    checked = await check_change(ctx.tx, ctx.rules, ctx.member.id, ctx.unit.id, day, values, replacing_day=replace)
    if checked.problems:
        ctx.finish()
        return [*(problem_reply(ctx, p) for p in checked.problems), ctx.reply("report.nothing_saved")]
    # An edit: the new figures take the place of the member's whole day.
    member_day = add(checked.member_day, checked.removing, -1)
    team_day = add(checked.team_day, checked.removing, -1)
    source = f"{ctx.msg.channel}:{ctx.msg.delivery_id}"
    ctx.start(NAME, "confirm", Confirming(day, values, source, replace))
    lines = _lines(ctx, values, add(member_day, values), add(team_day, values))
    buttons = [[ctx.button("btn.confirm", f"{NAME}:confirm"), ctx.button("btn.fix", f"{NAME}:fix")],
               [ctx.button("btn.cancel", f"{NAME}:cancel")]]
    key = "report.preview_edit" if replace else "report.preview"
    return [ctx.reply(key, buttons, day=_day_label(ctx, day), lines=lines)]


def problem_reply(ctx: Context, p: Problem) -> Reply:
    """A check's refusal, naming the metrics and the conflicting figures."""
    v = dict(p.values)
    for k in ("metric", "lesser", "greater"):
        if k in v:
            v[k] = ctx.rules.metric(v[k]).label(ctx.language)
    for k in ("value", "max", "lesser_value", "greater_value"):
        if k in v:
            v[k] = ctx.t.num(v[k])
    return ctx.reply(p.key, **v)


def _lines(ctx: Context, values: dict, member_day: dict, team_day: dict) -> str:
    out = []
    for m in ctx.rules.metrics:
        if m.key in values:
            out.append(ctx.t("report.line", label=m.label(ctx.language), value=ctx.t.num(values[m.key]),
                             mine=ctx.t.num(member_day.get(m.key, 0)), team=ctx.t.num(team_day.get(m.key, 0))))
    return "\n".join(out)


async def on_choice(ctx: Context, action: str) -> list[Reply]:
    asking, confirming = ctx.state_of(Asking), ctx.state_of(Confirming)
    if action in ("confirm", "fix") and (ctx.conv.step != "confirm" or confirming is None):
        return [ctx.reply("report.no_draft")]
    if action in ("skip", "back") and (ctx.conv.step != "ask" or asking is None):
        return [ctx.reply("error.stale_choice")]
    if action == "cancel":
        ctx.finish()
        return [ctx.reply("report.cancelled")]
    if action == "skip":
        return await _advance(ctx, asking, +1)
    if action == "back":
        return await _advance(ctx, asking, -1)
    if action == "fix":
        return await start_guided(ctx, "", day=confirming.day, base=confirming.values, replace=confirming.replace)
    if action == "confirm":
        return await _confirm(ctx, confirming)
    return [ctx.reply("error.stale_choice")]


async def _confirm(ctx: Context, draft: Confirming) -> list[Reply]:
    if not may_report(ctx):  # the role and unit as stored now: the member may have become a leader since the preview
        ctx.finish()
        return [ctx.reply("report.not_a_reporter")]
    day = draft.day
    values = dict(draft.values)
    # Checked again, holding the team and the member until the commit: someone in the team, or this member on
    # another channel, may have reported since the preview, or be confirming right now.
    checked = await check_change(ctx.tx, ctx.rules, ctx.member.id, ctx.unit.id, day, values,
                                 replacing_day=draft.replace)
    if checked.problems:
        ctx.finish()
        return [*(problem_reply(ctx, p) for p in checked.problems), ctx.reply("report.nothing_saved")]
    replaces = tuple(e.id for e in checked.removed)
    old_day = checked.removing
    member_day = add(checked.member_day, old_day, -1)
    team_day = add(checked.team_day, old_day, -1)
    entry = await ctx.tx.entries.add(NewEntry(
        member_id=ctx.member.id, team_id=ctx.unit.id, day=day, values=values, recorded_at=ctx.now,
        source_key=draft.source, late=is_late(ctx.rules, day, ctx.now), replaces=replaces))
    ctx.finish()
    if entry is None:
        return [ctx.reply("report.already_saved")]
    if draft.replace:
        await ctx.tx.audit.record(ctx.now, ctx.member.id, "entry.edit", f"member:{ctx.member.id}:{day}",
                                  old_day, values)
    else:
        await ctx.tx.audit.record(ctx.now, ctx.member.id, "entry.add", f"entry:{entry.id}", None, values)
    lines = _lines(ctx, values, add(member_day, values), add(team_day, values))
    key = "report.saved_late" if entry.late else "report.saved"
    return [ctx.reply(key, day=_day_label(ctx, day), lines=lines)]


FEATURE = Feature(
    commands=(Command("report", start_guided, "help.report", roles=REPORTERS, aliases=("baocao", "bc"),
                      refusal_key="report.not_a_reporter"),),
    conversation=NAME, on_input=on_input, on_choice=on_choice, state=Asking | Confirming)
