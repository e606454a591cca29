"""One count typed alone, for guided steps ("25", "1.200", "mười lăm", "không"): a whole number ≥ 0 or why not."""
from __future__ import annotations

from domain.reading import tokens as T
from domain.reading.numbers import read_words
from domain.reading.result import Refusal

_ZERO = {"khong", "ko", "zero", "none"}


def read_count(text: str) -> int | Refusal:
    """The whole number `text` is, or a Refusal naming why it is none (reading.po's reading.error.* keys)."""
    toks = [t for t in T.scan(text.strip()) if t.kind != T.SYM and not (t.kind == T.PUNCT and t.text in ".!-")]
    if len(toks) == 1:
        t = toks[0]
        if t.kind == T.NUM:
            return t.value
        if t.kind == T.BAD:
            return Refusal(f"reading.error.{t.reason}", {"token": t.text})
        if t.kind in (T.DEC, T.RANGE, T.PAIR, T.LIST, T.DATE, T.TIME, T.PHONE):
            reason = T.NOT_WHOLE if t.kind == T.DEC else T.EXPRESSION
            return Refusal(f"reading.error.{reason}", {"token": t.text})
        if t.kind == T.WORD and t.folded in _ZERO:
            return 0
    words = [(t.folded, t.marks) for t in toks if t.kind == T.WORD]
    if toks and len(words) == len(toks):
        got = read_words(words)
        if got is not None and got[1] == len(words):
            return got[0]
    return Refusal("reading.error.not_a_count", {"token": text.strip()[:40]})
