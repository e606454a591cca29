"""Dates as people type them: YYYY-MM-DD or DD/MM/YYYY (also DD-MM-YYYY and DD.MM.YYYY), and "yesterday"."""
from __future__ import annotations

import re
from datetime import date

from domain.text import fold

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# The words that move a report to the day before, folded: "hôm qua" with or without diacritics, "yesterday".
YESTERDAY_WORDS = ("hom qua", "homqua", "yesterday", "hqua")


def parse_date(text: str) -> date | None:
    t = text.strip()
    m = _ISO.match(t)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _VN.match(t)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def looks_like_date(text: str) -> bool:
    return bool(_ISO.match(text.strip()) or _VN.match(text.strip()))


def says_yesterday(text: str) -> bool:
    """Whether the text is one of the words for yesterday (`/report hôm qua`, `/report homqua`)."""
    return fold(text) in YESTERDAY_WORDS
