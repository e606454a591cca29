"""The reader's recorded output for every corpus message (and variants of it), to prove a change keeps it exactly.

Each line of `golden.jsonl` is one message: where it comes from, how it was varied, the text, what `read` made
of it (`Reading.to_dict()`) and what `read_count` made of it. The messages are every corpus line of
tests/reading/*.jsonl and of the shared dev sample, each also in lower case, without diacritics, and line by line.

Record again (after a change meant to alter readings, and when a corpus grows):
    python -m tests.reading.golden [PATH-TO-reports-dev.jsonl]
Without the dev sample at hand, the dev messages already recorded are kept.
"""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Iterator

from domain.reading import Policy, Refusal, read, read_count, vocabulary_for
from domain.settings import CampaignRules
from tests.reading.scoring import HERE, TODAY

GOLDEN = HERE / "golden.jsonl"
DEV = "reports-dev.jsonl"
DEV_PATH = HERE.parents[2] / "shared" / "corpus" / DEV  # beside the project's checkouts, when there


def corpora() -> list[Path]:
    return sorted(p for p in HERE.glob("*.jsonl") if p != GOLDEN)


def _texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def folded(text: str) -> str:
    """The text typed without diacritics ("Hộ đã đến" → "Ho da den")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def variants(text: str) -> Iterator[tuple[str, str]]:
    yield "typed", text
    yield "lower", text.lower()
    yield "folded", folded(text)
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        for line in lines:
            yield "line", line


class Recorder:
    """Reads a message the way the golden file records it: the default campaign, read on the corpora's day."""

    def __init__(self) -> None:
        rules = CampaignRules()
        self.vocab = vocabulary_for(rules.metrics)
        self.policy = Policy(days_back=rules.campaign.days_back)

    def reading(self, text: str) -> dict:
        return read(text, self.vocab, TODAY, self.policy).to_dict()

    @staticmethod
    def count(text: str) -> int | dict:
        got = read_count(text)
        return {"key": got.key, "values": dict(got.values)} if isinstance(got, Refusal) else got


def load() -> list[dict]:
    if not GOLDEN.exists():
        return []
    return [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


def messages(dev: Path | None) -> list[tuple[str, str]]:
    """(source, text) of every corpus message, the dev sample's last, each text once."""
    sources = [(p.name, _texts(p)) for p in corpora()]
    if dev is not None and dev.exists():
        sources.append((DEV, _texts(dev)))
    else:
        sources.append((DEV, [e["text"] for e in load() if e["source"] == DEV and e["variant"] == "typed"]))
    seen: set[str] = set()
    out = []
    for name, texts in sources:
        for text in texts:
            if text not in seen:
                seen.add(text)
                out.append((name, text))
    return out


def record(dev: Path | None) -> list[dict]:
    recorder = Recorder()
    entries, seen = [], set()
    for source, message in messages(dev):
        for variant, text in variants(message):
            if text in seen:
                continue
            seen.add(text)
            entries.append({"source": source, "variant": variant, "text": text,
                            "reading": recorder.reading(text), "count": recorder.count(text)})
    return entries


def write(entries: list[dict]) -> None:
    GOLDEN.write_text("".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in entries),
                      encoding="utf-8")


if __name__ == "__main__":
    recorded = record(Path(sys.argv[1]) if len(sys.argv) > 1 else DEV_PATH)
    write(recorded)
    print(f"{GOLDEN.name}: {len(recorded)} messages recorded")
