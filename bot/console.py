"""A terminal channel: the same handlers and database as Telegram, typed at a prompt, no token needed."""
from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import datetime, timezone
from typing import TextIO

from bot.app import build_app
from bot.config import Settings
from bot.plumbing.delivery import handle_and_reply
from domain.i18n import Translator
from domain.messages import Address, ChannelTraits, Incoming, Kind, Reply, SendResult
from domain.ports import FileNotMade, Files
from domain.present import split_text

TRAITS = ChannelTraits("console", has_buttons=False, max_text=4096)


class Terminal:
    """Where the console's replies go: printed, each part of a long one on its own; a reply for another chat
    (a leader told, a linked account) is printed too, marked with where it would have gone. A terminal shows no
    file: each is written to disk and its path said."""

    def __init__(self, who: str, stdout: TextIO, files: Files | None = None,
                 translator: Translator | None = None) -> None:
        self.who = who
        self.stdout = stdout
        self.files = files
        self.translator = translator or Translator()

    async def send(self, to: Address, reply: Reply) -> SendResult:
        prefix = "" if to.chat_id == self.who else f"[to {to.channel}:{to.chat_id}] "
        for part in split_text(reply.text, TRAITS.max_text):
            print(prefix + part, file=self.stdout, flush=True)
        for attachment in reply.attachments:
            t = self.translator.for_language(attachment.order.language)
            try:
                if self.files is None:
                    raise FileNotMade("no file maker")
                said = t("export.written", name=attachment.name, path=(await self.files.make(attachment.order)).path)
            except FileNotMade:
                said = t("export.not_made", name=attachment.name)
            print(prefix + said, file=self.stdout, flush=True)
        return SendResult(ok=True)


async def run_console(settings: Settings, who: str, name: str | None, stdin=None, stdout=None) -> None:
    """Chat as `who` (a console identity). Buttons appear as numbered choices; "1" picks the first."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    app = await build_app(settings, {"console": TRAITS},
                          join_links={"console": "/start {code}"})
    terminal = Terminal(who, stdout, app.files, app.services.translator)
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
            await handle_and_reply(app.dispatcher, terminal.send, msg)
    finally:
        if app.files is not None:
            await app.files.close()
        await app.store.close()
