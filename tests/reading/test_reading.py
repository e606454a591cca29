"""The reading's shape for the conversation: typed questions whose choices say what they set, add or replace,
notes and days off, JSON round trips, every key in both catalogs, and no input that breaks the reader."""
from __future__ import annotations

import json
import random
from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from domain.i18n import Translator
from domain.reading import MAX_CHARS, Figures, MetricName, Reading, read
from domain.settings import DEFAULT_METRICS
from tests.reading.scoring import load

TODAY = date(2026, 12, 5)


def reading(text: str) -> Reading:
    return read(text, DEFAULT_METRICS, TODAY)


def test_which_level_carries_what_to_ask_and_what_each_answer_sets():
    r = reading("hđ 20 hộ, kh 15")
    assert dict(r.figures) == {"households": 20}
    (q,) = r.questions
    assert q.kind == "which_metric" and q.key == "reading.ask.which_metric"
    assert dict(q.values) == {"words": "kh 15", "number": 15}
    assert [dict(c.figures) for c in q.choices] == [{"l1_activations": 15}, {"l2_activations": 15}, {}]
    assert q.choices[0].values["figures"] == Figures((("l1_activations", 15),)) and q.choices[-1].retype
    done = r.answer(0, 1)
    assert done.complete and dict(done.figures) == {"households": 20, "l2_activations": 15}


def test_two_numbers_for_one_metric_offer_the_sum_or_either():
    (q,) = reading("sáng 10 hộ chiều 15 hộ").questions
    assert q.kind == "two_numbers" and q.values["metric"] == MetricName("households")
    assert [dict(c.figures) for c in q.choices] == [{"households": 25}, {"households": 10}, {"households": 15}, {}]


def test_a_date_after_a_level_may_be_a_date_or_two_figures():
    (q,) = reading("mức 1 15/12").questions
    assert q.kind == "date_or_figures" and q.values["token"] == "15/12"
    assert dict(q.choices[0].figures) == {"l1_registrations": 15, "l1_activations": 12}
    (q,) = reading("mức 1: 4/12").questions  # yesterday, a day one may report for: offered as a day
    assert q.choices[1].day == date(2026, 12, 4)
    assert reading("mức 1: 4/12").answer(0, 1).day == date(2026, 12, 4)


def test_seven_bare_numbers_for_six_metrics():
    (q,) = reading("5 25 18 15 12 4 1").questions
    assert q.kind == "too_many_numbers" and q.values["count"] == 7
    assert dict(q.choices[0].figures)["households"] == 25 and dict(q.choices[1].figures)["households"] == 5


def test_several_peoples_lines():
    r = reading("Lan: 10 hộ, 5 app\nHùng: 12 hộ, 6 app")
    (q,) = r.questions
    assert q.kind == "several_people" and q.values["names"] == "Lan, Hùng"
    assert dict(q.choices[0].figures) == {"households": 22, "installs": 11}


def test_add_or_replace_said_or_not():
    assert reading("thêm 5 hộ").mode == "add" and reading("bổ sung: app 3").mode == "add"
    assert reading("cập nhật cả ngày: hộ 30").mode == "replace" and reading("tổng cả ngày 30 hộ").mode == "replace"
    assert reading("hộ 30").mode is None


def test_notes_and_days_off():
    r = reading("hộ 20 app 14\nKhó khăn: nhiều hộ đi làm ăn xa")
    assert dict(r.figures) == {"households": 20, "installs": 14} and r.note == "Khó khăn: nhiều hộ đi làm ăn xa"
    off = reading("chị ơi hôm nay mưa quá không đi được ạ")
    assert off.off and off.off_reason and "mưa" in off.off_reason and not off.figures and off.complete
    assert not reading("mưa nhưng vẫn đi 12 hộ").off
    assert reading("Hộ 24. Khó khăn: không").note is None


def test_a_reading_is_frozen_and_round_trips_through_json():
    r = reading("hđ 20 hộ, kh 15. Ghi chú: mưa")
    with pytest.raises(FrozenInstanceError):
        r.day = TODAY  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.figures["households"] = 1  # type: ignore[index]
    again = Reading.from_dict(json.loads(json.dumps(r.to_dict())))
    assert again == r and again.answer(0, 0).figures == r.answer(0, 0).figures
    err = reading("hôm kia 20 hộ")
    assert Reading.from_dict(json.loads(json.dumps(err.to_dict()))).error == err.error


def _keys(r: Reading) -> set[str]:
    keys = {q.key for q in r.questions} | {c.key for q in r.questions for c in q.choices}
    return keys | ({r.error.key} if r.error else set())


def test_every_key_the_reader_gives_is_in_both_catalogs_with_its_values():
    t = Translator()
    texts = [c["text"] for c in load("corpus.jsonl")] + ["hộ 1 000", "hộ 20-25", "tuần này 120 hộ", "31/11 hộ 20",
                                                        "x" * (MAX_CHARS + 1), "T6 20 hộ", "hộ khoảng 20"]
    seen = set()
    for text in texts:
        r = reading(text)
        for key in _keys(r):
            seen.add(key)
            for lang in ("vi", "en"):
                values = {k: "x" for k in [*(r.error.values if r.error and r.error.key == key else {}),
                                            *(v for q in r.questions for v in (q.values if q.key == key else {})),
                                            *(v for q in r.questions for c in q.choices
                                              for v in (c.values if c.key == key else {}))]}
                t.t(lang, key, **values)  # raises on a missing key or a placeholder without its value
    assert len(seen) >= 25


@pytest.mark.parametrize("text", [None, 5, b"ho 5", "", " ", "\n\n", "\x00\x01", "\ud800 hộ 5", "🙂" * 500,
                                  "1" * 5000, "hộ " * 1500, "{{" * 100, "25 " * 1000, "-" * 300, "/" * 300])
def test_odd_input_never_breaks_the_reader(text):
    r = read(text, DEFAULT_METRICS, TODAY)
    assert isinstance(r, Reading)


def test_random_input_never_breaks_the_reader():
    rnd = random.Random(7)
    alphabet = "hộ app kh mức 1 2 3 25 18 , . : / - + ( ) đk thu nhận hôm qua ngày 4/12 % 🙂 ² x e 0x1F \n"
    words = alphabet.split(" ")
    for _ in range(1500):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 25)))
        r = read(text, DEFAULT_METRICS, TODAY)
        assert isinstance(r, Reading)
        assert all(v >= 0 for v in r.figures.values())
