"""Importing the unit tree from CSV or XLSX: every row checked first, then all written in one transaction."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from tqdm import tqdm

from domain.settings import CampaignRules
from storage.store import SqlStore

COLUMNS = ("code", "name", "parent_code", "kind", "households")
HOUSEHOLDS_MAX = 2 ** 31 - 1  # units.households is an Integer: 32 bits on PostgreSQL, and the same on SQLite
# Digits 0-9 only (no 1e3, 1_000, full-width or superscript digits); ".0" is how a spreadsheet's number cell reads.
_BREAKING = ("Cc", "Zl", "Zp")  # control characters (NUL, tab, line breaks) and line or paragraph separators
_WHOLE = re.compile(r"[0-9]+(?:\.0+)?", re.ASCII)
REQUIRED = ("code", "name", "kind")


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    name: str
    parent_code: str | None
    kind: str
    households: int | None


class ImportError_(Exception):
    """The file has problems; nothing of it was imported."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for every non-empty row under the header."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        wb = load_workbook(path, read_only=True, data_only=True)
        sheet = wb.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in r] for r in sheet.iter_rows(values_only=True)]
        wb.close()
    else:
        text = path.read_bytes().decode("utf-8-sig")
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    if not rows:
        raise ImportError_(["the file is empty"])
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED + ("parent_code",) if c not in header]
    if missing:
        raise ImportError_([f"line 1: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}"])
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if not any(r):
            continue
        out.append((n, {h: (r[i] if i < len(r) else "") for i, h in enumerate(header)}))
    return out


def check_rows(raw: list[tuple[int, dict[str, str]]], rules: CampaignRules,
               existing: dict[str, str]) -> list[Row]:
    """Validate every row against the file and the units already stored ({code: kind}); parents first."""
    kinds = rules.campaign.unit_kinds
    problems: list[str] = []
    rows: dict[str, Row] = {}
    for line, r in raw:
        code, name, kind = r.get("code", ""), r.get("name", ""), r.get("kind", "").lower()
        parent = r.get("parent_code", "") or None
        hh_text = r.get("households", "")
        empty = [c for c in REQUIRED if not r.get(c)]
        if empty:
            problems.append(f"line {line}: empty {', '.join(empty)}")
            continue
        if len(code) > 64 or len(name) > 200:
            problems.append(f"line {line}: code or name too long")
            continue
        if not code.isprintable() or any(ch.isspace() for ch in code):
            problems.append(f"line {line}: code {code!r} has a space, a line break or a control character")
            continue
        if any(unicodedata.category(ch) in _BREAKING for ch in name):
            problems.append(f"line {line}: name {name!r} has a line break, a tab or a control character")
            continue
        if kind not in kinds:
            problems.append(f"line {line}: kind {kind!r} is not one of {', '.join(kinds)}")
            continue
        households = None
        if hh_text:
            problem = _households_problem(hh_text)
            if problem:
                problems.append(f"line {line}: households {hh_text!r} {problem}")
                continue
            households = int(hh_text.split(".")[0])
        if code in rows:
            problems.append(f"line {line}: code {code!r} already on line {rows[code].line}")
            continue
        if parent == code:
            problems.append(f"line {line}: a unit cannot be its own parent")
            continue
        rows[code] = Row(line, code, name, parent, kind, households)
    for row in rows.values():
        if row.parent_code is None:
            continue
        parent_kind = rows[row.parent_code].kind if row.parent_code in rows else existing.get(row.parent_code)
        if parent_kind is None:
            problems.append(f"line {row.line}: parent_code {row.parent_code!r} is neither in the file nor stored")
        elif kinds.index(parent_kind) >= kinds.index(row.kind):
            problems.append(f"line {row.line}: a {row.kind} cannot sit under a {parent_kind} ({row.parent_code})")
    if problems:
        raise ImportError_(problems)
    return _parents_first(rows)


def _households_problem(text: str) -> str | None:
    """Why this is not a number of households, or None."""
    if any(not ch.isascii() and (ch.isdigit() or ch.isnumeric()) for ch in text):
        return "has digits other than 0-9 (full-width, superscript…): type it with 0-9"
    if not _WHOLE.fullmatch(text):
        return "is not a whole number ≥ 0 written with the digits 0-9 alone"
    if int(text.split(".")[0]) > HOUSEHOLDS_MAX:
        return f"is larger than {HOUSEHOLDS_MAX:,}"
    return None


def _parents_first(rows: dict[str, Row]) -> list[Row]:
    ordered: list[Row] = []
    placed: set[str] = set()
    pending = list(rows.values())
    while pending:
        rest = [r for r in pending if r.parent_code in rows and r.parent_code not in placed]
        ready = [r for r in pending if r not in rest]
        if not ready:
            raise ImportError_([f"line {r.line}: parent_code {r.parent_code!r} makes a cycle" for r in rest])
        ordered += ready
        placed |= {r.code for r in ready}
        pending = rest
    return ordered


async def import_units(store: SqlStore, rules: CampaignRules, path: Path, progress: bool = True) -> tuple[int, int]:
    """Returns (created or changed, unchanged). Raises ImportError_ and writes nothing on any bad row."""
    raw = read_rows(path)

    async def existing_kinds(tx):
        return {u.code: u.kind for u in await tx.units.in_subtree(None)}

    rows = check_rows(raw, rules, await store.read(existing_kinds))

    async def work(tx):
        changed = 0
        for row in tqdm(rows, desc="units", unit=" rows", disable=not progress, leave=False):
            _, did = await tx.units.upsert(row.code, row.name, row.kind, row.parent_code, row.households)
            changed += did
        return changed

    changed = await store.write(work)
    return changed, len(rows) - changed
