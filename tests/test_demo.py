"""The quick start: `make chat` (python -m bot chat --as ROLE) on an empty database imports the example units and
chats as a demo member, with no token and no other step."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.demo import demo_identity
from storage.store import SqlStore

ROOT = Path(__file__).resolve().parent.parent


async def test_a_demo_member_on_an_empty_database_gets_the_example_units_once(tmp_path, capsys):
    settings = Settings(database={"url": f"sqlite:///{tmp_path / 'demo.db'}"})
    assert await demo_identity(settings, "volunteer") == "demo-volunteer"
    assert "imported the 10 example units of units.csv" in capsys.readouterr().err
    assert await demo_identity(settings, "leader") == "demo-leader"
    assert await demo_identity(settings, "admin") == "admin"
    assert capsys.readouterr().err == ""  # imported once only
    store = SqlStore.from_url(settings.database.url)
    try:
        volunteer = await store.read(lambda tx: tx.members.by_identity("console", "demo-volunteer"))
        leader = await store.read(lambda tx: tx.members.by_identity("console", "demo-leader"))
        team = await store.read(lambda tx: tx.units.get(volunteer.unit_id))
        top = await store.read(lambda tx: tx.units.get(leader.unit_id))
    finally:
        await store.close()
    assert (team.code, top.code) == ("P01-KP1-T", "HCM")


async def test_without_units_or_an_example_file_the_console_says_to_import(tmp_path):
    settings = Settings(database={"url": f"sqlite:///{tmp_path / 'demo.db'}"})
    assert await demo_identity(settings, "volunteer", example_units=tmp_path / "none.csv") is None


def test_the_quick_start_chat_needs_no_token_and_no_prior_step(tmp_path):
    environ = {**os.environ, "BAOCAO_DATABASE__URL": f"sqlite:///{tmp_path / 'quick.db'}", "TELEGRAM_BOT_TOKEN": "",
               "ZALO_BOT_TOKEN": ""}
    done = subprocess.run([sys.executable, "-m", "bot", "chat", "--as", "volunteer"], cwd=ROOT, env=environ,
                          input="ho 25, app 18, muc 1 15, kh muc 1 12\n1\n", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "imported the 10 example units" in done.stderr
    assert "✅ Đã lưu báo cáo" in done.stdout and "Số hộ đã đến: 25 (cả ngày: bạn 25, tổ 25)" in done.stdout
