"""Reading tallies as volunteers type them: diacritics or not, any order, bare numbers, and bad input."""
from __future__ import annotations

import pytest

from domain.parsing import parse_one_number, parse_tally
from domain.settings import DEFAULT_METRICS

ALL = {"households": 25, "installs": 18, "l1_registrations": 15, "l1_activations": 12, "l2_applications": 4,
       "l2_activations": 1}


@pytest.mark.parametrize("text, values", [
    ("hom nay 25 ho, cai app 18, dk muc 1 15, kh muc1 12, muc 2: 4", {k: ALL[k] for k in list(ALL)[:5]}),
    ("25 18 15 12 4 1", ALL),
    ("25, 18, 15, 12, 4, 1", ALL),
    ("Hộ 25, cài đặt 18, Mức 1 15, kích hoạt mức 1 12, mức 2 4, kh muc 2 1", ALL),
    ("kh muc 2 1; muc 2 4; kh1 12; m1 15; app 18; ho 25", ALL),
    ("ho 25 app 18 muc1 15 kh1 12", {k: ALL[k] for k in list(ALL)[:4]}),
    ("25 ho 18 app", {"households": 25, "installs": 18}),
    ("HỘ: 25\nAPP = 18", {"households": 25, "installs": 18}),
    ("1.200 ho", {"households": 1200}),
    ("25 18", {"households": 25, "installs": 18}),
])
def test_readable_reports(text, values):
    parsed = parse_tally(text, DEFAULT_METRICS)
    assert parsed.problems == [] and parsed.values == values


@pytest.mark.parametrize("text, problem", [
    ("ho -3", "parse.negative"),
    ("-5 3", "parse.negative"),
    ("ho 2.5", "parse.not_whole"),
    ("xin chao", "parse.unreadable"),
    ("25 18 15 12 4 1 7", "parse.too_many"),
    ("ho 3, ho 4", "parse.twice"),
    ("ho", "parse.label_without_number"),
])
def test_unreadable_reports_name_the_problem(text, problem):
    parsed = parse_tally(text, DEFAULT_METRICS)
    assert parsed.problems and parsed.problems[0][0] == problem


def test_yesterday_is_recognised_with_or_without_diacritics():
    assert parse_tally("hôm qua hộ 10", DEFAULT_METRICS).yesterday
    assert parse_tally("hom qua 10 2", DEFAULT_METRICS).values == {"households": 10, "installs": 2}
    assert not parse_tally("ho 10", DEFAULT_METRICS).yesterday


@pytest.mark.parametrize("text, n", [("12", 12), (" 7 ", 7), ("1.000", 1000), ("0", 0),
                                     ("-1", None), ("1.5", None), ("abc", None), ("12a", None)])
def test_one_number_for_guided_steps(text, n):
    assert parse_one_number(text) == n
