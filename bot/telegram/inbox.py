"""The database inbox of Telegram updates: each is stored before Telegram hears it arrived."""
from __future__ import annotations

import json
import logging
from typing import Mapping

from telegram import Bot, Update

from bot.telegram.translate import CHANNEL
from domain.clock import Clock
from storage.store import SqlStore

log = logging.getLogger(__name__)


class Inbox:
    def __init__(self, store: SqlStore, clock: Clock, bot: Bot, channel: str = CHANNEL) -> None:
        self.store = store
        self.channel = channel  # one inbox per bot token: update ids are only unique within a bot
        self.clock = clock
        self.bot = bot

    async def record(self, updates: list[Update], raw: Mapping[int, str] | None = None) -> list[Update]:
        """Store a batch in one transaction; returns the updates neither pending nor processed before.
        `raw`: the updates' JSON as received, by update id, where the caller has it."""
        if not updates:
            return []
        raw = raw or {}
        items = [(str(u.update_id), raw.get(u.update_id) or u.to_json()) for u in updates]
        fresh = set(await self.store.write(lambda tx: tx.inbox.put(self.channel, items, self.clock.now())))
        return [u for u in updates if str(u.update_id) in fresh]

    async def pending(self) -> list[Update]:
        """What a previous run stored but did not finish, oldest first."""
        rows = await self.store.read(lambda tx: tx.inbox.pending(self.channel))
        updates = []
        for row in rows:
            try:
                updates.append(Update.de_json(json.loads(row.payload), self.bot))
            except Exception:  # unreadable after an upgrade: drop it rather than block every start
                log.exception("telegram: inbox row %s is unreadable and is dropped", row.delivery_id)
                await self.done(row.delivery_id)
        return updates

    async def done(self, delivery_id: str) -> None:
        """Mark an update the core has no use for as processed, so it leaves the inbox."""
        await self.store.write(lambda tx: tx.deliveries.claim(self.channel, delivery_id, self.clock.now()))
