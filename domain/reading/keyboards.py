"""Vietnamese typed with the keyboard's input method off: Telex ("hooj", "cafi", "muwcs") and VNI ("ca2i", "ho65")
key strokes left in the text, read back as the word they spell (its folded letters and diacritics)."""
from __future__ import annotations

import re
from functools import lru_cache

from domain.reading.words import STROKE

CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
_VOWELS = set("aeiouy")
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?")


def _spelled(letters: list[list]) -> tuple[str, str] | None:
    folded = "".join(ch for ch, _ in letters)
    if not _SYLLABLE.fullmatch(folded):
        return None  # not one Vietnamese syllable: no key strokes of one
    marks = sorted(m for _, ms in letters for m in ms)
    return folded, "".join(marks)


@lru_cache(maxsize=4096)
def telex(word: str) -> tuple[str, str] | None:
    """(folded, marks) of a word typed in Telex with no input method ("hooj" → "ho" with ̂ and ̣), or None when
    `word` (lower case ASCII letters) holds no Telex key stroke or cannot be one syllable."""
    if len(word) < 3 or not word.isascii() or not word.isalpha():
        return None
    letters: list[list] = []
    tone = None
    changed = False
    for ch in word:
        vowel_seen = any(c in _VOWELS for c, _ in letters)
        if ch in _TELEX_TONES and vowel_seen:
            if tone is not None:
                return None
            tone, changed = _TELEX_TONES[ch], True
            continue
        if ch == "d" and len(letters) == 1 and letters[0][0] == "d" and not letters[0][1]:
            letters[0][1].append(STROKE)
            changed = True
            continue
        if ch in "aeo" and letters and letters[-1][0] == ch and not letters[-1][1]:
            letters[-1][1].append(CIRCUMFLEX)
            changed = True
            continue
        if ch == "w":
            at = next((k for k in range(len(letters) - 1, -1, -1) if letters[k][0] in "aou"), None)
            if at is None or letters[at][1]:
                return None
            letters[at][1].append(BREVE if letters[at][0] == "a" else HORN)
            if letters[at][0] == "o" and at and letters[at - 1][0] == "u" and not letters[at - 1][1]:
                letters[at - 1][1].append(HORN)  # "uow": ươ
            changed = True
            continue
        letters.append([ch, []])
    if not changed or not any(c in _VOWELS for c, _ in letters):
        return None
    if tone is not None:
        letters[-1][1].append(tone)  # where the tone sits does not matter: marks are compared as a set
    return _spelled(letters)


@lru_cache(maxsize=4096)
def vni(run: str) -> tuple[str, str] | None:
    """(folded, marks) of letters and VNI digits typed with no input method ("ca2i" → "cai" with ̀, "d9a8ng" →
    "dang" with đ and ̆), or None when the digits cannot be VNI keys of one syllable."""
    low = run.lower()
    if not low.isascii() or not low[:1].isalpha():
        return None
    letters: list[list] = []
    tone = None
    for ch in low:
        if ch.isalpha():
            letters.append([ch, []])
            continue
        if ch in _VNI_TONES:
            if tone is not None or not any(c in _VOWELS for c, _ in letters):
                return None
            tone = _VNI_TONES[ch]
            continue
        target = {"6": "aeo", "7": "ou", "8": "a", "9": "d"}.get(ch)
        if target is None:
            return None
        at = next((k for k in range(len(letters) - 1, -1, -1) if letters[k][0] in target), None)
        if at is None or letters[at][1]:
            return None
        letters[at][1].append({"6": CIRCUMFLEX, "7": HORN, "8": BREVE, "9": STROKE}[ch])
        if ch == "7" and letters[at][0] == "o" and at and letters[at - 1][0] == "u" and not letters[at - 1][1]:
            letters[at - 1][1].append(HORN)
    if not any(c in _VOWELS for c, _ in letters):
        return None
    if tone is not None:
        letters[-1][1].append(tone)
    return _spelled(letters)
