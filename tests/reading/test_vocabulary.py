"""The vocabulary: metrics are read by action and level from config.toml's words, and other campaigns work too."""
from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from domain.reading import read
from domain.reading.vocabulary import vocabulary_for
from domain.settings import DEFAULT_METRICS, Metric

TODAY = date(2026, 12, 5)
ROOT = Path(__file__).resolve().parents[2]


def figures(text: str, metrics=DEFAULT_METRICS) -> dict:
    r = read(text, metrics, TODAY)
    assert r.complete, (text, r.questions, r.error)
    return {k: v for k, v in r.figures.items() if v}


def test_config_toml_has_the_default_six_with_their_words():
    with (ROOT / "config.toml").open("rb") as fh:
        configured = tuple(Metric(**m) for m in tomllib.load(fh)["metrics"])
    assert configured == DEFAULT_METRICS
    assert all(m.actions for m in configured)
    assert [bool(m.levels) for m in configured] == [False, False, True, True, True, True]


@pytest.mark.parametrize("text, key", [
    ("KH M1: 10", "l1_activations"), ("Kích hoạt thành công mức 1: 10", "l1_activations"),
    ("kích hoạt m1 10", "l1_activations"), ("đã KH được 10 TK mức 1", "l1_activations"),
    ("kích hoạt mức một: 10", "l1_activations"), ("act L1 10", "l1_activations"), ("kh lv1 10", "l1_activations"),
    ("đăng ký thành công mức 1: 10", "l1_registrations"), ("đk mức 1: 10", "l1_registrations"),
    ("mức 1: 10", "l1_registrations"), ("10 mức 1", "l1_registrations"), ("dk1 10", "l1_registrations"),
    ("thu nhận hồ sơ mức 2: 10", "l2_applications"), ("đk mức 2: 10", "l2_applications"),
    ("mức 2: 10", "l2_applications"), ("HS2: 10", "l2_applications"),
    ("Thu nhận hồ sơ kích hoạt tài khoản định danh điện tử mức độ 2: 10", "l2_applications"),
    ("kích hoạt mức 2: 10", "l2_activations"), ("Kích hoạt thành công tài khoản định danh điện tử mức 2: 10",
                                                 "l2_activations"),
    ("kích hoạt VNeID mức 2: 10", "l2_activations"), ("cài 10 app", "installs"), ("tải VNeID cho 10 người", "installs"),
    ("gõ cửa 10 hộ", "households"), ("Hướng dẫn 10 hộ", "households"), ("10 households", "households"),
])
def test_a_metric_is_an_action_and_a_level(text, key):
    assert figures(text) == {key: 10}


@pytest.mark.parametrize("text, want", [
    ("Mức 1: ĐK 15, KH 12", {"l1_registrations": 15, "l1_activations": 12}),
    ("m1: đk 15, kh 12", {"l1_registrations": 15, "l1_activations": 12}),
    ("M1 ĐK: 11 / KH: 8", {"l1_registrations": 11, "l1_activations": 8}),
    ("Mức 2:\n- Thu nhận: 4\n- Kích hoạt: 1", {"l2_applications": 4, "l2_activations": 1}),
    ("Đã kích hoạt: mức 1 = 6, mức 2 = 1", {"l1_activations": 6, "l2_activations": 1}),
    ("Kích hoạt:\nMức 1: 9\nMức 2: 2", {"l1_activations": 9, "l2_activations": 2}),
    ("KH mức 1: 12, mức 2: 1", {"l1_activations": 12, "l2_activations": 1}),
    ("22 hộ, 16 app, 12 mức 1, 9 kh mức 1, 3 mức 2",
     {"households": 22, "installs": 16, "l1_registrations": 12, "l1_activations": 9, "l2_applications": 3}),
])
def test_a_level_or_an_action_said_once_carries(text, want):
    assert figures(text) == want


@pytest.mark.parametrize("text", ["kh 15", "KH: 15", "đăng ký 12", "hđ 20 hộ, kh 15", "activated 12"])
def test_a_label_that_fits_several_metrics_asks_which(text):
    r = read(text, DEFAULT_METRICS, TODAY)
    assert [q.kind for q in r.questions] == ["which_metric"]
    assert len(r.questions[0].choices) == 3 and r.questions[0].choices[-1].retype


def test_a_campaign_with_other_metrics_and_plain_aliases():
    metrics = (Metric(key="vaccinations", vi="Tiêm chủng", en="Vaccinations", aliases=("tiêm", "mũi tiêm"),
                      max_daily=100),
               Metric(key="visits", vi="Lượt thăm", en="Visits", aliases=("thăm", "visits"), max_daily=100))
    assert figures("tiêm 12, thăm 5", metrics) == {"vaccinations": 12, "visits": 5}
    assert figures("12 5", metrics) == {"vaccinations": 12, "visits": 5}
    assert figures("hôm nay 7 mũi tiêm", metrics) == {"vaccinations": 7}
    assert not read("hộ 20", metrics, TODAY).figures  # the default campaign's words mean nothing here


def test_a_campaign_with_levels_of_its_own():
    metrics = (Metric(key="dose1", vi="Mũi 1", en="Dose 1", actions=("tiêm",), levels=("mũi 1",),
                      aliases=("mũi 1",), max_daily=100),
               Metric(key="dose2", vi="Mũi 2", en="Dose 2", actions=("tiêm",), levels=("mũi 2",), max_daily=100))
    assert figures("tiêm mũi 1: 10, mũi 2: 4", metrics) == {"dose1": 10, "dose2": 4}
    assert figures("mũi 1: 10", metrics) == {"dose1": 10}  # a level among a metric's aliases: said alone, it means it
    r = read("tiêm 10", metrics, TODAY)
    assert r.questions and r.questions[0].kind == "which_metric"


def test_the_old_configuration_with_aliases_only_still_reads():
    old = tuple(m.model_copy(update={"actions": (), "hints": (), "levels": ()}) for m in DEFAULT_METRICS)
    assert figures("ho 25, app 18, kh1 12, hs2 4", old) == {"households": 25, "installs": 18, "l1_activations": 12,
                                                          "l2_applications": 4}
    assert figures("25 18 15 12 4 1", old)["l2_activations"] == 1


def test_aliases_that_are_also_words_of_the_grammar_are_read_as_those_words():
    vocab = vocabulary_for(DEFAULT_METRICS)
    # "m1" and "muc 1" are both a level and an alias of level-1 registrations: the level said alone means it
    assert vocab.default_for(vocab.level_of("l1_activations")) == "l1_registrations"
    assert vocab.default_for(vocab.level_of("l2_activations")) == "l2_applications"
    assert vocab.kin("l1_activations") == {"l1_activations", "l2_activations"}


@pytest.mark.parametrize("text, key", [("cia app 10", "installs"), ("kich hot muc 1 10", "l1_activations"),
                                       ("kihc hoat muc 1: 10", "l1_activations"),
                                       ("đang ký mức 1: 10", "l1_registrations"),
                                       ("kích hạot mức 1: 10", "l1_activations")])
def test_one_typing_slip_is_forgiven(text, key):
    assert figures(text) == {key: 10}


@pytest.mark.parametrize("text", ["hô 20", "họ 20", "hồ 20"])
def test_a_word_with_other_diacritics_is_another_word(text):
    assert not read(text, DEFAULT_METRICS, TODAY).figures
