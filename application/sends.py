"""A scheduled message and whom it is for: claimed once under its key, then sent (see docs/scheduler.md)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.messages import Address, Attachment


@dataclass(frozen=True)
class MemberRecipient:
    """A member, privately: on whichever of their channels is running (a bounce marks that chat blocked)."""

    member_id: int


@dataclass(frozen=True)
class ChatRecipient:
    """A group chat linked to a unit with /link (a bounce unlinks it; Telegram may move it to a new id)."""

    address: Address


Recipient = MemberRecipient | ChatRecipient


def recipient_key(recipient: Recipient) -> str:
    """The recipient as the `sends` table stores it: "member:12" or "chat:telegram:-100123"."""
    if isinstance(recipient, MemberRecipient):
        return f"member:{recipient.member_id}"
    return f"chat:{recipient.address.channel}:{recipient.address.chat_id}"


@dataclass(frozen=True)
class Send:
    """One message to claim, then send. Its key (kind, topic, day, recipient) is claimed once, ever."""

    kind: str  # remind, missing, summary, unreachable
    topic: str  # the cut-off ("team"), with the reminder offset ("team-30"); "manual" for /remind
    day: date  # the first day the message is about
    recipient: Recipient
    to: Address
    text: str
    urgency: tuple = ()  # sent in ascending order
    name: str = ""  # who it goes to, for the sender's own confirmation
    team_id: int | None = None  # a reminder: dropped at send time if the member reported meanwhile
    attachments: tuple[Attachment, ...] = ()  # files after the text (a summary's workbook and charts)

    @property
    def member_id(self) -> int | None:
        """The member a private message is for: whom to mark unreachable if it bounces."""
        return self.recipient.member_id if isinstance(self.recipient, MemberRecipient) else None

    @property
    def key(self) -> tuple[str, str, date, str]:
        return self.kind, self.topic, self.day, recipient_key(self.recipient)
