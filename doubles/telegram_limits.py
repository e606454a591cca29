"""Telegram's sending limits, as the Bot API double enforces them when given them (the benchmarks do)."""
from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable


class SendingLimits:
    """One bot token's limits as the Bot FAQ describes them: per chat about one message a second, a short burst
    passing (`chat_burst` at once, the allowance coming back at `chat_rate` a second); and `bulk_rate` messages a
    second overall for bulk — messages to chats that have not written to the bot in the last `answer_window`
    seconds (an answer to a person's own message is not bulk). `clock` is monotonic seconds."""

    def __init__(self, bulk_rate: float = 30.0, chat_burst: int = 3, chat_rate: float = 1.0,
                 answer_window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.bulk_rate = bulk_rate
        self.chat_burst = chat_burst
        self.chat_rate = chat_rate
        self.answer_window = answer_window
        self.clock = clock
        self._window: deque[float] = deque()  # bulk send times within the last second, all chats
        self._per_chat: dict[str, deque[float]] = defaultdict(deque)
        self._heard: dict[str, float] = {}  # chat → when it last wrote to the bot

    def fresh(self) -> "SendingLimits":
        """The same limits for another token, which has sent nothing yet."""
        return SendingLimits(self.bulk_rate, self.chat_burst, self.chat_rate, self.answer_window, self.clock)

    def heard(self, chat_id: str) -> None:
        """This chat wrote to the bot: messages to it are answers for a while."""
        self._heard[chat_id] = self.clock()

    def retry_after(self, chat_id: str) -> int:
        """Seconds to wait if a message to this chat now breaks a limit; else 0, and the message is counted."""
        now = self.clock()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        bulk = now - self._heard.get(chat_id, float("-inf")) >= self.answer_window
        if bulk and len(self._window) >= self.bulk_rate:
            return 1
        chat = self._per_chat[chat_id]
        while chat and now - chat[0] >= self.chat_burst / self.chat_rate:
            chat.popleft()
        if len(chat) >= self.chat_burst:
            return 1
        if bulk:
            self._window.append(now)
        chat.append(now)
        return 0
