"""The command menu Telegram shows beside the text box, per language, from the registered commands."""
from __future__ import annotations

import re

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeDefault

from domain.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from domain.model import Member, Role
from handlers.context import Command
from handlers.dispatch import Dispatcher

_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_VOLUNTEER = Member(id=0, name="", role=Role.VOLUNTEER, unit_id=None, language=DEFAULT_LANGUAGE)


def menu_commands(dispatcher: Dispatcher) -> list[Command]:
    """What most people may use: a volunteer's commands in registration order. /start is left out:
    Telegram shows its own Start button, and members do not need it."""
    seen: set[str] = set()
    out = []
    for command in dispatcher.commands.values():
        if command.name in seen or command.name == "start" or not _NAME.match(command.name):
            continue
        seen.add(command.name)
        if command.allowed(_VOLUNTEER):
            out.append(command)
    return out


def description(text: str, name: str) -> str:
    """A help line "/summary [unit] [date] — the summary" without its leading "/summary" and dash."""
    text = text.strip()
    if text.startswith(f"/{name}"):
        text = text[len(name) + 1:]
    return text.strip().lstrip("—–-:").strip()[:256] or name


async def set_menus(bot: Bot, dispatcher: Dispatcher, translator: Translator) -> None:
    """The default menu in Vietnamese; per language for clients set to vi or en; groups get theirs."""
    commands = menu_commands(dispatcher)
    group = [c for c in commands if c.in_groups]
    for scope, chosen in ((BotCommandScopeDefault(), commands), (BotCommandScopeAllGroupChats(), group)):
        if not chosen:
            continue
        for code, language in (("", DEFAULT_LANGUAGE), *((lang, lang) for lang in LANGUAGES)):
            await bot.set_my_commands(
                [BotCommand(c.name, description(translator.t(language, c.help_key), c.name)) for c in chosen],
                scope=scope, language_code=code or None)
