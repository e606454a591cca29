"""Joining: leaders create invite codes, newcomers bind themselves to a unit and role with /start CODE."""
from __future__ import annotations

import secrets
from datetime import timedelta

from application.serving import join_links, serving
from domain.codes import code_hash
from domain.messages import Reply
from domain.model import Identity, Member, Role, Unit
from domain.roles import LEADS, REPORTERS, rank
from handlers.context import Command, Context, Feature


def hash_code(code: str) -> str:
    """An invite code as stored: its hash, surrounding spaces ignored."""
    return code_hash(code.strip())


async def scope(ctx: Context, member: Member | None = None) -> Unit | None:
    """The unit whose subtree the member oversees; None for an admin without a unit (everything)."""
    member = member or ctx.member
    if member is None or member.unit_id is None:
        return None
    return await ctx.tx.units.get(member.unit_id)


async def in_scope(ctx: Context, unit: Unit) -> bool:
    if ctx.member is None:
        return False
    if ctx.member.role == Role.ADMIN and ctx.member.unit_id is None:
        return True
    own = await scope(ctx)
    return own is not None and own.contains(unit)


async def invite(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    if not words or len(words) > 2:
        return [ctx.reply("invite.usage")]
    unit = await ctx.tx.units.by_code(words[0])
    role = Role.parse(words[1]) if len(words) == 2 else Role.VOLUNTEER
    if role is None:
        return [ctx.reply("invite.bad_role", role=words[1])]
    if unit is None:
        return [ctx.reply("error.unknown_unit", code=words[0])]
    if not await in_scope(ctx, unit) or rank(role) > rank(ctx.member.role) or \
            (ctx.member.role == Role.TEAM_LEADER and role != Role.VOLUNTEER):
        return [ctx.reply("error.not_allowed")]
    if role in REPORTERS and unit.kind != ctx.rules.campaign.team_kind:
        return [ctx.reply("invite.needs_team", role=ctx.t(f"role.{role.value}"))]
    code = secrets.token_urlsafe(12)
    settings = ctx.rules.invites
    expires = ctx.now + timedelta(days=settings.ttl_days)
    await ctx.tx.invites.create(hash_code(code), unit.id, role, expires, settings.max_uses, ctx.member.id)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "invite.create", f"unit:{unit.code}", None,
                              {"role": role.value, "expires": expires.isoformat()})
    links = "\n".join(link.format(code=code) for link in await join_links(ctx.tx, ctx.services, unit))
    return [ctx.reply("invite.created", unit=unit.name, code=unit.code, role=ctx.t(f"role.{role.value}"),
                      links=links, invite=code, days=settings.ttl_days, uses=settings.max_uses)]


async def start(ctx: Context, args: str) -> list[Reply]:
    code = args.strip()
    if ctx.member is not None:
        if code:
            return [ctx.reply("join.already", **await _where(ctx, ctx.member))]
        return [ctx.reply("join.welcome_back", **await _where(ctx, ctx.member))]
    if not code:
        return [ctx.reply("join.not_member")]
    window = ctx.now - timedelta(hours=1)
    failures = await ctx.tx.invites.failures_since(ctx.msg.channel, ctx.msg.sender_id, window)
    if failures >= ctx.rules.invites.max_failures_per_hour:
        return [ctx.reply("join.too_many")]
    found = await ctx.tx.invites.by_hash(hash_code(code))
    problem = None
    if found is None:
        problem = "join.bad_code"
    elif found.expires_at <= ctx.now:
        problem = "join.expired"
    elif await ctx.tx.invites.revoked(found.id, ctx.msg.channel, ctx.msg.sender_id):
        return [ctx.reply("join.removed")]  # removed since this code was made: only a new invite brings them back
    elif (elsewhere := await _other_bot(ctx, found.unit_id, code)) is not None:
        return [elsewhere]  # a good code, for the wrong bot: not a failure, and not a use
    elif not await ctx.tx.invites.use(found.id):
        problem = "join.used_up"
    if problem:
        await ctx.tx.invites.record_failure(ctx.msg.channel, ctx.msg.sender_id, ctx.now)
        return [ctx.reply(problem)]
    was = await ctx.tx.invites.removed_as(ctx.msg.channel, ctx.msg.sender_id)  # back by a new invite: audited
    name = ctx.msg.sender_name.strip() or ctx.msg.sender_id
    member = await ctx.tx.members.create(name, found.role, found.unit_id, "vi",
                                         Identity(ctx.msg.channel, ctx.msg.sender_id, ctx.msg.chat_id))
    ctx.member = member
    ctx.unit = await ctx.tx.units.get(found.unit_id)
    await ctx.tx.audit.record(ctx.now, member.id, "member.join", f"unit:{ctx.unit.code}", None,
                              {"role": found.role.value, "invite": found.id,
                               **({"removed_as": was} if was is not None else {})})
    key = "join.welcome_reporter" if found.role in REPORTERS else "join.welcome_leader"
    return [ctx.reply(key, **await _where(ctx, member))]


async def _other_bot(ctx: Context, unit_id: int, code: str) -> Reply | None:
    """The answer when another channel serves the invite's unit (a province has its own bot), else None."""
    unit = await ctx.tx.units.get(unit_id)
    there = await serving(ctx.tx, ctx.services, unit, ctx.msg.channel) if unit is not None else ctx.msg.channel
    link = ctx.services.join_links.get(there)
    if there == ctx.msg.channel or link is None:  # that bot not running: joining here beats not joining
        return None
    return ctx.reply("join.other_bot", unit=unit.name, link=link.format(code=code))


async def _where(ctx: Context, member: Member) -> dict:
    unit = await ctx.tx.units.get(member.unit_id) if member.unit_id else None
    t = ctx.services.translator.for_language(member.language)
    return {"name": member.name, "role": t(f"role.{member.role.value}"),
            "unit": unit.name if unit else t("unit.everything")}


FEATURE = Feature(commands=(
    Command("start", start, "help.start", outsiders=True, listed_for_members=False),
    Command("invite", invite, "help.invite", roles=LEADS, aliases=("moi",)),
))
