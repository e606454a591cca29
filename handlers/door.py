"""The dispatcher's door: what every message is cleaned of, or refused for, before the core reads or stores it."""
from __future__ import annotations

import re
from dataclasses import replace

from domain.messages import Incoming

MAX_NAME = 200  # the width of members.name: a longer display name is shortened, so that its owner can join
MAX_ECHO = 32  # an argument said back (an unknown command) is shortened to this
LARGEST = 2 ** 63 - 1  # the largest number any column can hold; beyond it a number is refused as too large
# Control characters (NUL among them) have no meaning in a chat message, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DIGITS = re.compile(r"[0-9]+")
TOO_LARGE, NOT_DIGITS = "too large", "not digits"


def cleaned(msg: Incoming) -> Incoming:
    """The message without control characters (a line break and a tab stay), its sender's name shortened."""
    text, name = _CONTROL.sub("", msg.text), _CONTROL.sub("", msg.sender_name)[:MAX_NAME]
    if text == msg.text and name == msg.sender_name:
        return msg
    return replace(msg, text=text, sender_name=name)


def refusal(text: str) -> str | None:
    """Why this text cannot be read as a member means it (TOO_LARGE, NOT_DIGITS), or None. Only ASCII digits are
    digits (a superscript, circled or full-width one is none), and no number may exceed what can be stored."""
    if any(not ch.isascii() and (ch.isdigit() or ch.isnumeric()) for ch in text):
        return NOT_DIGITS
    if any(len(run) > 18 and int(run) > LARGEST for run in _DIGITS.findall(text)):
        return TOO_LARGE
    return None


def shortened(word: str) -> str:
    return word if len(word) <= MAX_ECHO else word[:MAX_ECHO - 1] + "…"
