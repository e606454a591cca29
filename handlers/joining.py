"""Joining: leaders create invite codes, newcomers bind themselves to a unit and role with /start CODE."""
from __future__ import annotations

import secrets
from datetime import timedelta

from application.serving import join_links, serving
from domain.codes import code_hash, invite_hashes, new_invite_code, normalize_invite
from domain.messages import Reply
from domain.model import MAX_ROLE_WORDS, Identity, Member, Role, Unit
from domain.roles import LEADS, REPORTERS, rank
from handlers.context import Command, Context, Feature


def hash_code(code: str) -> str:
    """An invite code as stored: the hash of the code read loosely (any case, no dashes or spaces)."""
    return code_hash(normalize_invite(code))


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
    if not words or len(words) > 1 + MAX_ROLE_WORDS:
        return [ctx.reply("invite.usage")]
    unit = await ctx.tx.units.by_code(words[0])
    if unit is None:  # a code typed in another case: `p01-kp1-t`
        same = await ctx.tx.units.by_code_any_case(words[0])
        unit = same[0] if len(same) == 1 else None
    role = Role.parse(" ".join(words[1:])) if len(words) > 1 else Role.VOLUNTEER  # `tổ trưởng`, `team_leader`
    if role is None:
        return [ctx.reply("invite.bad_role", role=" ".join(words[1:]))]
    if unit is None:
        return [ctx.reply("error.unknown_unit", code=words[0])]
    if not await in_scope(ctx, unit) or rank(role) > rank(ctx.member.role) or \
            (ctx.member.role == Role.TEAM_LEADER and role != Role.VOLUNTEER):
        return [ctx.reply("error.not_allowed")]
    if role in REPORTERS and unit.kind != ctx.rules.campaign.team_kind:
        return [ctx.reply("invite.needs_team", role=ctx.t(f"role.{role.value}"))]
    code = new_invite_code(secrets.choice)
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
    found = None
    for digest in invite_hashes(code):  # the short code in any case; a longer one given before, as typed
        found = found or await ctx.tx.invites.by_hash(digest)
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
