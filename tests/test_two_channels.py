"""One team on Telegram, another on Zalo, one ward: both channels' real client code, one core, one summary."""
from __future__ import annotations

from datetime import date

import pytest

from bot.config import ZaloConfig
from bot.web import WebServer
from bot.zalo.channel import WEBHOOK_PATH, ZaloChannel
from scheduler import jobs
from tests.support.chat import at
from tests.support.seed import invite_code, seed_units
from tests.support.telegram_api import FakeTelegram
from tests.support.telegram_chat import TelegramChat, join
from tests.support.zalo_api import SECRET, TOKEN, ZaloApi, ZaloUser, free_port
from tests.support.fake_time import FakeTime
from tests.support.zalo_bot import make_client


@pytest.fixture(autouse=True)
def local_only(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
async def both(store, clock):
    """The Telegram channel (polling the Bot API double) and the Zalo channel (webhook) in one app."""
    await seed_units(store)
    tg_api = await FakeTelegram(clock=clock).start()
    zalo_api = await ZaloApi().start()
    tg = TelegramChat(tg_api, store, clock)
    port = free_port()
    web = WebServer("127.0.0.1", port)
    zalo = ZaloChannel(ZaloConfig(token=TOKEN, api_base_url=zalo_api.base_url, mode="webhook",
                                  webhook_secret=SECRET), web, client=make_client(zalo_api, FakeTime()))
    tg.app.settings = tg.app.settings.model_copy(update={"web": tg.app.settings.web.model_copy(
        update={"public_url": f"http://127.0.0.1:{port}"})})
    tg.app.services.traits["zalo"] = ZaloChannel.traits
    tg.app.channels["zalo"] = zalo
    await tg.start()
    await zalo.start(tg.app)
    await web.start()
    try:
        yield tg, ZaloUser(zalo_api, zalo, f"http://127.0.0.1:{port}{WEBHOOK_PATH}"), zalo_api
    finally:
        await web.stop()
        await zalo.stop()
        await tg.stop()
        await zalo_api.stop()
        await tg_api.stop()


async def test_a_ward_leader_gets_one_summary_of_a_telegram_team_and_a_zalo_team(both, clock, store):
    tg, zalo, zalo_api = both
    await join(tg, "lan", "P01-KP1-T")  # a volunteer on Telegram
    await join(tg, "lead", "P01", "leader")  # the ward leader, on Telegram
    code = invite_code((await tg.say("admin", "/invite P01-KP2-T")).text)
    assert "Chào mừng" in await zalo.say("zoe", f"/start {code}", name="Zoe Zalo")  # a volunteer on Zalo

    await tg.say("lan", "ho 20, app 5")
    assert "Đã lưu" in (await tg.press("lan", "report:confirm")).text
    assert "1. ✅ Xác nhận" in await zalo.say("zoe", "ho 7, app 2")
    assert "Đã lưu" in await zalo.say("zoe", "1")

    text = (await tg.say("lead", "/summary")).text
    assert "Đã báo cáo: 2/2 tổ" in text
    assert "Tổ CNS KP1: 20 · 5 · 0" in text and "Tổ CNS KP2: 7 · 2 · 0" in text
    assert "Tổng: 27 · 7 · 0 · 0 · 0 · 0" in text

    # At 16:00 the same numbers are pushed without anyone asking, through the app's outbox (both channels).
    clock.set(at("16:00"))
    team_cutoff = next(c for c in tg.app.services.rules.cutoffs if c.name == "team")
    await jobs.at_cutoff(store, tg.app.services, tg.app, team_cutoff, date(2026, 11, 20))
    pushed = tg.api.sent_to("lead")[-1]["text"]
    assert "Tổng: 27 · 7 · 0 · 0 · 0 · 0" in pushed and "Đã báo cáo: 2/2 tổ" in pushed
