"""The Files port as the bot implements it: each order gathered and built once however many ask at once, the
orders of one source gathered once, a file that cannot be made said so (and nothing half-made left on disk), and
files deleted once their time is over."""
from __future__ import annotations

import asyncio
from datetime import date

import pytest

from application.files import attachments
from domain.exports import FileKind, FileOrder, Period
from domain.ports import FileNotMade
from tests.support.chat import at
from tests.support.field import populate, report
from tests.support.files import png_size

DAYS = Period.between(date(2026, 11, 19), date(2026, 11, 20))


@pytest.fixture
async def field(chat, clock):
    await populate(chat)
    await report(chat, "an", "ho 10, muc 1 5, kh muc 1 3")
    return chat


def order(kind: FileKind, code: str = "P01") -> FileOrder:
    return FileOrder(kind, code, DAYS, "vi", at("10:00"))


async def test_many_asking_at_once_share_one_gathering_and_one_build_per_file(field, files):
    maker = await files(field.app)
    kinds = (FileKind.WORKBOOK, FileKind.CUMULATIVE, FileKind.DAILY, FileKind.RANKING)
    made = await asyncio.gather(*(maker.make(order(k)) for k in kinds for _ in range(3)))
    assert maker.gathered == 1 and maker.built == 4
    assert len({m.path for m in made}) == 4
    assert [png_size(open(m.path, "rb").read()) for m in made[3::3]] == [(1200, 800), (1200, 800), (1200, 1200)]
    assert made[0].name == "baocao_P01_2026-11-19_2026-11-20.xlsx" and made[0].url == ""  # no public URL: no link


async def test_a_file_that_cannot_be_made_is_said_so_and_leaves_nothing(field, files, tmp_path, monkeypatch):
    maker = await files(field.app)
    with pytest.raises(FileNotMade):
        await maker.make(order(FileKind.WORKBOOK, "GONE"))

    def broken(*args):
        raise ValueError("the rows do not add up")
    monkeypatch.setattr("bot.files.workbook.write_workbook", broken)
    with pytest.raises(FileNotMade):
        await maker.make(order(FileKind.WORKBOOK))
    assert list((tmp_path / "files").iterdir()) == []
    monkeypatch.undo()
    assert (await maker.make(order(FileKind.WORKBOOK))).path  # asked again, it is made


async def test_files_are_deleted_when_their_time_is_over(field, files, tmp_path, clock):
    maker = await files(field.app)
    first = await maker.make(order(FileKind.RANKING))
    clock.advance(hours=23)
    assert maker.sweep() == 0 and (await maker.make(order(FileKind.RANKING))).path == first.path
    clock.advance(hours=1)
    assert maker.sweep() == 1 and list((tmp_path / "files").iterdir()) == []
    again = await maker.make(order(FileKind.RANKING))
    assert again.path != first.path and maker.built == 2  # made afresh


async def test_an_attachment_orders_in_the_campaigns_time_to_the_second(field):
    (a,) = attachments(field.rules, None, DAYS, "en", at("10:00:00.123456"), (FileKind.WORKBOOK,))
    assert a.order.unit_code == "" and a.order.made_at == at("10:00")
    assert a.name == "baocao_all_2026-11-19_2026-11-20.xlsx"


async def test_the_worker_process_gathers_and_builds_on_either_database(field, files, store):
    """The bot's own way: a spawned worker reads the database itself (SQLite beside the bot's writer, or the
    PostgreSQL schema) and writes the file; the bot's loop only orders it."""
    maker = await files(field.app, mode="process")
    workbook = await maker.make(order(FileKind.WORKBOOK))
    chart = await maker.make(order(FileKind.DAILY))
    assert maker.gathered == 1 and maker.built == 2
    from tests.support.files import summary_sheet

    total = next(r for r in summary_sheet(open(workbook.path, "rb").read()) if r[2] == "Tổng cộng")
    assert total[3:5] == [10, 0]
    assert png_size(open(chart.path, "rb").read()) == (1200, 800)
