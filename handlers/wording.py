"""The reader for a conversation: the configured metrics' vocabulary (built once) and its results in words."""
from __future__ import annotations

from datetime import date

from domain.reading import (Choice, Figures, MetricName, Policy, Question, Reading, Refusal, Vocabulary, read,
                            vocabulary_for)
from handlers.context import Context

_VOCABULARIES: dict[tuple, Vocabulary] = {}


def vocabulary(ctx: Context) -> Vocabulary:
    """The vocabulary of the campaign's metrics, built the first time it is needed and kept."""
    key = tuple(m.key for m in ctx.rules.metrics) + (id(ctx.rules.metrics),)
    vocab = _VOCABULARIES.get(key)
    if vocab is None:
        vocab = _VOCABULARIES[key] = vocabulary_for(ctx.rules.metrics)
    return vocab


def reading_of(ctx: Context, text: str) -> Reading:
    """The message as read for today, a stated day allowed up to the campaign's days back."""
    return read(text, vocabulary(ctx), ctx.today, Policy(days_back=ctx.rules.campaign.days_back))


def _values(ctx: Context, values) -> dict[str, str]:
    out = {}
    for k, v in values.items():
        if isinstance(v, MetricName):
            out[k] = ctx.rules.metric(v.key).label(ctx.language)
        elif isinstance(v, Figures):
            out[k] = ", ".join(f"{ctx.rules.metric(m).label(ctx.language)}: {ctx.t.num(n)}" for m, n in v.items)
        elif isinstance(v, date):
            out[k] = ctx.t.day(v)
        elif isinstance(v, int):
            out[k] = ctx.t.num(v)
        else:
            out[k] = str(v)
    return out


def refusal(ctx: Context, r: Refusal) -> str:
    return ctx.t(r.key, **_values(ctx, r.values))


def question(ctx: Context, q: Question) -> str:
    return ctx.t(q.key, **_values(ctx, q.values))


def choice(ctx: Context, c: Choice) -> str:
    return ctx.t(c.key, **_values(ctx, c.values))
