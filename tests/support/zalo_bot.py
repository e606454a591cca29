"""The bot running with its Zalo channel against the API double, beside the test channel, on one store."""
from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.app import App
from bot.config import Settings, WebConfig, ZaloConfig
from bot.web import WebServer
from bot.zalo.channel import WEBHOOK_PATH, ZaloChannel
from bot.zalo.client import Pacer, ZaloClient
from domain.messages import Address, Reply, SendResult
from tests.support.chat import TELEGRAM_LIKE, Chat
from tests.support.fake_time import FakeTime
from doubles.zalo_api import SECRET, TOKEN, ZaloApi, ZaloUser, free_port


class OtherOutbox:
    """The "test" channel's sending side: what the app sent there (link notices, summaries)."""

    traits = TELEGRAM_LIKE

    def __init__(self) -> None:
        self.sent: list[tuple[str, Reply]] = []

    async def start(self, app) -> None: ...
    async def stop(self) -> None: ...

    async def send(self, to: Address, reply: Reply, *, bulk: bool = False) -> SendResult:
        self.sent.append((to.chat_id, reply))
        return SendResult(ok=True)


@dataclass
class Running:
    api: ZaloApi
    zalo: ZaloChannel
    user: ZaloUser
    app: App
    chat: Chat  # the test channel ("test"), through the same dispatcher and store
    outbox: OtherOutbox
    time: FakeTime
    web: WebServer


def make_client(api: ZaloApi, time: FakeTime, token: str = TOKEN, **kw) -> ZaloClient:
    return ZaloClient(token, api.base_url, sleep=time.sleep,
                      pacer=Pacer(monotonic=time.monotonic, sleep=time.sleep), **kw)


@asynccontextmanager
async def running_bot(store, clock, *, mode: str = "webhook", api: ZaloApi | None = None,
                      before_start=None):
    """Start the Zalo channel and the web server the way the runner does (channels first, then the server)."""
    api = api or ZaloApi()
    own_api = not api.base_url
    if own_api:
        await api.start()
    port = free_port()
    settings = Settings(zalo=ZaloConfig(token=TOKEN, api_base_url=api.base_url, mode=mode, webhook_secret=SECRET),
                        web=WebConfig(host="127.0.0.1", port=port, public_url=f"http://127.0.0.1:{port}"))
    chat = Chat(store, clock, admins={"test": frozenset({"admin"})}, settings=settings)
    chat.services.traits["zalo"] = ZaloChannel.traits
    app = chat.app
    web = WebServer("127.0.0.1", port)
    app.web = web
    time = FakeTime()
    zalo = ZaloChannel(settings.zalo, web, client=make_client(api, time), sleep=time.sleep)
    outbox = OtherOutbox()
    app.channels.update({"test": outbox, "zalo": zalo})
    if before_start is not None:
        await before_start(app)
    try:
        await zalo.start(app)
        await web.start()
        user = ZaloUser(api, zalo, f"http://127.0.0.1:{port}{WEBHOOK_PATH}")
        yield Running(api, zalo, user, app, chat, outbox, time, web)
    finally:
        await web.stop()
        await zalo.stop()
        if own_api:
            await api.stop()
