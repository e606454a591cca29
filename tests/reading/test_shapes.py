"""The short shapes (shapes.py) read exactly as the whole grammar reads them: every label of the corpora and of the
default metrics with every small number, many two of them in a line, and many longer lines and bare numbers."""
from __future__ import annotations

import random
import re

import pytest

from domain.reading import Policy, read, vocabulary_for
from domain.reading.reader import read_alone
from domain.reading.shapes import read_short
from domain.settings import CampaignRules
from tests.reading.golden import folded, load
from tests.reading.scoring import TODAY

RULES = CampaignRules()
VOCAB = vocabulary_for(RULES.metrics)
POLICY = Policy(days_back=RULES.campaign.days_back)
_LABEL = re.compile(r"[^\W\d_]+[0-9]?(?: [^\W\d_]+[0-9]?){0,3}")
VALUES = [*range(0, 41), 45, 60, 99, 100, 101, 150, 300, 301, 999]
SEPARATORS = [", ", "; ", ",", ";", " "]


def _labels() -> list[str]:
    """Every label of the default metrics' words, and every run of up to four words before a number in the golden
    file's messages, as typed, in lower and upper case and without diacritics."""
    words = {w for m in RULES.metrics for w in (*m.aliases, *m.actions, *m.hints, *m.levels, m.vi, m.en)}
    for e in load():
        for line in e["text"].splitlines():
            for m in re.finditer(r"((?:[^\W\d_]+[0-9]? ){1,4}):? ?[0-9]", line + " "):
                runs = m.group(1).split()
                words.update(" ".join(runs[i:]) for i in range(len(runs)))
    out = set()
    for w in words:
        out.update({w, w.lower(), w.upper(), folded(w)})
    return sorted(w for w in out if _LABEL.fullmatch(w))


LABELS = _labels()


def _same(text: str) -> None:
    """Read as the grammar reads it, at first sight and once every label of it is remembered (a message learns
    two labels at most)."""
    want = read_alone(text, VOCAB, TODAY, POLICY)[0]
    for _ in range(4):
        remembered = len(VOCAB.labels_read)
        assert read(text, VOCAB, TODAY, POLICY) == want, text
        if len(VOCAB.labels_read) == remembered:
            break


def _short(text: str) -> bool:
    """Whether the short shape reads `text` once its labels are remembered."""
    for _ in range(4):
        read(text, VOCAB, TODAY, POLICY)
    return read_short(text, VOCAB, TODAY, POLICY, read_alone) is not None


@pytest.fixture(scope="module")
def taken() -> list[str]:
    """The labels the short shape reads by itself (the others go to the grammar, whose reading is its own)."""
    return [lab for lab in LABELS if any(_short(f"{lab} {v}") for v in (0, 1, 7, 150))]


def test_many_labels_are_read_in_the_short_shape(taken):
    assert len(LABELS) > 500
    assert len(taken) > 100
    assert _short("Hộ 25, app 18, KH M1 12") and _short("ho: 25; cai: 18; dk1: 15") and _short("25 18 15 12 4 1")
    assert _short("HO 25 CAI 18 DK1 15 KH1 12 HS2 4 KH2 1") and not _short("app 5 so ho 3")
    assert not _short("Trai huong dan 16") and not _short("hôm nay 25 hộ") and not _short("25 18")
    for lab in ("hộ", "ho", "app", "KH M1", "kh1", "đk1", "DK1", "HS2", "cài"):
        assert lab in taken, lab


def test_every_label_with_every_number_reads_as_the_grammar_does(taken):
    for lab in taken:
        for value in VALUES:
            _same(f"{lab} {value}")
            if value in (1, 2, 12, 150):
                _same(f"{lab}: {value}")


def test_two_labels_in_a_line_read_as_the_grammar_does(taken):
    rng = random.Random(10)
    for first in taken:
        for second in rng.sample(taken, min(len(taken), 30)):
            _same(f"{first} {rng.choice(VALUES)}{rng.choice(SEPARATORS)}{second} {rng.choice(VALUES)}")


def test_longer_lines_read_as_the_grammar_does(taken):
    rng = random.Random(11)
    for _ in range(1500):
        pairs = [f"{rng.choice(taken)}{rng.choice(['', ':'])} {rng.choice(VALUES)}" for _ in range(rng.randint(3, 7))]
        text = pairs[0]
        for p in pairs[1:]:
            text += rng.choice(SEPARATORS) + p
        _same(text)


def test_bare_numbers_read_as_the_grammar_does():
    rng = random.Random(12)
    for _ in range(3000):
        _same(" ".join(str(rng.choice(VALUES + [rng.randint(0, 999)])) for _ in range(rng.randint(1, 9))))
    for n in range(0, 1000):
        _same(f"{n} {n} {n}")


LEVELLED = ["muc 1", "mức 1", "muc 2", "Mức 2", "kh muc 1", "KH mức 2", "dk muc 1", "đk mức 2", "kich hoat muc 1",
            "kích hoạt mức 2", "level 1", "level 2", "m1", "M2", "kh m1", "kh1", "KH2", "hs2", "thu nhan muc 2",
            "cấp độ 1", "dang ky muc 2", "ho", "hộ", "app", "cài"]
PREFIXES = ["", "", "them", "thêm", "bổ sung", "bo sung", "tổng", "tong", "cập nhật", "cả ngày", "To 3", "hôm nay",
            "hom qua", "Lan", "gửi"]


def test_levels_said_with_their_number_and_a_leading_add_or_replace_word_read_as_the_grammar_does():
    """"muc 1 2, kh muc 1 1, muc 2 1": a level's number beside the figure, an action that may carry to a level
    said alone after it, and "thêm"/"tổng" before the first label, in every order the draw makes."""
    rng = random.Random(13)
    short = 0
    for _ in range(3000):
        pairs = [f"{rng.choice(LEVELLED)}{rng.choice(['', '', ':'])} {rng.choice(VALUES)}"
                 for _ in range(rng.randint(1, 6))]
        text = pairs[0]
        for p in pairs[1:]:
            text += rng.choice(SEPARATORS) + p
        prefix = rng.choice(PREFIXES)
        text = f"{prefix} {text}" if prefix else text
        _same(text)
        short += read_short(text, VOCAB, TODAY, POLICY, read_alone) is not None
    assert short > 300, short  # the comparison is about the short shape: enough of the draws take it (419)


def test_the_benchmarks_report_and_the_campaign_wording_take_the_short_shape():
    for text in ("them ho 3, app 2, muc 1 2, kh muc 1 1, muc 2 1", "ho 25, app 18, muc 1 15, kh muc 1 12, muc 2 4, kh muc 2 1",
                 "ĐK mức 1: 15, KH mức 1: 12", "muc 1 15, muc 2 3", "tổng ho 30, app 4"):
        _same(text)
        assert _short(text), text
    # an action said before a level alone may carry: the grammar decides ("KH mức 1 12, mức 2: 1" is activations)
    for text in ("kh muc 1 12, muc 2 1", "KH mức 1 12, mức 2: 1", "muc 1 10 12", "muc 1 15/12", "KH 15"):
        _same(text)
        assert not _short(text), text
