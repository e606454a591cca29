"""Neutral chat messages: what every channel turns its updates into, and what handlers answer with."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from domain.exports import FileKind, FileOrder, Period, PeriodKind


class Kind(str, Enum):
    TEXT = "text"
    CHOICE = "choice"  # a button press; its payload is a hint, never proof of identity
    IMAGE = "image"
    UNSUPPORTED = "unsupported"
    AS_CHAT = "as_chat"  # sent as a group or a channel (an anonymous admin, a post as a channel): not a person
    EDITED = "edited"  # the new text of a message the person edited after sending it


@dataclass(frozen=True)
class Address:
    """Where a message goes: one chat on one channel."""

    channel: str
    chat_id: str
    thread: str = field(default="", compare=False)  # a forum topic within the chat; the chat is the same chat


@dataclass(frozen=True)
class Incoming:
    """One message or button press, as every channel delivers it to the core."""

    channel: str
    chat_id: str
    sender_id: str
    sender_name: str
    delivery_id: str  # unique per channel: the update id, or the message id where there is none
    received_at: datetime
    text: str = ""
    kind: Kind = Kind.TEXT
    is_group: bool = False
    message_ref: str = ""  # the platform's id of the message itself (business key of an entry)
    thread: str = ""  # the forum topic it came from, where replies go back to

    @property
    def address(self) -> Address:
        return Address(self.channel, self.chat_id, self.thread)


@dataclass(frozen=True)
class Button:
    label: str
    payload: str
    typed: str = ""  # a word the user may type instead of pressing (needed where a number is awaited)
    meaning: str = ""  # confirm, cancel or fix: the words typed for it (domain.answers) choose it too


class AttachmentKind(str, Enum):
    DOCUMENT = "document"  # a file to open (the workbook): Telegram uploads it, Zalo gets a link
    PHOTO = "photo"  # a picture shown in the chat (a chart): Telegram uploads it, Zalo gets it by URL


@dataclass(frozen=True)
class Attachment:
    """A file a reply carries: not its bytes but the core's order for it (domain.exports.FileOrder), made by the
    `domain.ports.Files` port when the reply is sent. Plain values: `as_dict()`/`from_dict()` store it."""

    kind: AttachmentKind
    order: FileOrder
    caption: str = ""

    @classmethod
    def of(cls, order: FileOrder, caption: str = "") -> "Attachment":
        kind = AttachmentKind.PHOTO if order.kind.is_chart else AttachmentKind.DOCUMENT
        return cls(kind, order, caption)

    @property
    def name(self) -> str:
        return self.order.file_name

    @property
    def mime(self) -> str:
        return self.order.mime

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: what an outbox row keeps of the attachment."""
        o, p = self.order, self.order.period
        return {"kind": self.kind.value, "caption": self.caption, "file": o.kind.value, "unit": o.unit_code,
                "first": p.first.isoformat(), "last": p.last.isoformat(), "period": p.kind.value,
                "period_name": p.name, "language": o.language, "made_at": o.made_at.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Attachment":
        period = Period(date.fromisoformat(data["first"]), date.fromisoformat(data["last"]),
                        PeriodKind(data["period"]), data.get("period_name", ""))
        order = FileOrder(FileKind(data["file"]), data["unit"], period, data["language"],
                          datetime.fromisoformat(data["made_at"]))
        return cls(AttachmentKind(data["kind"]), order, data.get("caption", ""))


@dataclass(frozen=True)
class Reply:
    """A message to send. Buttons are rows; a channel without buttons shows them as numbered choices. Attachments
    go after the text, in order (a channel without files says where each file is)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    to: Address | None = None  # None: the chat the incoming message came from
    attachments: tuple[Attachment, ...] = ()

    @property
    def choices(self) -> list[Button]:
        return [b for row in self.buttons for b in row]


@dataclass(frozen=True)
class Outgoing:
    """A reply bound to its address, ready for a channel; `reply_id`: its row in the outbox (the `replies` table),
    written in the transaction of the change it confirms and marked once the channel has sent it."""

    to: Address
    reply: Reply
    reply_id: int | None = None


@dataclass(frozen=True)
class SendResult:
    """How one send went, as every channel reports it to the outbox's callers (adapters, scheduler)."""

    ok: bool
    blocked: bool = False  # the recipient blocked the bot or can no longer be reached
    error: str = ""  # why not, safe to log: no token, no message text
    moved_to: str | None = None  # the chat's new id, from now on (a Telegram group upgraded to a supergroup)
    message_ids: tuple[str, ...] = ()  # the platform's ids of the messages that went, in order


@dataclass(frozen=True)
class ChannelTraits:
    """What a channel can show; the core shapes replies by these, never by the channel's name."""

    name: str
    has_buttons: bool
    max_text: int


@dataclass(frozen=True)
class Binding:
    """A channel that serves one subtree of the unit tree only (a province's bot); `general`, a channel of the
    same platform, serves every unit no bound channel serves."""

    channel: str
    unit_code: str
    general: str
