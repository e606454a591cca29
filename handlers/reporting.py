"""Reporting the day's tallies: free text or guided steps, checked, previewed, confirmed, then stored."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace as changed
from datetime import date

from application.chasing import roll_call
from application.checks import Checked, check_change
from domain.cutoffs import is_late
from domain.dates import says_yesterday
from domain.messages import Button, Reply
from domain.lists import name_lines
from domain.model import NewEntry, Role
from domain.reading import Reading, Refusal, read_count
from domain.roles import REPORTERS
from domain.rules import Problem, add
from handlers import wording
from handlers.context import Command, Context, Feature

NAME = "report"
PENDING = ("confirm", "unsure", "mode", "tell")  # steps where a report waits for the member's answer


@dataclass(frozen=True)
class Asking:
    """Guided steps: the metric asked now, the figures typed so far, and those shown as current (a fix, an edit)."""

    day: date
    index: int
    values: dict[str, int]
    base: dict[str, int]
    replace: bool  # an /edit: the figures take the place of the member's whole day
    note: str | None = None  # the note of the report being fixed, kept for its confirmation


@dataclass(frozen=True)
class Confirming:
    """A report previewed, waiting for Xác nhận, Sửa or Huỷ."""

    day: date
    values: dict[str, int]
    source: str  # the delivery that made the preview: the entry's business key
    replace: bool
    note: str | None = None  # what the volunteer wrote for leaders ("Khó khăn: …"), kept with the report


@dataclass(frozen=True)
class Unsure:
    """A report read with questions: the reading (JSON of `Reading.to_dict`) waiting for the first one's answer."""

    reading: str
    source: str


@dataclass(frozen=True)
class AddOrReplace:
    """A report for a day that already has the member's figures: waiting for add, or replace the day's total."""

    day: date
    values: dict[str, int]
    source: str
    note: str | None = None


@dataclass(frozen=True)
class Telling:
    """A day off or a note without figures, previewed, waiting to be sent to the leaders."""

    day: date
    off: bool
    reason: str | None  # why the member is off, in their words
    note: str | None
    source: str


def may_report(ctx: Context) -> bool:
    return (ctx.member is not None and ctx.member.role in REPORTERS and ctx.unit is not None
            and ctx.unit.kind == ctx.rules.campaign.team_kind)


def _day_label(ctx: Context, day: date) -> str:
    if day == ctx.today:
        return f"{ctx.t('report.today')} {ctx.t.day(day)}"
    if day == ctx.yesterday:
        return f"{ctx.t('report.yesterday')} {ctx.t.day(day)}"
    return ctx.t.day(day)


async def start_guided(ctx: Context, args: str, *, day: date | None = None, base: dict | None = None,
                       replace: bool = False, note: str | None = None) -> list[Reply]:
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
    ctx.start(NAME, "ask", Asking(day, 0, {}, dict(base or {}), replace, note), expects_number=True)
    return [_ask(ctx, ctx.state)]


def _ask(ctx: Context, asking: Asking) -> Reply:
    metrics = ctx.rules.metrics
    metric = metrics[asking.index]
    current = asking.values.get(metric.key, asking.base.get(metric.key))
    # A number is awaited, so where there are no buttons the choices are words to type (plain words, no symbols).
    row = [ctx.button("btn.skip", f"{NAME}:skip", ctx.t("typed.skip"))]
    if asking.index > 0:
        row.insert(0, ctx.button("btn.back", f"{NAME}:back", ctx.t("typed.back")))
    buttons = [row, [ctx.button("btn.cancel", f"{NAME}:cancel", ctx.t("typed.cancel"))]]
    current_text = "" if current is None else ctx.t("report.current", value=ctx.t.num(current))
    return ctx.reply("report.ask_metric", buttons, n=asking.index + 1, total=len(metrics),
                     label=metric.label(ctx.language), current=current_text)


async def on_input(ctx: Context, text: str) -> list[Reply]:
    asking = ctx.state_of(Asking)
    if ctx.conv.step in PENDING or asking is None:
        # A new report while one waits for confirmation or an answer replaces the draft.
        return await free_text(ctx, text)
    n = read_count(text)
    if isinstance(n, Refusal):
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
    return await _preview(ctx, asking.day, values, replace=asking.replace, note=asking.note)


async def free_text(ctx: Context, text: str) -> list[Reply]:
    """Plain text outside a conversation: a report if it reads as one, else a short help."""
    if ctx.member is None or not may_report(ctx):
        return [ctx.reply("help.hint")]
    reading = wording.reading_of(ctx, text)
    pending = ctx.conv.name == NAME and ctx.conv.step in PENDING
    if not reading.is_report:
        if pending:  # a pending report is never dropped silently
            return await _still_waiting(ctx)
        return [ctx.reply("help.hint"), ctx.reply("report.example", order=_order(ctx))]
    if reading.error is not None:
        refused = [ctx.reply("report.refused", why=wording.refusal(ctx, reading.error))]
        if pending:
            return refused + await _still_waiting(ctx)
        ctx.finish()
        return refused + [ctx.reply("report.example", order=_order(ctx))]
    if pending and reading.note and not reading.figures and not reading.off and reading.complete:
        # "Khó khăn: …" sent just after the figures belongs to the report still waiting, not in its place.
        added = await _note_added(ctx, reading.note)
        if added is not None:
            return added
    replies = await _go_on(ctx, reading, f"{ctx.msg.channel}:{ctx.msg.delivery_id}")
    if pending:
        replies.insert(0, ctx.reply("report.replaces_pending"))
    return replies


def _with(note: str | None, more: str) -> str:
    return more if not note else f"{note}\n{more}"


async def _note_added(ctx: Context, note: str) -> list[Reply] | None:
    """The note added to the report waiting for its confirmation or for add-or-replace, shown again; None when the
    waiting report is of another kind."""
    confirming, choosing = ctx.state_of(Confirming), ctx.state_of(AddOrReplace)
    if ctx.conv.step == "confirm" and confirming is not None:
        return [ctx.reply("report.note_added")] + await _preview(
            ctx, confirming.day, confirming.values, replace=confirming.replace, source=confirming.source,
            note=_with(confirming.note, note))
    if ctx.conv.step == "mode" and choosing is not None:
        choosing = changed(choosing, note=_with(choosing.note, note))
        ctx.state = choosing
        member_day = await _member_day(ctx, choosing.day)
        return [ctx.reply("report.note_added"), _ask_mode(ctx, choosing.day, choosing.values, member_day,
                                                           choosing.note)]
    return None


async def _still_waiting(ctx: Context) -> list[Reply]:
    """The report still waiting, asked again: its question, or its preview's choices."""
    unsure, confirming, choosing = ctx.state_of(Unsure), ctx.state_of(Confirming), ctx.state_of(AddOrReplace)
    telling = ctx.state_of(Telling)
    if telling is not None:
        return [ctx.reply("report.still_waiting"), _tell_preview(ctx, telling)]
    if choosing is not None:
        member_day = await _member_day(ctx, choosing.day)
        return [ctx.reply("report.still_waiting"),
                _ask_mode(ctx, choosing.day, choosing.values, member_day, choosing.note)]
    if unsure is not None:
        return [ctx.reply("report.still_waiting")] + await _go_on(ctx, Reading.from_dict(json.loads(unsure.reading)),
                                                                 unsure.source)
    if confirming is None:
        ctx.finish()
        return [ctx.reply("help.hint")]
    return [ctx.reply("report.still_waiting_preview", _preview_buttons(ctx), day=_day_label(ctx, confirming.day),
                      lines=_lines(ctx, confirming.values, confirming.values, confirming.values, short=True)
                      + _note_line(ctx, confirming.note))]


async def _go_on(ctx: Context, reading: Reading, source: str) -> list[Reply]:
    """Ask the reading's next question, or preview its figures once nothing is unsure."""
    if reading.questions:
        ctx.start(NAME, "unsure", Unsure(json.dumps(reading.to_dict(), ensure_ascii=False), source))
        q = reading.questions[0]
        buttons = [[Button(wording.choice(ctx, c), f"{NAME}:pick{i}")] for i, c in enumerate(q.choices)]
        return [ctx.reply("report.question", buttons, question=wording.question(ctx, q))]
    # A day off said with figures is a report: why the rest of the day was off goes to the leaders as its note.
    note = reading.note or (reading.off_reason if reading.off and reading.figures else None)
    if not reading.figures:
        if reading.off or reading.note:
            telling = Telling(reading.day, reading.off, reading.off_reason, reading.note, source)
            ctx.start(NAME, "tell", telling)
            return [_tell_preview(ctx, telling)]
        ctx.finish()
        return [ctx.reply("report.nothing"), ctx.reply("report.example", order=_order(ctx))]
    values = dict(reading.figures)
    # The checks read the member's day: whether to ask add or replace is decided from that very read.
    checked = await check_change(ctx.tx, ctx.rules, ctx.member.id, ctx.unit.id, reading.day, values)
    member_day = checked.member_day
    if member_day and reading.mode is None:  # a re-sent day total must not double the day: ask
        ctx.start(NAME, "mode", AddOrReplace(reading.day, values, source, note))
        return [_ask_mode(ctx, reading.day, values, member_day, note)]
    if member_day and reading.mode == "replace":
        return await _preview(ctx, reading.day, {**member_day, **values}, replace=True, source=source, note=note)
    return await _preview(ctx, reading.day, values, replace=False, source=source, note=note, checked=checked)


def _note_line(ctx: Context, note: str | None) -> str:
    return "" if not note else "\n" + ctx.t("report.note_line", note=note)


def _tell_preview(ctx: Context, telling: Telling) -> Reply:
    lines = []
    if telling.off:
        lines.append(ctx.t("report.off_line", reason=telling.reason or ctx.t("report.off_no_reason")))
    if telling.note:
        lines.append(ctx.t("report.note_line", note=telling.note))
    buttons = [[ctx.button("btn.send", f"{NAME}:tell")], [ctx.button("btn.cancel", f"{NAME}:cancel")]]
    key = "report.off_preview" if telling.off else "report.note_preview"
    if telling.off and ctx.member.role == Role.TEAM_LEADER:
        # A team leader may speak for the team ("tổ nghỉ vì mưa") or for themselves: asked, never guessed, so
        # neither choice is what "ok" means.
        buttons = [[Button(ctx.t("btn.off_me"), f"{NAME}:tell")], [Button(ctx.t("btn.off_team"), f"{NAME}:tell_team")],
                   [ctx.button("btn.cancel", f"{NAME}:cancel")]]
        key = "report.off_preview_team"
    return ctx.reply(key, buttons, day=_day_label(ctx, telling.day), lines="\n".join(lines))


async def _told(ctx: Context, whole_team: bool = False) -> list[Reply]:
    """The day off or the note sent: kept for the leaders' /summary and files; a day off stops the day's reminders."""
    telling = ctx.state_of(Telling)
    if ctx.conv.step != "tell" or telling is None or whole_team and not telling.off:
        return [ctx.reply("error.stale_choice")]
    ctx.finish()
    if not may_report(ctx):  # the role and unit as stored now
        return [ctx.reply("report.not_a_reporter")]
    if whole_team:
        if ctx.member.role != Role.TEAM_LEADER:  # as stored now, whatever the button said
            return [ctx.reply("report.off_team_leaders_only")]
        return await _team_off(ctx, telling)
    if telling.off:
        await ctx.tx.days_off.set(ctx.member.id, ctx.unit.id, telling.day, telling.reason or telling.note, ctx.now)
        await ctx.tx.audit.record(ctx.now, ctx.member.id, "day_off.set", f"member:{ctx.member.id}:{telling.day}",
                                  None, {"reason": telling.reason})
    if telling.note:
        await ctx.tx.notes.add(ctx.member.id, ctx.unit.id, telling.day, telling.note, ctx.now, telling.source, None)
    if not telling.off:
        return [ctx.reply("report.note_saved", day=_day_label(ctx, telling.day))]
    return [ctx.reply("report.off_saved_today" if telling.day == ctx.today else "report.off_saved",
                      day=_day_label(ctx, telling.day))]


async def _team_off(ctx: Context, telling: Telling) -> list[Reply]:
    """Every member of the team that day who has not reported is off, for the team leader's reason."""
    call = await roll_call(ctx.tx, ctx.rules, [ctx.unit], telling.day)
    reported = (await ctx.tx.entries.reporters([ctx.unit.id], telling.day))[ctx.unit.id]
    off = [m for m in call.members_on(ctx.unit.id, telling.day) if m.id not in reported]
    reason = telling.reason or telling.note
    for m in off:
        await ctx.tx.days_off.set(m.id, ctx.unit.id, telling.day, reason, ctx.now)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "day_off.team", f"unit:{ctx.unit.id}:{telling.day}", None,
                              {"reason": reason, "members": [m.id for m in off]})
    if telling.note:
        await ctx.tx.notes.add(ctx.member.id, ctx.unit.id, telling.day, telling.note, ctx.now, telling.source, None)
    return [ctx.reply("report.off_team_saved", day=_day_label(ctx, telling.day), count=ctx.t.num(len(off)),
                      names=name_lines(m.name for m in off))]


def _ask_mode(ctx: Context, day: date, values: dict, member_day: dict, note: str | None = None) -> Reply:
    buttons = [[ctx.button("btn.add", f"{NAME}:add")], [ctx.button("btn.replace", f"{NAME}:replace")],
               [ctx.button("btn.cancel", f"{NAME}:cancel")]]
    return ctx.reply("report.add_or_replace", buttons, day=_day_label(ctx, day),
                     so_far=_lines(ctx, member_day, {}, {}, short=True),
                     lines=_lines(ctx, values, {}, {}, short=True) + _note_line(ctx, note))


async def _mode_chosen(ctx: Context, action: str) -> list[Reply]:
    choosing = ctx.state_of(AddOrReplace)
    if ctx.conv.step != "mode" or choosing is None:
        return [ctx.reply("error.stale_choice")]
    if action == "add":
        return await _preview(ctx, choosing.day, choosing.values, replace=False, source=choosing.source,
                              note=choosing.note)
    member_day = await _member_day(ctx, choosing.day)
    return await _preview(ctx, choosing.day, {**member_day, **choosing.values}, replace=True, source=choosing.source,
                          note=choosing.note)


async def _picked(ctx: Context, index: int) -> list[Reply]:
    unsure = ctx.state_of(Unsure)
    if ctx.conv.step != "unsure" or unsure is None:
        return [ctx.reply("error.stale_choice")]
    reading = Reading.from_dict(json.loads(unsure.reading))
    if not reading.questions or not 0 <= index < len(reading.questions[0].choices):
        return [ctx.reply("error.stale_choice")]
    if reading.questions[0].choices[index].retype:
        ctx.finish()
        return [ctx.reply("report.retype")]
    return await _go_on(ctx, reading.answer(0, index), unsure.source)


def _order(ctx: Context) -> str:
    return ", ".join(m.label(ctx.language) for m in ctx.rules.metrics)


async def _member_day(ctx: Context, day: date) -> dict[str, int]:
    """The member's figures of `day` as stored now (one grouped read; the checks read the rest when previewing)."""
    return (await ctx.tx.entries.member_totals([ctx.member.id], day))[ctx.member.id]


async def _preview(ctx: Context, day: date, values: dict[str, int], *, replace: bool,
                   source: str | None = None, note: str | None = None, checked: Checked | None = None) -> list[Reply]:
    """The figures checked (`checked`: already, for these very values) and shown for confirmation."""
    if checked is None:
        checked = await check_change(ctx.tx, ctx.rules, ctx.member.id, ctx.unit.id, day, values,
                                     replacing_day=replace)
    if checked.problems:
        ctx.finish()
        return [*(problem_reply(ctx, p) for p in checked.problems), ctx.reply("report.nothing_saved")]
    # An edit: the new figures take the place of the member's whole day.
    member_day = add(checked.member_day, checked.removing, -1)
    team_day = add(checked.team_day, checked.removing, -1)
    source = source or f"{ctx.msg.channel}:{ctx.msg.delivery_id}"
    ctx.start(NAME, "confirm", Confirming(day, values, source, replace, note))
    lines = _lines(ctx, values, add(member_day, values), add(team_day, values)) + _note_line(ctx, note)
    key = "report.preview_edit" if replace else "report.preview"
    return [ctx.reply(key, _preview_buttons(ctx), day=_day_label(ctx, day), lines=lines)]


def _preview_buttons(ctx: Context) -> list[list[Button]]:
    return [[ctx.button("btn.confirm", f"{NAME}:confirm"), ctx.button("btn.fix", f"{NAME}:fix")],
            [ctx.button("btn.cancel", f"{NAME}:cancel")]]


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


def _lines(ctx: Context, values: dict, member_day: dict, team_day: dict, short: bool = False) -> str:
    out = []
    for m in ctx.rules.metrics:
        if m.key in values and short:
            out.append(ctx.t("reading.show.figure", label=m.label(ctx.language), value=ctx.t.num(values[m.key])))
        elif m.key in values:
            out.append(ctx.t("report.line", label=m.label(ctx.language), value=ctx.t.num(values[m.key]),
                             mine=ctx.t.num(member_day.get(m.key, 0)), team=ctx.t.num(team_day.get(m.key, 0))))
    return "\n".join(out)


async def on_choice(ctx: Context, action: str) -> list[Reply]:
    asking, confirming = ctx.state_of(Asking), ctx.state_of(Confirming)
    if action in ("confirm", "fix") and (ctx.conv.step != "confirm" or confirming is None):
        return [ctx.reply("report.no_draft")]
    if action in ("skip", "back") and (ctx.conv.step != "ask" or asking is None):
        return [ctx.reply("error.stale_choice")]
    if action in ("add", "replace"):
        return await _mode_chosen(ctx, action)
    if action.startswith("pick") and action[4:].isdigit():
        return await _picked(ctx, int(action[4:]))
    if action in ("tell", "tell_team"):
        return await _told(ctx, whole_team=action == "tell_team")
    if action == "cancel":
        ctx.finish()
        return [ctx.reply("report.cancelled")]
    if action == "skip":
        return await _advance(ctx, asking, +1)
    if action == "back":
        return await _advance(ctx, asking, -1)
    if action == "fix":
        return await start_guided(ctx, "", day=confirming.day, base=confirming.values, replace=confirming.replace,
                                  note=confirming.note)
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
    if draft.note:  # in the same transaction as the figures: both kept, or neither
        await ctx.tx.notes.add(ctx.member.id, ctx.unit.id, day, draft.note, ctx.now, draft.source, entry.id)
    lines = _lines(ctx, values, add(member_day, values), add(team_day, values)) + _note_line(ctx, draft.note)
    key = "report.saved_late" if entry.late else "report.saved"
    return [ctx.reply(key, day=_day_label(ctx, day), lines=lines)]


FEATURE = Feature(
    commands=(Command("report", start_guided, "help.report", roles=REPORTERS, aliases=("baocao", "bc"),
                      refusal_key="report.not_a_reporter"),),
    conversation=NAME, on_input=on_input, on_choice=on_choice, state=Asking | Confirming | Unsure | AddOrReplace | Telling)
