"""Quotas and targets from the chat: /quota shows, sets and splits daily quotas; /target sets campaign totals."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from application import planning
from domain.lists import name_lines
from domain.messages import Reply
from domain.model import Unit
from domain.plans import Quota, quota_on, split
from domain.roles import MANAGERS
from domain.settings import Metric
from domain.text import fold
from handlers.arguments import (Refused, Wrong, confirm_buttons, confirmed, date_arg, metric_arg, not_applied,
                                number_arg,
                                or_none, range_text, unit_arg, wrong_reply)
from handlers.context import Command, Context, Feature
from handlers.state import stored_as

NAME = "quota"
MAX_PREVIEW_ROWS = 30
_SET, _SPLIT, _ALL = ("set", "dat"), ("split", "chia"), ("all", "tatca", "het")


@dataclass(frozen=True)
class Change:
    unit: Unit
    old: int | None
    new: int
    split_from: Unit | None = None
    basis: str | None = None
    depth: int = 0  # 0: the unit itself, 1: its children, 2: theirs…
    own_overwritten: bool = False  # the quota it replaces was set for the unit itself, not split down to it


@dataclass(frozen=True)
class SettingQuota:
    """/quota set's preview: a unit's (by code) daily quota of a metric over a range of days (open at either end)."""

    op: ClassVar[str] = "set"
    unit: str
    metric: str
    daily: int
    first: date | None
    last: date | None


@dataclass(frozen=True)
class SplittingQuota:
    """/quota split's preview: a daily quota divided among a unit's children (and theirs, down to the teams)."""

    op: ClassVar[str] = "split"
    unit: str
    metric: str
    daily: int
    first: date | None
    last: date | None
    down_to_teams: bool = field(metadata=stored_as("all"))


@dataclass(frozen=True)
class SettingTarget:
    """/target set's preview: a unit's campaign total of a metric by a day."""

    op: ClassVar[str] = "target"
    unit: str
    metric: str
    total: int
    end: date


async def quota(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    sub = fold(words[0]) if words else ""
    try:
        if sub in _SET:
            return await _ask_set(ctx, words[1:])
        if sub in _SPLIT:
            return await _ask_split(ctx, words[1:])
        if len(words) > 1:
            raise Wrong("plan.unknown_form", word=words[0])
        return await show(ctx, words[0] if words else None)
    except Refused:
        return [ctx.reply("error.not_allowed")]
    except Wrong as problem:
        example = {"set": "quota.example_set", "split": "quota.example_split"}.get(sub, "quota.example")
        return [wrong_reply(ctx, problem, example)]


async def target(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    try:
        if words and fold(words[0]) in _SET:
            return await _ask_target(ctx, words[1:])
        if len(words) > 1:
            raise Wrong("plan.unknown_form", word=words[0])
        return await show(ctx, words[0] if words else None)
    except Refused:
        return [ctx.reply("error.not_allowed")]
    except Wrong as problem:
        return [wrong_reply(ctx, problem, "quota.example_target")]


async def _own_or(ctx: Context, code: str | None) -> Unit:
    if code:
        return await unit_arg(ctx, code)
    if ctx.unit is not None:
        return ctx.unit
    roots = await ctx.tx.units.roots()
    if len(roots) != 1:
        raise Wrong("plan.which_unit")
    return roots[0]


def _dates(words: list[str]) -> tuple[date | None, date | None]:
    first = date_arg(words[0]) if words else None
    last = date_arg(words[1]) if len(words) > 1 else None
    if first and last and last < first:
        raise Wrong("plan.bad_range", first=words[0], last=words[1])
    return first, last


async def _quota_args(ctx: Context, words: list[str]) -> tuple[Unit, Metric, int, date | None, date | None]:
    """UNIT METRIC DAILY [FROM] [TO]"""
    if len(words) < 3:
        raise Wrong("plan.missing")
    if len(words) > 5:
        raise Wrong("plan.too_many", word=words[5])
    unit = await unit_arg(ctx, words[0])
    metric = metric_arg(ctx, words[1])
    daily = number_arg(words[2])
    first, last = _dates(words[3:5])
    # Without a stated start a quota counts from the day it is set, never backwards over days already gone.
    return unit, metric, daily, first or ctx.today, last


def _stored(quotas: list[Quota], unit_id: int, metric: str, first: date | None, last: date | None,
            today: date) -> Quota | None:
    """The unit's own stored quota a new one over that range replaces or overrides: the one set for exactly that
    range (the latest), else the one in force on the range's first day (today, for one without)."""
    exact = [q for q in quotas if q.unit_id == unit_id and q.metric == metric and
             (q.first_day, q.last_day) == (first, last)]
    if exact:
        return max(exact, key=lambda q: q.id)
    return quota_on(quotas, unit_id, metric, first or today)


def _old(quotas: list[Quota], unit_id: int, metric: str, first: date | None, last: date | None,
         today: date) -> int | None:
    q = _stored(quotas, unit_id, metric, first, last, today)
    return q.daily if q else None


async def _ask_set(ctx: Context, words: list[str]) -> list[Reply]:
    unit, metric, daily, first, last = await _quota_args(ctx, words)
    old = _old(await ctx.tx.quotas.quotas_for([unit.id]), unit.id, metric.key, first, last, ctx.today)
    ctx.start(NAME, "confirm", SettingQuota(unit.code, metric.key, daily, first, last))
    return [ctx.reply("quota.preview_set", confirm_buttons(ctx, NAME), metric=metric.label(ctx.language),
                      unit=unit.name, code=unit.code, old=or_none(ctx, old), new=ctx.t.num(daily),
                      range=range_text(ctx, first, last))]


async def _ask_split(ctx: Context, words: list[str]) -> list[Reply]:
    cascade = bool(words) and fold(words[-1]) in _ALL
    words = words[:-1] if cascade else words
    unit, metric, daily, first, last = await _quota_args(ctx, words)
    changes = await split_changes(ctx, unit, metric.key, daily, first, last, cascade)
    if changes is None:
        raise Wrong("quota.no_children", unit=unit.name)
    ctx.start(NAME, "confirm", SplittingQuota(unit.code, metric.key, daily, first, last, cascade))
    return [ctx.reply("quota.preview_split", confirm_buttons(ctx, NAME), **_split_text(ctx, unit, metric, daily,
                                                                                      first, last, changes))]


def _split_text(ctx: Context, unit: Unit, metric: Metric, daily: int, first, last, changes: list[Change]) -> dict:
    """Every unit whose quota changes, old → new (the stored old), level by level; a unit's own quota that the
    split would overwrite is named as such. Units whose quota stays as it is are left out."""
    rows = [c for c in changes if c.depth == 1]
    own = next((c for c in changes if c.depth == 0), None)
    lines = [ctx.t("quota.split_own", unit=unit.name, old=or_none(ctx, own.old), new=ctx.t.num(own.new))] if own else []
    for c in changes:
        if c.depth == 0 or c.old == c.new:
            continue
        row = ctx.t("quota.split_row", unit=c.unit.name, code=c.unit.code, old=or_none(ctx, c.old),
                    new=ctx.t.num(c.new))
        lines.append("  " * (c.depth - 1) + row + (ctx.t("quota.overwrites_own") if c.own_overwritten else ""))
    overwritten = [c.unit.name for c in changes if c.own_overwritten and c.old != c.new]
    if overwritten:
        lines.append(ctx.t("quota.overwrites_warning", count=ctx.t.num(len(overwritten)),
                           names=name_lines(overwritten)))
    return {"metric": metric.label(ctx.language), "unit": unit.name, "code": unit.code, "daily": ctx.t.num(daily),
            "range": range_text(ctx, first, last), "basis": ctx.t(f"quota.basis_{rows[0].basis}"),
            "lines": "\n".join(lines), "total": ctx.t.num(sum(c.new for c in rows))}


async def split_changes(ctx: Context, unit: Unit, metric: str, daily: int, first: date | None,
                        last: date | None, cascade: bool) -> list[Change] | None:
    """The quotas a split writes: the unit's own (if it changes), its children's, and with `cascade` theirs."""
    subtree = await ctx.tx.units.in_subtree(unit)
    below: dict[int, list[Unit]] = {}
    for u in subtree:
        if u.parent_id is not None:
            below.setdefault(u.parent_id, []).append(u)
    if not below.get(unit.id):
        return None
    quotas: dict[int, list[Quota]] = {}
    for q in await ctx.tx.quotas.quotas_for([u.id for u in subtree]):
        quotas.setdefault(q.unit_id, []).append(q)
    weights: dict[int, int | None] = {}

    def weight(u: Unit) -> int | None:
        """Households: the unit's own figure, else the sum of its children's where any have one."""
        if u.id not in weights:
            kids = [weight(k) for k in below.get(u.id, [])]
            known = [w for w in kids if w is not None]
            weights[u.id] = u.households if u.households is not None else (sum(known) if known else None)
        return weights[u.id]

    old = lambda u: _old(quotas.get(u.id, []), u.id, metric, first, last, ctx.today)  # noqa: E731

    def own_overwritten(u: Unit) -> bool:
        q = _stored(quotas.get(u.id, []), u.id, metric, first, last, ctx.today)
        return q is not None and q.split_from is None

    changes = [Change(unit, old(unit), daily)] if old(unit) != daily else []

    def divide(parent: Unit, total: int, depth: int) -> None:
        kids = below[parent.id]
        parts, basis = split(total, [weight(k) for k in kids])
        for kid, part in zip(kids, parts):
            changes.append(Change(kid, old(kid), part, parent, basis, depth, own_overwritten(kid)))
            if cascade and below.get(kid.id):
                divide(kid, part, depth + 1)

    divide(unit, daily, 1)
    return changes


async def _ask_target(ctx: Context, words: list[str]) -> list[Reply]:
    if len(words) < 4:
        raise Wrong("plan.missing")
    if len(words) > 4:
        raise Wrong("plan.too_many", word=words[4])
    unit = await unit_arg(ctx, words[0])
    metric = metric_arg(ctx, words[1])
    total = number_arg(words[2], positive=True)
    end = date_arg(words[3])
    if end < ctx.today:
        raise Wrong("quota.target_past", day=ctx.t.day(end))
    targets = await ctx.tx.quotas.targets_for([unit.id])
    same = [t for t in targets if t.metric == metric.key and t.end_day == end]
    ctx.start(NAME, "confirm", SettingTarget(unit.code, metric.key, total, end))
    return [ctx.reply("quota.preview_target", confirm_buttons(ctx, NAME), metric=metric.label(ctx.language),
                      unit=unit.name, code=unit.code, old=or_none(ctx, same[0].total if same else None),
                      new=ctx.t.num(total), end=ctx.t.day(end))]


async def on_choice(ctx: Context, action: str) -> list[Reply]:
    change = confirmed(ctx, NAME, action)
    if isinstance(change, list):
        return change
    # Checked again from the stored identity: the role or the unit may have changed since the preview.
    if ctx.member is None or ctx.member.role not in MANAGERS:
        return [ctx.reply("error.not_allowed")]
    try:
        unit = await unit_arg(ctx, change.unit)
        metric = ctx.rules.metric(change.metric)
    except Refused:
        return [ctx.reply("error.not_allowed")]
    except (Wrong, KeyError):
        return [ctx.reply("error.stale_choice")]
    if isinstance(change, SettingTarget):
        return await _apply_target(ctx, unit, metric, change.total, change.end)
    first, last = change.first, change.last
    if isinstance(change, SettingQuota):
        return await _apply_set(ctx, unit, metric, change.daily, first, last)
    changes = await split_changes(ctx, unit, metric.key, change.daily, first, last, change.down_to_teams) or []
    rows = [(c.unit.id, c.new, c.split_from.id if c.split_from else None, c.basis) for c in changes]
    replaced = await ctx.tx.quotas.set_quotas(metric.key, first, last, rows, ctx.member.id, ctx.now)
    # One record for the whole split, with every unit's quota before and after, keyed by unit code.
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "quota.split", f"unit:{unit.code}:{metric.key}",
                              {c.unit.code: replaced[c.unit.id].daily if c.unit.id in replaced else None
                               for c in changes},
                              {"daily": {c.unit.code: c.new for c in changes}, "first": _iso(first),
                               "last": _iso(last), "basis": next((c.basis for c in changes if c.depth == 1), None),
                               "down_to_teams": change.down_to_teams})
    return [ctx.reply("quota.done_split", metric=metric.label(ctx.language), unit=unit.name,
                      daily=ctx.t.num(change.daily), range=range_text(ctx, first, last),
                      count=ctx.t.num(sum(1 for c in changes if c.depth > 0)))]


async def _apply_set(ctx: Context, unit: Unit, metric: Metric, daily: int, first: date | None,
                     last: date | None) -> list[Reply]:
    replaced = await ctx.tx.quotas.set_quota(unit.id, metric.key, daily, first, last, None, None, ctx.member.id,
                                             ctx.now)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "quota.set", f"unit:{unit.code}:{metric.key}",
                              _quota_record(replaced), {"daily": daily, "first": _iso(first), "last": _iso(last)})
    return [ctx.reply("quota.done_set", metric=metric.label(ctx.language), unit=unit.name, daily=ctx.t.num(daily),
                      range=range_text(ctx, first, last))]


async def _apply_target(ctx: Context, unit: Unit, metric: Metric, total: int, end: date) -> list[Reply]:
    replaced = await ctx.tx.quotas.set_target(unit.id, metric.key, total, end, ctx.member.id, ctx.now)
    old = {"total": replaced.total, "end": replaced.end_day.isoformat()} if replaced else None
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "target.set", f"unit:{unit.code}:{metric.key}", old,
                              {"total": total, "end": end.isoformat()})
    return [ctx.reply("quota.done_target", metric=metric.label(ctx.language), unit=unit.name,
                      total=ctx.t.num(total), end=ctx.t.day(end))]


def _quota_record(q: Quota | None) -> dict | None:
    if q is None:
        return None
    return {"daily": q.daily, "first": _iso(q.first_day), "last": _iso(q.last_day)}


async def show(ctx: Context, code: str | None) -> list[Reply]:
    """The unit's own quotas as numbers, what it inherits or shares from above, and its children's quotas."""
    unit = await _own_or(ctx, code)
    plans = await planning.load(ctx.tx, unit)
    names, day, lang = plans.names(), ctx.today, ctx.language
    lines = [ctx.t("quota.show_title", unit=unit.name, code=unit.code, date=ctx.t.day(day))]
    for m in ctx.rules.metrics:
        label = m.label(lang)
        applies = plans.applies(unit, m.key, day)
        own = sorted((q for q in plans.quotas if q.unit_id == unit.id and q.metric == m.key),
                     key=lambda q: (q.first_day or date.min, q.id))
        for q in own:
            origin = ctx.t("quota.origin_split", unit=names[q.split_from].name if q.split_from in names else "?",
                           basis=ctx.t(f"quota.basis_{q.basis}")) if q.split_from else ""
            current = ctx.t("quota.in_force") if len(own) > 1 and q == applies.quota else ""
            lines.append(ctx.t("quota.show_own", metric=label, daily=ctx.t.num(q.daily),
                               range=range_text(ctx, q.first_day, q.last_day), origin=origin, current=current))
        if not own and applies.inherited:
            anc, q = applies.inherited
            lines.append(ctx.t("quota.show_inherited", metric=label, unit=names[anc].name, daily=ctx.t.num(q.daily)))
        t = applies.target
        if t is not None and t.unit_id == unit.id:
            lines.append(ctx.t("quota.show_target", metric=label, total=ctx.t.num(t.total), end=ctx.t.day(t.end_day)))
        elif t is not None:
            lines.append(ctx.t("quota.show_target_share", metric=label, unit=names[t.unit_id].name,
                               total=ctx.t.num(t.total), end=ctx.t.day(t.end_day), share=or_none(ctx, applies.share)))
    if len(lines) == 1:
        lines.append(ctx.t("quota.show_nothing"))
    if plans.children:
        lines.append(ctx.t("quota.show_children"))
        for kid in plans.children[:MAX_PREVIEW_ROWS]:
            parts = [f"{m.short(lang)} {ctx.t.num(q.daily)}" for m in ctx.rules.metrics
                     if (q := quota_on(plans.quotas, kid.id, m.key, day)) is not None]
            lines.append(ctx.t("quota.show_child", unit=kid.name, code=kid.code,
                               quotas=" · ".join(parts) if parts else ctx.t("plan.none")))
        if len(plans.children) > MAX_PREVIEW_ROWS:
            lines.append(ctx.t("plan.more", count=ctx.t.num(len(plans.children) - MAX_PREVIEW_ROWS)))
    return [Reply("\n".join(lines))]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


FEATURE = Feature(commands=(
    Command("quota", quota, "plan.help.quota", roles=MANAGERS, aliases=("chitieu",)),
    Command("target", target, "plan.help.target", roles=MANAGERS, aliases=("muctieu",)),
), conversation=NAME, on_input=not_applied, on_choice=on_choice,
   state=SettingQuota | SplittingQuota | SettingTarget)

