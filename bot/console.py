"""A terminal channel: the same handlers and database as Telegram, typed at a prompt, no token needed."""
from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import datetime, timezone

from bot.app import build_app
from bot.config import Settings
from domain.messages import ChannelTraits, Incoming, Kind
from domain.present import split_text

TRAITS = ChannelTraits("console", has_buttons=False, max_text=4096)


async def run_console(settings: Settings, who: str, name: str | None, stdin=None, stdout=None) -> None:
    """Chat as `who` (a console identity). Buttons appear as numbered choices; "1" picks the first."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    app = await build_app(settings, {"console": TRAITS},
                          join_links={"console": "/start {code}"})
    loop = asyncio.get_running_loop()
    print(f"baocao console — you are «{who}». Type /help; Ctrl-D to quit.", file=stdout, flush=True)
    try:
        while True:
            print("> ", end="", file=stdout, flush=True)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            msg = Incoming(channel="console", chat_id=who, sender_id=who, sender_name=name or who,
                           delivery_id=uuid.uuid4().hex, received_at=datetime.now(timezone.utc), text=text,
                           kind=Kind.TEXT)
            for out in await app.dispatcher.handle(msg):
                prefix = "" if out.to.chat_id == who else f"[to {out.to.channel}:{out.to.chat_id}] "
                for part in split_text(out.reply.text, TRAITS.max_text):
                    print(prefix + part, file=stdout, flush=True)
    finally:
        await app.store.close()
