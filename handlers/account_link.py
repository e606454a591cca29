"""One person, two channels: /link_account gives a one-time code; sent from the other channel, it joins the two."""
from __future__ import annotations

import secrets
from datetime import timedelta

from domain.codes import code_hash
from domain.messages import Address, Reply
from domain.model import Identity
from handlers.context import Command, Context, Feature

LINK_TTL = timedelta(minutes=10)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read off one phone, typed on another
CODE_LENGTH = 8


def normalize(code: str) -> str:
    """What was typed, as the code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_link_code(code: str) -> str:
    """A link code as stored: its hash, as typed loosely (normalize), apart from invite codes."""
    return code_hash(normalize(code), purpose="link")


def channel_label(channel: str) -> str:
    """The app's name: a province's own bot ("telegram:HCM") is Telegram too."""
    app = channel.partition(":")[0]
    return {"zalo": "Zalo", "telegram": "Telegram"}.get(app, app)


async def link_account(ctx: Context, args: str) -> list[Reply]:
    if args.strip():
        return await _use_code(ctx, normalize(args))
    if ctx.member is None:
        return [ctx.reply("link.not_member")]
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    expires = ctx.now + LINK_TTL
    await ctx.tx.account_links.create(hash_link_code(code), ctx.member.id, ctx.msg.channel, ctx.msg.chat_id,
                                      expires, ctx.now)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "member.link_code", f"member:{ctx.member.id}", None,
                              {"channel": ctx.msg.channel, "expires": expires.isoformat()})
    shown = f"{code[:4]}-{code[4:]}"
    return [ctx.reply("link.code", code=shown, minutes=int(LINK_TTL.total_seconds() // 60))]


async def _use_code(ctx: Context, code: str) -> list[Reply]:
    channel, sender = ctx.msg.channel, ctx.msg.sender_id
    failures = await ctx.tx.invites.failures_since(channel, sender, ctx.now - timedelta(hours=1))
    if failures >= ctx.rules.invites.max_failures_per_hour:
        return [ctx.reply("link.too_many")]
    link = await ctx.tx.account_links.by_hash(hash_link_code(code)) if len(code) == CODE_LENGTH else None
    target = await ctx.tx.members.get(link.member_id) if link is not None else None
    problem = None
    if link is None or link.used_at is not None or target is None:
        problem = "link.bad_code"
    elif link.expires_at <= ctx.now:
        problem = "link.expired"
    if problem:
        await ctx.tx.invites.record_failure(channel, sender, ctx.now)
        return [ctx.reply(problem)]
    if ctx.member is not None:
        if ctx.member.id == target.id:
            return [ctx.reply("link.same_account")]
        return [ctx.reply("link.taken", name=ctx.member.name)]
    if target.address_on(channel) is not None:
        return [ctx.reply("link.channel_taken", channel=channel_label(channel))]
    if not await ctx.tx.account_links.use(link.id, ctx.now):
        return [ctx.reply("link.bad_code")]
    await ctx.tx.members.add_identity(target.id, Identity(channel, sender, ctx.msg.chat_id))
    ctx.member = await ctx.tx.members.get(target.id)
    ctx.unit = await ctx.tx.units.get(ctx.member.unit_id) if ctx.member.unit_id is not None else None
    await ctx.tx.audit.record(ctx.now, target.id, "member.link", f"member:{target.id}", None,
                              {"channel": channel, "from": link.channel})
    # The account that asked for the code hears of it too: a code used by someone else does not go unnoticed.
    notice = Reply(ctx.t("link.notice", channel=channel_label(channel)), to=Address(link.channel, link.chat_id))
    unit = ctx.unit.name if ctx.unit else ctx.t("unit.everything")
    return [ctx.reply("link.done", name=ctx.member.name, role=ctx.t(f"role.{ctx.member.role.value}"), unit=unit,
                      other=channel_label(link.channel)), notice]


FEATURE = Feature(commands=(
    Command("link_account", link_account, "help.link_account", aliases=("lienket",), outsiders=True),
))
