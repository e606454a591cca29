"""Managing people: /members lists a subtree's members, /role changes one's role, /remove takes one out."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from domain.messages import Reply
from domain.model import Member, Role, Unit, role_at_end
from domain.roles import LEADS, MANAGERS, REPORTERS, rank
from domain.text import fold
from handlers.arguments import Refused, Wrong, confirm_buttons, confirmed, not_applied, unit_arg, wrong_reply
from handlers.context import Command, Context, Feature
from handlers.joining import in_scope, scope

NAME = "people"
MAX_ROWS = 60
_ID = re.compile(r"^#?(\d+)$")


@dataclass(frozen=True)
class ChangingRole:
    """/role's preview: the member, the role to give, and the role they had when it was shown."""

    op: ClassVar[str] = "role"
    member: int
    role: Role
    was: Role


@dataclass(frozen=True)
class Removing:
    """/remove's preview: the member, and the role they had when it was shown."""

    op: ClassVar[str] = "remove"
    member: int
    was: Role


async def members(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    try:
        if len(words) > 1:
            raise Wrong("plan.too_many", word=words[1])
        unit = await unit_arg(ctx, words[0]) if words else await scope(ctx)
    except Refused:
        return [ctx.reply("error.not_allowed")]
    except Wrong as problem:
        return [wrong_reply(ctx, problem, "people.example_members")]
    units = {u.id: u for u in await ctx.tx.units.in_subtree(unit)}
    people = await ctx.tx.members.in_units(units)
    last = await ctx.tx.quotas.last_reports(m.id for m in people)
    title = ctx.t("people.title", unit=unit.name if unit else ctx.t("unit.everything"), count=ctx.t.num(len(people)))
    if not people:
        return [Reply("\n".join([title, ctx.t("people.nobody")]))]
    rows = [ctx.t("people.row", id=m.id, name=m.name, role=ctx.t(f"role.{m.role.value}"), unit=units[m.unit_id].name,
                  channels=", ".join(i.channel for i in m.identities) or "—",
                  last=ctx.t.day(last[m.id]) if m.id in last else ctx.t("people.never"))
            for m in people[:MAX_ROWS]]
    if len(people) > MAX_ROWS:
        rows.append(ctx.t("plan.more", count=ctx.t.num(len(people) - MAX_ROWS)))
    return [Reply("\n".join([title, *rows]))]


async def _find(ctx: Context, query: str) -> tuple[Member, Unit | None]:
    """A member by the id /members shows, or by a name matching one member only, within the sender's scope."""
    m = _ID.match(query.strip())
    if m:
        found = await ctx.tx.members.get(int(m.group(1)))
        unit = await ctx.tx.units.get(found.unit_id) if found is not None and found.unit_id is not None else None
        # A member outside one's units is answered as a missing one, so that ids cannot be enumerated.
        if found is None or (not _sees_everything(ctx) and (unit is None or not await in_scope(ctx, unit))):
            raise Wrong("people.no_such", who=query)
        return found, unit
    own = await scope(ctx)
    units = {u.id: u for u in await ctx.tx.units.in_subtree(own)}
    wanted = fold(query)
    people = await ctx.tx.members.in_units(units)
    exact = [p for p in people if fold(p.name) == wanted]
    matches = exact or [p for p in people if wanted and wanted in fold(p.name)]
    if not matches:
        raise Wrong("people.no_such", who=query)
    if len(matches) > 1:
        raise Wrong("people.ambiguous", who=query,
                    options=", ".join(f"#{p.id} {p.name} ({units[p.unit_id].code})" for p in matches[:8]))
    return matches[0], units[matches[0].unit_id]


def _sees_everything(ctx: Context) -> bool:
    return ctx.member.role == Role.ADMIN and ctx.member.unit_id is None


async def _may_manage(ctx: Context, other: Member, unit: Unit | None) -> bool:
    """Not oneself; within one's subtree; below one's rank, or of the same rank in a unit below one's own."""
    if other.id == ctx.member.id:
        return False
    if _sees_everything(ctx):
        return True
    if unit is None or not await in_scope(ctx, unit):
        return False
    if rank(other.role) < rank(ctx.member.role):
        return True
    return rank(other.role) == rank(ctx.member.role) and unit.id != ctx.member.unit_id


def _may_grant(ctx: Context, role: Role, unit: Unit | None, team_kind: str) -> str | None:
    """Why this role cannot be given there (a message key), or None when it can."""
    if rank(role) > rank(ctx.member.role):
        return "error.not_allowed"
    if role in REPORTERS and (unit is None or unit.kind != team_kind):
        return "people.needs_team"
    return None


async def role(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    try:
        if len(words) < 2:
            raise Wrong("plan.missing")
        named = role_at_end(words[1:])  # `#12 tổ trưởng`: the role may be two or three words
        if named is None:
            raise Wrong("people.bad_role", role=words[-1])
        new, taken = named
        other, unit = await _find(ctx, " ".join(words[:-taken]))
    except Wrong as problem:
        return [wrong_reply(ctx, problem, "people.example_role")]
    if not await _may_manage(ctx, other, unit):
        return [ctx.reply("error.not_allowed")]
    problem = _may_grant(ctx, new, unit, ctx.rules.campaign.team_kind)
    if problem:
        return [ctx.reply(problem, role=ctx.t(f"role.{new.value}"))]
    if new == other.role:
        return [ctx.reply("people.same_role", name=other.name, role=ctx.t(f"role.{new.value}"))]
    ctx.start(NAME, "confirm", ChangingRole(other.id, new, other.role))
    return [ctx.reply("people.preview_role", confirm_buttons(ctx, NAME), name=other.name, id=other.id,
                      unit=unit.name if unit else ctx.t("unit.everything"), old=ctx.t(f"role.{other.role.value}"),
                      new=ctx.t(f"role.{new.value}"))]


async def remove(ctx: Context, args: str) -> list[Reply]:
    query = args.strip()
    try:
        if not query:
            raise Wrong("plan.missing")
        other, unit = await _find(ctx, query)
    except Wrong as problem:
        return [wrong_reply(ctx, problem, "people.example_remove")]
    if not await _may_manage(ctx, other, unit):
        return [ctx.reply("error.not_allowed")]
    ctx.start(NAME, "confirm", Removing(other.id, other.role))
    return [ctx.reply("people.preview_remove", confirm_buttons(ctx, NAME), name=other.name, id=other.id,
                      unit=unit.name if unit else ctx.t("unit.everything"), role=ctx.t(f"role.{other.role.value}"))]


async def on_choice(ctx: Context, action: str) -> list[Reply]:
    change = confirmed(ctx, NAME, action)
    if isinstance(change, list):
        return change
    # Everything is checked again from the stored records: either side may have changed since the preview.
    roles = LEADS if isinstance(change, Removing) else MANAGERS
    other = await ctx.tx.members.get(change.member)
    if ctx.member is None or ctx.member.role not in roles:
        return [ctx.reply("error.not_allowed")]
    if other is None or other.role != change.was:
        return [ctx.reply("people.changed")]
    unit = await ctx.tx.units.get(other.unit_id) if other.unit_id is not None else None
    if not await _may_manage(ctx, other, unit):
        return [ctx.reply("error.not_allowed")]
    subject = f"member:{other.id}"
    if isinstance(change, Removing):
        # Their channels lose access for good: the invites they joined with (30 uses in a week) no longer admit them.
        await ctx.tx.invites.revoke(other.id, [(i.channel, i.external_id) for i in other.identities], ctx.now)
        await ctx.tx.members.remove(other.id, ctx.now)
        await ctx.tx.audit.record(ctx.now, ctx.member.id, "member.remove", subject,
                                  {"name": other.name, "role": other.role.value, "unit": unit.code if unit else None},
                                  None)
        return [ctx.reply("people.removed", name=other.name)]
    new = change.role
    if _may_grant(ctx, new, unit, ctx.rules.campaign.team_kind):
        return [ctx.reply("error.not_allowed")]
    await ctx.tx.members.set_role(other.id, new, other.unit_id)
    await ctx.tx.audit.record(ctx.now, ctx.member.id, "member.role", subject, {"role": other.role.value},
                              {"role": new.value})
    return [ctx.reply("people.role_set", name=other.name, role=ctx.t(f"role.{new.value}"))]


FEATURE = Feature(commands=(
    Command("members", members, "plan.help.members", roles=LEADS, aliases=("thanhvien",)),
    Command("role", role, "plan.help.role", roles=MANAGERS, aliases=("vaitro",)),
    Command("remove", remove, "plan.help.remove", roles=LEADS, aliases=("xoa",)),
), conversation=NAME, on_input=not_applied, on_choice=on_choice, state=ChangingRole | Removing)
