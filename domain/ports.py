"""What the core needs from the outside world, as protocols: storage in transactions, and sending."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Awaitable, Callable, Iterable, Protocol, Sequence, TypeVar

from domain.messages import Address, Outgoing, Reply, SendResult
from domain.exports import FileOrder
from domain.model import (Conversation, DayOff, Entry, Identity, Invite, LinkedChat, Member, MemberNote, Membership,
                          NewEntry, Pause, Role, TeamFigures, Unit)
from domain.plans import Phase, Planned, Quota, Target

T = TypeVar("T")


@dataclass(frozen=True)
class TeamDays:
    """What a leader's file reads per (team id, day): the day's totals (in the order of the metrics asked for), the
    members with an active entry that day, and how many of those had all theirs after the cut-off. Days with
    nothing are absent."""

    totals: dict[tuple[int, date], tuple[int, ...]]
    reporters: dict[tuple[int, date], frozenset[int]]
    late: dict[tuple[int, date], int]


class Units(Protocol):
    async def get(self, unit_id: int) -> Unit | None: ...
    async def by_code(self, code: str) -> Unit | None: ...
    async def by_code_any_case(self, code: str) -> list[Unit]:
        """Units whose code is this one in any case (`p01` finds `P01`); codes differing only in case are all given."""
    async def children(self, unit_id: int) -> list[Unit]: ...
    async def roots(self) -> list[Unit]: ...
    async def in_subtree(self, unit: Unit | None, kind: str | None = None) -> list[Unit]:
        """Units under `unit` (itself included; None: everything), optionally of one kind, ordered by code."""
    async def ancestors(self, unit: Unit) -> list[Unit]:
        """From the root down to the unit's parent."""
    async def line_and_children(self, unit: Unit) -> tuple[list[Unit], list[Unit]]:
        """ancestors() and children(), at once."""
    async def upsert(self, code: str, name: str, kind: str, parent_code: str | None,
                     households: int | None) -> tuple[Unit, bool]:
        """Insert or update by code; True when something changed."""
    async def set_paused(self, unit_id: int, until: date | None) -> None: ...


class Members(Protocol):
    async def get(self, member_id: int) -> Member | None: ...
    async def by_identity(self, channel: str, external_id: str) -> Member | None: ...
    async def sender(self, channel: str, external_id: str) -> tuple[Member, Unit | None] | None:
        """by_identity, with the member's unit (None for an admin without one)."""
    async def create(self, name: str, role: Role, unit_id: int | None, language: str,
                     identity: Identity) -> Member: ...
    async def add_identity(self, member_id: int, identity: Identity) -> None: ...
    async def set_language(self, member_id: int, language: str) -> None: ...
    async def set_role(self, member_id: int, role: Role, unit_id: int | None) -> None: ...
    async def remove(self, member_id: int, at: datetime) -> None: ...
    async def set_blocked(self, member_id: int, channel: str, chat_id: str, blocked: bool) -> None:
        """Whether the member's chat on `channel` bounces (they blocked the bot there)."""

    async def set_unreachable(self, member_id: int, unreachable: bool) -> None:
        """Whether the member can be reached on none of their channels."""
    async def in_units(self, unit_ids: Iterable[int], with_identities: bool = True) -> list[Member]:
        """Active members whose unit is one of these, ordered by unit then name (without their channel
        identities if not asked for: a roster for names needs none)."""
    async def roster(self, unit_ids: Iterable[int], since: datetime,
                     with_identities: bool = False) -> list[Membership]:
        """Members whose unit is one of these and who were not removed before `since` (those removed since
        included), each with when they joined and left; ordered by unit then name."""


class Pauses(Protocol):
    """Teams' pauses as history (`/pause`): a past day's roll call asks who was paused that day."""

    async def for_units(self, unit_ids: Iterable[int], first: date, last: date) -> list[Pause]:
        """The pauses of these units that cover any day of [first, last]."""
    async def set(self, unit_id: int, today: date, until: date | None, by: int | None, at: datetime) -> None:
        """From `today` the unit is paused through `until` (None: not paused): what was set for today on is
        replaced; pauses of past days stay as they were."""


class Notes(Protocol):
    """What members write for leaders beside (or instead of) their figures: read by /summary and the files."""

    async def add(self, member_id: int, team_id: int, day: date, text: str, at: datetime, source_key: str,
                  entry_id: int | None) -> bool:
        """Keep a note; False when `source_key` was kept before (a re-delivery). `entry_id`: the report it came
        with, whose withdrawal (/undo) takes the note back too."""
    async def under(self, scope: Unit | None, team_kind: str, first: date, last: date) -> list[MemberNote]:
        """The notes of every team of that kind under `scope` (None: everywhere) over [first, last], but those
        of withdrawn reports; by day, team code, then as written."""


class DaysOff(Protocol):
    """Members' days off (not working that day, and why): they are not chased and not counted as missing."""

    async def set(self, member_id: int, team_id: int, day: date, reason: str | None, at: datetime) -> None:
        """The member is off on `day`, for `reason`; said again, the newer reason stands."""
    async def excused(self, day: date, member_ids: Iterable[int]) -> set[int]:
        """Of these members, those off on `day`."""
    async def under(self, scope: Unit | None, team_kind: str, first: date, last: date) -> list[DayOff]:
        """The days off in every team of that kind under `scope` (None: everywhere) over [first, last], but those of
        members who reported figures that day after all; by day, team code, member name."""


class Invites(Protocol):
    async def create(self, code_hash: str, unit_id: int, role: Role, expires_at: datetime,
                     max_uses: int, created_by: int | None) -> Invite: ...
    async def by_hash(self, code_hash: str) -> Invite | None: ...
    async def use(self, invite_id: int) -> bool:
        """Count one use if any are left; False when the invite is used up."""
    async def record_failure(self, channel: str, external_id: str, at: datetime) -> None: ...
    async def failures_since(self, channel: str, external_id: str, since: datetime) -> int: ...
    async def revoke(self, member_id: int, identities: Iterable[tuple[str, str]], at: datetime) -> None:
        """A removed member's channels (channel, external id): invites created until `at` no longer admit them."""
    async def revoked(self, invite_id: int, channel: str, external_id: str) -> bool:
        """Whether this sender was removed since the invite was created: then only a newer invite admits them."""
    async def removed_as(self, channel: str, external_id: str) -> int | None:
        """The member this sender was when last removed, if ever."""


class Entries(Protocol):
    async def add(self, entry: NewEntry) -> Entry | None:
        """Store a new entry, withdrawing those it replaces; None when its source_key was stored before."""
    async def active_for_member(self, member_id: int, day: date) -> list[Entry]:
        """The member's entries of the day that are neither withdrawn nor replaced, oldest first."""
    async def withdraw(self, entry_id: int, at: datetime) -> None: ...
    async def replaced_by(self, entry_id: int) -> list[Entry]:
        """The entries that `entry_id` replaced (an edit's predecessors), not withdrawn, oldest first."""
    async def restore(self, restored: Iterable[Entry]) -> None:
        """Make replaced entries active again (an edit taken back), their figures back in the totals."""
    async def team_after(self, team_id: int, day: date) -> dict[date, dict[str, int]]:
        """The team's totals on each day after `day`, oldest first (none, for a report of today)."""
    async def hold(self, team_id: int, member_id: int) -> None:
        """Until the transaction ends, no other change to this team's or this member's figures: checks read then
        write under it (a row lock on PostgreSQL; SQLite's write transactions are one at a time already)."""
    async def totals(self, team_ids: Iterable[int], first_day: date | None, last_day: date) -> dict[int, dict[str, int]]:
        """Per team: the sum of active entries' values over [first_day, last_day] (None: from the beginning)."""
    async def totals_under(self, scope: Unit | None, team_kind: str, periods: Sequence[tuple[date | None, date]],
                           reporters_on: date | None = None, *, by_child: bool = False) -> TeamFigures:
        """totals (and reporters, on `reporters_on`) of every team of that kind under `scope` (None: everywhere),
        for each period, in one go; with `by_child`, the totals summed per child of `scope` (per root for None)."""
    async def reporters(self, team_ids: Iterable[int], day: date) -> dict[int, dict[int, bool]]:
        """Per team: the members with an active entry that day, each with whether all of theirs were late."""
    async def member_totals(self, member_ids: Iterable[int], day: date) -> dict[int, dict[str, int]]: ...
    async def for_report(self, member_id: int, team_id: int, day: date,
                         first_day: date | None) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """What a report is checked against: the member's day, the team's day, and the team's totals over
        [first_day, day] (None: from the beginning); member_totals and totals in one go."""
    async def first_day(self) -> date | None:
        """The day of the earliest active entry: when the campaign began, where no start_date is set."""
    async def days_under(self, scope: Unit | None, team_kind: str, first: date, last: date,
                         metrics: Sequence[str]) -> TeamDays:
        """Per team and day of [first, last], for every team of that kind under `scope` (None: everywhere): the
        day's totals of `metrics` and who reported. Two statements, however many days and teams (a province's
        month)."""


class Conversations(Protocol):
    async def get(self, channel: str, chat_id: str, user_id: str) -> Conversation: ...
    async def save(self, channel: str, chat_id: str, user_id: str, conv: Conversation, at: datetime) -> None: ...


class Deliveries(Protocol):
    async def claim(self, channel: str, delivery_id: str, at: datetime) -> bool:
        """Mark a delivery processed, in the caller's transaction, taking it out of the inbox; False when it
        already was."""
    async def prune(self, before: datetime) -> int:
        """Forget deliveries processed before `before` (platforms re-deliver within a day; Telegram may
        reuse update ids after a week of silence). Returns how many were forgotten."""


@dataclass(frozen=True)
class Pending:
    """A platform update in the inbox: stored as the platform sent it, not yet processed."""

    channel: str
    delivery_id: str
    payload: str


class Inbox(Protocol):
    """Raw updates, stored before the platform is told they arrived, so that nothing is lost in a crash. An
    update leaves the inbox when `Deliveries.claim` marks it processed, in the transaction that handles it."""

    async def put(self, channel: str, items: list[tuple[str, str]], at: datetime) -> list[str]:
        """Store (delivery id, payload) pairs; returns the ids that were new (neither pending nor processed), in
        the order given."""
    async def pending(self, channel: str) -> list[Pending]:
        """The channel's updates stored and not yet processed, oldest first; not those set unreadable."""
    async def set_unreadable(self, channel: str, delivery_ids: list[str], reason: str) -> None:
        """Keep these stored updates aside, never handled: the bot cannot read them (`reason`, no personal data)."""


@dataclass(frozen=True)
class Unsent:
    """A reply the outbox holds, committed and not yet marked sent."""

    reply_id: int
    out: Outgoing


class Replies(Protocol):
    """The outbox of replies: written in the transaction of the change they confirm, marked once sent."""

    async def put(self, outgoing: Sequence[Outgoing], at: datetime) -> list[int]:
        """Keep the replies, in order; their ids, in the same order."""
    async def unsent(self, channel: str) -> list[Unsent]:
        """Replies to chats on `channel` committed but never marked sent, oldest first."""
    async def mark_sent(self, reply_ids: Sequence[int], at: datetime) -> None: ...
    async def prune(self, before: datetime) -> int:
        """Forget replies sent before `before`; how many."""


class Audit(Protocol):
    async def record(self, at: datetime, actor_id: int | None, action: str, subject: str,
                     old: Any, new: Any) -> None: ...


class Sends(Protocol):
    """What the scheduler (and /remind) sent or is about to send: each message is claimed once, ever."""

    async def claim(self, kind: str, topic: str, day: date, recipient: str, at: datetime) -> bool:
        """Record the send in the caller's transaction; False when it was claimed before."""
    async def finish(self, kind: str, topic: str, day: date, recipient: str, outcome: str, at: datetime) -> None:
        """Record how the claimed send went: "sent", "blocked" or "failed"."""
    async def prune(self, before: date) -> int:
        """Forget claims about days before `before` (nothing can be re-sent for them any more)."""


class Links(Protocol):
    """Group chats linked to units with /link."""

    async def link(self, chat: LinkedChat, by: int | None, at: datetime) -> None:
        """Link the chat to the unit, replacing whatever it was linked to."""
    async def unlink(self, channel: str, chat_id: str) -> bool: ...
    async def move(self, channel: str, old_chat_id: str, new_chat_id: str) -> None:
        """The platform gave the group a new id (Telegram: a group upgraded to a supergroup)."""
    async def get(self, channel: str, chat_id: str) -> LinkedChat | None: ...
    async def for_units(self, unit_ids: Iterable[int]) -> list[LinkedChat]: ...


class Quotas(Protocol):
    async def quotas_for(self, unit_ids: Iterable[int]) -> list[Quota]: ...
    async def set_quota(self, unit_id: int, metric: str, daily: int, first_day: date | None,
                        last_day: date | None, split_from: int | None, basis: str | None,
                        by: int | None, at: datetime) -> Quota | None:
        """Set the quota over exactly this range, replacing one set before over the same range (returned)."""
    async def set_quotas(self, metric: str, first_day: date | None, last_day: date | None,
                         rows: list[tuple[int, int, int | None, str | None]], by: int | None,
                         at: datetime) -> dict[int, Quota]:
        """(unit id, daily, split from, basis) for many units at once; returns the quotas replaced, by unit."""
    async def targets_for(self, unit_ids: Iterable[int]) -> list[Target]: ...
    async def set_target(self, unit_id: int, metric: str, total: int, end_day: date, by: int | None,
                         at: datetime) -> Target | None:
        """Set the target for this end date, replacing one set before for the same date (returned)."""
    async def phases(self) -> list[Phase]: ...
    async def planned(self, unit: Unit | None) -> Planned:
        """What is planned for the unit's line and its children (None: for the roots), and every phase."""
    async def put_phase(self, name: str, first_day: date, last_day: date, by: int | None,
                        at: datetime) -> Phase | None:
        """Add a phase, or replace the one of the same name (returned)."""
    async def last_reports(self, member_ids: Iterable[int]) -> dict[int, date]:
        """The last day each member has an active entry for."""


@dataclass(frozen=True)
class AccountLink:
    """A one-time code a member asked for on one channel, to attach an identity on another."""

    id: int
    member_id: int
    channel: str
    chat_id: str
    expires_at: datetime
    used_at: datetime | None = None


class AccountLinks(Protocol):
    async def create(self, code_hash: str, member_id: int, channel: str, chat_id: str, expires_at: datetime,
                     at: datetime) -> AccountLink:
        """A new code for the member; any earlier code of theirs stops working."""
    async def by_hash(self, code_hash: str) -> AccountLink | None: ...
    async def use(self, link_id: int, at: datetime) -> bool:
        """Mark the code used; False when it already was."""


class Tx(Protocol):
    """One database transaction and the repositories bound to it: every one the storage builds, none else."""

    units: Units
    members: Members
    invites: Invites
    entries: Entries
    conversations: Conversations
    deliveries: Deliveries
    inbox: Inbox
    audit: Audit
    sends: Sends
    links: Links
    account_links: AccountLinks
    quotas: Quotas
    pauses: Pauses
    replies: Replies
    notes: Notes
    days_off: DaysOff


class Store(Protocol):
    async def write(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `work` in one write transaction, committed when it returns and rolled back when it raises."""

    async def read(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `work` in a read-only transaction."""


class Leadership(Protocol):
    """Whether this process runs the scheduled jobs, when several bot processes share one database."""

    async def is_leader(self) -> bool:
        """Take the lead if no live process holds it, keep it if this one does; True while this process leads.
        Ask before every job, and every few seconds in between: a lease not renewed expires (SQLite)."""

    async def step_down(self) -> None:
        """Give the lead up (at shutdown), so another process takes over at once."""


class Outbox(Protocol):
    """Sends to one channel. Handlers never call it: they return replies; the scheduler and adapters do."""

    async def send(self, to: Address, reply: Reply, *, bulk: bool = False) -> SendResult:
        """`bulk`: one of many the scheduler fans out, paced by the platform's bulk limit; otherwise an answer
        to the person's own message, paced only per chat."""
        ...


@dataclass(frozen=True)
class MadeFile:
    """A file made for an order: on this machine's disk until it expires, and at `url` (served by the bot's web
    server) where a public URL is configured."""

    path: str
    name: str
    mime: str
    url: str  # "": the bot has no [web] public_url, so no link can be given
    expires_at: datetime


class FileNotMade(Exception):
    """An ordered file could not be made (its unit is gone, the build failed); the reader is told in a sentence."""


class Files(Protocol):
    """What the core's file orders (a reply's `Attachment`s) become. The core orders; the channels ask this port
    when they send the reply, after its transaction has committed, so no file is built inside a transaction or
    on the event loop. Implemented in bot/files (gathering with application.reports, building in a worker)."""

    async def make(self, order: FileOrder) -> MadeFile:
        """The ordered file, made once per order and shared by everyone it is sent to; raises FileNotMade."""
