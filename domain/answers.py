"""Typed answers to choices: what a button means (confirm, cancel, fix) and the words, VI and EN, that mean it."""
from __future__ import annotations

from domain.text import fold

CONFIRM, CANCEL, FIX = "confirm", "cancel", "fix"

# The message keys of the buttons that carry a meaning; other buttons (a level, a language) are chosen by number.
_BY_BUTTON = {"btn.confirm": CONFIRM, "btn.send": CONFIRM, "btn.withdraw": CONFIRM, "btn.cancel": CANCEL, "btn.keep": CANCEL,
              "btn.fix": FIX}

# Folded (no diacritics, lower case): "ừ" is "u", "đúng rồi" is "dung roi".
_WORDS = {
    CONFIRM: {"ok", "oke", "okay", "oki", "okie", "u", "uh", "um", "co", "dung", "dung roi", "dung vay", "chuan",
              "xac nhan", "luu", "gui", "dong y", "yes", "y", "yep", "confirm", "save", "send", "correct", "right",
              "👍", "✅", "ok luu", "luu di", "gui di"},
    CANCEL: {"khong", "ko", "k", "kg", "huy", "huy bo", "thoi", "bo", "no", "cancel", "stop", "❌"},
    FIX: {"sai", "sua", "sua lai", "sai roi", "fix", "edit", "wrong", "change"},
}


def meaning_of_button(key: str) -> str:
    """The meaning of a button made from message `key`, or "" when it has none."""
    return _BY_BUTTON.get(key, "")


def meaning_of(text: str) -> str | None:
    """What a typed answer means (confirm, cancel, fix), or None when it is no such answer."""
    word = fold(text).strip(" .!?,/")  # "/huỷ" typed: its accent keeps it from being a command
    if not word:
        return None
    for meaning, words in _WORDS.items():
        if word in words:
            return meaning
    return None


def pick(choices: list[list[str]], text: str) -> str | None:
    """The payload of the offered choice ([payload, typed, meaning]) that the typed `text` means; "fix" falls back
    to cancel where no fix is offered."""
    meaning = meaning_of(text)
    if meaning is None:
        return None
    for wanted in (meaning, CANCEL) if meaning == FIX else (meaning,):
        for choice in choices:
            if len(choice) > 2 and choice[2] == wanted:
                return choice[0]
    return None
