"""One word as typed: its folded letters and its diacritics, so "hộ" and "ho" match but "hộ" and "hồ" do not."""
from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

STROKE = "đ"  # đ is a letter of its own; folding makes it d and keeps the stroke among the marks


@lru_cache(maxsize=8192)
def split_word(word: str) -> tuple[str, str]:
    """(folded, marks): lower case without diacritics (đ → d), and the diacritics as a sorted string."""
    lower = word.lower()
    if lower.isascii():
        return lower, ""
    marks = []
    if STROKE in lower:
        marks.append(STROKE)
        lower = lower.replace(STROKE, "d")
    bare = []
    for ch in unicodedata.normalize("NFD", lower):
        if unicodedata.category(ch) == "Mn":
            marks.append(ch)
        else:
            bare.append(ch)
    return "".join(bare), "".join(sorted(marks))


def marks_agree(typed: str, wanted: str, *, lenient: bool) -> bool:
    """Whether a word typed with `typed` diacritics may be the word written with `wanted` ones.

    Typed without diacritics, any word may be meant. A word written without them (an abbreviation like "kh")
    is not meant by a word typed with tone marks ("thứ" is not "thu"), only with đ ("đk" is "dk"). Otherwise
    the marks must agree; `lenient` (long or several-word phrases) also forgives marks left out ("đang ký").
    """
    if not typed or typed == wanted:
        return True
    if not wanted or wanted == STROKE:
        return typed == STROKE
    if not lenient:
        return False
    have, need = Counter(typed), Counter(wanted)
    return all(need[m] >= n for m, n in have.items())


def has_marks(word: str) -> bool:
    return bool(split_word(word)[1])


def near(typed: str, wanted: str) -> bool:
    """One slip apart: a letter left out, added, changed, or two swapped (folded words, 3 letters or more)."""
    if typed == wanted:
        return True
    lt, lw = len(typed), len(wanted)
    if abs(lt - lw) > 1 or min(lt, lw) < 3:
        return False
    if lt == lw:
        diff = [i for i in range(lt) if typed[i] != wanted[i]]
        if len(diff) == 1:
            return lt >= 4
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and typed[diff[0]] == wanted[diff[1]] and typed[diff[1]] == wanted[diff[0]])
    short, long_ = (typed, wanted) if lt < lw else (wanted, typed)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return True
    return False
