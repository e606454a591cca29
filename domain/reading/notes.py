"""The report's note: what follows "Khó khăn:", "Vướng mắc:", "Kiến nghị:", "Đề xuất:", "Ghi chú:" (or "Note:"),
to the end of its line and the lines after it, until a line of figures. Numbers in a note are never figures."""
from __future__ import annotations

import re

from domain.reading import lexicon as L
from domain.reading import tokens as T
from domain.reading.bits import NUMWORD, PHRASE, Bit

_NO_NOTE = {"khong", "ko", "k", "none", "no", "khong co", "ko co", "chua co", "k co", "nothing", "n/a", "."}


def take(lines: list[list[Bit]]) -> tuple[list[list[Bit]], list[tuple[int, int]]]:
    """The lines without their notes, and where the notes are in the message. A sentence of figures after a
    note on its line ("Kiến nghị: … . Hộ 18, app 12") ends the note."""
    out: list[list[Bit]] = []
    spans: list[tuple[int, int]] = []
    in_note = False
    for line in lines:
        if in_note:
            if not line:
                out.append(line)
                continue
            if not figure_line(line) or _start(line) == 0:
                spans.append((line[0].start, line[-1].end))
                out.append([])
                continue
            in_note = False
        kept: list[Bit] = []
        rest = line
        while True:  # "Khó khăn: không. Hộ 14. Ghi chú: 2 hộ hẹn lại": a note, figures, another note
            k = _start(rest)
            if k is None:
                kept += rest
                break
            end = len(rest)
            for j in range(k + 1, len(rest) - 1):
                if rest[j].is_punct(".") and figure_line(rest[j + 1:]) and not _marker(rest[j + 1]):
                    end = j
                    break
            spans.append((rest[k].start, rest[end - 1].end))
            kept += rest[:k]
            if end == len(rest):
                in_note = True
                break
            rest = rest[end:]
        out.append(kept)
    return out, spans


def text(message: str, spans: list[tuple[int, int]]) -> str | None:
    """The note as the volunteer wrote it, or None (also for "Khó khăn: không")."""
    parts = [" ".join(message[a:b].split()) for a, b in spans]
    parts = [p for p in parts if p]
    if not parts:
        return None
    note = "\n".join(parts)
    body = re.sub(r"^[^:]*:\s*", "", note) if ":" in note.split("\n")[0] else note
    if not body or " ".join(body.lower().split()) in _NO_NOTE or T.split_word(body.strip(" .!"))[0] in _NO_NOTE:
        return None
    return note


def figure_line(line: list[Bit]) -> bool:
    """A line that starts with a label and has a number, or is only numbers and labels ("20 hộ"): figures, not
    more of a note."""
    content = [b for b in line if not (b.kind in (T.SYM, T.KEYCAP) or b.is_punct("-–—•+*:,;|."))]
    if not content:
        return False
    numbers = any(b.kind in (T.NUM, T.LIST) or b.kind == NUMWORD and not b.single for b in content)
    if content[0].metric_words:
        return numbers
    return numbers and len(content) <= 6 and all(
        b.kind in (T.NUM, NUMWORD) or b.metric_words or b.is_role(L.FILL) for b in content)


def _marker(b: Bit) -> bool:
    return b.kind == PHRASE and b.is_role(L.NOTE) and not b.metric_words


def _start(line: list[Bit]) -> int | None:
    """Where a note starts in the line: a marker at a clause's start, or followed by a colon."""
    for k, b in enumerate(line):
        if not _marker(b):
            continue
        prev = line[k - 1] if k else None
        nxt = line[k + 1] if k + 1 < len(line) else None
        at_start = prev is None or prev.kind == T.PUNCT and prev.tok.text in ".;,-–—|(:" or prev.is_role(
            L.NOTE) or prev.kind in (T.SYM, T.KEYCAP)
        colon = nxt is not None and (nxt.is_punct(":-–") or nxt.is_role(L.NOTE))
        if at_start or colon:
            while k > 0 and line[k - 1].is_role(L.NOTE):
                k -= 1
            return k
    return None
