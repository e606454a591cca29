"""Logging without the token (it is in every Bot API URL) and without people's messages."""
from __future__ import annotations

import logging
import traceback

from bot.app import quiet_http_loggers


def quiet_loggers() -> None:
    """httpx logs request URLs at INFO; PTB logs the API URL and every update's content at DEBUG."""
    quiet_http_loggers()
    ptb = logging.getLogger("telegram")
    if ptb.getEffectiveLevel() < logging.INFO:
        ptb.setLevel(logging.INFO)


def redact(text: str, token: str) -> str:
    return text.replace(token, "<token>") if token else text


def describe(exc: BaseException, token: str, with_traceback: bool = False) -> str:
    """An exception as text safe to log: its type and message, or the whole traceback, token removed."""
    if with_traceback:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
    else:
        text = f"{type(exc).__name__}: {exc}"
    return redact(text, token)
