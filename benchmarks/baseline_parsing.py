"""The parser the reader replaced (was domain/parsing.py), kept only as the baseline benchmarks compare against."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from domain.settings import Metric
from domain.text import fold

_NUMBER = re.compile(r"(?<![\w.,])[-+]?\d+(?:[.,]\d+)*(?![\w])")
_SEPARATORS = re.compile(r"[,;\n]+")
_NOISE = re.compile(r"[:=()\[\]\-–—+*/|]")
_YESTERDAY = ("hom qua", "yesterday", "hqua")


@dataclass
class Parsed:
    values: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (message key, detail)
    yesterday: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.values) and not self.problems


def _number(token: str) -> int | None:
    """A whole number ≥ 0 as volunteers write it ("1.200" and "1,200" are twelve hundred); None if not."""
    t = token.lstrip("+")
    if t.startswith("-"):
        return None
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):
        return int(re.sub(r"[.,]", "", t))
    if t.isdigit():
        return int(t)
    return None


@lru_cache(maxsize=16)  # built from the configured metrics: the same for every message
def _alias_pattern(metrics: tuple[Metric, ...]) -> re.Pattern:
    aliases = sorted({a for m in metrics for a in m.folded_aliases}, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"\s*") for a in aliases)
    return re.compile(rf"(?<![a-z0-9])({body})(?![a-z])")


@lru_cache(maxsize=16)
def _by_alias(metrics: tuple[Metric, ...]) -> dict[str, Metric]:
    """Each alias without spaces → the first metric that has it."""
    out: dict[str, Metric] = {}
    for m in metrics:
        for a in m.folded_aliases:
            out.setdefault(a.replace(" ", ""), m)
    return out


def _metric_of(alias: str, metrics: tuple[Metric, ...]) -> Metric:
    found = _by_alias(metrics).get(alias.replace(" ", ""))
    if found is None:
        raise KeyError(alias)
    return found


def parse_tally(text: str, metrics: tuple[Metric, ...]) -> Parsed:
    """Parse one message. Bare numbers follow the configured order; labelled numbers may come in any order."""
    folded = fold(text)
    result = Parsed(yesterday=any(y in folded for y in _YESTERDAY))
    for y in _YESTERDAY:
        folded = folded.replace(y, " ")
    folded = folded.replace("hom nay", " ").replace("today", " ")
    pattern = _alias_pattern(metrics)

    if not pattern.search(folded):
        return _bare_numbers(folded, metrics, result)

    for segment in _SEPARATORS.split(folded):
        _labelled_segment(segment, metrics, pattern, result)
    return result


def _bare_numbers(folded: str, metrics: tuple[Metric, ...], result: Parsed) -> Parsed:
    cleaned = _NOISE.sub(" ", folded.replace(",", " ").replace(";", " "))
    # A minus sign belongs to the number it precedes: "-5" must be refused, not read as 5.
    tokens = re.findall(r"-?\S+", re.sub(r"(?<!\S)-\s+", "-", folded.replace(",", " ").replace(";", " ")))
    if not tokens or not re.search(r"\d", cleaned):
        result.problems.append(("parse.unreadable", ""))
        return result
    numbers = []
    for tok in tokens:
        tok = tok.strip(":=()[]|")
        if not tok:
            continue
        n = _number(tok)
        if n is None:
            key = "parse.negative" if tok.startswith("-") and tok[1:].isdigit() else "parse.unreadable"
            result.problems.append((key, tok))
            return result
        numbers.append(n)
    if len(numbers) > len(metrics):
        result.problems.append(("parse.too_many", str(len(numbers))))
        return result
    for metric, n in zip(metrics, numbers):
        result.values[metric.key] = n
    return result


def _labelled_segment(segment: str, metrics, pattern: re.Pattern, result: Parsed) -> None:
    """One comma-separated piece: alias→number pairs, or number→alias pairs, in order."""
    tokens: list[tuple[str, str]] = []  # ("alias"|"number"|"bad", text)
    pos = 0
    for m in pattern.finditer(segment):
        tokens.extend(_numbers_in(segment[pos:m.start()]))
        tokens.append(("alias", m.group(1)))
        pos = m.end()
    tokens.extend(_numbers_in(segment[pos:]))
    if not tokens:
        return
    bad = [t for kind, t in tokens if kind == "bad"]
    if bad:
        key = "parse.negative" if bad[0].startswith("-") else "parse.not_whole"
        result.problems.append((key, bad[0]))
        return
    aliases_first = tokens[0][0] == "alias"
    pending_alias: str | None = None
    pending_number: int | None = None
    for kind, value in tokens:
        if kind == "alias":
            if aliases_first or pending_number is None:
                pending_alias = value
            else:
                _put(result, _metric_of(value, metrics), pending_number)
                pending_number = None
        else:
            n = int(value)
            if pending_alias is not None:
                _put(result, _metric_of(pending_alias, metrics), n)
                pending_alias = None
            elif not aliases_first:
                pending_number = n
            else:
                result.problems.append(("parse.number_without_label", value))
    if pending_alias is not None and pending_number is None:
        result.problems.append(("parse.label_without_number", pending_alias))
    elif pending_number is not None:
        result.problems.append(("parse.number_without_label", str(pending_number)))


def _numbers_in(text: str) -> list[tuple[str, str]]:
    out = []
    for tok in re.findall(r"-?\s*\d[\d.,]*", text):
        tok = tok.replace(" ", "").rstrip(".,")
        n = _number(tok)
        out.append(("bad", tok) if n is None else ("number", str(n)))
    return out


def parse_one_number(text: str) -> int | None:
    """A single whole number ≥ 0, for guided steps; None if the text is anything else."""
    t = fold(text).strip(" .")
    return _number(t) if re.fullmatch(r"[+]?\d[\d.,]*", t) else None


def _put(result: Parsed, metric: Metric, n: int) -> None:
    if metric.key in result.values and result.values[metric.key] != n:
        result.problems.append(("parse.twice", metric.key))
    result.values[metric.key] = n
