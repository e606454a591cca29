"""The words every file shares: the reader's catalog, the period, when it was made, the unit's name."""
from __future__ import annotations

from functools import lru_cache

from domain.exports import Note, Report, period_text  # noqa: F401  (period_text: the files' words for their period)
from domain.i18n import Messages, Translator


@lru_cache(maxsize=1)
def _translator() -> Translator:
    """Read once per process: a worker process builds many files with one copy of the catalogs."""
    return Translator()


def messages(language: str, translator: Translator | None = None) -> Messages:
    return (translator or _translator()).for_language(language)


def unit_name(report: Report, t: Messages) -> str:
    return report.unit.name if report.unit is not None else t("unit.everything")


def made_at_text(report: Report, t: Messages) -> str:
    return t("files.made_at", time=report.made_at.strftime("%H:%M"), day=t.day(report.made_at.date()))


def since_text(report: Report, t: Messages) -> str:
    return t("files.since", day=t.day(report.since)) if report.since else t("files.since_first")


def child_label(report: Report, t: Messages) -> str:
    """The rows' column heading: "Tổ" when the rows are teams, "Đơn vị" otherwise."""
    return t("files.col.team") if report.rows_are_teams else t("files.col.unit")


def note_text(note: Note, t: Messages) -> str:
    """A row of "Khó khăn, kiến nghị" as written; a day off as "Nghỉ: <reason>"."""
    if not note.off:
        return note.text
    return t("files.note.off", reason=note.text) if note.text else t("files.note.off_no_reason")
