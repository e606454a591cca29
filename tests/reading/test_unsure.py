"""What the reader asks about rather than guess: two bare numbers, a number corrected in the message, someone
else's figures, "Mai" (tomorrow or a name), plans beside the day's figures, and what it reads back from keys
typed with the input method off."""
from __future__ import annotations

from datetime import date

import pytest

from domain.reading import Reading, read
from domain.settings import DEFAULT_METRICS

TODAY = date(2026, 12, 5)


def reading(text: str) -> Reading:
    return read(text, DEFAULT_METRICS, TODAY)


def test_two_bare_numbers_are_asked_with_the_configured_order_as_the_choice():
    r = reading("25 18")
    (q,) = r.questions
    assert dict(r.figures) == {} and q.kind == "bare_numbers" and q.values["numbers"] == "25 18"
    assert dict(q.choices[0].figures) == {"households": 25, "installs": 18} and q.choices[-1].retype
    assert dict(r.answer(0, 0).figures) == {"households": 25, "installs": 18}


def test_three_bare_numbers_or_more_are_read_in_the_configured_order():
    r = reading("25 18 15")
    assert r.complete and dict(r.figures) == {"households": 25, "installs": 18, "l1_registrations": 15}


@pytest.mark.parametrize("text, metric, numbers", [
    ("hộ 12 à nhầm 15", "households", [12, 15]),
    ("app 12 -> 14", "installs", [12, 14]),
    ("à nhầm, 15 hộ chứ không phải 12", "households", [15, 12]),
    ("hộ 18 app 14, xin lỗi app 13", "installs", [14, 13]),
    ("Điều chỉnh: KH mức 1 từ 8 thành 10", "l1_activations", [8, 10]),
])
def test_a_corrected_number_offers_each_number_and_never_their_sum(text, metric, numbers):
    r = reading(text)
    (q,) = r.questions
    assert metric not in r.figures
    assert q.kind in ("two_numbers", "which_metric") and [dict(c.figures) for c in q.choices if c.figures] == [
        {metric: n} for n in numbers]


def test_parts_of_the_day_still_offer_their_sum_and_their_total_is_read():
    (q,) = reading("sáng 10 hộ, chiều 15 hộ").questions
    assert dict(q.choices[0].figures) == {"households": 25}
    r = reading("sáng 10 hộ, chiều 15 hộ, tổng 25 hộ")
    assert r.complete and dict(r.figures) == {"households": 25}


@pytest.mark.parametrize("text, figures", [
    ("hôm nay 18 hộ, mai đi tiếp 20 hộ", {"households": 18}),
    ("được 12 hộ, mai đi tiếp 15 hộ nữa", {"households": 12}),
    ("Đi 16 hộ. Kế hoạch tuần sau: 80 hộ", {"households": 16}),
    ("hôm nay 18 hộ, tháng này tổng 210 hộ", {"households": 18}),
    ("Đi 26 hộ, 5 hộ chưa có CCCD gắn chip", {"households": 26}),
])
def test_plans_totals_and_remainders_beside_the_days_figures_are_left_out(text, figures):
    r = reading(text)
    assert r.complete and dict(r.figures) == figures


@pytest.mark.parametrize("text", ["mai em đi 20 hộ", "Mai mình đi 20 hộ nhé", "tuần tới tổ đi 50 hộ",
                                  "cần đi 20 hộ nữa mới đủ chỉ tiêu"])
def test_a_plan_alone_stores_nothing(text):
    assert dict(reading(text).figures) == {}


def test_someone_elses_figures_are_asked_about():
    r = reading("c Mai 15 hộ")
    (q,) = r.questions
    assert dict(r.figures) == {} and q.kind == "whose_figures" and q.values["names"] == "Mai"
    assert dict(r.answer(0, 0).figures) == {"households": 15}
    assert reading("Em Hồng báo cáo: hộ 16, app 12").complete  # the sender's own
    assert reading("Tổ chị Lan hôm nay 22 hộ").complete  # a team named after its leader


def test_mai_with_a_capital_before_figures_is_tomorrow_or_a_name():
    r = reading("Mai 10 hộ")
    (q,) = r.questions
    assert q.kind == "tomorrow_or_name" and dict(q.choices[0].figures) == {"households": 10}
    assert not q.choices[1].figures and not q.choices[1].retype  # a plan: nothing stored


def test_several_people_whatever_their_metrics():
    r = reading("Lan 10 hộ, Hoa 12 app")
    assert dict(r.figures) == {} and [q.kind for q in r.questions] == ["several_people"]


@pytest.mark.parametrize("text, figures", [
    ("hooj 22, cafi 18", {"households": 22, "installs": 18}),
    ("kichs hoatj muwcs 1: 9", {"l1_activations": 9}),
    ("ca2i 18 app", {"installs": 18}),
])
def test_words_typed_with_the_input_method_off_are_read(text, figures):
    r = reading(text)
    assert r.complete and dict(r.figures) == figures


def test_a_vni_leftover_that_spells_the_label_is_doubted():
    r = reading("ho65 25 app 20")
    assert 65 not in r.figures.values() and r.questions


@pytest.mark.parametrize("text", ["20 mấy hộ", "mười mấy hộ", "20+ hộ", "ít nhất 20 hộ", "20 hộ trở lên",
                                  "ngót 20 hộ"])
def test_a_guess_is_asked_about(text):
    r = reading(text)
    assert dict(r.figures) == {} and r.questions


def test_a_report_read_as_nothing_asks_rather_than_saying_nothing():
    r = reading("mười năm hộ")  # "mười năm" is ten years, or 15 said the northern way?
    assert dict(r.figures) == {} and [q.kind for q in r.questions] == ["unclear"]


def test_a_figure_far_beyond_a_days_work_is_refused():
    assert reading("hộ 20.000.000").error.key == "reading.error.too_large"
