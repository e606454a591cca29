"""The outbox of replies in storage: what a reply carries (buttons, files) comes back as it went in."""
from __future__ import annotations

from datetime import date

from domain.exports import FileKind, FileOrder, Period, PeriodKind
from domain.messages import Address, Attachment, Button, Outgoing, Reply
from tests.support.chat import at


async def test_an_unsent_reply_comes_back_whole_and_leaves_once_marked(store):
    order = FileOrder(FileKind.WORKBOOK, "P01", Period(date(2026, 3, 1), date(2026, 3, 7), PeriodKind.RANGE, ""),
                      "vi", at("10:00"))
    an, lan = Address("telegram", "an"), Address("zalo", "lan")
    kept = [Outgoing(an, Reply("Xác nhận?", ((Button("✅ Xác nhận", "report:confirm", "ok"),),))),
            Outgoing(lan, Reply("Báo cáo tuần", attachments=(Attachment.of(order, "tuần này"),))),
            Outgoing(an, Reply("Cảm ơn"))]
    ids = await store.write(lambda tx: tx.replies.put(kept, at("10:00")))
    unsent = await store.read(lambda tx: tx.replies.unsent("telegram"))
    assert [(u.reply_id, u.out.to, u.out.reply) for u in unsent] == [(ids[0], an, kept[0].reply),
                                                                     (ids[2], an, kept[2].reply)]
    [on_zalo] = await store.read(lambda tx: tx.replies.unsent("zalo"))
    assert on_zalo.out.reply == kept[1].reply and on_zalo.out.reply.attachments[0].order == order

    await store.write(lambda tx: tx.replies.mark_sent(ids[:2], at("10:01")))
    assert [u.reply_id for u in await store.read(lambda tx: tx.replies.unsent("telegram"))] == [ids[2]]
    assert await store.read(lambda tx: tx.replies.unsent("zalo")) == []
    assert await store.write(lambda tx: tx.replies.prune(at("10:02"))) == 2


async def test_a_reply_to_a_forum_topic_comes_back_to_that_topic(store):
    topic = Address("telegram", "-1001", "7")
    await store.write(lambda tx: tx.replies.put([Outgoing(topic, Reply("Tổng hợp")),
                                                 Outgoing(Address("telegram", "-1001"), Reply("Chung"))], at("10:00")))
    unsent = await store.read(lambda tx: tx.replies.unsent("telegram"))
    assert [(u.out.to.thread, u.out.reply.text) for u in unsent] == [("7", "Tổng hợp"), ("", "Chung")]
