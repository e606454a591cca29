"""On Telegram, end to end: joining by deep link, reporting by buttons and by text, undo, summaries, outsiders."""
from __future__ import annotations

from doubles.telegram_api import DATE
from tests.support.telegram_chat import join


async def test_a_volunteer_joins_reports_corrects_and_a_leader_sees_the_totals(tg, api):
    await join(tg, "an", "P01-KP1-T")

    said = await tg.say("an", "/report")  # guided, one metric per step, by buttons
    assert "(1/6) Số hộ đã đến?" in said.text and said.buttons == ["report:skip", "report:cancel"]
    said = await tg.say("an", "20")
    assert "(2/6)" in said.text
    said = await tg.press("an", "report:back")
    assert "(1/6)" in said.text and "hiện tại: 20" in said.text
    said = await tg.say("an", "21")
    for _ in range(5):
        said = await tg.press("an", "report:skip")
    assert "Số hộ đã đến: 21" in said.text
    assert said.buttons == ["report:confirm", "report:fix", "report:cancel"]
    said = await tg.press("an", "report:confirm")
    assert "Đã lưu" in said.text

    said = await tg.say("an", "them 5 ho, cai app 3")  # free text, no diacritics, added to the day
    said = await tg.press("an", "report:confirm")
    assert "Số hộ đã đến: 5 (cả ngày: bạn 26, tổ 26)" in said.text

    said = await tg.say("an", "/undo")
    said = await tg.press("an", "undo:yes")
    assert "Số hộ đã đến: 21" in said.text  # what is left for the day

    await join(tg, "lan", "P01", "leader")
    said = await tg.say("lan", "/summary")
    assert "Tổng: 21 · 0 · 0 · 0 · 0 · 0" in said.text
    assert "Tổ CNS KP2" in said.text  # which team has not reported

    presses = {u["callback_query"]["id"] for u in api.updates if "callback_query" in u}
    answered = {p["callback_query_id"] for m, p in api.calls if m == "answerCallbackQuery"}
    assert answered == presses and len(presses) == 9  # every press's spinner stopped


async def test_an_outsider_is_told_how_to_join_and_can_do_nothing(tg):
    said = await tg.say("stranger", "ho 25")
    assert "chưa là thành viên" in said.text
    said = await tg.say("stranger", "/summary")
    assert "chưa là thành viên" in said.text
    said = await tg.say("stranger", "/start WRONGCODE")
    assert "Mã mời không đúng" in said.text


async def test_photos_and_stickers_get_a_clear_answer_and_groups_get_no_chatter(tg, api):
    await join(tg, "an", "P01-KP1-T")
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    said = await tg.deliver("an", api.message("an", photo=photo, caption="so lieu"))
    assert "Bot chỉ đọc tin nhắn chữ" in said.text
    sticker = {"file_id": "s1", "file_unique_id": "u2", "width": 512, "height": 512, "is_animated": False,
               "is_video": False, "type": "regular"}
    said = await tg.deliver("an", api.message("an", sticker=sticker))
    assert "Bot chỉ đọc tin nhắn chữ" in said.text

    before = len(api.sent)
    await tg.say("an", "ho 25", group="to-kp1")  # plain text in a group is the team chatting
    assert len(api.sent) == before


async def test_updates_from_bots_leave_the_inbox_without_an_answer(tg, api, store):
    update_id = api.queue({"message": {"message_id": 99, "date": DATE, "text": "ho 5",
                                       "chat": api.chat("otherbot"),
                                       "from": {"id": 4242, "is_bot": True, "first_name": "Other"}}})
    await tg.settle(update_id)
    assert await store.read(lambda tx: tx.inbox.pending("telegram")) == []


async def test_the_command_menu_is_set_per_language(tg, api):
    default = {c["command"]: c["description"] for c in api.commands[("default", "")]}
    english = {c["command"]: c["description"] for c in api.commands[("default", "en")]}
    assert list(default) == list(english) and api.commands[("default", "vi")] == api.commands[("default", "")]
    assert "start" not in default and "invite" not in default  # Telegram has its Start button; leaders only
    assert default["report"].startswith("báo cáo từng mục")
    assert english["report"].startswith("report item by item")
    assert english["summary"] == "[unit code] [date] — the summary"
