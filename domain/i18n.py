"""Message catalogs: every user-facing string, looked up by key from gettext .po files in locales/."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
# An installed wheel carries the catalogs inside this package (domain/locales); a checkout keeps them at the top.
_PACKAGED = Path(__file__).resolve().parent / "locales"
LOCALES_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "locales"


def load_catalogs(root: Path = LOCALES_DIR) -> dict[str, dict[str, str]]:
    """{language: {key: text}} from every `<root>/<language>/LC_MESSAGES/*.po`."""
    catalogs: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        messages: dict[str, str] = {}
        for po in sorted((root / lang / "LC_MESSAGES").glob("*.po")):
            with po.open("rb") as fh:
                for msg in read_po(fh, locale=lang):
                    if msg.id and msg.string:
                        messages[msg.id] = msg.string
        catalogs[lang] = messages
    return catalogs


@lru_cache(maxsize=8192)
def _decimal(n: int | float, language: str) -> str:
    """Babel takes ~0.1 ms a number; a report shows a dozen, mostly small ones seen before."""
    return format_decimal(n, locale=language)


@lru_cache(maxsize=1024)
def _day(d: date, language: str) -> str:
    return format_date(d, format="dd/MM/yyyy", locale=language)


class Translator:
    def __init__(self, catalogs: dict[str, dict[str, str]] | None = None) -> None:
        self._catalogs = catalogs if catalogs is not None else load_catalogs()
        self._bound: dict[str, Messages] = {}  # a handler asks for its reader's Messages dozens of times

    def keys(self, language: str) -> set[str]:
        return set(self._catalogs.get(language, {}))

    def t(self, language: str, key: str, **values) -> str:
        lang = language if language in self._catalogs else DEFAULT_LANGUAGE
        text = self._catalogs[lang].get(key) or self._catalogs[DEFAULT_LANGUAGE].get(key)
        if text is None:
            raise KeyError(f"no message {key!r} in the catalogs")
        return text.format(**values) if values else text

    def for_language(self, language: str) -> "Messages":
        bound = self._bound.get(language)
        if bound is None:
            bound = self._bound[language] = Messages(self, language)
        return bound


class Messages:
    """A translator bound to one reader's language, with that language's number and date formats."""

    def __init__(self, translator: Translator, language: str) -> None:
        self.translator = translator
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, **values) -> str:
        return self.translator.t(self.language, key, **values)

    def num(self, n: int | float) -> str:
        return _decimal(n, self.language)

    def pct(self, ratio: float) -> str:
        return format_percent(ratio, locale=self.language, format="#,##0%")

    def day(self, d: date) -> str:
        return _day(d, self.language)
