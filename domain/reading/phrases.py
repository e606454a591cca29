"""Finding known phrases in a message's tokens: longest match first, diacritics checked, one typing slip forgiven."""
from __future__ import annotations

from domain.reading import tokens as T
from domain.reading.numbers import word_value
from domain.reading.words import marks_agree, near

Key = tuple  # ("w", folded) | ("n", value) | ("p", char)


class Elem:
    __slots__ = ("key", "marks", "glue")

    def __init__(self, key: Key, marks: str, glue: bool) -> None:
        self.key, self.marks, self.glue = key, marks, glue


class Entry:
    """A phrase and what it means: (role, ref) pairs; `loose` phrases ignore diacritics (configured aliases)."""

    __slots__ = ("elems", "roles", "loose", "lenient", "vocab")

    def __init__(self, elems: tuple[Elem, ...], roles: list, loose: bool, vocab: bool) -> None:
        self.elems, self.roles, self.loose, self.vocab = elems, roles, loose, vocab
        self.lenient = sum(1 for e in elems if e.key[0] == "w") >= 2


class _Node:
    __slots__ = ("children", "entries")

    def __init__(self) -> None:
        self.children: dict[Key, _Node] = {}
        self.entries: list[Entry] = []


def pattern(text: str) -> tuple[Elem, ...]:
    """A phrase as written in the lexicon or config.toml, cut like a message: "m1" is m glued to 1."""
    elems = []
    for t in T.scan(text):
        if t.kind == T.WORD:
            elems.append(Elem(("w", t.folded), t.marks, False))
        elif t.kind == T.NUM:
            elems.append(Elem(("n", t.value), "", t.glued and bool(elems) and elems[-1].key[0] == "w"))
        elif t.kind in (T.PUNCT, T.SYM):
            elems.append(Elem(("p", t.text), "", t.glued))
        else:
            raise ValueError(f"cannot use {text!r} as a phrase")
    return tuple(elems)


def keys_of(elems: tuple[Elem, ...]) -> tuple[Key, ...]:
    return tuple(e.key for e in elems)


class Trie:
    def __init__(self) -> None:
        self.root = _Node()
        self.words: set[str] = set()  # every word of every phrase, folded
        self.spelled: set[tuple[str, str]] = set()  # every word of every phrase, (folded, diacritics)
        self._fuzzy: dict[str, set[str]] = {}  # a vocabulary word, and each with a letter left out → the words

    def add(self, text: str, role: str, ref=None, *, loose: bool = False, vocab: bool = False) -> None:
        elems = pattern(text)
        if not elems:
            return
        self.words.update(e.key[1] for e in elems if e.key[0] == "w")
        self.spelled.update((e.key[1], e.marks) for e in elems if e.key[0] == "w")
        node = self.root
        for e in elems:
            node = node.children.setdefault(e.key, _Node())
        for entry in node.entries:  # the same phrase again: one entry, every meaning (marks as first written)
            if keys_of(entry.elems) == keys_of(elems) and entry.loose == loose and entry.vocab == vocab and (
                    loose or [e.marks for e in entry.elems] == [e.marks for e in elems]):
                if (role, ref) not in entry.roles:
                    entry.roles.append((role, ref))
                return
        node.entries.append(Entry(elems, [(role, ref)], loose, vocab))
        first = elems[0].key
        if vocab and first[0] == "w" and len(first[1]) >= 3:
            w = first[1]
            self._fuzzy.setdefault(w, set()).add(w)
            for i in range(len(w)):
                self._fuzzy.setdefault(w[:i] + w[i + 1:], set()).add(w)

    def starts(self, folded: str) -> bool:
        return ("w", folded) in self.root.children

    def slip_of_word(self, typed: str) -> bool:
        """Whether `typed` is a vocabulary word with one letter left out ("ap" for "app")."""
        return any(w != typed and len(w) == len(typed) + 1 for w in self._fuzzy.get(typed, ()))

    @staticmethod
    def lax(entry: Entry, toks: list[T.Token], i: int) -> bool:
        """Whether a word typed without diacritics matched one written with them ("Lan" for "lần")."""
        return any(e.key[0] == "w" and e.marks not in ("", "đ") and not toks[i + n].marks
                   for n, e in enumerate(entry.elems))

    def match(self, toks: list[T.Token], i: int, limit: int | None = None) -> tuple[int, Entry, bool] | None:
        """The longest known phrase starting at toks[i] (at most `limit` tokens): (index after it, its entry,
        whether a slip was forgiven)."""
        best: list = [None]
        self._walk(self.root, toks if limit is None else toks[:i + limit], i, i, False, best)
        t = toks[i]
        if best[0] is None and t.kind == T.WORD and not t.marks and not (t.text[:1].isupper() and t.text[1:].islower()
                                                                          and i and toks[i - 1].kind != T.NL):
            for word in self._slips(t.folded):
                child = self.root.children.get(("w", word))
                if child is not None:
                    self._walk(child, toks, i, i + 1, True, best)
        return (best[0][0], best[0][1], best[0][2] == 0) if best[0] else None

    def _slips(self, typed: str) -> list[str]:
        """Vocabulary words one slip away from a word that starts no phrase ("cia" → "cai", "kihc" → "kich")."""
        if len(typed) < 3 or not typed.isascii():
            return []
        found: set[str] = set(self._fuzzy.get(typed, ()))
        for i in range(len(typed)):
            found |= self._fuzzy.get(typed[:i] + typed[i + 1:], set())
        return sorted(w for w in found if w != typed and near(typed, w))

    def _walk(self, node: _Node, toks: list[T.Token], i: int, k: int, fuzzed: bool, best: list) -> None:
        if node.entries and k > i:
            for entry in node.entries:
                if fuzzed and not entry.vocab:
                    continue
                if _fits(entry, toks, i, fuzzed):
                    cand = (k, entry, 0 if fuzzed else 1, _exact(entry, toks, i), 1 if entry.vocab else 0)
                    if best[0] is None or cand[0] > best[0][0] or (
                            cand[0] == best[0][0] and cand[2:] > best[0][2:]):
                        best[0] = cand
        if k >= len(toks):
            return
        t = toks[k]
        for key in _keys(t):
            child = node.children.get(key)
            if child is not None:
                self._walk(child, toks, i, k + 1, fuzzed, best)
        if not fuzzed and k > i and t.kind == T.WORD and len(t.folded) >= 3 and best[0] is None:
            for key, child in node.children.items():
                if key[0] == "w" and key[1] != t.folded and near(t.folded, key[1]):
                    self._walk(child, toks, i, k + 1, True, best)


def number_value(t: T.Token) -> int | None:
    """A number as one token: digits, or one number word ("một", "hai", "ten")."""
    if t.kind == T.NUM:
        return t.value
    if t.kind == T.WORD:
        return word_value(t.folded, t.marks)
    return None


def _keys(t: T.Token) -> tuple[Key, ...]:
    if t.keys is None:
        if t.kind == T.WORD:
            v = number_value(t)
            t.keys = (("w", t.folded),) if v is None else (("w", t.folded), ("n", v))
        elif t.kind == T.NUM:
            t.keys = (("n", t.value),)
        elif t.kind in (T.PUNCT, T.SYM):
            t.keys = (("p", t.text),)
        else:
            t.keys = ()
    return t.keys


def _fits(entry: Entry, toks: list[T.Token], i: int, fuzzed: bool) -> bool:
    for n, e in enumerate(entry.elems):
        t = toks[i + n]
        if e.glue and not t.glued:
            return False
        if n and e.key[0] == "w" and t.kind != T.WORD:
            return False
        if e.key[0] == "w" and not entry.loose and t.kind == T.WORD and t.folded == e.key[1]:
            if not marks_agree(t.marks, e.marks, lenient=entry.lenient):
                return False
    return True


def _exact(entry: Entry, toks: list[T.Token], i: int) -> int:
    """1 when every word is typed with the diacritics the phrase is written with: "nha" (nhé) before "nhà"."""
    return int(all(e.key[0] != "w" or toks[i + n].marks == e.marks for n, e in enumerate(entry.elems)))


def fold_phrase(text: str) -> tuple[Key, ...]:
    return keys_of(pattern(text))


__all__ = ["Trie", "Entry", "pattern", "fold_phrase", "number_value"]
