"""A message as bits: known phrases (the campaign's words and the grammar's), numbers said in words, and the tokens
left; cut into lines with their list markers ("1.", "2/", "a)", "-", "+", "•", "1️⃣") taken off."""
from __future__ import annotations

from domain.reading import lexicon as L
from domain.reading import tokens as T
from domain.reading.keyboards import telex, vni
from domain.reading.numbers import is_number_word, read_words
from domain.reading.vocabulary import METRIC, Vocabulary

PHRASE, NUMWORD = "phrase", "numword"  # bit kinds besides the token kinds


class Bit:
    __slots__ = ("kind", "toks", "roles", "value", "single", "start", "end", "glued", "lax", "split", "_names")

    def __init__(self, kind: str, toks: list[T.Token], roles: list | None = None, value: int | None = None,
                 single: bool = False) -> None:
        self.kind, self.toks, self.roles, self.value, self.single = kind, toks, roles, value, single
        self.start, self.end, self.glued = toks[0].start, toks[-1].end, toks[0].glued
        self.lax = False  # typed without the diacritics the phrase is written with
        self.split = False  # number words that do not make one number ("hai hai": 2 2, or 22?)
        self._names = frozenset(r for r, _ in roles) if roles else frozenset()

    @property
    def tok(self) -> T.Token:
        return self.toks[0]

    def is_role(self, *roles: str) -> bool:
        return not self._names.isdisjoint(roles)

    def ref(self, role: str):
        for r, ref in self.roles or ():
            if r == role:
                return ref
        return None

    @property
    def metric_words(self) -> list:
        return [ref for r, ref in self.roles or () if r == METRIC]

    def is_punct(self, chars: str) -> bool:
        return self.kind == T.PUNCT and self.tok.text in chars

    def __repr__(self) -> str:
        what = ",".join(r for r, _ in self.roles) if self.roles else self.kind
        value = "" if self.value is None else f"={self.value}"
        return f"<{what} {' '.join(t.text for t in self.toks)!r}{value}>"


def annotate(toks: list[T.Token], vocab: Vocabulary, marked: bool = False) -> list[Bit]:
    """Known phrases, longest first; then runs of number words read as one number each. In a message typed with
    diacritics (`marked`), "thu 4" is "thu" (collect) and 4, not "thứ 4"."""
    _keys_left_in(toks, vocab)
    out: list[Bit] = []
    i, n = 0, len(toks)
    split_at = -1
    while i < n:
        t = toks[i]
        if t.kind in (T.WORD, T.NUM, T.PUNCT, T.SYM):
            m = vocab.trie.match(toks, i)
            if m is not None and marked and t.kind == T.WORD and not t.marks and t.folded == "thu" \
                    and any(r == L.WEEKDAY for r, _ in m[1].roles):
                m = vocab.trie.match(toks, i, limit=1)
            doubt = False
            if m is not None and m[0] == i + 1 and t.kind == T.WORD and not t.marks \
                    and not any(r == METRIC for r, _ in m[1].roles) and is_number_word(t.folded, "") \
                    and _counted_next(toks, i + 1, vocab):
                # "tam ho" (tám hộ, not tầm), "mot tram ho", "sau ho": typed without diacritics before a label, a
                # number; a word that is also one as typed ("sau": after, or six?) is asked about
                doubt = not vocab.trie.lax(m[1], toks, i)
                m = None
            if m is not None and not (m[2] and t.kind == T.WORD and is_number_word(t.folded, t.marks)):
                end, entry = m[0], m[1]
                if not (end == i + 1 and t.kind == T.NUM):  # a bare number is a number, whatever else it names
                    bit = Bit(PHRASE, toks[i:end], list(entry.roles))
                    bit.lax = vocab.trie.lax(entry, toks, i)
                    out.append(bit)
                    i = end
                    continue
            if t.kind == T.WORD and is_number_word(t.folded, t.marks):
                j = i
                words = []
                while j < n and toks[j].kind == T.WORD and is_number_word(toks[j].folded, toks[j].marks):
                    words.append((toks[j].folded, toks[j].marks))
                    j += 1
                    if j + 1 < n and toks[j].kind == T.PUNCT and toks[j].text == "-" and toks[j].glued \
                            and toks[j + 1].glued and toks[j + 1].kind == T.WORD:
                        j += 1  # "twenty-five"
                got = read_words(words)
                if got is not None:
                    used = got[1]
                    k, w = i, 0
                    while w < used:
                        if toks[k].kind == T.WORD:
                            w += 1
                        k += 1
                    bit = Bit(NUMWORD, toks[i:k], value=got[0], single=used == 1)
                    bit.split = used < len(words) or i == split_at or doubt
                    if used < len(words):
                        split_at = k
                    out.append(bit)
                    i = k
                    continue
        out.append(Bit(t.kind, [t]))
        i += 1
    return out


def _counted_next(toks: list[T.Token], k: int, vocab: Vocabulary) -> bool:
    """Whether toks[k] goes on a number: a number word, or a word of a metric's label."""
    if k >= len(toks) or toks[k].kind != T.WORD:
        return False
    if is_number_word(toks[k].folded, toks[k].marks):
        return True
    m = vocab.trie.match(toks, k)
    return m is not None and any(r == METRIC for r, _ in m[1].roles)


def _keys_left_in(toks: list[T.Token], vocab: Vocabulary) -> None:
    """Words typed with the input method off ("hooj", "kichs hoatj muwcs 1") read as the words they spell, when
    that is a word the grammar knows and the word as typed is none; "ho65" (hộ, or 65 households?) is doubtful."""
    known = vocab.trie.words
    for k, t in enumerate(toks):
        if t.kind != T.WORD or t.marks:
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.text in ("l", "I", "O", "o") and nxt is not None and nxt.kind == T.NUM and nxt.glued \
                and vocab.trie.match(toks, k) is None:
            nxt.flag("lookalike")  # "hộ l5": 15 typed with a letter, or 5?
            continue
        if nxt is not None and nxt.kind == T.NUM and nxt.glued and len(nxt.text) == 2:
            spelled = vni(t.folded + nxt.text)
            if spelled is not None and spelled in vocab.trie.spelled:  # "ho65" spells hộ; "ho16" (hố) does not
                nxt.flag("vni")
            continue
        if t.folded in known or is_number_word(t.folded, ""):
            continue
        spelled = telex(t.folded)
        if spelled is not None and (spelled[0] in known or is_number_word(*spelled)):
            t.folded, t.marks = spelled
            t.keys = None
            t.flag("telex")


def lines(bits: list[Bit]) -> list[list[Bit]]:
    """The bits of each line, list markers taken off, markdown emphasis dropped."""
    out: list[list[Bit]] = [[]]
    for b in bits:
        if b.kind == T.NL:
            out.append([])
        elif b.kind == T.PUNCT and b.tok.text in "*_`":
            continue
        else:
            out[-1].append(b)
    return [_unmark(line) for line in out]


_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


def _unmark(line: list[Bit]) -> list[Bit]:
    i = 0
    while i < len(line):
        b = line[i]
        nxt = line[i + 1] if i + 1 < len(line) else None
        after = line[i + 2] if i + 2 < len(line) else None
        if b.kind in (T.KEYCAP, T.SYM) or (b.kind == T.PUNCT and b.tok.text in "-–—•·+>→=*"):
            i += 1
            continue
        if b.kind == T.NUM and b.tok.value <= 30 and nxt is not None and nxt.is_punct("|") and after is not None \
                and after.kind == PHRASE and after.metric_words:
            i += 2  # "1 | Hộ | 19": a table's row number
            continue
        if nxt is not None and after is not None and nxt.kind == T.PUNCT and nxt.tok.text in ".)/-:" \
                and nxt.glued and (b.kind == T.NUM and b.tok.value <= 30 and len(b.tok.text) <= 2
                                   or b.kind == T.WORD and len(b.tok.text) == 1 and nxt.tok.text in ".)"
                                   or b.kind in (T.WORD, PHRASE) and b.tok.folded in _ROMAN and len(b.toks) == 1
                                   and nxt.tok.text in ".)" and b.tok.text.isupper()
                                   or b.is_role(L.FILL) and len(b.toks) == 1 and len(b.tok.text) == 1
                                   and nxt.tok.text in ".)"):
            if nxt.tok.text == ":" and not (after.kind in (T.WORD, PHRASE)):
                break
            if nxt.tok.text in "-:" and b.kind != T.NUM:
                break
            i += 2
            continue
        break
    rest = line[i:]
    return _inline_markers(rest)


def _inline_markers(line: list[Bit]) -> list[Bit]:
    """"1.hộ 20 2.app 15": a small number glued to a dot glued to a word is a list marker anywhere."""
    out = []
    i = 0
    while i < len(line):
        b = line[i]
        if (b.kind == T.NUM and b.tok.value <= 30 and i + 2 < len(line) and line[i + 1].is_punct(".)")
                and line[i + 1].glued and line[i + 2].glued and line[i + 2].kind in (T.WORD, PHRASE)
                and not line[i + 2].is_role(*_NOT_AFTER_MARKER) and not b.glued
                and not (i and line[i - 1].kind == PHRASE and line[i - 1].metric_words)):
            i += 2
            continue
        out.append(b)
        i += 1
    return out


_NOT_AFTER_MARKER = (L.UNIT, L.PEOPLE, L.CREW)
