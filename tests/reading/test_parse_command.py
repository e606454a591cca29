"""`python -m bot parse` as an admin and the scorer use it: Vietnamese text, or one JSON line per input line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parse(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "BAOCAO_DATABASE__URL": f"sqlite:///{tmp_path / 'never.db'}", "TELEGRAM_BOT_TOKEN": ""}
    return subprocess.run([sys.executable, "-m", "bot", "parse", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


def test_text_is_answered_in_vietnamese_and_nothing_is_written(tmp_path):
    out = parse(tmp_path, "--today", "2026-12-05", "hôm qua 20 hộ, kh 15. Khó khăn: mưa")
    assert out.returncode == 0, out.stderr
    assert "Ngày: 04/12/2026" in out.stdout and "Số hộ đã đến: 20" in out.stdout
    assert "Bot sẽ hỏi:" in out.stdout and "Kích hoạt mức 1: 15" in out.stdout
    assert "Ghi chú: Khó khăn: mưa" in out.stdout
    assert not (tmp_path / "never.db").exists()


def test_json_lines_one_answer_per_line_in_order_even_for_garbage(tmp_path):
    lines = [json.dumps({"text": "hộ 25, app 18"}, ensure_ascii=False), "not json", "[1, 2]", '{"text": 5}',
             '{"txt": "hộ 5"}', json.dumps({"text": "2,5 hộ"}), '{"text": "\\ud800 hộ 5"}',
             json.dumps({"text": "hôm nay mưa, nghỉ"}, ensure_ascii=False), json.dumps({"text": "x" * 9000})]
    out = parse(tmp_path, "--today", "2026-12-05", "--jsonl", stdin="\n".join(lines) + "\n\n")
    assert out.returncode == 0, out.stderr
    got = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(got) == len(lines)
    assert got[0] == {"day": "2026-12-05", "figures": {"households": 25, "installs": 18}, "note": None,
                      "off": False, "questions": [], "error": None}
    assert all(g["error"] and "JSON" in g["error"] for g in got[1:5])
    assert "2,5" in got[5]["error"] and got[6]["figures"] == {"households": 5}
    assert got[7]["off"] is True and got[8]["error"]
    assert set(got[0]) == {"day", "figures", "note", "off", "questions", "error"}
    assert not (tmp_path / "never.db").exists()


def test_another_configuration_and_a_bad_day(tmp_path):
    config = tmp_path / "other.toml"
    config.write_text('rules = []\n[campaign]\nrank_by = "visits"\n[[metrics]]\nkey = "visits"\nvi = "Lượt thăm"\n'
                      'en = "Visits"\naliases = ["thăm"]\nmax_daily = 50\n', encoding="utf-8")
    out = parse(tmp_path, "--config", str(config), "--today", "2026-12-05", "thăm 7")
    assert out.returncode == 0, out.stderr
    assert "Lượt thăm: 7" in out.stdout
    bad = parse(tmp_path, "--today", "05/12/2026", "hộ 5")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


def test_the_wording_is_in_the_readers_language():
    from datetime import date

    from bot.parse_cli import Reader
    from domain.settings import CampaignRules

    reading = Reader(CampaignRules(), date(2026, 12, 5), "en")
    got = reading.as_json(reading.read("kh 15"))
    assert got["questions"] == ["«kh 15»: which item is 15 for? (Choices: Level-1 activations: 15 / "
                                "Level-2 activations: 15 / Type it again)"]
