"""Leaders' files in tests: the app's file maker on the test's store, clock and a temporary directory, building in a
thread (a worker process would cost each test a second to start; tests/files/test_build.py covers the process)."""
from __future__ import annotations

import io
import struct
from pathlib import Path

import openpyxl

from bot.files.build import FileBuilder
from bot.files.maker import FileMaker
from bot.files.shelf import Shelf


def use_files(app, directory: Path, public_url: str = "") -> FileMaker:
    """Give `app` a file maker keeping its files under `directory`, linked under `public_url` (none: no links)."""
    shelf = Shelf(directory, app.services.clock, app.settings.files.link_hours,
                  public_url or app.settings.web.public_url)
    app.files = FileMaker(app.store, app.services.rules, shelf, FileBuilder(mode="thread", workers=1))
    return app.files


def summary_sheet(data: bytes) -> list[list]:
    """The workbook's first sheet ("Tổng hợp"), row by row."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def sheet_names(data: bytes) -> list[str]:
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height, from its header (fails on anything that is not a PNG)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])
