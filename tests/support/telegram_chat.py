"""People on Telegram, end to end: updates go through the Bot API double, PTB, the inbox and the core."""
from __future__ import annotations

import json
from dataclasses import dataclass

from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.app import App, compose_app
from bot.config import AdminsConfig, Settings, TelegramConfig, WebConfig
from bot.telegram.channel import TelegramChannel
from bot.telegram.pacing import Pacing
from bot.telegram.translate import TRAITS
from bot.telegram.webhook import SECRET_HEADER
from bot.web import WebServer
from tests.support.fake_time import FakeTime
from tests.support.seed import invite_code
from doubles.telegram_api import FakeTelegram, buttons

WEBHOOK_SECRET = "s3cret-for-the-webhook_test"
POLL = {"id": "p1", "question": "Hôm nay đi mấy hộ?", "options": [], "total_voter_count": 0, "is_closed": False,
        "is_anonymous": True, "type": "regular"}  # without allows_multiple_answers, which PTB requires
OWN_SECRET = object()  # post() with the channel's configured webhook secret


def settings_for(api: FakeTelegram, mode: str = "polling") -> Settings:
    return Settings(
        telegram=TelegramConfig(token=SecretStr(api.token), api_base_url=api.base_url, api_file_url=api.file_url,
                                mode=mode, webhook_secret=SecretStr(WEBHOOK_SECRET), poll_timeout=30),
        web=WebConfig(public_url="https://bot.example.vn"),
        admins=AdminsConfig(telegram=(api.user_id("admin"),)))


def make_app(settings: Settings, store, clock) -> App:
    return compose_app(settings, {"telegram": TRAITS}, store, clock)


@dataclass
class Said:
    """The messages the bot sent to the speaker's chat in answer to one update."""

    sent: list[dict]

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.sent]

    @property
    def text(self) -> str:
        return "\n---\n".join(self.texts)

    @property
    def buttons(self) -> list[str]:
        return [b for m in self.sent for b in buttons(m)]


class TelegramChat:
    """One running bot (polling or webhook) against the double; `say`/`press` return once the update is done."""

    def __init__(self, api: FakeTelegram, store, clock, mode: str = "polling", *, app: App | None = None,
                 channel: TelegramChannel | None = None) -> None:
        """Alone, or (`app` and `channel` given) one of several bots of one deployment."""
        self.api = api
        self.store = store
        self.clock = clock
        self.mode = mode
        self.settings = app.settings if app is not None else settings_for(api, mode)
        self.app = app or make_app(self.settings, store, clock)
        self.web = channel.web if channel is not None else WebServer("127.0.0.1", 0)
        self.channel = channel or TelegramChannel(self.settings.telegram, self.web)
        self.time = FakeTime()  # the channel's pacing waits on this clock, not the wall clock
        self.channel.limiter = Pacing(self.settings.telegram.bulk_rate, self.settings.telegram.max_retries,
                                      clock=self.time.monotonic, sleep=self.time.sleep)
        self.channel.sleep = self.time.sleep  # and so does the polling's backoff
        self.client: TestClient | None = None
        self.alone = channel is None  # else the deployment serves the shared web server

    async def start(self) -> "TelegramChat":
        self.app.channels[self.channel.traits.name] = self.channel
        await self.channel.start(self.app)
        if self.mode == "webhook" and self.alone:  # the shared web server's routes, on a random local port
            self.client = TestClient(TestServer(self.web.app, host="127.0.0.1"))
            await self.client.start_server()
        return self

    async def stop(self) -> None:
        if self.client is not None and self.alone:
            await self.client.close()
        await self.channel.stop()

    async def settle(self, update_id: int | None = None) -> None:
        """Until the update is stored (polling: confirmed by the next getUpdates, which follows the store)
        and everything queued is handled, replies sent."""
        if update_id is not None and self.mode == "polling":
            await self.api.until(lambda: self.api.confirmed(update_id))
        await self.channel.application.update_queue.join()

    async def deliver(self, who: str, update_id: int) -> Said:
        before = len(self.api.sent_to(who))
        if self.mode == "webhook":
            status = await self.post(self.update(update_id))
            assert status == 200, status
        await self.settle(update_id)
        return Said(self.api.sent_to(who)[before:])

    async def say(self, who: str, text: str, **kw) -> Said:
        return await self.deliver(who, self.api.message(who, text, **kw))

    async def press(self, who: str, payload: str) -> Said:
        """Press the button with this payload under the latest message that offered it to `who`."""
        on = next((m for m in reversed(self.api.sent_to(who)) if payload in buttons(m)), None)
        assert on is not None, f"no message to {who} offers {payload}"
        return await self.deliver(who, self.api.press(who, payload, on))

    def update(self, update_id: int) -> dict:
        return next(u for u in self.api.updates if u["update_id"] == update_id)

    async def post(self, update: dict, secret: str | None | object = OWN_SECRET) -> int:
        """POST an update to this bot's webhook path, with its secret (or the one given; None: no header)."""
        headers = {"Content-Type": "application/json"}
        if secret is OWN_SECRET:
            secret = self.channel.config.webhook_secret.get_secret_value()
        if secret is not None:
            headers[SECRET_HEADER] = secret
        resp = await self.client.post(self.channel.path, data=json.dumps(update), headers=headers)
        return resp.status


async def join(tg: TelegramChat, who: str, unit: str, role: str = "volunteer") -> None:
    """`who` joins `unit` by the deep link an admin's /invite gives."""
    said = await tg.say("admin", f"/invite {unit} {role}")
    assert f"https://t.me/{tg.api.username}?start=" in said.text  # the deep link, with the name getMe gave
    said = await tg.say(who, f"/start {invite_code(said.text)}")
    assert "Chào mừng" in said.text, said.text


def unreadable_poll(api: FakeTelegram, who: str) -> int:
    """A message with a poll that lacks a field python-telegram-bot requires, as an older Bot API server sends it:
    an update PTB cannot parse."""
    return api.message(who, poll=POLL)
