"""Every user-facing string is in both catalogs, with the same placeholders, and every key used exists."""
from __future__ import annotations

import re
import string
from pathlib import Path

from babel.messages.pofile import read_po

from domain.i18n import LANGUAGES, LOCALES_DIR, Translator

ROOT = Path(__file__).resolve().parent.parent


def _catalog(lang: str, domain: str) -> dict[str, str]:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def _domains() -> set[str]:
    return {p.stem for lang in LANGUAGES for p in (LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


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


def test_every_key_the_code_uses_is_in_the_catalogs():
    known = Translator().keys("vi")
    used = set()
    pattern = re.compile(r"""(?:reply|button|t|_t|messages|msg)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
    for folder in ("handlers", "scheduler", "domain", "bot"):
        for py in (ROOT / folder).rglob("*.py"):
            used |= set(pattern.findall(py.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in known)
    assert not missing, f"keys used in code but missing from the catalogs: {missing}"
