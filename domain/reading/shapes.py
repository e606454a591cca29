"""The commonest short reports read without the whole grammar: "hộ 25, app 18, KH M1 12" and "25 18 15 12 4 1".

A message is read here only in a shape whose reading is the grammar's own, and `None` sends anything else to the
grammar (reader.py):
- labelled figures, one line of "label number" pairs, separated by commas, semicolons or spaces, each label made
  of the metrics' own words: each label with its number is read once by the grammar alone and remembered (per
  label as typed, and per number below 100, where numbers can be part of a phrase: "mức 1", "thứ 6"). A pair is taken only when the grammar reads it as that one figure and nothing else, named by
  the label's own words (nothing carried from another label, as "KH mức 1 12, mức 2: 1" carries). The metrics
  must differ, and no figure may be absurdly large;
- bare numbers, one line of three or more, no more than the metrics: the metrics' figures in the configured order.
tests/reading/test_shapes.py compares both with the grammar's readings, pair by pair and number by number.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Callable

from domain.reading import lexicon as L
from domain.reading.days import Policy
from domain.reading.result import Reading
from domain.reading.vocabulary import Vocabulary
from domain.reading.words import STROKE, split_word

ABSURD = 100  # as reader.py: a figure this many times the metric's daily maximum is refused there
MIN_IN_ORDER = 3  # as reader.py: bare numbers are read in order from three on
MEMORY = 20_000  # labels read alone that a vocabulary remembers, at most (then it starts again)
LEARN_PER_MESSAGE = 2  # labels read alone for one message at most: a message's first sight costs little more
_NUMBER = r"(?:0|[1-9][0-9]{0,2})"  # no leading zero (phones), no thousands (years, 1800 numbers)
_BARE = re.compile(rf"{_NUMBER}(?: {_NUMBER}){{{MIN_IN_ORDER - 1},}}")
_WORD = r"[^\W\d_]+[0-9]?"  # "hộ", "KH", "M1", "đk1"
_PAIR = re.compile(rf"(?P<label>{_WORD}(?: {_WORD})*)(?P<colon>:?) (?P<number>{_NUMBER})(?P<sep>[,;] ?| |$)")
# words that name something by the number after them ("số 5", "tổ 3"): with only a space before the next pair,
# the grammar may read "số 40" as such a name, so a label holding one is left to it there
_NAMES_A_NUMBER = frozenset(split_word(w)[0] for w in L.WORDS[L.IDENT] if " " not in w)
_LETTERS = re.compile(r"[^\W\d_]+")

Alone = Callable[[str, Vocabulary, date, Policy, int], tuple[Reading, bool]]


def read_short(text: str, vocab: Vocabulary, today: date, policy: Policy, alone: Alone) -> Reading | None:
    """The reading of `text` (normalised) if it has one of the short shapes, else None. `alone` is the grammar."""
    if not text or len(text) > 200 or "\n" in text:
        return None
    if _BARE.fullmatch(text):
        return _bare(text, vocab, today)
    return _labelled(text, vocab, today, policy, alone)


def _bare(text: str, vocab: Vocabulary, today: date) -> Reading | None:
    values = [int(n) for n in text.split(" ")]
    if len(values) > len(vocab.keys):
        return None  # asked about (too many numbers)
    return _reading(dict(zip(vocab.keys, values)), vocab, today)


def _labelled(text: str, vocab: Vocabulary, today: date, policy: Policy, alone: Alone) -> Reading | None:
    figures: dict[str, int] = {}
    marked = min(2, sum(1 for w in _LETTERS.findall(text) if split_word(w)[1] not in ("", STROKE)))
    spaced, said = False, set()  # pairs separated by a space only; the labels' words
    learned = 0
    pos = 0
    while pos < len(text):
        m = _PAIR.match(text, pos)
        if m is None:
            return None
        words = [split_word(w)[0] for w in m["label"].split(" ")]
        if any(w not in vocab.words for w in words):
            return None  # a label of other words than the metrics' own: the grammar reads it in its message
        spaced, said = spaced or m["sep"] == " ", said.union(words)
        value = int(m["number"])
        # from 100 on, no phrase holds the number: one reading serves them all
        key = (m["label"], m["colon"], min(value, 100), marked, today, policy)
        if key not in vocab.labels_read:
            if learned == LEARN_PER_MESSAGE:
                return None  # the grammar reads this one; the labels after are learned from later messages
            learned += 1
            _learn(key, vocab, alone)
        metric = vocab.labels_read[key]
        if metric is None or metric in figures:
            return None
        figures[metric] = value
        pos = m.end()
    if spaced and not said.isdisjoint(_NAMES_A_NUMBER):
        return None
    return _reading(figures, vocab, today) if figures else None


def _learn(key: tuple, vocab: Vocabulary, alone: Alone) -> None:
    """Remember the metric the grammar reads "label number" as, alone and by the label's own words; None if it
    reads anything else. `marked` (0, 1, 2: the message's words with diacritics) decides how loosely words match."""
    label, colon, number, marked, today, policy = key
    memo = vocab.labels_read
    if len(memo) >= MEMORY:
        memo.clear()
    reading, own = alone(f"{label}{colon} {number}", vocab, today, policy, marked)
    plain = own and not reading.questions and reading.error is None and reading.note is None \
        and not reading.off and reading.mode is None and not reading.day_stated and reading.day == today
    metric = next(iter(reading.figures), None)
    memo[key] = metric if plain and dict(reading.figures) == {metric: number} else None


def _reading(figures: dict[str, int], vocab: Vocabulary, today: date) -> Reading | None:
    for key, value in figures.items():
        if value > ABSURD * vocab.metric(key).max_daily:
            return None  # refused by the grammar
    return Reading(figures={k: figures[k] for k in vocab.keys if k in figures}, day=today)
