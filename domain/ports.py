"""What the core needs from the outside world, as protocols: storage in transactions, and sending."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Awaitable, Callable, Iterable, Protocol, TypeVar

from domain.messages import Address, Reply, SendResult
from domain.model import Conversation, Entry, Identity, Invite, Member, NewEntry, Role, Unit

T = TypeVar("T")


class Units(Protocol):
    async def get(self, unit_id: int) -> Unit | None: ...
    async def by_code(self, code: str) -> Unit | None: ...
    async def children(self, unit_id: int) -> list[Unit]: ...
    async def roots(self) -> list[Unit]: ...
    async def in_subtree(self, unit: Unit | None, kind: str | None = None) -> list[Unit]:
        """Units under `unit` (itself included; None: everything), optionally of one kind, ordered by code."""
    async def ancestors(self, unit: Unit) -> list[Unit]:
        """From the root down to the unit's parent."""
    async def upsert(self, code: str, name: str, kind: str, parent_code: str | None,
                     households: int | None) -> tuple[Unit, bool]:
        """Insert or update by code; True when something changed."""
    async def set_paused(self, unit_id: int, until: date | None) -> None: ...


class Members(Protocol):
    async def get(self, member_id: int) -> Member | None: ...
    async def by_identity(self, channel: str, external_id: str) -> Member | None: ...
    async def create(self, name: str, role: Role, unit_id: int | None, language: str,
                     identity: Identity) -> Member: ...
    async def add_identity(self, member_id: int, identity: Identity) -> None: ...
    async def set_language(self, member_id: int, language: str) -> None: ...
    async def set_role(self, member_id: int, role: Role, unit_id: int | None) -> None: ...
    async def remove(self, member_id: int, at: datetime) -> None: ...
    async def set_unreachable(self, member_id: int, unreachable: bool) -> None: ...
    async def in_units(self, unit_ids: Iterable[int], with_identities: bool = True) -> list[Member]:
        """Active members whose unit is one of these, ordered by unit then name (without their channel
        identities if not asked for: a roster for names needs none)."""


class Invites(Protocol):
    async def create(self, code_hash: str, unit_id: int, role: Role, expires_at: datetime,
                     max_uses: int, created_by: int | None) -> Invite: ...
    async def by_hash(self, code_hash: str) -> Invite | None: ...
    async def use(self, invite_id: int) -> bool:
        """Count one use if any are left; False when the invite is used up."""
    async def record_failure(self, channel: str, external_id: str, at: datetime) -> None: ...
    async def failures_since(self, channel: str, external_id: str, since: datetime) -> int: ...


class Entries(Protocol):
    async def add(self, entry: NewEntry) -> Entry | None:
        """Store a new entry, withdrawing those it replaces; None when its source_key was stored before."""
    async def active_for_member(self, member_id: int, day: date) -> list[Entry]:
        """The member's entries of the day that are neither withdrawn nor replaced, oldest first."""
    async def withdraw(self, entry_id: int, at: datetime) -> None: ...
    async def totals(self, team_ids: Iterable[int], first_day: date | None, last_day: date) -> dict[int, dict[str, int]]:
        """Per team: the sum of active entries' values over [first_day, last_day] (None: from the beginning)."""
    async def reporters(self, team_ids: Iterable[int], day: date) -> dict[int, dict[int, bool]]:
        """Per team: the members with an active entry that day, each with whether all of theirs were late."""
    async def member_totals(self, member_ids: Iterable[int], day: date) -> dict[int, dict[str, int]]: ...


class Conversations(Protocol):
    async def get(self, channel: str, chat_id: str, user_id: str) -> Conversation: ...
    async def save(self, channel: str, chat_id: str, user_id: str, conv: Conversation, at: datetime) -> None: ...


class Deliveries(Protocol):
    async def claim(self, channel: str, delivery_id: str, at: datetime) -> bool:
        """Mark a delivery processed, in the caller's transaction; False when it already was."""


class Audit(Protocol):
    async def record(self, at: datetime, actor_id: int | None, action: str, subject: str,
                     old: Any, new: Any) -> None: ...


class Tx(Protocol):
    """One database transaction and the repositories bound to it."""

    units: Units
    members: Members
    invites: Invites
    entries: Entries
    conversations: Conversations
    deliveries: Deliveries
    audit: Audit


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

    async def send(self, to: Address, reply: Reply) -> SendResult: ...
