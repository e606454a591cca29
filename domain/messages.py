"""Neutral chat messages: what every channel turns its updates into, and what handlers answer with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class Kind(str, Enum):
    TEXT = "text"
    CHOICE = "choice"  # a button press; its payload is a hint, never proof of identity
    IMAGE = "image"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Address:
    """Where a message goes: one chat on one channel."""

    channel: str
    chat_id: str


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

    @property
    def address(self) -> Address:
        return Address(self.channel, self.chat_id)


@dataclass(frozen=True)
class Button:
    label: str
    payload: str
    typed: str = ""  # a word the user may type instead of pressing (needed where a number is awaited)


@dataclass(frozen=True)
class Reply:
    """A message to send. Buttons are rows; a channel without buttons shows them as numbered choices."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    to: Address | None = None  # None: the chat the incoming message came from

    @property
    def choices(self) -> list[Button]:
        return [b for row in self.buttons for b in row]


@dataclass(frozen=True)
class Outgoing:
    """A reply bound to its address, ready for a channel."""

    to: Address
    reply: Reply


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
