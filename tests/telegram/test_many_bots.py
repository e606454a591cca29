"""Many bots, one deployment: the main bot and one bot per ward of the seed tree (standing for provinces), each
serving its subtree — joins, reports, update ids, reminders and summaries each through the member's own bot."""
from __future__ import annotations

from datetime import date

import pytest

from domain.model import Identity, Role
from handlers.joining import hash_code
from scheduler import jobs
from tests.support.chat import at
from tests.support.seed import invite_code, seed_units
from tests.support.telegram_bots import Deployment

DAY = date(2026, 11, 20)


@pytest.fixture
async def bots(api, store, clock):
    await seed_units(store)
    deployment = await Deployment(api, store, clock, ["P01", "P02"]).start()
    yield deployment
    await deployment.stop()


async def invite(bot, unit: str, role: str = "volunteer") -> str:
    said = await bot.say("admin", f"/invite {unit} {role}")
    return invite_code(said.text)


async def test_a_volunteer_joins_through_the_bot_of_their_province_and_reports_there(bots):
    main, p01 = bots.bots["telegram"], bots.bots["telegram:P01"]
    said = await main.say("admin", "/invite P01-KP1-T")  # asked on the main bot: the link is P01's bot's
    assert "https://t.me/baocao_p01_bot?start=" in said.text and "baocao_test_bot" not in said.text
    said = await p01.say("an", f"/start {invite_code(said.text)}")
    assert "Chào mừng An" in said.text and "Tổ CNS KP1" in said.text
    said = await p01.say("an", "ho 25, app 18")
    said = await p01.press("an", "report:confirm")
    assert "Đã lưu" in said.text and "Số hộ đã đến: 25 (cả ngày: bạn 25, tổ 25)" in said.text
    assert main.api.sent_to("an") == []  # the main bot never spoke to her
    said = await main.say("an", "ho 1")  # she is a member through P01's bot, not through the main one
    assert "chưa là thành viên" in said.text


async def test_an_invite_for_another_province_is_refused_with_the_link_of_the_right_bot(bots, store):
    main, p01, p02 = bots.bots["telegram"], bots.bots["telegram:P01"], bots.bots["telegram:P02"]
    code = await invite(main, "P02-KP1-T")
    said = await p01.say("binh", f"/start {code}")
    assert said.texts == ["Mã mời này dành cho Tổ CNS Đa Kao 1, đơn vị do một bot khác phụ trách. "
                          f"Hãy mở liên kết này để tham gia:\nhttps://t.me/baocao_p02_bot?start={code}"]
    said = await main.say("binh", f"/start {code}")  # the main bot sends her there too
    assert f"https://t.me/baocao_p02_bot?start={code}" in said.text
    said = await p02.say("binh", f"/start {code}")
    assert "Chào mừng Binh" in said.text
    found = await store.read(lambda tx: tx.invites.by_hash(hash_code(code)))
    assert found.uses == 1  # the refusals used nothing up
    said = await p01.say("binh", "ho 3")
    assert "chưa là thành viên" in said.text


async def test_a_unit_no_province_bot_serves_joins_through_the_main_bot(bots):
    main, p01 = bots.bots["telegram"], bots.bots["telegram:P01"]
    said = await p01.say("admin", "/invite Q1 leader")  # an admin of the main bot is an admin on every bot
    code = invite_code(said.text)
    assert f"https://t.me/baocao_test_bot?start={code}" in said.text and "baocao_p01_bot" not in said.text
    said = await p01.say("lan", f"/start {code}")
    assert f"https://t.me/baocao_test_bot?start={code}" in said.text and "Chào mừng" not in said.text
    said = await main.say("lan", f"/start {code}")
    assert "Chào mừng Lan" in said.text and "Quận 1" in said.text
    said = await main.say("lan", "/summary")
    assert "Quận 1" in said.text


async def test_update_ids_count_per_bot_and_the_same_id_on_two_bots_is_two_updates(bots):
    p01, p02 = bots.bots["telegram:P01"], bots.bots["telegram:P02"]
    first = p01.api.message("an", "/start")
    second = p02.api.message("an", "/start")
    assert first == second == 5001  # each bot numbers its own updates
    await p01.settle(first)
    await p02.settle(second)
    for bot in (p01, p02):  # each answered once: neither update was taken for a repeat of the other
        assert [m["text"][:22] for m in bot.api.sent_to("an")] == ["Bạn chưa là thành viên"]


async def test_someone_who_joined_through_the_main_bot_keeps_working_there(bots, store, api, clock):
    main = bots.bots["telegram"]

    async def before_province_bots(tx):  # joined when the deployment had one bot only
        team = await tx.units.by_code("P01-KP1-T")
        uid = str(api.user_id("cu"))
        await tx.members.create("Cũ", Role.VOLUNTEER, team.id, "vi", Identity("telegram", uid, uid))
    await store.write(before_province_bots)
    await main.say("cu", "ho 7")
    said = await main.press("cu", "report:confirm")
    assert "Đã lưu" in said.text
    said = await main.say("cu", "/link_account")  # and may move to her province's bot: one account, two chats
    code = said.text.split("/link_account ")[1].split()[0]
    p01 = bots.bots["telegram:P01"]
    said = await p01.say("cu", f"/link_account {code}")
    assert "Đã liên kết!" in said.text and "trên Telegram" in said.text
    said = await p01.say("cu", "/summary")
    assert "Tổ CNS KP1" in said.text
    clock.set(at("15:30", "2026-11-21"))  # the next day, nothing reported yet: reminded through her province's bot
    cutoff = next(c for c in bots.app.services.rules.cutoffs if c.name == "team")
    outcome = await jobs.remind(store, bots.app.services, bots.app, cutoff, date(2026, 11, 21), 30)
    assert outcome.sent == 1 and "Hạn chót 16:00" in p01.api.sent_to("cu")[-1]["text"]
    assert not any("Hạn chót" in m["text"] for m in main.api.sent_to("cu"))


async def test_reminders_and_summaries_go_out_through_each_members_own_bot(bots, store, clock):
    main, p01, p02 = bots.bots["telegram"], bots.bots["telegram:P01"], bots.bots["telegram:P02"]
    await p01.say("an", f"/start {await invite(main, 'P01-KP1-T')}")
    await p02.say("binh", f"/start {await invite(main, 'P02-KP1-T')}")
    await p01.say("lead", f"/start {await invite(main, 'P01', 'leader')}")
    cutoff = next(c for c in bots.app.services.rules.cutoffs if c.name == "team")
    clock.set(at("15:30"))
    outcome = await jobs.remind(store, bots.app.services, bots.app, cutoff, DAY, 30)
    assert outcome.sent == 2 and outcome.failed == 0
    assert "Hạn chót 16:00" in p01.api.sent_to("an")[-1]["text"]
    assert "Hạn chót 16:00" in p02.api.sent_to("binh")[-1]["text"]
    assert not any("Hạn chót" in m["text"] for m in main.api.sent)
    assert not any("Hạn chót" in m["text"] for m in p01.api.sent_to("binh") + p02.api.sent_to("an"))

    clock.set(at("16:00"))
    await jobs.at_cutoff(store, bots.app.services, bots.app, cutoff, DAY)
    summary = [m["text"] for m in p01.api.sent_to("lead") if m["text"].startswith("🔔")]
    assert summary and "📊 Phường Bến Nghé — 20/11/2026" in summary[-1]
    assert main.api.sent_to("lead") == []


async def test_webhook_mode_gives_each_bot_its_own_path_and_secret_on_one_server(api, store, clock):
    await seed_units(store)
    deployment = await Deployment(api, store, clock, ["P01", "P02"], mode="webhook").start()
    try:
        main, p01, p02 = (deployment.bots[n] for n in ("telegram", "telegram:P01", "telegram:P02"))
        assert main.api.webhook["url"] == "https://bot.example.vn/telegram/webhook"
        assert p01.api.webhook["url"] == "https://bot.example.vn/telegram/P01/webhook"
        assert p02.api.webhook["url"] == "https://bot.example.vn/telegram/P02/webhook"
        secrets = {b.api.webhook["secret_token"] for b in (main, p01, p02)}
        assert len(secrets) == 3  # one configured secret, a different one derived per bot
        update = p01.update(p01.api.message("an", "/start"))
        assert await p01.post(update, secret=p02.api.webhook["secret_token"]) == 403  # another bot's secret
        assert await p01.post(update, secret=main.api.webhook["secret_token"]) == 403
        await p01.settle()
        assert p01.api.sent == []
        said = await p01.deliver("an", update["update_id"])  # with its own secret
        assert "chưa là thành viên" in said.text
        code = await invite(main, "P02-KP1-T")
        said = await p02.say("binh", f"/start {code}")
        assert "Chào mừng Binh" in said.text
    finally:
        await deployment.stop()
