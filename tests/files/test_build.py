"""Files built off the event loop, in a worker thread or process: the bytes and pictures come back whole."""
from __future__ import annotations

import io

import openpyxl
import pytest

from bot.files.build import FileBuilder
from tests.files.support import small_report


@pytest.mark.parametrize("mode", ["thread", "process"])
async def test_a_worker_builds_the_workbook_and_charts(mode, tmp_path):
    builder = FileBuilder(mode=mode, warm=False)
    try:
        made = await builder.workbook(small_report())
        assert openpyxl.load_workbook(io.BytesIO(made)).sheetnames[0] == "Tổng hợp"
        path = await builder.workbook(small_report("en"), tmp_path / "month.xlsx")
        assert path == tmp_path / "month.xlsx"
        assert openpyxl.load_workbook(path).sheetnames[0] == "Summary"
        pictures = await builder.charts(small_report())
        assert [p.kind for p in pictures] == ["ranking"] and pictures[0].png.startswith(b"\x89PNG")
    finally:
        await builder.close()


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        FileBuilder(mode="fork")


async def test_a_report_sent_in_slices_comes_back_whole(monkeypatch):
    from bot.files import build

    monkeypatch.setattr(build, "SLICE", 1)
    report = small_report()
    parts = await build.pack(report)
    assert len(parts) == 1 + 3 + 2 + 1 + 1  # the head, then one slice a row
    back = build.unpack(parts)
    assert (back.unit, back.period, back.total, back.metrics) == (report.unit, report.period, report.total,
                                                                  report.metrics)
    assert list(back.rows) == list(report.rows)
    assert (list(back.days), list(back.missing), list(back.notes)) == (report.days, report.missing, report.notes)


PARENT = """
import asyncio, sys
from bot.files.build import FileBuilder

async def main():
    builder = FileBuilder(mode="process", warm=False)
    print(await builder._run(__import__("os").getpid), flush=True)
    sys.stdin.read()  # until killed

asyncio.run(main())
"""


def test_a_worker_ends_when_the_bot_is_killed():
    """A bot killed with SIGKILL cannot shut its pool down: its worker notices and ends instead of staying on."""
    import os
    import select
    import signal
    import subprocess
    import sys

    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        worker = int(parent.stdout.readline())
        watch = os.pidfd_open(worker)
    finally:
        parent.kill()
        parent.wait()
    try:
        ready, _, _ = select.select([watch], [], [], 30)  # readable once the worker has ended
        assert ready, "the worker outlived the killed bot"
    finally:
        os.close(watch)
