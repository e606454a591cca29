"""The commonest short reports read without the whole grammar: "hộ 25, app 18, KH M1 12", "thêm ho 3, muc 1 2,
kh muc 1 1" and "25 18 15 12 4 1".

A message is read here only in a shape whose reading is the grammar's own, and `None` sends anything else to the
grammar (reader.py):
- labelled figures, one line of "label number" pairs, separated by commas, semicolons or spaces, each label made
  of the metrics' own words (a level's number among them where the words before it make a level: "mức 1 12"),
  after at most a few words that say add or replace ("thêm", "tổng"), read as the grammar reads them before the
  first pair. Each label with its number is read once by the grammar alone and remembered (per label as typed,
  and per number below 100, where numbers can be part of a phrase: "mức 1", "thứ 6"), with how it was read: by
  the label's own words, or a level said alone read as its default ("mức 2: 4"). The latter is taken only as the
  grammar takes it in a line: not after an action said of a level ("KH mức 1 12, mức 2: 1" carries the
  activation), unless a level alone was read as its default before. The metrics must differ, and no figure may
  be absurdly large;
- bare numbers, one line of three or more, no more than the metrics: the metrics' figures in the configured order.
tests/reading/test_shapes.py compares both with the grammar's readings, pair by pair, line by line and number by
number; the golden file (tests/reading/test_golden.py) every corpus message.
"""
from __future__ import annotations

import re
from dataclasses import replace
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

Alone = Callable[[str, Vocabulary, date, Policy, int], tuple[Reading, str]]


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


_CHUNK = re.compile(rf"(?:(?P<word>{_WORD})|(?P<number>[0-9]+))(?P<mark>[,;:]?)")


def _chunks(text: str) -> list[tuple[str, str, str]] | None:
    """The message as (kind, text, mark) chunks between single spaces: a word or a number, and the comma,
    semicolon or colon right after it; None for anything else."""
    out = []
    for part in text.split(" "):
        m = _CHUNK.fullmatch(part)
        if m is None:
            return None
        out.append(("word" if m["word"] else "number", m["word"] or m["number"], m["mark"]))
    return out


def _pairs(text: str, vocab: Vocabulary) -> tuple[str, list[tuple[str, str, int, str]]] | None:
    """A leading add-or-replace word ("thêm", "tổng", or ""), then the "label number" pairs: (label, colon,
    number, separator after it: "," for a comma or semicolon, " " for a space, "" at the end). A label's word
    may be followed by a level's number when the two make a level ("mức 1") and the figure comes after it."""
    chunks = _chunks(text)
    if chunks is None:
        return None
    levels = _level_phrases(vocab)
    prefix = []
    i = 0
    while i < len(chunks) and chunks[i][0] == "word" and not chunks[i][2] \
            and split_word(chunks[i][1])[0] not in vocab.words:
        prefix.append(chunks[i][1])
        i += 1
    pairs = []
    while i < len(chunks):
        label, colon = [], ""
        while i < len(chunks) and not colon:
            kind, part, mark = chunks[i]
            if kind == "word" and mark in ("", ":"):
                label.append(part)
            elif kind == "number" and label and mark in ("", ":") and i + 1 < len(chunks) \
                    and chunks[i + 1][0] == "number" and _ends_a_level(label, part, levels):
                label.append(part)
            else:
                break
            colon = mark
            i += 1
        if not label or i == len(chunks) or chunks[i][0] != "number" or not re.fullmatch(_NUMBER, chunks[i][1]):
            return None
        _, number, mark = chunks[i]
        if mark == ":":
            return None
        i += 1
        pairs.append((" ".join(label), colon, int(number), "," if mark else " " if i < len(chunks) else ""))
    if not pairs:
        return None
    return " ".join(prefix), pairs


def _level_phrases(vocab: Vocabulary) -> frozenset[tuple[str, ...]]:
    """The metrics' levels said with a number ("mức 1", "level 2"), folded word by word."""
    found = _LEVELS.get(id(vocab))
    if found is None:
        found = _LEVELS[id(vocab)] = frozenset(
            tuple(split_word(w)[0] for w in p.split()) for m in vocab.metrics for p in m.levels
            if len(p.split()) > 1 and p.split()[-1].isdigit())
    return found


_LEVELS: dict[int, frozenset[tuple[str, ...]]] = {}


def _ends_a_level(label: list[str], number: str, levels: frozenset[tuple[str, ...]]) -> bool:
    words = tuple(split_word(w)[0] for w in label) + (number,)
    return any(words[-len(p):] == p for p in levels if len(p) <= len(words))


def _labelled(text: str, vocab: Vocabulary, today: date, policy: Policy, alone: Alone) -> Reading | None:
    found = _pairs(text, vocab)
    if found is None:
        return None
    prefix, pairs = found
    figures: dict[str, int] = {}
    marked = min(2, sum(1 for w in _LETTERS.findall(text) if split_word(w)[1] not in ("", STROKE)))
    spaced, said = False, set()  # pairs separated by a space only; the labels' words
    learned = 0
    acts: list[frozenset[str]] = []  # as the grammar's line: the actions of a level said so far
    default_clean = False  # a level said alone was read as its default with no action before it
    for label, colon, value, sep in pairs:
        words = [split_word(w)[0] for w in label.split(" ")]
        if any(w not in vocab.words for w in words):
            return None  # a label of other words than the metrics' own: the grammar reads it in its message
        spaced, said = spaced or sep == " ", said.union(words)
        # from 100 on, no phrase holds the number: one reading serves them all
        key = (label, colon, min(value, 100), marked, today, policy)
        if key not in vocab.labels_read:
            if learned == LEARN_PER_MESSAGE:
                return None  # the grammar reads this one; the labels after are learned from later messages
            learned += 1
            _learn(key, vocab, alone)
        metric, how = vocab.labels_read[key]
        if metric is None or metric in figures:
            return None
        if how == "level":  # "mức 2: 1" is its default, unless an action said before it in the line carries
            level = vocab.level_of(metric)
            carried = any(a & level for a in acts)
            if carried and not default_clean:
                return None  # the grammar decides what carries
            default_clean = default_clean or not carried
        elif how == "own-act":
            acts.append(vocab.kin(metric))
        figures[metric] = value
    if spaced and not said.isdisjoint(_NAMES_A_NUMBER):
        return None
    if not figures:
        return None
    mode = None
    if prefix:
        first = pairs[0]
        key = ("mode", prefix, first[0], first[1], min(first[2], 100), marked, today, policy)
        if key not in vocab.labels_read:
            if learned == LEARN_PER_MESSAGE:
                return None
            _learn_mode(key, vocab, alone)
        mode = vocab.labels_read[key]
        if mode is None:
            return None
    reading = _reading(figures, vocab, today)
    return reading if reading is None or mode is None else replace(reading, mode=mode)


def _learn_mode(key: tuple, vocab: Vocabulary, alone: Alone) -> None:
    """Remember what the words before the first label say ("thêm": add, "tổng": replace) as the grammar reads
    them before that first pair; None when they say anything else or change the pair's reading."""
    _, prefix, label, colon, number, marked, today, policy = key
    memo = vocab.labels_read
    metric, _ = memo.get((label, colon, number, marked, today, policy), (None, ""))
    if len(memo) >= MEMORY:
        memo.clear()
    reading, how = alone(f"{prefix} {label}{colon} {number}", vocab, today, policy, marked)
    plain = how != "" and metric is not None and not reading.questions and reading.error is None \
        and reading.note is None and not reading.off and not reading.day_stated and reading.day == today
    memo[key] = reading.mode if plain and dict(reading.figures) == {metric: number} else None


def _learn(key: tuple, vocab: Vocabulary, alone: Alone) -> None:
    """Remember the metric the grammar reads "label number" as, alone, and how (by the label's own words, or a
    level said alone read as its default); None if it reads anything else. `marked` (0, 1, 2: the message's words
    with diacritics) decides how loosely words match."""
    label, colon, number, marked, today, policy = key
    memo = vocab.labels_read
    if len(memo) >= MEMORY:
        memo.clear()
    reading, how = alone(f"{label}{colon} {number}", vocab, today, policy, marked)
    plain = how != "" and not reading.questions and reading.error is None and reading.note is None \
        and not reading.off and reading.mode is None and not reading.day_stated and reading.day == today
    metric = next(iter(reading.figures), None)
    memo[key] = (metric, how) if plain and dict(reading.figures) == {metric: number} else (None, "")


def _reading(figures: dict[str, int], vocab: Vocabulary, today: date) -> Reading | None:
    for key, value in figures.items():
        if value > ABSURD * vocab.metric(key).max_daily:
            return None  # refused by the grammar
    return Reading(figures={k: figures[k] for k in vocab.keys if k in figures}, day=today)
