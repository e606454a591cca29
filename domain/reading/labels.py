"""A label as typed ("KH mức 1", "đã kích hoạt … TK mức 1", "mức 2") and the metrics it can mean.

The words of a label narrow the metrics down: an alias names one; an action and a level meet in one ("kích hoạt"
∩ "mức 1"); a hint counts only when no action is said ("thành công" alone is an activation, "đăng ký thành công"
a registration). What a label leaves open (a level, an action) the context may close: a heading, a level said
earlier in the line.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from domain.reading.vocabulary import ACTION, ALIAS, HINT, LEVEL, Vocabulary, Words


def _meet(words: list[Words], kind: str) -> frozenset[str] | None:
    out = None
    for w in words:
        s = w.get(kind)
        if s is not None:
            out = s if out is None else out & s
    return out


def candidates(words: list[Words], vocab: Vocabulary) -> frozenset[str]:
    """The metrics all of the label's words agree on (empty: they contradict each other)."""
    cands = frozenset(vocab.keys)
    alias, action, level, hint = (_meet(words, k) for k in (ALIAS, ACTION, LEVEL, HINT))
    for s in (alias, action, level):
        if s is not None:
            cands &= s
    if hint is not None and alias is None and action is None:
        narrowed = cands & hint
        if narrowed:
            cands = narrowed
    return cands


def says(words: list[Words], kind: str) -> bool:
    return any(w.get(kind) is not None for w in words)


def level_said(words: list[Words]) -> frozenset[str] | None:
    return _meet(words, LEVEL)


def action_said(words: list[Words]) -> frozenset[str] | None:
    """The metrics the label's action words allow (aliases count as actions too)."""
    a, b = _meet(words, ACTION), _meet(words, ALIAS)
    if a is None:
        return b
    return a if b is None else a & b


@dataclass
class Label:
    """One label as typed: its words, where it is, and the labels joined to it by "/" or "và" ("ĐK/KH mức 1")."""

    words: list[Words]
    start: int
    end: int
    joined: list["Label"] = field(default_factory=list)
    unknown: bool = False  # unknown words inside it ("cấp tài khoản mức 2")

    def merged(self, other: "Label") -> "Label":
        return Label(self.words + other.words, min(self.start, other.start), max(self.end, other.end),
                     self.joined + other.joined, self.unknown or other.unknown)

    def fits(self, other: "Label", vocab: Vocabulary) -> bool:
        """Whether the two may be one label: their strong words agree on some metric."""
        strong = [w for w in self.words + other.words if w.get(HINT) is None or len(w.kinds) > 1]
        return bool(candidates(strong, vocab)) if strong else True

    def members(self, vocab: Vocabulary | None = None) -> list["Label"]:
        """"ĐK/KH mức 1": each joined label with the shared words it lacks (here the level) added; a label that
        names one metric by an alias ("KH mức 1", "kh1") shares that metric's level."""
        if not self.joined:
            return [self]
        parts = [Label(list(p.words), p.start, p.end) for p in [self, *self.joined]]
        level = next((level_said(p.words) for p in parts if level_said(p.words)), None)
        if level is None and vocab is not None:
            for p in parts:
                named = candidates(p.words, vocab) if says(p.words, ALIAS) else frozenset()
                if len(named) == 1 and vocab.level_of(next(iter(named))):
                    level = vocab.level_of(next(iter(named)))
                    break
        action = next((action_said(p.words) for p in parts if action_said(p.words)), None)
        for p in parts:
            if level is not None and level_said(p.words) is None:
                p.words.append(Words(((LEVEL, level),)))
            if action is not None and action_said(p.words) is None and not says(p.words, HINT):
                p.words.append(Words(((ACTION, action),)))
        return parts


@dataclass
class Context:
    """What headings and earlier labels of the line leave for a label that does not say it."""

    level: frozenset[str] | None = None
    action: frozenset[str] | None = None

    def copy(self) -> "Context":
        return Context(self.level, self.action)


def resolve(words: list[Words], ctx: Context, vocab: Vocabulary) -> frozenset[str]:
    """The metrics a label means in its context (one, several to ask among, or none)."""
    cands = candidates(words, vocab)
    if len(cands) <= 1:
        return cands
    if level_said(words) is None and ctx.level is not None:
        narrowed = frozenset(k for k in cands if k not in vocab.leveled or k in ctx.level)
        if narrowed:
            cands = narrowed
    if action_said(words) is None and ctx.action is not None:
        narrowed = cands & ctx.action
        if narrowed:
            cands = narrowed
    return cands


def hint_said(words: list[Words]) -> frozenset[str] | None:
    out = None
    for w in words:
        h = w.get(HINT)
        if h is not None:
            out = h if out is None else out & h
    return out


def join(first: Label, second: Label, vocab: Vocabulary) -> Label:
    """A clause of labels only, then one starting with a label: one label when they agree ("Mức 1, đăng ký 15"),
    two sharing the number otherwise ("đăng ký, kích hoạt mức 2: 10")."""
    if first.fits(second, vocab) and candidates(first.words + second.words, vocab):
        return first.merged(second)
    joined = Label(list(first.words), first.start, second.end, [*first.joined, second], first.unknown)
    return joined
