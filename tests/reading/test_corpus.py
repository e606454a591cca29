"""Our corpus of reports, read by the parse command's own code: no wrong meaning, and at least 95 % as meant."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from bot.parse_cli import Reader
from domain.settings import CampaignRules
from tests.reading.scoring import TODAY, judge, load

CORPUS = load("corpus.jsonl")


@pytest.fixture(scope="module")
def verdicts() -> list[tuple[dict, dict, str]]:
    reader = Reader(CampaignRules(), TODAY)  # the default campaign: config.toml's six metrics
    out = []
    for case in CORPUS:
        got = reader.line(json.dumps({"text": case["text"]}, ensure_ascii=False))
        out.append((case, got, judge(case, got)))
    return out


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 400
    kinds = Counter(c["kind"] for c in CORPUS)
    assert all(kinds[k] >= 20 for k in ("EX", "EI", "ASK", "OFF", "NOFIG")), kinds
    assert len({c["text"] for c in CORPUS}) == len(CORPUS)


def test_no_reading_shows_a_wrong_meaning(verdicts):
    wrong = [(c["text"], g["day"], g["figures"], c["day"], c["figures"]) for c, g, v in verdicts if v == "wrong"]
    assert not wrong, "\n".join(map(repr, wrong))


def test_at_least_95_percent_are_read_as_meant(verdicts):
    ok = sum(1 for _, _, v in verdicts if v == "ok")
    missed = [c["text"] for c, _, v in verdicts if v != "ok"]
    assert ok / len(verdicts) >= 0.95, f"{ok}/{len(verdicts)} as meant; missed: {missed[:20]}"


def test_every_kind_is_read_as_meant_in_most_cases(verdicts):
    by_kind: dict[str, Counter] = {}
    for c, _, v in verdicts:
        by_kind.setdefault(c["kind"], Counter())[v] += 1
    for kind, counts in by_kind.items():
        assert counts["ok"] / sum(counts.values()) >= 0.9, (kind, counts)


def test_questions_and_refusals_are_sentences_not_keys(verdicts):
    for c, g, _ in verdicts:
        for text in [*g["questions"], *([g["error"]] if g["error"] else [])]:
            own = re.sub(r"«[^»]*»", "", text)  # the user's own words are quoted
            assert "reading." not in own and not re.search(r"\{[a-z_]+\}", own), (c["text"], text)
            for key in ("households", "installs", "l1_", "l2_"):
                assert key not in own, (c["text"], text)
