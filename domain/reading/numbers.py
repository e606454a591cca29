"""Numbers said in words, Vietnamese (with or without diacritics) and English: "mười lăm", "hai mươi mốt", "bốn mươi
tư", "một trăm linh năm", "hai chục", "hai tư" (24), "twenty-five"."""
from __future__ import annotations

from functools import lru_cache

from domain.reading.words import marks_agree, split_word

# Each word: what it is in the grammar. "U" a unit 1-9; "T" mười (ten); "X" mươi (tens); "C" chục (tens);
# "H" trăm; "K" nghìn/ngàn; "L" linh/lẻ; "A" a unit only after mươi/mười (mốt, tư, lăm, nhăm).
_VI = {
    "một": ("U", 1), "hai": ("U", 2), "ba": ("U", 3), "bốn": ("U", 4), "năm": ("U", 5), "sáu": ("U", 6),
    "bảy": ("U", 7), "bẩy": ("U", 7), "tám": ("U", 8), "chín": ("U", 9),
    "mười": ("T", 10), "mươi": ("X", 10), "chục": ("C", 10), "trăm": ("H", 100), "nghìn": ("K", 1000),
    "ngàn": ("K", 1000), "linh": ("L", 0), "lẻ": ("L", 0),
    "mốt": ("A", 1), "tư": ("A", 4), "lăm": ("A", 5), "nhăm": ("A", 5),
}
_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
            if w != "_"}

# folded form → [(marks, kind, value)]: "muoi" is mười or mươi, "nam" is năm (or a word that is no number)
_BY_FOLDED: dict[str, list[tuple[str, str, int]]] = {}
for _w, (_k, _v) in _VI.items():
    _f, _m = split_word(_w)
    _BY_FOLDED.setdefault(_f, []).append((_m, _k, _v))


def _kinds(folded: str, marks: str) -> list[tuple[str, int]]:
    """What a typed word can be: typed without diacritics it may be any of the words folding to it."""
    found = [(k, v) for m, k, v in _BY_FOLDED.get(folded, ()) if marks_agree(marks, m, lenient=False)]
    if folded in _EN_UNITS and not marks:
        found.append(("E", _EN_UNITS[folded]))
    if folded in _EN_TENS and not marks:
        found.append(("ET", _EN_TENS[folded]))
    if folded == "hundred" and not marks:
        found.append(("EH", 100))
    return found


@lru_cache(maxsize=4096)
def is_number_word(folded: str, marks: str) -> bool:
    return bool(_kinds(folded, marks))


@lru_cache(maxsize=4096)
def word_value(folded: str, marks: str) -> int | None:
    """The number one word says alone ("hai" 2, "mười" 10, "một" 1), or None."""
    if not is_number_word(folded, marks):
        return None
    got = read_words([(folded, marks)])
    return got[0] if got and got[1] == 1 else None


def read_words(words: list[tuple[str, str]]) -> tuple[int, int] | None:
    """The number the words at the start of `words` ((folded, marks) pairs) say: (value, words used), or None."""
    kinds = [_kinds(f, m) for f, m in words]
    best = None
    for parse in (_vietnamese, _english):
        got = parse(kinds)
        if got and (best is None or got[1] > best[1]):
            best = got
    return best


def _pick(options: list[tuple[str, int]], *wanted: str) -> int | None:
    for k, v in options:
        if k in wanted:
            return v
    return None


def _below_100(kinds: list, i: int) -> tuple[int, int] | None:
    n = len(kinds)
    if i >= n:
        return None
    ten = _pick(kinds[i], "T")
    unit = _pick(kinds[i], "U")
    # "muoi" typed without diacritics may be mười (T); "mươi" alone is "about ten", no number
    if ten is not None and unit is None:
        j = i + 1
        if j < n:
            u = _pick(kinds[j], "U")
            a = _pick(kinds[j], "A")
            if a == 5 or (u is not None and u != 5):
                return 10 + (a if a == 5 else u), j + 1
        return 10, j
    if unit is None:
        return None
    j = i + 1
    if j < n and _pick(kinds[j], "X", "T") is not None:
        value, j = unit * 10, j + 1
        if unit == 1:
            return None  # "một mươi" is no number
        if j < n:
            u = _pick(kinds[j], "A") or _pick(kinds[j], "U")
            if u is not None and (u != 1 or _pick(kinds[j], "A") == 1 or _pick(kinds[j], "U") == 1):
                return value + u, j + 1
        return value, j
    if j < n and _pick(kinds[j], "C") is not None:
        return unit * 10, j + 1
    if j < n and unit >= 2 and _pick(kinds[j], "A") is not None and _pick(kinds[j], "U") is None:
        return unit * 10 + _pick(kinds[j], "A"), j + 1  # "hai tư" is 24, "ba lăm" 35
    return unit, j


def _vietnamese(kinds: list) -> tuple[int, int] | None:
    first = _below_100(kinds, 0)
    if first is None:
        return None
    value, j = first
    n = len(kinds)
    if j < n and _pick(kinds[j], "H") is not None and value < 10:
        value, j = value * 100, j + 1
        if j < n and _pick(kinds[j], "L") is not None and j + 1 < n and _pick(kinds[j + 1], "U", "A") is not None:
            return value + (_pick(kinds[j + 1], "U") or _pick(kinds[j + 1], "A")), j + 2
        rest = _below_100(kinds, j)
        if rest is not None and rest[0] >= 10:
            return value + rest[0], rest[1]
        return value, j
    if j < n and _pick(kinds[j], "K") is not None:
        return value * 1000, j + 1
    return value, j


def _english(kinds: list) -> tuple[int, int] | None:
    if not kinds:
        return None
    unit = _pick(kinds[0], "E")
    if unit is not None:
        if len(kinds) > 1 and _pick(kinds[1], "EH") is not None and 0 < unit < 10:
            return unit * 100, 2
        return unit, 1
    tens = _pick(kinds[0], "ET")
    if tens is not None:
        if len(kinds) > 1:
            u = _pick(kinds[1], "E")
            if u is not None and 0 < u < 10:
                return tens + u, 2
        return tens, 1
    return None
