"""The member's own settings and help: /language, /help, /cancel."""
from __future__ import annotations

from domain.i18n import LANGUAGES
from domain.messages import Reply
from handlers.context import Command, Context, Feature

NAME = "language"


async def language(ctx: Context, args: str) -> list[Reply]:
    choice = args.strip().lower()
    if choice in LANGUAGES:
        return await _set(ctx, choice)
    if choice:
        return [ctx.reply("language.usage")]
    ctx.start(NAME)
    return [ctx.reply("language.ask", [[ctx.button("language.vi", f"{NAME}:vi"),
                                       ctx.button("language.en", f"{NAME}:en")]])]


async def _set(ctx: Context, lang: str) -> list[Reply]:
    await ctx.tx.members.set_language(ctx.member.id, lang)
    ctx.member = await ctx.tx.members.get(ctx.member.id)
    ctx.finish()
    return [ctx.reply("language.set")]


async def on_choice(ctx: Context, action: str) -> list[Reply]:
    if action in LANGUAGES:
        return await _set(ctx, action)
    return [ctx.reply("error.stale_choice")]


async def cancel(ctx: Context, args: str) -> list[Reply]:
    ctx.finish()  # the dispatcher already dropped the conversation; this confirms it
    return [ctx.reply("cancel.done")]


def help_command(commands_of):
    """/help lists only what the asker may use; `commands_of` gives the registered commands."""

    async def _help(ctx: Context, args: str) -> list[Reply]:
        lines = [ctx.t(c.help_key) for c in commands_of() if c.listed(ctx.member)]
        key = "help.title_member" if ctx.member else "help.title_outsider"
        return [ctx.reply(key, commands="\n".join(lines))]

    return _help


FEATURE = Feature(commands=(
    Command("language", language, "help.language", aliases=("ngonngu",)),
    Command("cancel", cancel, "help.cancel", aliases=("huy", "thoat"), outsiders=True),
), conversation=NAME, on_choice=on_choice)  # typed text goes on to be read as a report
