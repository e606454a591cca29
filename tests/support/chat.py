"""Chat transcripts against the real dispatcher and database: say something as someone, read the replies.

The chat is wired by the bot's own composition root (bot.app), on the test's store and clock, with two test
channels: "test" (buttons, like Telegram) and "plain" (text only, like Zalo and the console).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app import compose_app
from bot.config import Settings
from domain.clock import FixedClock
from domain.messages import ChannelTraits, Incoming, Kind, Outgoing
from domain.settings import CampaignRules

TELEGRAM_LIKE = ChannelTraits("test", has_buttons=True, max_text=4096)
TEXT_ONLY = ChannelTraits("plain", has_buttons=False, max_text=2000)
TRAITS = {"test": TELEGRAM_LIKE, "plain": TEXT_ONLY}
JOIN_LINKS = {"test": "https://t.me/testbot?start={code}"}
_ids = itertools.count(1)


def settings_for_test(rules: CampaignRules | None = None) -> Settings:
    """The bot's settings with the campaign of `rules` (the defaults if None)."""
    rules = rules or CampaignRules()
    return Settings(campaign=rules.campaign, metrics=rules.metrics, rules=rules.rules, cutoffs=rules.cutoffs,
                    invites=rules.invites)


@dataclass
class Said:
    """What came back from one message: the replies to the sender's chat, and any sent elsewhere."""

    out: list[Outgoing]

    @property
    def texts(self) -> list[str]:
        return [o.reply.text for o in self.out]

    @property
    def text(self) -> str:
        return "\n---\n".join(self.texts)

    @property
    def buttons(self) -> list[str]:
        return [b.payload for o in self.out for b in o.reply.choices]


class Chat:
    def __init__(self, store, clock: FixedClock, rules: CampaignRules | None = None,
                 admins: dict[str, frozenset[str]] | None = None, settings: Settings | None = None) -> None:
        self.store = store
        self.clock = clock
        self.app = compose_app(settings or settings_for_test(rules), dict(TRAITS), store, clock,
                               join_links=JOIN_LINKS, admins=admins or {})
        self.services = self.app.services
        self.rules = self.services.rules
        self.dispatcher = self.app.dispatcher

    def incoming(self, who: str, text: str, *, kind: Kind = Kind.TEXT, channel: str = "test",
                 group: str | None = None, delivery_id: str | None = None, name: str | None = None) -> Incoming:
        n = next(_ids)
        return Incoming(channel=channel, chat_id=group or who, sender_id=who, sender_name=name or who.title(),
                        delivery_id=delivery_id or f"d{n}", received_at=self.clock.now(), text=text, kind=kind,
                        is_group=group is not None, message_ref=str(n))

    async def say(self, who: str, text: str, **kw) -> Said:
        return Said(await self.dispatcher.handle(self.incoming(who, text, **kw)))

    async def press(self, who: str, payload: str, **kw) -> Said:
        return Said(await self.dispatcher.handle(self.incoming(who, payload, kind=Kind.CHOICE, **kw)))

    async def deliver(self, msg: Incoming) -> Said:
        return Said(await self.dispatcher.handle(msg))


def at(hhmm: str, day: str = "2026-11-20") -> datetime:
    """An aware time in Ho Chi Minh City."""
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
