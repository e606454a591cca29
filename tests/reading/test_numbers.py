"""The number reader: digits, thousands dots, number words, zero words; and everything refused with its reason."""
from __future__ import annotations

from datetime import date

import pytest

from domain.reading import Refusal, read, read_count
from domain.settings import DEFAULT_METRICS

TODAY = date(2026, 12, 5)


def figures(text: str) -> dict:
    r = read(text, DEFAULT_METRICS, TODAY)
    assert r.complete, (text, r.questions, r.error)
    return dict(r.figures)


@pytest.mark.parametrize("text, n", [
    ("hộ 25", 25), ("hộ 1.200", 1200), ("hộ 020", 20), ("25hộ", 25), ("ho25", 25), ("hộ: 25", 25),
    ("mười lăm hộ", 15), ("muoi lam ho", 15), ("hai mươi mốt hộ", 21), ("hai muoi mot ho", 21),
    ("bốn mươi tư hộ", 44), ("ba mươi lăm hộ", 35), ("một trăm hộ", 100), ("một trăm linh năm hộ", 105),
    ("hai chục hộ", 20), ("năm hộ", 5), ("hai tư hộ", 24), ("hộ hai mươi lăm", 25), ("Households: twenty", 20),
])
def test_a_count_in_digits_or_words(text, n):
    assert figures(text) == {"households": n}


@pytest.mark.parametrize("text", ["hộ 20, mức 2: không", "hộ 20, mức 2 ko", "hộ 20, KH2: 0"])
def test_zero_said_as_a_word_or_digit_is_no_question(text):
    assert {k: v for k, v in figures(text).items() if v} == {"households": 20}


def test_a_number_between_verb_and_noun_and_glued_to_labels():
    assert figures("cài 18 app") == {"installs": 18}
    assert figures("25hộ 18app") == {"households": 25, "installs": 18}
    assert figures("hộ20app15") == {"households": 20, "installs": 15}


@pytest.mark.parametrize("text, key, token", [
    ("2,5 hộ", "reading.error.not_whole", "2,5"), ("hộ 25.5", "reading.error.not_whole", "25.5"),
    ("hộ 1,200", "reading.error.not_whole", "1,200"), ("-5 ho", "reading.error.negative", "-5"),
    ("hộ: -3", "reading.error.negative", "-3"), ("1e9 ho", "reading.error.expression", "1e9"),
    ("0x1F ho", "reading.error.expression", "0x1F"), ("{{7*7}} ho", "reading.error.expression", "{{7*7}}"),
    ("kh1 ${7*7}", "reading.error.expression", "${7*7}"), ("hộ 20+5", "reading.error.expression", "20+5"),
    ("hộ 2⁵", "reading.error.odd_digits", "2⁵"), ("hộ ⑳", "reading.error.odd_digits", "⑳"),
    ("hộ ２５", "reading.error.odd_digits", "２５"), ("hộ ٢٥", "reading.error.odd_digits", "٢٥"),
    ("hộ ½", "reading.error.odd_digits", "½"), ("ho 1234567890", "reading.error.too_large", "1234567890"),
    ("hộ 2O", "reading.error.expression", "2O"), ("hộ 20-25", "reading.error.range", "20-25"),
    ("hộ 1 000", "reading.error.spaced", "1 000"), ("hộ hai mươi phẩy năm", "reading.error.not_whole", None),
])
def test_what_is_not_a_whole_count_is_refused_with_the_reason(text, key, token):
    r = read(text, DEFAULT_METRICS, TODAY)
    assert r.error is not None and r.error.key == key, (r.error, r.figures)
    if token is not None:
        assert r.error.values["token"] == token
    assert not r.questions


@pytest.mark.parametrize("text, n", [("25", 25), (" 7 ", 7), ("1.000", 1000), ("0", 0), ("không", 0),
                                     ("ko", 0), ("mười lăm", 15), ("twenty-five", 25), ("25.", 25)])
def test_one_count_for_guided_steps(text, n):
    assert read_count(text) == n


@pytest.mark.parametrize("text, key", [("-1", "negative"), ("1.5", "not_whole"), ("2,5", "not_whole"),
                                       ("abc", "not_a_count"), ("12 13", "not_a_count"), ("1e9", "expression"),
                                       ("²", "odd_digits"), ("1234567890", "too_large")])
def test_one_count_refused_says_why(text, key):
    got = read_count(text)
    assert isinstance(got, Refusal) and got.key == f"reading.error.{key}"


@pytest.mark.parametrize("text, want", [
    ("Tổ 3: hộ 20", {"households": 20}), ("KP3 hộ 20", {"households": 20}),
    ("Tổ CNS 12: hộ 15 app 9", {"households": 15, "installs": 9}),
    ("1. Hộ: 32\n2. App: 24", {"households": 32, "installs": 24}), ("2/ Hộ: 24", {"households": 24}),
    ("a) Hộ: 15\nb) App: 10", {"households": 15, "installs": 10}),
    ("+ hộ 20\n- app 15", {"households": 20, "installs": 15}),
    ("Lúc 15h30 tổ đã đi 22 hộ", {"households": 22}), ("từ 8h đến 11h đi 18 hộ", {"households": 18}),
    ("Tổ trưởng Lan (0987654321): hộ 15", {"households": 15}), ("SĐT 0912 345 678. Hộ 20", {"households": 20}),
    ("đạt 80% chỉ tiêu, 32 hộ", {"households": 32}), ("tổ 3 người đi 24 hộ", {"households": 24}),
    ("hôm nay 25 hộ, lũy kế 300 hộ", {"households": 25}), ("hộ 20, chỉ tiêu 40", {"households": 20}),
    ("được 20 hộ, còn 5 hộ hẹn mai", {"households": 20}),
    ("Xin chào! Hộ 20 app 15. Trân trọng", {"households": 20, "installs": 15}),
    ("✅ 25 hộ 👍 cài 18 app 📱", {"households": 25, "installs": 18}), ("Ngày 04/12/2026: hộ 20", {"households": 20}),
])
def test_what_is_never_a_figure(text, want):
    assert figures(text) == want
