"""The built wheel runs the bot outside the checkout: units import, a report in the console, and parse.

Slow (about a minute): builds the wheel from a copy of the sources, installs it into a fresh virtualenv in a
temporary folder without reaching PyPI (the dependencies are this interpreter's, on the new environment's path
after its own site-packages), and runs `python -m bot` there from a folder outside the checkout.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "var", "dist", "build", "__pycache__", "*.pyc", "*.db*",
                                     ".pytest_cache", ".grimp_cache", ".import_linter_cache", "*.egg-info")


def run(*args, cwd: Path, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the new environment's python, the wheel) — built and installed once for the tests below."""
    tmp = tmp_path_factory.mktemp("wheel")
    sources = tmp / "sources"
    shutil.copytree(ROOT, sources, ignore=NOT_SOURCES)  # the build writes nothing into the checkout
    built = run(sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
                "-w", tmp / "dist", sources, cwd=tmp)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((tmp / "dist").glob("baocao-*.whl"))
    venv = tmp / "venv"
    assert run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp).returncode == 0
    python = venv / "bin" / "python"
    done = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    # The dependencies: this interpreter's site-packages, after the new environment's own (where the wheel is).
    own = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).stdout.strip()
    paths = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(own) / "_dependencies.pth").write_text("\n".join(paths) + "\n", encoding="utf-8")
    return python, wheel


@pytest.fixture
def elsewhere(tmp_path) -> tuple[Path, dict]:
    """A working folder outside the checkout and an environment with no settings of this machine's."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BAOCAO_", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "PYTHON"))}
    return tmp_path, env


def test_the_wheel_carries_the_package_data_and_nothing_of_the_checkout(installed):
    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("bot/config.toml", "domain/locales/vi/LC_MESSAGES/core.po", "domain/locales/en/LC_MESSAGES/core.po",
                   "storage/migrations/env.py", "storage/migrations/script.py.mako",
                   "storage/migrations/versions/0001_core_tables.py", "bot/__main__.py"):
        assert needed in names, needed
    assert not [n for n in names if n.split("/")[0] in ("benchmarks", "doubles", "tests", "examples")]


def test_the_installed_bot_imports_units_and_takes_a_report_in_vietnamese(installed, elsewhere):
    python, _ = installed
    work, env = elsewhere
    where = run(python, "-c", "import bot, domain.i18n as i; print(bot.__file__); print(i.LOCALES_DIR)", cwd=work, env=env)
    assert where.returncode == 0, where.stderr
    assert all(line.startswith(str(python.parent.parent)) for line in where.stdout.split()), where.stdout

    units = run(python, "-m", "bot", "units", "import", ROOT / "examples" / "units.csv", cwd=work, env=env)
    assert units.returncode == 0, units.stderr
    assert "units created or updated" in units.stderr
    assert (work / "var" / "baocao.db").is_file()  # the packaged defaults keep the database under the working folder

    chat = run(python, "-m", "bot", "chat", "--as", "volunteer", cwd=work, env=env, stdin="ho 12, app 3\n1\n")
    assert chat.returncode == 0, chat.stderr
    assert "✅ Xác nhận" in chat.stdout and "Đã lưu báo cáo" in chat.stdout, chat.stdout + chat.stderr
    assert "Traceback" not in chat.stderr


def test_the_installed_bot_parses_a_message_when_it_has_the_command(installed, elsewhere):
    python, _ = installed
    work, env = elsewhere
    if run(python, "-m", "bot", "parse", "--help", cwd=work, env=env).returncode != 0:
        pytest.skip("`python -m bot parse` is not in this version of the bot")
    parsed = run(python, "-m", "bot", "parse", "25 ho", cwd=work, env=env)
    assert parsed.returncode == 0, parsed.stderr
    assert "25" in parsed.stdout and "Traceback" not in parsed.stderr
