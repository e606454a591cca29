"""Dates as people type them: YYYY-MM-DD or DD/MM/YYYY (also DD-MM-YYYY and DD.MM.YYYY)."""
from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


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
