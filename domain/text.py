"""Folding Vietnamese text for matching: no diacritics, đ as d, lower case, single spaces."""
from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _SPACE.sub(" ", bare.lower()).strip()
