"""Every user-facing string is in both catalogs with the same placeholders, and every key the code hands to the
translator (found by reading every module of the project, tests/support/catalog_keys.py) is in each of them,
given the placeholders its message needs."""
from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from domain.reading.tokens import REFUSED
from domain.i18n import LANGUAGES, LOCALES_DIR, load_catalogs
from domain.model import Role
from tests.support.catalog_keys import Found, collect, project_modules, returned

ROOT = Path(__file__).resolve().parent.parent
# What an f-string key ranges over, by its constant start: `f"role.{member.role.value}"` is one key per role.
RANGES = {
    "role.": lambda index: [r.value for r in Role],
    "quota.basis_": lambda index: returned(index, "split", 1),  # the bases domain.plans.split weighs by
    "reading.error.": lambda index: REFUSED,  # why the reader refuses a number (domain/reading/tokens.py)
}


def _catalog(lang: str, domain: str) -> dict[str, str]:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def _domains() -> set[str]:
    found = {p.stem for lang in LANGUAGES for p in (LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")}
    assert {"core", "quota", "scheduler", "zalo"} <= found, f"catalogs not found in {LOCALES_DIR}"  # else every loop below is empty
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@cache
def used_in_the_project() -> Found:
    return collect(project_modules(ROOT), ROOT, RANGES)


def problems(found: Found, catalogs: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong between the keys the code uses and the catalogs, one line each."""
    out = [f"cannot tell which key: {u}" for u in found.unresolved]
    for use in found.uses:
        for key in sorted(use.keys):
            for lang in LANGUAGES:
                if key not in catalogs[lang]:
                    out.append(f"{use.where}: {key!r} is not in the {lang} catalog")
                elif use.given is not None and not _fields(catalogs[lang][key]) <= use.given:
                    out.append(f"{use.where}: {key!r} needs {sorted(_fields(catalogs[lang][key]) - use.given)}")
    return sorted(set(out))


def test_every_domain_exists_in_every_language():
    for domain in _domains():
        for lang in LANGUAGES:
            assert (LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po").exists(), (domain, lang)


def test_catalogs_have_the_same_keys_and_placeholders():
    for domain in _domains():
        vi, en = _catalog("vi", domain), _catalog("en", domain)
        assert set(vi) == set(en), f"{domain}: keys differ: {sorted(set(vi) ^ set(en))}"
        for key in vi:
            assert vi[key] and en[key], f"{domain}: {key} untranslated"
            assert _fields(vi[key]) == _fields(en[key]), f"{domain}: {key} placeholders differ"


def test_no_key_is_defined_in_two_domains():
    seen: dict[str, str] = {}
    for domain in sorted(_domains()):
        for key in _catalog("vi", domain):
            assert key not in seen, f"{key} in both {seen[key]} and {domain}"
            seen[key] = domain


def test_every_key_the_code_uses_is_in_every_catalog_with_the_placeholders_it_is_given():
    found = used_in_the_project()
    assert problems(found, load_catalogs()) == []
    assert len(found.keys) >= 250  # 256 when written; the regex this replaced found 172


def test_the_keys_are_traced_however_the_code_passes_them():
    keys = used_in_the_project().keys
    assert {f"role.{r.value}" for r in Role} <= keys  # f-strings over the roles
    assert {"quota.basis_households", "quota.basis_even", "quota.basis_mixed"} <= keys  # over split's bases
    assert {"help.summary", "plan.help.progress", "chatlink.refused", "error.not_allowed"} <= keys  # Command(…)
    assert {"reading.error.too_old", "reading.ask.which_metric"} <= keys  # the reader's refusals and questions
    assert {"check.negative", "check.inconsistent"} <= keys  # Problem(…) from domain.rules
    assert {"plan.unknown_form", "people.ambiguous"} <= keys  # raise Wrong(…)
    assert {"quota.example_set", "quota.example_split", "quota.example"} <= keys  # a table and its default
    assert {"pause.done_open", "pause.off", "pause.done"} <= keys  # tuple unpacking
    assert {"people.needs_team", "error.not_allowed"} <= keys  # a function's returns
    assert {"report.preview_edit", "report.preview", "join.welcome_reporter"} <= keys  # conditional keys
    assert {"summary.usage", "progress.usage"} <= keys  # a parameter, at each call
    assert {"cutoff.header_month", "remind.member_late", "error.internal"} <= keys  # application/, the dispatcher


@pytest.fixture
def project_with(tmp_path):
    """The project's packages plus one more, written by the test, to read with the same pass."""
    def make(source: str) -> Found:
        package = tmp_path / "extra"
        package.mkdir(exist_ok=True)
        (package / "__init__.py").write_text("")
        (package / "feature.py").write_text(source)
        return collect(project_modules(ROOT) + [package / "__init__.py", package / "feature.py"], ROOT, RANGES)
    return make


def test_a_key_missing_from_the_catalogs_fails(project_with):
    found = project_with('''
from handlers.context import Context

STEPS = {"a": "report.saved", "b": "report.no_such_step"}

async def handler(ctx: Context, args: str):
    late = args == "late"
    return [ctx.reply("report.sved" if late else STEPS.get(args, "report.saved_late"), day="", lines="")]
''')
    lines = problems(found, load_catalogs())
    assert any("'report.sved' is not in the vi catalog" in line for line in lines), lines
    assert any("'report.no_such_step' is not in the en catalog" in line for line in lines), lines
    assert not any("'report.saved'" in line for line in lines), lines


def test_a_key_missing_from_one_language_and_a_placeholder_not_given_fail(project_with):
    found = project_with('''
from handlers.context import Context

async def handler(ctx: Context, args: str):
    return [ctx.reply("report.saved", day="20/11/2026")]
''')
    catalogs = load_catalogs()
    assert any("'report.saved' needs ['lines']" in line for line in problems(found, catalogs))
    catalogs["en"] = {k: v for k, v in catalogs["en"].items() if k != "help.summary"}
    assert any("'help.summary' is not in the en catalog" in line for line in problems(found, catalogs))


def test_a_key_the_pass_cannot_trace_fails(project_with):
    found = project_with('''
from domain.i18n import Messages

def line(t: Messages, metric, unknown):
    return t(f"metric.{metric.key}") + t(unknown.key) + t(no_such_function())
''')
    lines = problems(found, load_catalogs())
    assert any("no range for f-string keys starting 'metric.'" in line for line in lines), lines
    assert any("which class's .key?" in line for line in lines), lines
    assert any("no_such_function() is not the project's" in line for line in lines), lines
