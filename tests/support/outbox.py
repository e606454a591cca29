"""A recording outbox: what the scheduler sent, to whom; chosen addresses answer as if they blocked the bot."""
from __future__ import annotations

import asyncio

from domain.messages import Address, Reply, SendResult


class RecordingOutbox:
    def __init__(self, blocked: set[str] | None = None) -> None:
        self.blocked = set(blocked or ())  # chat ids that answer 403
        self.sent: list[tuple[Address, str]] = []  # delivered, in order
        self.replies: list[tuple[Address, Reply]] = []  # the same, whole (with their attachments)
        self.attempts: list[str] = []  # every chat id tried, delivered or not
        self.bulk: list[str] = []  # chat ids delivered as bulk (the scheduler's fan-out)
        self.gate: asyncio.Event | None = None  # when set up, each send waits for it

    async def send(self, to: Address, reply: Reply, *, bulk: bool = False) -> SendResult:
        self.attempts.append(to.chat_id)
        await asyncio.sleep(0)  # let concurrent senders interleave, as a real channel would
        if self.gate is not None:
            await self.gate.wait()
        if to.chat_id in self.blocked:
            return SendResult(ok=False, blocked=True, error="Forbidden: bot was blocked by the user")
        self.sent.append((to, reply.text))
        self.replies.append((to, reply))
        if bulk:
            self.bulk.append(to.chat_id)
        return SendResult(ok=True)

    @property
    def chats(self) -> list[str]:
        return [to.chat_id for to, _ in self.sent]

    def to(self, chat_id: str) -> list[str]:
        return [text for to, text in self.sent if to.chat_id == chat_id]

    def clear(self) -> None:
        self.sent.clear()
        self.replies.clear()
        self.attempts.clear()
        self.bulk.clear()
