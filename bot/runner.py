"""`python -m bot run`: start the configured channels and the scheduler, stop cleanly on SIGTERM or Ctrl-C."""
from __future__ import annotations

import sys

from bot.config import Settings

NO_TOKEN = ("No bot token: create a bot with @BotFather in Telegram (/newbot), then put its token in "
            "config.toml under [telegram] token, or in the TELEGRAM_BOT_TOKEN environment variable.")


async def run(settings: Settings) -> int:
    if not settings.telegram.token.get_secret_value() and not settings.zalo.token.get_secret_value():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    raise NotImplementedError  # the Telegram channel fills this in
