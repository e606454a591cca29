"""Reading one message: figures for a day, a note, a day off; a question wherever two readings are possible."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from domain.reading import clauses as C
from domain.reading import days as D
from domain.reading import notes
from domain.reading import questions as Q
from domain.reading import shapes
from domain.reading import tokens as T
from domain.reading.bits import Bit, annotate, lines as cut_lines
from domain.reading.labels import Context, Label, action_said, candidates, hint_said, join, level_said, resolve, says
from domain.reading.pairing import BOTH, LEFT, labels_of, ways
from domain.reading.result import Refusal, Question, Reading
from domain.reading.vocabulary import ACTION, ALIAS, Vocabulary, vocabulary_for
from domain.settings import Metric

MAX_CHARS = 4096  # a Telegram message; Zalo's are shorter
ABSURD = 100  # a figure this many times the metric's daily maximum is no count of one day ("1.200 hộ" is asked
# about by the daily maximum when stored; "20.000.000 hộ" is refused here)
MIN_IN_ORDER = 3  # bare numbers are read in the configured order from three on (or all metrics, if fewer)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]")


def read(text: str, metrics: Sequence[Metric] | Vocabulary, today: date, policy: D.Policy = D.Policy()) -> Reading:
    """What `text` reports, read with the configured metrics' words, for `today` under `policy`."""
    vocab = metrics if isinstance(metrics, Vocabulary) else vocabulary_for(tuple(metrics))
    if not isinstance(text, str):
        return Reading({}, today, error=Refusal("reading.error.not_text"))
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text.encode("utf-8", "replace").decode("utf-8")))
    if len(text) > MAX_CHARS:
        return Reading({}, today, error=Refusal("reading.error.too_long", {"length": len(text), "limit": MAX_CHARS}))
    short = shapes.read_short(text, vocab, today, policy, read_alone)
    return short if short is not None else _Reader(text, vocab, today, policy).read()


def read_alone(text: str, vocab: Vocabulary, today: date, policy: D.Policy,
               marked: int | None = None) -> tuple[Reading, bool]:
    """`text` (normalised) read by the whole grammar, and whether every figure was named by its own label's words
    alone (no level or action carried from a heading or another label, no table, no bare number) and every word
    was known. `marked`: read as if the message had that many words with diacritics (a part of a message, read as
    the whole message it came from is)."""
    reader = _Reader(text, vocab, today, policy, marked)
    reading = reader.read()
    return reading, _how(reader.s)


def _how(s: "_State") -> str:
    """How a message of one figure was read, for the short shapes (shapes.py): "own" by its label's own words
    ("own-act" when the label says an action of a level, which carries to a level said alone after it), "level"
    a level said alone read as its default ("mức 2: 4"), "" anything else."""
    if s.unknowns:
        return ""
    if not s.borrowed:
        return "own-act" if s.acted else "own"
    return "level" if s.borrowed == 1 and s.level_defaults == 1 else ""


@dataclass
class _Figure:
    metric: str
    value: int
    start: int
    end: int
    line: int
    name: str | None = None  # a person's name said before it ("Lan: 10 hộ")
    subset: bool = False
    words: str = ""  # the user's words for it


@dataclass
class _Stray:
    item: C.Item
    start: int
    end: int
    clean: bool  # a bare number: no unit, no guess, not a number word said alone


@dataclass
class _State:
    figures: list[_Figure] = field(default_factory=list)
    strays: list[_Stray] = field(default_factory=list)
    questions: list[tuple[int, Question]] = field(default_factory=list)  # (where, question)
    ignored: list[tuple[int, int]] = field(default_factory=list)
    bad: list[C.Item] = field(default_factory=list)
    labels_seen: bool = False
    unknowns: list[tuple[int, int]] = field(default_factory=list)  # words the grammar does not know
    others: set[str] = field(default_factory=set)  # names said after "chị", "anh", "c"…: someone else's figures
    maybe_day: list[tuple[int, int, str]] = field(default_factory=list)  # clauses with "Mai": tomorrow or a name?
    dropped: list[tuple[int, int]] = field(default_factory=list)  # numbers read as no figure ("mười năm": years)
    set_aside: list[tuple[int, int]] = field(default_factory=list)  # labelled numbers read as no figure of today
    default_clean: bool = False  # a level said alone was read as its default with nothing to contradict it
    plus: bool = False  # "+5 hộ": added to the day
    borrowed: int = 0  # figures whose metric came from elsewhere than their own label's words (shapes.py)
    level_defaults: int = 0  # levels said alone read as their default, no action said before them in the line
    acted: int = 0  # labels whose action of a level carries to a level said alone after them


class _Reader:
    def __init__(self, text: str, vocab: Vocabulary, today: date, policy: D.Policy, marked: int | None = None) -> None:
        self.text, self.vocab, self.today, self.policy = text, vocab, today, policy
        self.marked = marked
        self.s = _State()
        self.found = C.Found()
        self.notes: list[tuple[int, int]] = []
        self._unsure = None  # the last label that asked which metric: a level said after it may settle it

    # ------------------------------------------------------------------ the message
    def read(self) -> Reading:
        toks = T.scan(self.text)
        marks = sum(1 for t in toks if t.kind == T.WORD and t.marks and t.marks != "đ")
        if self.marked is not None:
            marks = self.marked
        bits = annotate(toks, self.vocab, marks >= 2)
        lines, self.notes = notes.take(cut_lines(bits))
        slip = self.vocab.trie.slip_of_word
        built = [C.build(line, self.text, self.today, self.found, marks, slip) for line in lines]
        self._lines(lines, built)
        return self._assemble()

    def words(self, a: int, b: int) -> str:
        return " ".join(self.text[a:b].split())

    def _ignored(self, a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in self.s.ignored) or any(s <= a and b <= e for s, e in self.notes)

    # ------------------------------------------------------------------ lines and blocks
    def _lines(self, lines: list[list[Bit]], built: list[list[C.Clause]]) -> None:
        block = Context()
        block_ignore = False
        table: list[Label] | None = None
        for li, (bits, clauses) in enumerate(zip(lines, built)):
            if not bits:
                block, block_ignore, table = Context(), False, None
                continue
            lstart, lend = bits[0].start, bits[-1].end
            if block_ignore:
                if any(lstart <= m.start < lend for m in self.found.days) or self._has_numbers(clauses) is False \
                        and self._labels_in(clauses):
                    block_ignore = False
                else:
                    self.s.ignored.append((lstart, lend))
                    continue
            clauses = self._apply_ignores(clauses, lstart, lend)
            if clauses is None:  # "Lũy kế:": the block under it is no figure of today
                block_ignore = True
                self.s.ignored.append((lstart, lend))
                continue
            clauses = self._join_colons(clauses)
            numbered = self._has_numbers(clauses)
            labels = self._labels_in(clauses)
            if not numbered:
                if table is None and len(clauses) >= 2 and all(len(self._clause_labels(c)) == 1 for c in clauses):
                    table = [self._clause_labels(c)[0] for c in clauses]
                elif labels:
                    block = self._heading(labels)
                    table = None
                continue
            if table is not None and self._table_row(table, clauses, li):
                table = None
                continue
            table = None
            self._line(li, clauses, block)

    @staticmethod
    def _has_numbers(clauses: list[C.Clause]) -> bool:
        return any(i.kind in (C.NUM, C.PAIR, C.DATEV, C.BAD) for c in clauses for i in c.items)

    def _labels_in(self, clauses: list[C.Clause]) -> list[Label]:
        return [lab for c in clauses for lab in self._clause_labels(c)]

    def _clause_labels(self, clause: C.Clause) -> list[Label]:
        out: list[Label] = []
        prev_kind = None
        for it in clause.items:
            if it.kind == C.LBL:
                lab = Label(list(it.words), it.start, it.end)
                if out and prev_kind in (C.LBL, C.UNK) and out[-1].fits(lab, self.vocab):
                    out[-1] = out[-1].merged(lab)
                else:
                    out.append(lab)
            prev_kind = it.kind if it.kind != C.UNK or prev_kind != C.LBL else prev_kind
        return out

    def _heading(self, labels: list[Label]) -> Context:
        """A line of labels only ("Mức 2:", "Kích hoạt:"): the level and action the lines under it share."""
        self.s.labels_seen = True
        words = [w for lab in labels for w in lab.words]
        if not candidates(words, self.vocab):
            return Context()
        return Context(level_said(words), action_said(words) or hint_said(words))

    def _apply_ignores(self, clauses: list[C.Clause], lstart: int, lend: int) -> list[C.Clause] | None:
        """Running totals, targets, remainders: from the marker to the end of its clause (the whole clause when the
        marker ends it: "300 hộ lũy kế"), to the end of the line when a colon follows the marker."""
        out: list[C.Clause] = []
        skipping = False
        for ci, c in enumerate(clauses):
            if skipping and not c.sentence:
                self.s.ignored.append((c.start, c.end))
                if any(it.kind in (C.NUM, C.PAIR) for it in c.items):
                    self.s.set_aside.append((c.start, c.end))
                continue
            skipping = False
            k = next((n for n, it in enumerate(c.items) if it.kind == C.IGN), None)
            if k is None:
                out.append(c)
                continue
            rest = c.items[k + 1:]
            if k == 2 and c.items[0].kind == C.NUM and c.items[1].kind == C.LBL and not any(
                    it.kind in (C.NUM, C.PAIR) for it in rest) and (self.s.figures or any(
                    it.kind == C.NUM for o in out for it in o.items)):
                # "Đi 26 hộ, 5 hộ chưa có CCCD": after the day's figures, households still without: a remainder
                self.s.ignored.append((min(c.items[0].start, c.start), max(c.items[-1].end, c.end)))
                continue
            if any(it.kind == C.COLON for it in rest) or (k + 1 < len(c.items) and c.items[k + 1].kind == C.COLON):
                if not out and not any(it.kind in (C.NUM, C.LBL) for it in c.items[:k]) and not any(
                        it.kind in (C.NUM, C.PAIR) for it in rest) and ci == len(clauses) - 1:
                    return None
                self.s.ignored.append((c.items[k].start, max(c.items[-1].end, c.end)))
                if any(it.kind in (C.NUM, C.PAIR) for it in rest):
                    self.s.set_aside.append((c.items[k].start, max(c.items[-1].end, c.end)))
                kept = c.items[:k]
                if kept:
                    out.append(C.Clause(kept, c.subset, c.start, c.items[k].start, c.sentence))
                skipping = True  # "Lũy kế: hộ 340, app 270.": to the end of the sentence
                continue
            pairs = [n for n, it in enumerate(c.items[:k]) if it.kind == C.PAIR]
            if k > 0 and not rest and len(pairs) == 1:  # "12/40 chỉ tiêu", "32/40 hộ theo chỉ tiêu": 12 of 40
                pair = c.items[pairs[0]]
                first = C.Item(C.NUM, pair.start, pair.end, value=pair.parts[0], text=str(pair.parts[0]))
                self.s.ignored.append((c.items[k].start, c.items[k].end))
                kept = list(c.items[:k])
                kept[pairs[0]] = first
                out.append(C.Clause(kept, c.subset))
                continue
            if any(it.kind == C.LBL for it in c.items) and any(it.kind in (C.NUM, C.PAIR) for it in c.items):
                self.s.set_aside.append((c.items[k].start, max(c.items[-1].end, c.end)))
            if not any(it.kind in (C.NUM, C.LBL, C.PAIR, C.DATEV) for it in rest) or k == 0:
                if not any(it.kind in (C.NUM, C.PAIR) for it in c.items) and not rest and len(clauses) == 1 \
                        and k == len(c.items) - 1 and not any(it.kind == C.LBL for it in c.items):
                    return None
                self.s.ignored.append((min(c.items[0].start, c.start), max(c.items[-1].end, c.end)))
                continue
            self.s.ignored.append((c.items[k].start, max(c.items[-1].end, c.end)))
            out.append(C.Clause(c.items[:k], c.subset))
        return out

    @staticmethod
    def _join_colons(clauses: list[C.Clause]) -> list[C.Clause]:
        """A clause that starts with a colon continues the one before it ("Tổ trưởng Lan (…): hộ 15")."""
        out: list[C.Clause] = []
        for c in clauses:
            if out and c.items and c.items[0].kind == C.COLON:
                out[-1] = C.Clause(out[-1].items + c.items, out[-1].subset)
            else:
                out.append(c)
        return out

    def _table_row(self, table: list[Label], clauses: list[C.Clause], li: int) -> bool:
        """"Hộ | App | ĐK1" then "28 | 20 | 15": numbers under labels, by position."""
        nums = [it for c in clauses for it in c.items if it.kind != C.UNK]
        if len(nums) != len(table) or any(it.kind != C.NUM for it in nums):
            return False
        metrics = [resolve(lab.words, Context(), self.vocab) for lab in table]
        if any(len(m) != 1 for m in metrics):
            return False
        self.s.labels_seen = True
        self.s.borrowed += 1
        for lab, m, it in zip(table, metrics, nums):
            self.s.figures.append(_Figure(next(iter(m)), it.value, lab.start, it.end, li,
                                          words=f"{self.words(lab.start, lab.end)} {it.text}"))
        return True

    # ------------------------------------------------------------------ one line
    def _line(self, li: int, clauses: list[C.Clause], block: Context) -> None:
        ctx = block.copy()
        person = None  # a name said before a line's figures ("Lan: 10 hộ, 5 app") holds for the line
        acts: list[frozenset[str]] = []  # actions said in this line's labels, for "KH mức 1: 12, mức 2: 1"
        pending: Label | None = None  # a clause of labels only, waiting for the clause it belongs to
        for ci, clause in enumerate(c for whole in clauses for c in C.split_at_headings(whole)):
            seq, colon_before, name = self._sequence(clause, ctx)
            person = name = name or person
            for it in clause.items:
                if it.kind == C.BAD:
                    self.s.bad.append(it)
            if not any(k == "N" for k, _ in seq):
                labs = [x for k, x in seq if k == "L"]
                if labs:
                    self.s.labels_seen = True
                    merged = labs[0]
                    for lab in labs[1:]:
                        merged = merged.merged(lab)
                    if self._completes(merged, ctx):
                        continue
                    pending = merged if pending is None else join(pending, merged, self.vocab)
                    if clause.items and clause.items[-1].kind == C.COLON:
                        self._apply_heading(merged, ctx)
                        pending = None
                continue
            if pending is not None:
                if len(seq) == 1:  # "Hộ (25)", "app, 15": the lone number is the label's
                    seq.insert(0, ("L", pending))
                elif seq and seq[0][0] == "L":
                    seq[0] = ("L", join(pending, seq[0][1], self.vocab))
                else:
                    lvl = level_said(pending.words)
                    if lvl is not None:
                        ctx.level = self._level_set(lvl)
                pending = None
            self._clause(li, clause, seq, colon_before, ctx, acts, name)

    def _completes(self, lab: Label, ctx: Context) -> bool:
        """"KH thành công 6 (mức 1)": labels alone right after a number that asked which metric, naming one."""
        if not self.s.questions or self._unsure is None:
            return False
        where, q = self.s.questions[-1]
        unsure, item, li, clause, name = self._unsure
        if q.kind != Q.WHICH_METRIC or where != min(item.start, unsure.start):
            return False
        cands = resolve(unsure.words + lab.words, ctx, self.vocab)
        if len(cands) != 1:
            return False
        self.s.questions.pop()
        self._unsure = None
        metric = next(iter(cands))
        self._put(li, clause, metric, item, self.words(unsure.start, lab.end), name, ctx)
        return True

    def _apply_heading(self, lab: Label, ctx: Context) -> None:
        lvl = level_said(lab.words)
        if lvl is not None:
            ctx.level = self._level_set(lvl)
        act = action_said(lab.words) or hint_said(lab.words)
        if act is not None and candidates(lab.words, self.vocab):
            ctx.action = act

    def _level_set(self, lvl: frozenset[str]) -> frozenset[str]:
        for s in self.vocab.level_sets:
            if lvl <= s:
                return s
        return lvl

    def _sequence(self, clause: C.Clause, ctx: Context):
        """The clause as labels ("L") and numbers ("N"), a label said before a colon and another label taken as
        a heading for the rest of the line ("m1: đk 15, kh 12")."""
        seq: list[tuple[str, object]] = []
        colon_before: set[int] = set()
        name = None
        colon = False
        joining = False
        unknown_since = False
        items = clause.items
        for n, it in enumerate(items):
            if it.kind == C.LBL:
                lab = Label(list(it.words), it.start, it.end)
                self.s.labels_seen = True
                if seq and seq[-1][0] == "L" and colon and self._heading_prefix(seq[-1][1], items, n):
                    self._apply_heading(seq.pop()[1], ctx)
                    colon = False
                if seq and seq[-1][0] == "L" and not colon:
                    prev = seq[-1][1]
                    if joining:
                        prev.joined.append(lab)
                        prev.end = lab.end
                    elif prev.fits(lab, self.vocab):
                        seq[-1] = ("L", prev.merged(lab))
                        if unknown_since:
                            seq[-1][1].unknown = True
                    else:
                        seq.append(("L", lab))
                else:
                    seq.append(("L", lab))
                joining = False
                colon = False
                unknown_since = False
            elif it.kind in (C.NUM, C.PAIR, C.DATEV):
                if it.kind == C.NUM and ("unit" in it.flags or (
                        "capital" in it.flags and "single" in it.flags)):
                    self.s.dropped.append((it.start, it.end))
                    continue
                if "doubt" in it.flags:
                    self.s.strays.append(_Stray(it, it.start, it.end, False))
                    continue
                if colon and seq and seq[-1][0] == "L":
                    colon_before.add(len(seq))
                seq.append(("N", it))
                colon = False
                joining = False
            elif it.kind == C.COLON:
                colon = True
            elif it.kind == C.AND:
                joining = bool(seq) and seq[-1][0] == "L"
            elif it.kind == C.OR:
                if seq and seq[-1][0] == "L":
                    seq.append(("X", it))
            elif it.kind in (C.UNK, C.ACC):
                unknown_since = True
                if it.kind == C.UNK:
                    self.s.unknowns.append((it.start, it.end))
                if seq and seq[-1][0] == "L":
                    seq[-1][1].unknown = True
                if it.kind == C.UNK and "capital" in it.flags and not any(k == "N" for k, _ in seq) and name is None:
                    name = it.text
                    if "other" in it.flags and any(x.kind == C.NUM and x.start > it.end for x in items):
                        self.s.others.add(it.text)  # "c Mai 15 hộ": the figures after the name are hers
                if "maybe_day" in it.flags and any(x.kind in (C.NUM, C.PAIR) for x in items):
                    self.s.maybe_day.append((items[0].start, items[-1].end, it.text))
        if any(x[0] == "X" for x in seq):  # "mức 1 hay mức 2": labels either side of "or" are not one label
            seq = [x for x in seq if x[0] != "X"]
            for k in range(len(seq) - 1):
                if seq[k][0] == "L" and seq[k + 1][0] == "L":
                    seq[k][1].unknown = True
        if any(it.kind in (C.UNK, C.ACC) for it in items):
            for k, x in seq:
                if k == "L":
                    x.unknown = True
        return seq, colon_before, name

    def _heading_prefix(self, lab: Label, items: list[C.Item], n: int) -> bool:
        """A label, a colon, another label, before any number: the first is a heading for what follows."""
        return not any(it.kind in (C.NUM, C.PAIR, C.DATEV) for it in items[:n])

    # ------------------------------------------------------------------ one clause
    def _clause(self, li: int, clause: C.Clause, seq, colon_before: set[int], ctx: Context,
                acts: list[frozenset[str]], name: str | None) -> None:
        nums = [j for j, (k, _) in enumerate(seq) if k == "N"]
        labels = [j for j, (k, _) in enumerate(seq) if k == "L"]
        pairs: list[tuple[Label | None, C.Item]] = []
        if len(nums) == 1:
            item = seq[nums[0]][1]
            if labels:
                lab = seq[labels[0]][1]
                for j in labels[1:]:
                    lab = lab.merged(seq[j][1])
                adjacent = any(abs(j - nums[0]) == 1 for j in labels)
                if ("single" in item.flags or "people" in item.flags) and not adjacent:
                    self.s.dropped.append((item.start, item.end))
                    return
                pairs.append((lab, item))
            else:
                if "single" in item.flags or "people" in item.flags:
                    return
                pairs.append((None, item))
        else:
            pairs = self._pair(seq, colon_before)
            if pairs is None:
                return
        for lab, item in pairs:
            self._figure(li, clause, lab, item, ctx, acts, name)

    def _pair(self, seq, colon_before: set[int]) -> list[tuple[Label | None, C.Item]] | None:
        if not any(k == "L" for k, _ in seq):
            return [(None, x) for k, x in seq if k == "N"]
        if sum(1 for k, _ in seq if k == "N") > 40:  # too many to tell apart: ask to send it again
            start, end = seq[0][1].start, seq[-1][1].end
            self.s.questions.append((start, Question(Q.WHICH_METRIC, "reading.ask.which_reading",
                                                     {"words": self.words(start, end)[:80]}, (Q.retype(),))))
            return None
        def agree(a: int, b: int) -> bool:
            return seq[a][1].fits(seq[b][1], self.vocab) and bool(
                candidates(seq[a][1].words + seq[b][1].words, self.vocab))

        optional = {j for j, (k, x) in enumerate(seq) if k == "N" and x.kind == C.NUM
                    and x.flags & {"people", "single"}}
        found = ways(seq, colon_before, agree, optional)
        readings = []
        for way in found:
            out = []
            for j, how in sorted(way.items()):
                item = seq[j][1]
                labs = [seq[i][1] for i in labels_of(j, how)]
                lab = labs[0] if labs else None
                for other in labs[1:]:
                    lab = lab.merged(other)
                if lab is None and ("single" in item.flags or "people" in item.flags):
                    continue
                if lab is not None and "people" in item.flags and how != LEFT and how != BOTH:
                    continue
                out.append((lab, item))
            readings.append(out)
        if not readings:
            return []
        first = readings[0]
        if all(self._same(r, first) for r in readings[1:]):
            return first
        # the ways disagree: ask which reading, with each as a choice
        self._ask_readings(seq, readings)
        return None

    def _same(self, a, b) -> bool:
        def key(r):
            return sorted((it.start, None if lab is None else tuple(sorted(candidates(lab.words, self.vocab))))
                          for lab, it in r)
        return key(a) == key(b)

    def _ask_readings(self, seq, readings) -> None:
        start = min(x[1].start for x in seq)
        end = max(x[1].end for x in seq)
        choices = []
        for r in readings[:4]:
            figs = {}
            for lab, it in r:
                if lab is None or it.kind != C.NUM:
                    continue
                cands = candidates(lab.words, self.vocab)
                if len(cands) == 1:
                    m = next(iter(cands))
                    figs[m] = figs.get(m, 0) + it.value
            if figs and figs not in [c for c in choices]:
                choices.append(figs)
        q = Question(Q.WHICH_METRIC, "reading.ask.which_reading", {"words": self.words(start, end)},
                     (*(Q.figures_choice(f) for f in choices), Q.retype()))
        self.s.questions.append((start, q))

    def _figure(self, li: int, clause: C.Clause, lab: Label | None, item: C.Item, ctx: Context,
                acts: list[frozenset[str]], name: str | None) -> None:
        start = min(item.start, lab.start) if lab else item.start
        end = max(item.end, lab.end) if lab else item.end
        words = self.words(start, end)
        if lab is None:
            self.s.borrowed += 1
            metric = self._from_context(ctx)
            if metric is None:
                clean = item.kind == C.NUM and not item.flags & {"approx", "words", "zero_word", "people", "plus",
                                                                 "code"}
                self.s.strays.append(_Stray(item, item.start, item.end, clean or "listed" in item.flags))
                return
            return self._put(li, clause, metric, item, words, name, ctx)
        members = lab.members(self.vocab)
        if len(members) > 1:
            self.s.borrowed += 1
            metrics = []
            for m in members:
                r = resolve(m.words, ctx, self.vocab)
                metrics.append(next(iter(r)) if len(r) == 1 else None)
            if None not in metrics and len(set(metrics)) == 1:  # "tải và cài đặt": two words, one metric
                members = [lab]
                lab = Label(lab.words + [w for m in lab.joined for w in m.words], lab.start, lab.end)
        if len(members) > 1:
            if item.kind in (C.PAIR, C.DATEV) and len(item.parts) == len(members) and None not in metrics:
                for m, v in zip(metrics, item.parts):
                    self.s.figures.append(_Figure(m, v, start, end, li, name, clause.subset, words))
                return
            cands = [m for m in metrics if m]
            value = item.value if item.kind == C.NUM else None
            if value is not None:
                self.s.questions.append((start, Q.labels_one_number(words, value, cands or list(self.vocab.keys))))
            else:
                self.s.questions.append((start, Q.date_or_figures(words, item.text, None, None)))
            return
        if len(candidates(lab.words, self.vocab)) != 1:
            self.s.borrowed += 1
        cands = resolve(lab.words, ctx, self.vocab)
        own_level = level_said(lab.words)
        if len(cands) > 1 and own_level is not None and action_said(lab.words) is None and not hint_said(lab.words):
            cands = self._level_alone(lab, cands, ctx, acts)
        if len(cands) == 1:
            metric = next(iter(cands))
            if own_level is not None or says(lab.words, ALIAS):
                ctx.level = self.vocab.level_of(metric) or ctx.level
            if (says(lab.words, ACTION) or says(lab.words, ALIAS)) and self.vocab.level_of(metric):
                acts.append(self.vocab.kin(metric))
                self.s.acted += 1
            if "people" in item.flags and not (says(lab.words, ACTION) or says(lab.words, ALIAS)):
                self.s.questions.append((start, Q.which_metric(words, item.value, [metric])))
                return
            return self._put(li, clause, metric, item, words, name, ctx)
        if item.kind != C.NUM:
            self.s.questions.append((start, Q.date_or_figures(words, item.text, None, None)))
            return
        said = action_said(lab.words)
        if cands and said is not None and len(cands) > 1 and cands <= said:
            acts.append(cands)  # "KH được 10 tk (mức 1 8, mức 2 2)": the activation carries to the levels after
        options = sorted(cands, key=self.vocab.keys.index) if cands else self._each(lab, ctx)
        self.s.questions.append((start, Q.which_metric(words, item.value, options)))
        self._unsure = (lab, item, li, clause, name)

    def _each(self, lab: Label, ctx: Context) -> list[str]:
        """A label whose words contradict each other: every metric one of its words would mean."""
        found = set()
        for w in lab.words:
            found |= resolve([w], ctx, self.vocab)
        return sorted(found, key=self.vocab.keys.index) or list(self.vocab.keys)

    def _level_alone(self, lab: Label, cands: frozenset[str], ctx: Context, acts) -> frozenset[str]:
        """"mức 2: 4": a level said alone means its default metric, unless the line said an action before
        ("KH mức 1: 12, mức 2: 1" carries the activation) and the message does not read levels alone that way."""
        level = self._level_set(level_said(lab.words))
        default = self.vocab.default_for(level)
        said = [a & level for a in acts if a & level]
        if said and not self.s.default_clean:
            carried = said[-1]
            if all(s == carried for s in said):  # one action so far in the line: it carries
                return carried if len(carried) == 1 else cands
            if default is None or lab.unknown:  # several: the level alone means its default, if it has one
                return cands
        if default is not None and default in cands and not lab.unknown:
            if not said:
                self.s.default_clean = True
                self.s.level_defaults += 1
            return frozenset({default})
        return cands

    def _from_context(self, ctx: Context) -> str | None:
        if ctx.level is None and ctx.action is None:
            return None
        cands = frozenset(self.vocab.keys)
        if ctx.level is not None:
            cands &= ctx.level
        if ctx.action is not None:
            cands &= ctx.action
        return next(iter(cands)) if len(cands) == 1 else None

    def _put(self, li: int, clause: C.Clause, metric: str, item: C.Item, words: str, name: str | None,
             ctx: Context) -> None:
        start = item.start
        if item.kind in (C.PAIR, C.DATEV):
            self._slashed(metric, item, words, ctx)
            return
        if "approx" in item.flags:
            self.s.questions.append((start, Q.approximate(words, item.value, metric)))
            return
        if "plus" in item.flags:
            self.s.plus = True
        self.s.figures.append(_Figure(metric, item.value, start, item.end, li, name, clause.subset, words))

    def _slashed(self, metric: str, item: C.Item, words: str, ctx: Context) -> None:
        """"mức 1 15/12", "KH1 12/40": a date, two figures, or a figure of a total?"""
        a, b = item.parts
        level = self.vocab.level_of(metric)
        pair = None
        same = [k for k in self.vocab.keys if k in level]
        if len(same) == 2 and metric == same[0]:
            pair = {same[0]: a, same[1]: b}
        elif not level or len(same) != 2:
            pair = {metric: a}
        day = None
        if item.kind == C.DATEV:
            d = D.day_month(self.today, a, b)
            if d is not None and D.check(d, self.today, self.policy) is None:
                day = d
        self.s.questions.append((item.start, Q.date_or_figures(words, item.text, pair, day)))

    # ------------------------------------------------------------------ the reading
    def _assemble(self) -> Reading:
        s = self.s
        error = self._refusal()
        figures: dict[str, int] = {}
        seen: dict[str, list[_Figure]] = {}
        for f in s.figures:
            if self._ignored(f.start, f.end):
                continue
            if f.subset and f.metric in seen:
                continue
            seen.setdefault(f.metric, []).append(f)
        questions = list(s.questions)
        self._corrected(seen)
        self._strays(seen, questions)
        for m, fs in seen.items():  # "sáng 10 hộ, chiều 15 hộ, tổng 25 hộ": the parts and their total
            if len(fs) >= 3 and not self.found.corrections:
                total = max(fs, key=lambda f: f.value)
                if 2 * total.value == sum(f.value for f in fs) and fs[-1] is total:
                    seen[m] = [total]
        repeated = {m: fs for m, fs in seen.items() if len(fs) > 1}
        names = list(dict.fromkeys(f.name for fs in seen.values() for f in fs if f.name))
        if len(names) >= 2:  # "Lan 10 hộ, Hoa 12 app": several people's figures, whatever the metrics
            repeated = dict(seen)
            self._several(names, questions)
        elif repeated:
            self._repeated(repeated, questions)
        for m, fs in seen.items():
            if m not in repeated:
                figures[m] = fs[0].value
                if error is None and fs[0].value > ABSURD * self.vocab.metric(m).max_daily:
                    error = Refusal("reading.error.too_large", {"token": fs[0].words})  # "hộ 20.000.000"
        if not any(q.kind == Q.SEVERAL_PEOPLE for _, q in questions):
            self._whose(seen, figures, questions)
        day, day_stated, day_question, day_error = self._day(bool(seen or s.strays or questions))
        if day_question is not None:
            questions.append((10 ** 9, day_question))
        error = error or day_error
        vague = [v for v in self.found.vague if not self._ignored(*v)]
        if error is None and vague and (seen or s.strays or questions):
            error = Refusal("reading.error.vague_day", {"words": self.words(*vague[0])})
        if error is None and self.found.periods and (seen or s.strays) and any(
                not self._ignored(a, b) for a, b in self.found.periods):
            a, b = next((a, b) for a, b in self.found.periods if not self._ignored(a, b))
            error = Refusal("reading.error.period", {"words": self.words(a, b)})
        offs = [o for o in self.found.offs if not self._ignored(*o)]
        off = bool(offs) and not any(v for v in figures.values()) and not repeated
        if off:
            figures = {}
        note = notes.text(self.text, self.notes)
        aside = self.s.set_aside + ([a for a in self.found.set_aside] if self.s.labels_seen else [])
        period = next(((p, q) for p, q in self.found.plans for a, b in aside if a <= p and q <= b), None)
        if error is None and not figures and not questions and not off and not note and period:
            error = Refusal("reading.error.period", {"words": self.words(*period)})  # "tháng này 300 hộ"
        dropped = [d for d in self.s.dropped + self.found.dropped if not self._ignored(*d)]
        if error is None and not figures and not questions and not off and not note and not aside and dropped \
                and self.s.labels_seen:
            # a report whose numbers all read as something else ("mười năm hộ"): ask, never say nothing
            a, b = dropped[0][0], max(e for _, e in dropped)
            questions.append((a, Question(Q.UNCLEAR, "reading.ask.unclear", {"words": self.words(a, b)},
                                          (Q.retype(),))))
        elif error is None and not figures and not questions and not off and not note and aside:
            # the only numbers were totals, targets, counts of people…: say so, rather than nothing
            a, b = aside[0]
            questions.append((a, Question(Q.NO_FIGURES, "reading.ask.no_figures", {"words": self.words(a, b)},
                                          (Q.retype(),))))
        modes = set(self.found.modes)
        if self.s.plus:
            modes.add("add")
        mode = next(iter(modes)) if len(modes) == 1 else None
        qs = tuple(q for _, q in sorted(questions, key=lambda x: x[0]))
        if error is not None:
            qs = ()
        ordered = {k: figures[k] for k in self.vocab.keys if k in figures}
        return Reading(figures=ordered, day=day, day_stated=day_stated, note=note, off=off,
                       off_reason=self._off_reason() if off else None, mode=mode, questions=qs, error=error)

    def _refusal(self) -> Refusal | None:
        for it in self.s.bad:
            if self._ignored(it.start, it.end):
                continue
            reason = it.parts[0] if it.parts else T.EXPRESSION
            return Refusal(f"reading.error.{reason}", {"token": it.text})
        return None

    def _strays(self, seen: dict[str, list[_Figure]], questions: list) -> None:
        strays = [x for x in self.s.strays if not self._ignored(x.start, x.end)]
        if not strays:
            return
        keys = list(self.vocab.keys)
        first, last = strays[0].start, strays[-1].end
        between = any(first < a and b < last for a, b in self.s.unknowns if not self._ignored(a, b))
        lettered = sum(1 for x in strays if "after_word" in x.item.flags)  # "H 20 | A 15": labels we do not know
        colon = any(":" in self.text[x.end:y.start] for x, y in zip(strays, strays[1:]))  # "1: 9" is no row
        if not self.s.labels_seen and not seen and all(x.clean for x in strays) and len(strays) > 1 \
                and not between and lettered <= 1 and not colon:
            values = [x.item.value for x in strays]
            if len(values) > len(keys):
                questions.append((strays[0].start, Q.too_many(values, keys)))
                return
            if len(values) < min(MIN_IN_ORDER, len(keys)):  # "25 18": too few to be the report's row unasked
                questions.append((strays[0].start, Q.bare_numbers(values, dict(zip(keys, values)))))
                return
            for k, x in zip(keys, strays):
                seen.setdefault(k, []).append(_Figure(k, x.item.value, x.start, x.end, -1, words=x.item.text))
            return
        for x in strays:
            if x.item.kind != C.NUM:
                questions.append((x.start, Q.date_or_figures(self.words(x.start, x.end), x.item.text, None, None)))
                continue
            free = [k for k in keys if k not in seen] or keys
            questions.append((x.start, Q.stray(self.words(x.start, x.end), x.item.value, free)))

    def _corrected(self, seen: dict[str, list[_Figure]]) -> None:
        """"hộ 12 à nhầm 15", "app 12 -> 14", "15 hộ chứ không phải 12": a number no label claims, after a
        figure and a correction, is another number for that figure's metric (asked about, never added)."""
        marks = self.found.corrections
        if not marks:
            return
        for x in list(self.s.strays):
            if x.item.kind != C.NUM or self._ignored(x.start, x.end):
                continue
            before = [f for fs in seen.values() for f in fs if f.end <= x.start]
            if not before:
                continue
            last = max(before, key=lambda f: f.end)
            if any(last.end <= m <= x.start for m in marks):
                seen[last.metric].append(_Figure(last.metric, x.item.value, x.start, x.end, last.line, last.name,
                                                 words=x.item.text))
                self.s.strays.remove(x)

    def _whose(self, seen: dict[str, list[_Figure]], figures: dict[str, int], questions: list) -> None:
        """Figures said after someone's name ("c Mai 15 hộ"), or after "Mai" that may be tomorrow: asked about."""
        for a, b, word in self.s.maybe_day:
            taken = {m: figures.pop(m) for m, fs in seen.items() if m in figures
                     and any(a <= f.start and f.end <= b for f in fs)}
            if taken:
                questions.append((a, Q.tomorrow_or_name(self.words(a, b), word, taken)))
        names = list(dict.fromkeys(f.name for fs in seen.values() for f in fs if f.name in self.s.others))
        if not names:
            return
        taken = {m: figures.pop(m) for m, fs in seen.items() if m in figures and any(f.name in names for f in fs)}
        if taken:
            start = min(f.start for fs in seen.values() for f in fs if f.name in names)
            questions.append((start, Q.whose(", ".join(names), taken)))

    def _several(self, names: list[str], questions: list) -> None:
        totals: dict[str, int] = {}
        first = None
        for f in self.s.figures:
            if not self._ignored(f.start, f.end):
                totals[f.metric] = totals.get(f.metric, 0) + f.value
                first = f.start if first is None else min(first, f.start)
        ordered = {k: totals[k] for k in self.vocab.keys if k in totals}
        questions.append((first or 0, Q.several_people(", ".join(names), ordered)))

    def _repeated(self, repeated: dict[str, list[_Figure]], questions: list) -> None:
        names = [f.name for fs in repeated.values() for f in fs if f.name]
        if len(set(names)) >= 2:
            self._several(list(dict.fromkeys(names)), questions)
            return
        for m, fs in repeated.items():
            a, b = min(f.start for f in fs), max(f.end for f in fs)
            values = [f.value for f in fs]
            corrected = any(a <= c <= b for c in self.found.corrections)  # never the sum of a number and its fix
            corrected = corrected or any(2 * v == sum(values) for v in values)  # "10, 15, tổng 25": parts and total
            questions.append((fs[0].start, Q.two_numbers(m, [f.value for f in fs], " / ".join(f.words for f in fs),
                                                         add=not corrected)))

    def _day(self, has_figures: bool) -> tuple[date, bool, Question | None, Refusal | None]:
        mentions = [m for m in self.found.days if not self._ignored(m.start, m.end)]
        bad = [m for m in mentions if m.kind == "bad"]
        if bad:
            return self.today, False, None, Refusal("reading.error.bad_date", {"token": bad[0].text})
        stated = [m for m in mentions if m.kind == "day"]
        tdays = [m for m in mentions if m.kind == "tday"]
        if not stated and tdays and has_figures:
            m = tdays[0]
            ok = m.day if m.day and D.check(m.day, self.today, self.policy) is None else None
            return self.today, False, Q.day_or_team(m.text, ok, self.today), None
        distinct = list(dict.fromkeys(m.day for m in stated))
        if not distinct:
            return self.today, False, None, None
        if len(distinct) > 1:
            allowed = [d for d in distinct if D.check(d, self.today, self.policy) is None]
            words = ", ".join(dict.fromkeys(m.text for m in stated))
            return self.today, False, Q.which_day(words, allowed), None
        day = distinct[0]
        problem = D.check(day, self.today, self.policy)
        if problem is not None and not has_figures and day > self.today:
            return self.today, False, None, None  # "ngày mai đi 20 hộ" without figures: a plan, not a report
        return day, True, None, problem

    def _off_reason(self) -> str:
        text = self.text
        for a, b in sorted(self.notes, reverse=True):
            text = text[:a] + text[b:]
        return " ".join(text.split())[:200]
