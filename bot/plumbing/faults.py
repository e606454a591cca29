"""An exception said without what it carries: its type and where it was raised, never its message (which may
hold a person's text, or a statement's parameters)."""
from __future__ import annotations

import os
import traceback


class Unreadable(Exception):
    """The bot cannot read an update. The message is the bot's own words, never the update's content."""


def fault(exc: BaseException) -> str:
    """Like "TypeError in _de_json (_telegramobject.py:397)": safe to log and to store. An `Unreadable` is
    said in its own words, which are ours."""
    if isinstance(exc, Unreadable):
        return str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    return f"{type(exc).__name__} in {last.name} ({os.path.basename(last.filename)}:{last.lineno})"


def fault_with_traceback(exc: BaseException) -> str:
    """The frames that led to the exception (code, not data), then `fault(exc)`: for bugs worth a traceback."""
    frames = "".join(traceback.format_tb(exc.__traceback__)).rstrip()
    return f"{frames}\n{fault(exc)}" if frames else fault(exc)
