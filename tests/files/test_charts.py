"""Charts are PNGs of the promised size, drawn in a font that has every Vietnamese letter the texts use."""
from __future__ import annotations

import io
import struct
import unicodedata
from dataclasses import replace
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from bot.files import charts
from bot.files.sample import DISTRICTS, FAMILY, GIVEN, NOTES, WARDS, Shape, sample_report
from domain.exports import Place
from domain.i18n import Translator
from tests.files.support import small_report

CHECK = "Kích hoạt mức 1 — Phường Bến Nghé, Quận 1"
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == SIGNATURE
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


@pytest.fixture(scope="module")
def report():
    return sample_report(Shape(groups=6, teams=30))


@pytest.mark.parametrize("kind", ["cumulative", "daily", "ranking"])
def test_each_chart_is_a_png_of_its_size(report, kind):
    png = getattr(charts, f"{kind}_chart")(report)
    assert _size(png) == charts.SIZES[kind]
    with Image.open(io.BytesIO(png)) as im:
        im.verify()
    with Image.open(io.BytesIO(png)) as im:
        assert im.size == charts.SIZES[kind] and im.format == "PNG"


def test_charts_lists_every_picture_the_report_has_data_for(report):
    made = charts.charts(report)
    assert [p.kind for p in made] == ["cumulative", "daily", "ranking"]
    assert all(_size(p.png) == (p.width, p.height) for p in made)
    assert [p.kind for p in charts.charts(small_report())] == ["ranking"]  # no trend: no progress charts


def test_a_report_without_figures_still_draws():
    empty = small_report(rows=[])
    for kind in ("cumulative", "daily", "ranking"):
        assert _size(getattr(charts, f"{kind}_chart")(empty)) == charts.SIZES[kind]


def test_the_font_is_the_one_matplotlib_ships():
    path = charts.font_path()
    assert path.name == "DejaVuSans.ttf"
    assert Path(matplotlib.get_data_path()) in path.parents


def test_the_font_has_every_letter_the_charts_write():
    vi = Translator()._catalogs["vi"]
    texts = [CHECK, *(v for k, v in vi.items() if k.startswith("files.")), *WARDS, *DISTRICTS, *FAMILY, *GIVEN,
             *NOTES, *(c.label for c in small_report().metrics), "0123456789.,%/…·–"]
    wanted = {ch for text in texts for ch in unicodedata.normalize("NFC", text) if not ch.isspace()}
    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        cmap = TTFont(charts.font_path().parent / face).getBestCmap()
        assert not sorted(ch for ch in wanted if ord(ch) not in cmap), face


def test_names_typed_with_combining_accents_draw_as_composed(report):
    composed = replace(report, unit=Place("Q1", CHECK, "ward"))
    decomposed = replace(report, unit=Place("Q1", unicodedata.normalize("NFD", CHECK), "ward"))
    assert unicodedata.normalize("NFD", CHECK) != CHECK
    assert charts.cumulative_chart(composed) == charts.cumulative_chart(decomposed)
