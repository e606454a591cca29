"""The reader gives exactly the readings recorded in golden.jsonl: a faster reader is the same reader."""
from __future__ import annotations

import pytest

from tests.reading.golden import GOLDEN, Recorder, load, messages

GOLDEN_ENTRIES = load()


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return Recorder()


def test_the_golden_file_holds_every_corpus_message():
    recorded = {e["text"] for e in GOLDEN_ENTRIES}
    missing = [text for _, text in messages(None) if text not in recorded]
    assert not missing, f"{len(missing)} corpus messages are not in {GOLDEN.name}; record again: " \
                        f"python -m tests.reading.golden PATH-TO-reports-dev.jsonl"


def test_every_recorded_message_is_read_exactly_as_recorded(recorder):
    changed = []
    for e in GOLDEN_ENTRIES:
        got = recorder.reading(e["text"])
        if got != e["reading"]:
            changed.append((e["text"], e["reading"], got))
    assert not changed, f"{len(changed)} readings differ from {GOLDEN.name}; the first: {changed[0]!r}"


def test_every_recorded_message_is_counted_exactly_as_recorded(recorder):
    changed = [(e["text"], e["count"], got) for e in GOLDEN_ENTRIES
               if (got := recorder.count(e["text"])) != e["count"]]
    assert not changed, f"{len(changed)} counts differ from {GOLDEN.name}; the first: {changed[0]!r}"
