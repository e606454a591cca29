"""Start and storage faults said in one sentence naming the path (or address) and the fix, never a traceback."""
from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from storage.faults import said
from tests.test_cli import cli

TOKEN = {"TELEGRAM_BOT_TOKEN": "123456:not-a-real-token"}  # the database is opened before Telegram is asked


def _writes_read_only_files() -> bool:
    """Root (with CAP_DAC_OVERRIDE) writes whatever the mode bits say."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "probe")
        open(path, "w").close()
        os.chmod(path, stat.S_IRUSR)
        try:
            open(path, "a").close()
            return True
        except PermissionError:
            return False


as_root = pytest.mark.skipif(_writes_read_only_files(), reason="this user writes read-only files (root)")


def run(tmp_path, url: str):
    return cli(tmp_path, "run", env={**TOKEN, "BAOCAO_DATABASE__URL": url})


def one_sentence(out) -> str:
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip() and " INFO " not in line]
    assert len(lines) == 1, out.stderr
    return lines[0]


def test_a_database_that_cannot_be_reached_stops_the_start(tmp_path):
    line = one_sentence(run(tmp_path, "postgresql://postgres@127.0.0.1:1/baocao"))
    assert line.startswith("Cannot reach the database at 127.0.0.1:1/baocao:") and "[database] url" in line


def test_a_directory_that_cannot_be_made_stops_the_start(tmp_path):
    (tmp_path / "taken").write_text("a file where the directory should be")
    line = one_sentence(run(tmp_path, f"sqlite:///{tmp_path / 'taken' / 'data' / 'baocao.db'}"))
    assert line.startswith(f"Cannot create the directory for the database {tmp_path / 'taken' / 'data'}")


@as_root
def test_a_read_only_directory_stops_the_start(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        line = one_sentence(run(tmp_path, f"sqlite:///{folder / 'baocao.db'}"))
    finally:
        folder.chmod(stat.S_IRWXU)
    assert str(folder) in line and "writable" in line


@as_root
def test_a_read_only_database_file_stops_the_start(tmp_path):
    db = tmp_path / "baocao.db"
    assert cli(tmp_path, "db", "upgrade", env={"BAOCAO_DATABASE__URL": f"sqlite:///{db}"}).returncode == 0
    db.chmod(stat.S_IRUSR)
    try:
        line = one_sentence(run(tmp_path, f"sqlite:///{db}"))
    finally:
        db.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert line.startswith(f"The database {db} is read-only:")


def test_a_full_disk_and_a_read_only_file_are_said_with_the_path_and_the_fix(tmp_path):
    """SQLite's own errors, made for real: a disk that fills up (max_page_count), a database it may not write."""
    db = tmp_path / "baocao.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.OperationalError) as full:
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 10)
    conn.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.OperationalError) as read_only:
        conn.execute("INSERT INTO t VALUES ('x')")
    conn.close()
    url = f"sqlite:///{db}"
    assert said(full.value, url) == (f"The disk holding the database {db} is full: free some space, then start the "
                                     f"bot again.")
    assert said(read_only.value, url).startswith(f"The database {db} is read-only: make the file and its directory")
    assert said(ValueError("a bug"), url) is None  # anything else keeps its traceback: it is ours to fix


def test_every_command_says_a_storage_fault_in_one_sentence(tmp_path):
    (tmp_path / "units.csv").write_text("code,name,parent_code,kind,households\nHCM,TP,,city,\n", encoding="utf-8")
    for args in (("units", "import", str(tmp_path / "units.csv")), ("db", "upgrade")):
        out = cli(tmp_path, *args, env={"BAOCAO_DATABASE__URL": "postgresql://postgres@127.0.0.1:1/baocao"})
        assert one_sentence(out).startswith("Cannot reach the database at 127.0.0.1:1/baocao:"), args
