"""Reading management commands' arguments: units by code within the sender's scope, metrics, numbers, dates."""
from __future__ import annotations

from datetime import date
from typing import Any

from domain.dates import parse_date
from domain.messages import Button, Reply
from domain.model import Unit
from domain.reading import read_count
from domain.settings import Metric
from handlers import reporting
from handlers.scopes import MAX_CHOICES, matching_units
from handlers.context import Context
from handlers.joining import in_scope

MAX_NUMBER = 1_000_000_000


class Wrong(Exception):
    """An argument is wrong: answered with one sentence on what, and an example of the right form."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class Refused(Exception):
    """The sender may not do this; nothing is changed."""


def wrong_reply(ctx: Context, problem: Wrong, example_key: str) -> Reply:
    return Reply(f"{ctx.t(problem.key, **problem.values)} {ctx.t(example_key)}")


async def unit_arg(ctx: Context, code: str) -> Unit:
    """The unit with this code (any case) or a unique part of its name, if it lies within the sender's stored scope."""
    found = await matching_units(ctx, code)
    if len(found) > 1:
        raise Wrong("error.unit_ambiguous", text=code, count=ctx.t.num(len(found)),
                    units=", ".join(f"{u.name} ({u.code})" for u in found[:MAX_CHOICES]))
    unit = found[0] if found else None
    if unit is None:
        raise Wrong("error.unknown_unit", code=code)
    if not await in_scope(ctx, unit):
        raise Refused()
    return unit


def metric_arg(ctx: Context, word: str) -> Metric:
    metric = ctx.rules.find_metric(word)
    if metric is None:
        raise Wrong("plan.bad_metric", word=word, known=", ".join(_short_names(ctx)))
    return metric


def _short_names(ctx: Context) -> list[str]:
    """One word per metric to suggest: its shortest one-word alias."""
    out = []
    for m in ctx.rules.metrics:
        words = [a for a in m.aliases if " " not in a] or [m.key]
        out.append(min(words, key=len))
    return out


def number_arg(word: str, *, positive: bool = False) -> int:
    n = read_count(word) if any(c.isdigit() for c in word) else None  # in a command a number is in digits
    if not isinstance(n, int) or n > MAX_NUMBER:
        raise Wrong("plan.bad_number", word=word)
    if positive and n == 0:
        raise Wrong("plan.zero", word=word)
    return n


def date_arg(word: str) -> date:
    d = parse_date(word)
    if d is None:
        raise Wrong("plan.bad_date", word=word)
    return d


def confirm_buttons(ctx: Context, conversation: str) -> list[list[Button]]:
    return [[ctx.button("btn.confirm", f"{conversation}:confirm"), ctx.button("btn.cancel", f"{conversation}:cancel")]]


def confirmed(ctx: Context, conversation: str, action: str) -> Any | list[Reply]:
    """The previewed change (the conversation's typed state) when `action` confirms it, else the answer to give.
    Either way the preview is over. The caller must still check the sender's right again: it may have changed
    since the preview."""
    if ctx.conv.name != conversation or ctx.conv.step != "confirm" or ctx.state is None:
        return [ctx.reply("error.stale_choice")]
    change = ctx.state
    ctx.finish()
    if action != "confirm":
        return [ctx.reply("plan.cancelled")]
    return change


def range_text(ctx: Context, first: date | None, last: date | None) -> str:
    if first is None and last is None:
        return ""
    if last is None:
        return ctx.t("plan.range_from", first=ctx.t.day(first))
    if first is None:
        return ctx.t("plan.range_to", last=ctx.t.day(last))
    return ctx.t("plan.range", first=ctx.t.day(first), last=ctx.t.day(last))


def or_none(ctx: Context, n: int | None) -> str:
    return ctx.t("plan.none") if n is None else ctx.t.num(n)


async def not_applied(ctx: Context, text: str) -> list[Reply]:
    """Text typed instead of a choice: the pending change is dropped; a report typed meanwhile is still read."""
    ctx.finish()
    replies = [ctx.reply("plan.not_applied")]
    if reporting.may_report(ctx):
        replies += await reporting.free_text(ctx, text)
    return replies
