"""Telegram updates in the channels' inbox: read with python-telegram-bot, one at a time when a batch will not."""
from __future__ import annotations

import json

from telegram import Bot, Update

from bot.plumbing.faults import Unreadable
from bot.plumbing.inbox import Arrival, Inbox
from domain.clock import Clock
from domain.ports import Store


def telegram_inbox(store: Store, clock: Clock, bot: Bot, channel: str) -> Inbox[Update]:
    """One inbox per bot token: update ids are only unique within a bot."""
    return Inbox(store, clock, channel, read=lambda raw: read_update(raw, bot), identify=lambda u: str(u.update_id))


def read_update(raw: str, bot: Bot) -> Update:
    update = Update.de_json(json.loads(raw), bot)
    if update is None:
        raise Unreadable("not an update")
    return update


def update_id(raw: str) -> str | None:
    """The update's id as Telegram numbered it, read from its JSON alone; None when there is none."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    value = data.get("update_id") if isinstance(data, dict) else None
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def arrived(updates: list[Update], raw: dict[int, str]) -> list[Arrival[Update]]:
    """A batch python-telegram-bot read, each with its JSON as Telegram sent it where the caller has it."""
    return [Arrival(str(u.update_id), raw.get(u.update_id) or u.to_json(), u) for u in updates]
