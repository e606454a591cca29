"""The scheduler through the real Telegram channel: reminders reach the Bot API double, a 429 is waited out,
a 403 marks the member unreachable and tells the team leader, summaries go to a /link-ed group."""
from __future__ import annotations

from datetime import date

from scheduler import jobs
from tests.support.chat import at
from tests.support.telegram_chat import join

DAY = date(2026, 11, 20)


def cutoff(tg, name):
    return next(c for c in tg.app.services.rules.cutoffs if c.name == name)


async def test_reminders_and_summaries_go_out_through_telegram(tg, api, store, clock):
    for who, unit, role in (("an", "P01-KP1-T", "volunteer"), ("binh", "P01-KP1-T", "volunteer"),
                            ("tam", "P01-KP1-T", "team_leader"), ("lead", "P01", "leader")):
        await join(tg, who, unit, role)
    await tg.say("lead", "/link", group="ward-p01")
    group_id = str(api.chat("lead", "ward-p01")["id"])
    assert "Đã liên kết nhóm này với Phường Bến Nghé" in api.sent[-1]["text"] and api.sent[-1]["chat_id"] == group_id
    api.blocked.add(str(api.user_id("binh")))
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    clock.set(at("15:30"))
    outcome = await jobs.remind(store, tg.app.services, tg.app, cutoff(tg, "team"), DAY, 30)
    assert outcome.sent == 2 and outcome.blocked == 1 and outcome.notes == 1 and outcome.failed == 0
    assert "Hạn chót 16:00, còn 30 phút" in api.sent_to("an")[-1]["text"]
    notes = [m["text"] for m in api.sent_to("tam") if "⚠️" in m["text"]]
    assert len(notes) == 1 and "Binh" in notes[0]
    assert (await store.read(lambda tx: tx.members.by_identity("telegram", str(api.user_id("binh"))))).unreachable

    clock.set(at("16:00"))
    await jobs.at_cutoff(store, tg.app.services, tg.app, cutoff(tg, "team"), DAY)
    group = [m["text"] for m in api.sent if m["chat_id"] == group_id]
    assert group and group[-1].startswith("🔔 Tổng hợp lúc 16:00\n📊 Phường Bến Nghé — 20/11/2026")
    assert not any(m["text"].startswith("🔔") for m in api.sent_to("lead"))  # the group, not privately
