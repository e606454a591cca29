"""Units, members, roles and entries: the records every conversation works on."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from domain.text import fold


class Role(str, Enum):
    VOLUNTEER = "volunteer"
    TEAM_LEADER = "team_leader"
    LEADER = "leader"
    ADMIN = "admin"

    @classmethod
    def parse(cls, word: str) -> "Role | None":
        """A role as people type it: the English word (`team_leader`, `team leader`) or the Vietnamese one, with
        or without diacritics (`tổ trưởng`, `to truong`, `tình nguyện viên`, `lãnh đạo`, `quản trị`)."""
        return ROLE_WORDS.get(fold(word).replace("_", " ").replace("-", " "))

    @property
    def reports(self) -> bool:
        """Whether this role reports tallies for a team."""
        return self in (Role.VOLUNTEER, Role.TEAM_LEADER)

    @property
    def leads(self) -> bool:
        """Whether this role sees a whole subtree and may invite."""
        return self in (Role.TEAM_LEADER, Role.LEADER, Role.ADMIN)


ROLE_WORDS = {  # folded, "_" and "-" read as spaces
    **{w: Role.VOLUNTEER for w in ("volunteer", "tinh nguyen vien", "tnv", "thanh vien", "tinh nguyen")},
    **{w: Role.TEAM_LEADER for w in ("team leader", "teamleader", "to truong", "totruong")},
    **{w: Role.LEADER for w in ("leader", "lanh dao", "lanhdao", "chi huy")},
    **{w: Role.ADMIN for w in ("admin", "administrator", "quan tri", "quan tri vien", "quantri", "qtv")},
}
MAX_ROLE_WORDS = max(len(w.split()) for w in ROLE_WORDS)


def role_at_end(words: list[str]) -> tuple[Role, int] | None:
    """The role named by the last one to three words (`#12 tổ trưởng`), and how many words it took; longest first."""
    for n in range(min(MAX_ROLE_WORDS, len(words)), 0, -1):
        found = Role.parse(" ".join(words[-n:]))
        if found is not None:
            return found, n
    return None


@dataclass(frozen=True)
class Unit:
    """A unit of the tree. Ask where a unit stands through `line`, `root_id`, `contains` and `child_towards`;
    `path` is how storage keeps that, for its subtree queries."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str  # "/1/4/17/": ids from the root down to this unit, each followed by "/"
    households: int | None = None
    paused_until: date | None = None

    @property
    def line(self) -> tuple[int, ...]:
        """The ids from the root down to this unit itself."""
        return tuple(int(part) for part in self.path.split("/") if part)

    @property
    def root_id(self) -> int:
        """The id of the root this unit lies under (its own, for a root)."""
        return int(self.path.split("/", 2)[1])

    def contains(self, other: "Unit") -> bool:
        """Whether `other` is this unit or lies anywhere under it."""
        return other.path.startswith(self.path)  # each id ends in "/": unit 1 never contains unit 12

    def child_towards(self, descendant: "Unit") -> int | None:
        """The id of this unit's child on the way down to `descendant`; None when `descendant` is this unit
        itself or does not lie under it."""
        if not descendant.path.startswith(self.path):
            return None
        rest = descendant.path[len(self.path):]
        return int(rest.split("/", 1)[0]) if rest else None


@dataclass(frozen=True)
class Identity:
    """A member's account on one channel."""

    channel: str
    external_id: str
    chat_id: str
    blocked: bool = False  # the last message sent here bounced (blocked the bot); cleared when they write here


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    role: Role
    unit_id: int | None  # None only for config-listed admins: they see everything
    language: str = "vi"
    unreachable: bool = False
    identities: tuple[Identity, ...] = ()

    def address_on(self, channel: str) -> str | None:
        for ident in self.identities:
            if ident.channel == channel:
                return ident.chat_id
        return None


@dataclass(frozen=True)
class Membership:
    """A member of a unit over time: joined when the record was made, left when removed (None: still a member)."""

    member: Member
    joined: datetime
    left: datetime | None = None


@dataclass(frozen=True)
class Pause:
    """A team paused from `first_day` through `last_day` (None: since before pauses were kept; until turned off)."""

    unit_id: int
    first_day: date | None
    last_day: date | None

    def covers(self, day: date) -> bool:
        return (self.first_day is None or self.first_day <= day) and (self.last_day is None or day <= self.last_day)


@dataclass(frozen=True)
class MemberNote:
    """What a member wrote for leaders on a day ("Khó khăn: …", "Kiến nghị: …"), with a report or alone."""

    member_id: int
    member_name: str
    team_id: int
    day: date
    text: str


@dataclass(frozen=True)
class DayOff:
    """A member not working on a day, with the reason given ("mưa", "ốm", "họp"); None when none was given."""

    member_id: int
    member_name: str
    team_id: int
    day: date
    reason: str | None


@dataclass(frozen=True)
class Invite:
    id: int
    unit_id: int
    role: Role
    expires_at: datetime
    max_uses: int
    uses: int
    created_by: int | None


@dataclass(frozen=True)
class Entry:
    """One report: a member's counts for one day. Never changed in place; withdrawn or replaced."""

    id: int
    member_id: int
    team_id: int
    day: date
    values: dict[str, int]
    recorded_at: datetime
    late: bool = False
    withdrawn_at: datetime | None = None
    replaced_by: int | None = None


@dataclass(frozen=True)
class NewEntry:
    member_id: int
    team_id: int
    day: date
    values: dict[str, int]
    recorded_at: datetime
    source_key: str  # business key: the message that committed it; a second delivery stores nothing
    late: bool = False
    replaces: tuple[int, ...] = ()


@dataclass(frozen=True)
class TeamDay:
    """One team's totals for a day, with who reported."""

    team: Unit
    totals: dict[str, int]
    reporters: tuple[str, ...] = ()  # member names who reported
    missing: tuple[str, ...] = ()  # member names who did not
    late: bool = False

    @property
    def reported(self) -> bool:
        return bool(self.reporters)


@dataclass(frozen=True)
class LinkedChat:
    """A group chat linked to a unit: its leaders' summaries go there instead of privately."""

    channel: str
    chat_id: str
    unit_id: int
    language: str = "vi"


@dataclass
class Conversation:
    """A half-finished conversation, kept in the database between messages."""

    name: str = ""
    step: str = ""
    data: dict = field(default_factory=dict)
    choices: list[list[str]] = field(default_factory=list)  # [payload, typed word, meaning] offered, in order
    expects_number: bool = False

    @property
    def active(self) -> bool:
        return bool(self.name)


@dataclass(frozen=True)
class TeamFigures:
    """What a summary reads for the teams under a unit: per period asked for, per team, the totals; and per team
    who reported on the day asked for, each with whether all of theirs came late. Teams with nothing are absent."""

    totals: list[dict[int, dict[str, int]]]
    reporters: dict[int, dict[int, bool]]
