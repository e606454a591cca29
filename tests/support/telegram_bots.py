"""Many bots, one deployment: the main bot and province bots, wired as `python -m bot run` wires them, each
talking to its own token on the one Bot API double."""
from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.app import compose_app
from bot.bindings import check_bindings
from bot.config import AdminsConfig, Settings, TelegramBot, TelegramConfig, WebConfig
from bot.runner import configured_channels
from bot.web import WebServer
from doubles.telegram_api import FakeTelegram
from tests.support.telegram_chat import WEBHOOK_SECRET, TelegramChat


def bot_token(n: int) -> str:
    return f"{700000000 + n}:AAFake-province-token-{n:02d}_NEVER-logged"


def deployment_settings(api: FakeTelegram, units: list[str], mode: str = "polling") -> Settings:
    """The main bot (api's token) and one more bot per unit code, each bound to that unit's subtree."""
    bots = tuple(TelegramBot(unit=code, token=SecretStr(bot_token(n))) for n, code in enumerate(units, 1))
    return Settings(
        telegram=TelegramConfig(token=SecretStr(api.token), api_base_url=api.base_url, api_file_url=api.file_url,
                                mode=mode, webhook_secret=SecretStr(WEBHOOK_SECRET), poll_timeout=30, bots=bots),
        web=WebConfig(public_url="https://bot.example.vn"),
        admins=AdminsConfig(telegram=(api.user_id("admin"),)))


class Deployment:
    """`bots["telegram"]` is the main bot, `bots["telegram:P01"]` the bot of P01's subtree: each a TelegramChat."""

    def __init__(self, api: FakeTelegram, store, clock, units: list[str], mode: str = "polling") -> None:
        self.settings = deployment_settings(api, units, mode)
        self.web = WebServer("127.0.0.1", 0)
        self.channels = configured_channels(self.settings, self.web)
        self.app = compose_app(self.settings, {c.traits.name: c.traits for c in self.channels}, store, clock)
        self.app.web = self.web
        self.apis = {"telegram": api}
        for n, bot in enumerate(self.settings.telegram.bots, 1):
            self.apis[bot.channel] = api.add_bot(bot.token.get_secret_value(), f"baocao_{bot.key.lower()}_bot",
                                                 800000000 + n)
        self.bots = {c.traits.name: TelegramChat(self.apis[c.traits.name], store, clock, mode, app=self.app,
                                                 channel=c) for c in self.channels}
        self.client: TestClient | None = None

    async def start(self) -> "Deployment":
        await check_bindings(self.app.store, self.app.services.bindings)
        for chat in self.bots.values():
            await chat.start()
        if self.settings.telegram.mode == "webhook":  # every bot's route on the one web server
            self.client = TestClient(TestServer(self.web.app, host="127.0.0.1"))
            await self.client.start_server()
            for chat in self.bots.values():
                chat.client = self.client
        return self

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.close()
        for chat in reversed(list(self.bots.values())):
            await chat.stop()
