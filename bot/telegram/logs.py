"""Logging without the token (it is in every Bot API URL) and without people's messages."""
from __future__ import annotations

import logging
import traceback

from bot.logs import quiet_http_loggers

# python-telegram-bot's Bot logs a batch it cannot read, whole (names, messages), at CRITICAL, from the logger
# of the Bot class in use.
_PARSING_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot")
_PARSING = "Error while parsing updates"


class WithoutUpdates(logging.Filter):
    """python-telegram-bot's "could not parse updates" record, told without the updates it carries."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(_PARSING):
            error = record.exc_info[1] if record.exc_info else None
            record.msg = "python-telegram-bot could not read a batch of updates (%s): each is read on its own"
            record.args = (type(error).__name__ if error is not None else "unknown error",)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def quiet_loggers() -> None:
    """httpx logs request URLs at INFO; PTB logs the API URL and every update's content at DEBUG, and a batch
    it cannot read at CRITICAL."""
    quiet_http_loggers()
    ptb = logging.getLogger("telegram")
    if ptb.level < logging.INFO:  # its own level (NOTSET included), so that a root set to DEBUG later stays out
        ptb.setLevel(logging.INFO)
    for name in _PARSING_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, WithoutUpdates) for f in logger.filters):
            logger.addFilter(WithoutUpdates())


def redact(text: str, token: str) -> str:
    return text.replace(token, "<token>") if token else text


def describe(exc: BaseException, token: str, with_traceback: bool = False) -> str:
    """An exception as text safe to log: its type and message, or the whole traceback, token removed."""
    if with_traceback:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
    else:
        text = f"{type(exc).__name__}: {exc}"
    return redact(text, token)
