"""What a handler is given: the message, the sender's record, the transaction, and the services."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Awaitable, Callable, TypeVar

from application.services import Services
from domain.answers import meaning_of_button
from domain.clock import local_day
from domain.i18n import Messages
from domain.messages import Button, Incoming, Reply
from domain.model import Conversation, Member, Role, Unit
from domain.ports import Tx
from domain.settings import CampaignRules

S = TypeVar("S")


@dataclass
class Context:
    tx: Tx
    msg: Incoming
    member: Member | None
    conv: Conversation
    services: Services
    now: datetime
    unit: Unit | None = None  # the member's own unit, loaded once
    state: Any = None  # the conversation's typed state (its Feature's `state`), None when it keeps none

    @property
    def rules(self) -> CampaignRules:
        return self.services.rules

    @property
    def language(self) -> str:
        return self.member.language if self.member else "vi"

    @property
    def t(self) -> Messages:
        return self.services.translator.for_language(self.language)

    @property
    def today(self) -> date:
        return local_day(self.now, self.rules.campaign.tz)

    @property
    def yesterday(self) -> date:
        return self.today - timedelta(days=1)

    @property
    def role(self) -> Role | None:
        return self.member.role if self.member else None

    def reply(self, key: str, buttons: list[list[Button]] | None = None, **values) -> Reply:
        return Reply(self.t(key, **values), tuple(tuple(r) for r in (buttons or ())))

    def button(self, key: str, payload: str, typed: str = "") -> Button:
        return Button(self.t(key), payload, typed, meaning_of_button(key))

    def state_of(self, kind: type[S]) -> S | None:
        """The conversation's state if it is a `kind`: a choice may arrive while another conversation runs."""
        return self.state if isinstance(self.state, kind) else None

    def start(self, name: str, step: str = "", state: Any = None, expects_number: bool = False) -> None:
        """Begin (or move on to a step of) a conversation; the dispatcher stores `state` after the reply."""
        self.conv = Conversation(name=name, step=step, expects_number=expects_number)
        self.state = state

    def finish(self) -> None:
        self.conv = Conversation()
        self.state = None


Handler = Callable[[Context, str], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Command:
    """A slash command: who may use it is decided from the sender's stored role, never from the message."""

    name: str
    handler: Handler
    help_key: str
    roles: frozenset[Role] = frozenset(Role)
    aliases: tuple[str, ...] = ()
    outsiders: bool = False  # usable by someone who is not a member yet
    in_groups: bool = False
    listed_for_members: bool = True  # /start works for members but is no news to them in /help
    refusal_key: str = "error.not_allowed"

    def allowed(self, member: Member | None) -> bool:
        if member is None:
            return self.outsiders
        return member.role in self.roles

    def listed(self, member: Member | None) -> bool:
        return self.allowed(member) and (member is None or self.listed_for_members)


@dataclass(frozen=True)
class Feature:
    """What one handler module adds: its commands, the conversation it continues, its button prefix."""

    commands: tuple[Command, ...] = ()
    conversation: str = ""  # the Conversation.name this module continues
    on_input: Handler | None = None  # text (or a choice) while its conversation is active
    on_choice: Handler | None = None  # a choice payload "<conversation>:…"; the payload follows the colon
    state: Any = None  # the dataclass (or union of them) its conversation keeps between messages (handlers.state)
