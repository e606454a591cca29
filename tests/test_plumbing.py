"""The channels' shared plumbing on its own: handle-then-reply, the console's terminal, the never-ending poll."""
from __future__ import annotations

import io
import logging

import pytest

from bot.console import Terminal
from bot.plumbing.delivery import handle_and_reply
from bot.plumbing.retry import Stopped, backoff, poll_forever
from domain.messages import Address, Incoming, Outgoing, Reply, SendResult
from tests.support.chat import at
from tests.support.fake_time import FakeTime


class Core:
    def __init__(self, replies: list[Outgoing]) -> None:
        self.replies = replies
        self.handled = []
        self.marked = []

    async def handle(self, msg):
        self.handled.append(msg)
        return self.replies

    async def sent(self, reply_ids):
        self.marked.extend(reply_ids)


async def test_every_reply_goes_in_order_and_a_failed_one_does_not_stop_the_rest(caplog):
    here, leader = Address("test", "an"), Address("zalo", "lan")
    core = Core([Outgoing(here, Reply("Đã lưu")), Outgoing(leader, Reply("An vừa báo cáo 25 hộ")),
                 Outgoing(here, Reply("Cảm ơn"))])
    sent = []

    async def send(to, reply):
        sent.append((to, reply.text))
        return SendResult(ok=False, blocked=True, error="Forbidden") if to == leader else SendResult(ok=True)

    msg = Incoming(channel="test", chat_id="an", sender_id="an", sender_name="An", delivery_id="d1",
                   received_at=at("10:00"), text="ho 25")
    results = await handle_and_reply(core, send, msg)
    assert core.handled == [msg]
    assert sent == [(here, "Đã lưu"), (leader, "An vừa báo cáo 25 hộ"), (here, "Cảm ơn")]
    assert [r.ok for r in results] == [True, False, True]
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == ["test: a reply on zalo was not delivered: Forbidden"]  # where and why, never the text


async def test_the_console_prints_replies_and_marks_those_for_another_chat():
    out = io.StringIO()
    terminal = Terminal("an", out)
    assert (await terminal.send(Address("console", "an"), Reply("Đã lưu"))).ok
    await terminal.send(Address("telegram", "42"), Reply("An vừa liên kết"))
    assert out.getvalue() == "Đã lưu\n[to telegram:42] An vừa liên kết\n"


async def test_a_poll_loop_outlives_every_failure_backs_off_and_resets_and_ends_only_when_stopped():
    time = FakeTime()
    rounds = iter([TypeError, TypeError, None, RuntimeError, Stopped])
    told: list[tuple[str, float]] = []

    async def round_() -> None:
        failure = next(rounds)
        if failure is not None:
            raise failure("a bug, or the database away")

    await poll_forever(round_, wait=backoff(1.0, 30.0), sleep=time.sleep,
                       failed=lambda exc, wait: told.append((type(exc).__name__, wait)))
    assert told == [("TypeError", 1.0), ("TypeError", 2.0), ("RuntimeError", 1.0)]  # reset by the success
    assert time.sleeps == [1.0, 2.0, 1.0]


async def test_the_backoff_stops_at_its_most():
    time = FakeTime()
    failures = iter(range(8))

    async def round_() -> None:
        if next(failures, None) is None:
            raise Stopped
        raise ConnectionError

    await poll_forever(round_, wait=backoff(2.0, 60.0), sleep=time.sleep, failed=lambda exc, wait: None)
    assert time.sleeps == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]


async def test_a_port_in_use_stops_a_webhook_start_in_one_sentence_and_only_costs_polling_its_healthz(caplog):
    import socket

    from bot.app import StartError
    from bot.plumbing.health import IntakeHealth
    from bot.web import WebServer

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        polling = WebServer("127.0.0.1", port)
        polling.watch(IntakeHealth("telegram", "polling"))
        await polling.start()  # the bot polls on without /healthz, and says so
        assert any(f"Cannot listen on 127.0.0.1:{port}" in r.getMessage() and "/healthz is not served" in
                   r.getMessage() for r in caplog.records)
        webhook = WebServer("127.0.0.1", port)

        async def hook(request):
            ...
        webhook.add_post("/zalo/webhook", hook)
        with pytest.raises(StartError, match=rf"^Cannot listen on 127\.0\.0\.1:{port} .*\[web\] host or port\.$"):
            await webhook.start()
