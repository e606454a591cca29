"""The cases the old parser (domain/parsing.py) was tested on, as the reader reads them now."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.reading import Policy, Refusal, read, read_count, vocabulary_for
from domain.settings import DEFAULT_METRICS

TODAY = date(2026, 12, 5)
VOCAB = vocabulary_for(DEFAULT_METRICS)
ALL = {"households": 25, "installs": 18, "l1_registrations": 15, "l1_activations": 12, "l2_applications": 4,
       "l2_activations": 1}


def _read(text):
    return read(text, VOCAB, TODAY, Policy(days_back=1))


@pytest.mark.parametrize("text, values", [
    ("25 18 15 12 4 1", ALL),
    ("25, 18, 15, 12, 4, 1", ALL),
    ("Hộ 25, cài đặt 18, Mức 1 15, kích hoạt mức 1 12, mức 2 4, kh muc 2 1", ALL),
    ("25 ho 18 app", {"households": 25, "installs": 18}),
    ("HỘ: 25\nAPP = 18", {"households": 25, "installs": 18}),
    ("1.200 ho", {"households": 1200}),
])
def test_readable_reports(text, values):
    r = _read(text)
    assert r.complete and dict(r.figures) == values


@pytest.mark.parametrize("text", ["ho -3", "ho 2.5"])
def test_a_count_that_is_not_whole_is_refused(text):
    assert _read(text).error is not None


def test_seven_bare_numbers_for_six_metrics_are_a_question_not_a_guess():
    r = _read("25 18 15 12 4 1 7")
    assert r.questions and not r.figures


def test_yesterday_is_the_day_with_or_without_diacritics():
    assert _read("hôm qua hộ 10").day == TODAY - timedelta(days=1)
    assert _read("hom qua ho 10").day == TODAY - timedelta(days=1)
    assert _read("ho 10").day == TODAY


@pytest.mark.parametrize("text, n", [("12", 12), (" 7 ", 7), ("1.000", 1000), ("0", 0)])
def test_one_number_for_guided_steps(text, n):
    assert read_count(text) == n


@pytest.mark.parametrize("text", ["-1", "1.5", "abc", "12a"])
def test_not_a_count_for_guided_steps(text):
    assert isinstance(read_count(text), Refusal)
