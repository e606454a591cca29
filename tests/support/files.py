"""Leaders' files in tests: the app's file maker reading the test's database (its PostgreSQL schema too), on the
test's clock and a temporary directory, gathering and building in a thread (a worker process would cost each test
a second to start; tests/files/test_maker.py runs the process once). The `files` fixture closes what it made."""
from __future__ import annotations

import io
import struct
from pathlib import Path

import openpyxl

from sqlalchemy import text

from bot.files.build import FileBuilder, Source
from bot.files.maker import FileMaker
from bot.files.shelf import Shelf


async def source_of(store, rules) -> Source:
    """Where a worker reads what `store` holds: its URL and, on PostgreSQL, the test's own schema."""
    schema = None
    if not store.sqlite:
        async with store.engine.connect() as conn:
            schema = (await conn.execute(text("SELECT current_schema()"))).scalar_one()
    return Source(store.engine.url.render_as_string(hide_password=False), rules, schema)


async def file_maker(app, directory: Path, public_url: str | None = None, mode: str = "thread") -> FileMaker:
    """A file maker for `app`, keeping its files under `directory`, linked under `public_url` (default the app's
    [web] public_url; "": no links)."""
    shelf = Shelf(directory, app.services.clock, app.settings.files.link_hours,
                  app.settings.web.public_url if public_url is None else public_url)
    builder = FileBuilder(mode=mode, workers=1, warm=False, source=await source_of(app.store, app.services.rules))
    return FileMaker(shelf, builder)


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
