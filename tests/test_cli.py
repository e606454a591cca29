"""The command line as an operator uses it: import, export to stdout only, chat in a terminal, run without token."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = """code,name,parent_code,kind,households
HCM,TP. Hồ Chí Minh,,city,
P01,Phường Bến Nghé,HCM,ward,
P01-T1,Tổ 1,P01,team,100
P01-T2,Tổ 2,P01,team,50
"""


def cli(tmp_path: Path, *args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m bot` of this checkout, started in `tmp_path`: a developer's .env or secrets stay out of it."""
    environ = {**{k: v for k, v in os.environ.items() if not k.startswith(("BAOCAO_", "TELEGRAM_BOT_TOKEN_"))},
               "BAOCAO_DATABASE__URL": f"sqlite:///{tmp_path / 'cli.db'}", "PYTHONPATH": str(ROOT),
               "TELEGRAM_BOT_TOKEN": "", "ZALO_BOT_TOKEN": "", **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, input=stdin, capture_output=True,
                          text=True, env=environ, timeout=120)


def test_import_report_in_the_console_and_export(tmp_path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    done = cli(tmp_path, "units", "import", str(tmp_path / "units.csv"))
    assert done.returncode == 0, done.stderr
    assert "4 units created or updated" in done.stderr

    chat = cli(tmp_path, "chat", "--as", "volunteer", stdin="ho 12, app 3\n1\n")
    assert "Đã lưu báo cáo" in chat.stdout, chat.stdout + chat.stderr
    assert "1. ✅ Xác nhận" in chat.stdout  # buttons become numbered choices in a terminal

    day = _today()
    out = cli(tmp_path, "export", "--date", day, "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("\ufeffNgày,Mã,Tổ,Thuộc,Số hộ đã đến,Cài đặt VNeID,")  # BOM, Vietnamese headers
    rows = list(csv.DictReader(io.StringIO(out.stdout.removeprefix("\ufeff"))))  # stdout: the data, only the data
    assert [(r["Mã"], r["Số hộ đã đến"], r["Cài đặt VNeID"], r["Đã báo cáo"]) for r in rows] == [
        ("P01-T1", "12", "3", "1"), ("P01-T2", "0", "0", "0")]  # numbers, never True/False
    assert "True" not in out.stdout and "False" not in out.stdout
    js = json.loads(cli(tmp_path, "export", "--date", day, "--unit", "P01", "--format", "json").stdout)
    assert js["total"]["figures"]["households"] == 12 and len(js["days"]) == 2
    vn = f"{day[8:10]}/{day[5:7]}/{day[:4]}"  # the same day as Vietnamese write it, and the month in words
    en = cli(tmp_path, "export", "--from", vn, "--to", day, "--lang", "en", "--table", "summary")
    assert en.stdout.startswith("\ufeffCode,Team,Households visited,") and "Total" in en.stdout
    done = cli(tmp_path, "export", "--month", "tháng này", "--unit", "P01", "-o", "thang.xlsx")
    assert done.returncode == 0 and done.stdout == "" and "written: thang.xlsx" in done.stderr
    from tests.support.files import summary_sheet
    total = next(r for r in summary_sheet((tmp_path / "thang.xlsx").read_bytes()) if r[2] == "Tổng cộng")
    assert total[3:5] == [12, 3]


def test_export_unknown_unit_and_bad_periods_are_one_clear_line(tmp_path):
    out = cli(tmp_path, "export", "--date", "2026-13-01")
    assert out.returncode == 2 and "use 20/11/2026, 2026-11-20" in out.stderr and out.stdout == ""
    out = cli(tmp_path, "export", "--date", "2026-11-01", "--unit", "NOPE")
    assert out.returncode == 1 and "no unit has the code 'NOPE'" in out.stderr and out.stdout == ""
    out = cli(tmp_path, "export", "--month", "13/2026")
    assert out.returncode == 2 and "use 11/2026, 2026-11, tháng 11" in out.stderr
    out = cli(tmp_path, "export", "--from", "2026-11-05", "--to", "2026-11-01")
    assert out.returncode == 2 and "before --from" in out.stderr and "Traceback" not in out.stderr


def test_run_without_a_token_says_how_to_get_one(tmp_path):
    out = cli(tmp_path, "run")
    assert out.returncode == 2
    assert "@BotFather" in out.stderr and "TELEGRAM_BOT_TOKEN" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_import_file_is_refused_with_line_numbers(tmp_path):
    (tmp_path / "bad.csv").write_text(UNITS + "X,Lost,NOPE,team,\n", encoding="utf-8")
    out = cli(tmp_path, "units", "import", str(tmp_path / "bad.csv"))
    assert out.returncode == 1 and "line 6: parent_code 'NOPE'" in out.stderr and "nothing imported" in out.stderr


def _today() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


def test_the_console_says_where_it_wrote_a_file(tmp_path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    assert cli(tmp_path, "units", "import", str(tmp_path / "units.csv")).returncode == 0
    chat = cli(tmp_path, "chat", "--as", "leader", stdin="/export\n")
    assert chat.returncode == 0, chat.stderr
    line = next(line for line in chat.stdout.splitlines() if "Đã ghi tệp" in line)
    path = Path(line.split(": ", 1)[1])
    assert line.startswith("📎 Đã ghi tệp baocao_") and path.name.endswith(".xlsx")
    assert path.parent.parent == tmp_path / "files"  # beside the database, under an unguessable token
    assert path.read_bytes()[:2] == b"PK"  # a workbook (a zip)
