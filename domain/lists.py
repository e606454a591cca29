"""Long lists in chat messages: names joined by commas, broken into lines that a channel can split a message at,
so that a list is never cut and never capped."""
from __future__ import annotations

from typing import Iterable

LINE = 300  # characters a line of names grows to before the next name starts a new line; well under any channel's


def name_lines(names: Iterable[str], width: int = LINE) -> str:
    """"a, b, c" — on several lines once a line would pass `width` characters, each line ending with its comma."""
    lines: list[str] = []
    current = ""
    for name in names:
        if current and len(current) + 2 + len(name) > width:
            lines.append(current + ",")
            current = name
        else:
            current = f"{current}, {name}" if current else name
    if current:
        lines.append(current)
    return "\n".join(lines)
