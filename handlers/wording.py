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


def worded(values, rules, language: str, t) -> dict[str, str]:
    """A reading's values (metric names, figures, days, counts) in words of `language`, for its catalog message;
    the parse command words them the same way."""
    out = {}
    for k, v in values.items():
        if isinstance(v, MetricName):
            out[k] = rules.metric(v.key).label(language)
        elif isinstance(v, Figures):
            out[k] = ", ".join(f"{rules.metric(m).label(language)}: {t.num(n)}" for m, n in v.items)
        elif isinstance(v, date):
            out[k] = t.day(v)
        elif isinstance(v, int):
            out[k] = t.num(v)
        else:
            out[k] = str(v)
    return out


def _values(ctx: Context, values) -> dict[str, str]:
    return worded(values, ctx.rules, ctx.language, ctx.t)


def refusal(ctx: Context, r: Refusal) -> str:
    return ctx.t(r.key, **_values(ctx, r.values))


def question(ctx: Context, q: Question) -> str:
    return ctx.t(q.key, **_values(ctx, q.values))


def choice(ctx: Context, c: Choice) -> str:
    return ctx.t(c.key, **_values(ctx, c.values))
