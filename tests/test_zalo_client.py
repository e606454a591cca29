"""The Zalo Bot API client against the double on 127.0.0.1: errors, retries, pace, and a token kept secret."""
from __future__ import annotations

import logging

import pytest

from bot.config import Settings, WebConfig, ZaloConfig
from bot.web import WebServer
from bot.zalo.channel import ZaloChannel, ZaloConfigError, webhook_url
from bot.zalo.client import (ZaloBadRequest, ZaloError, ZaloForbidden, ZaloNetworkError, ZaloNotFound,
                             ZaloRateLimited, ZaloServerError, ZaloUnauthorized)
from tests.support.zalo_api import TOKEN, ZaloApi, free_port
from tests.support.fake_time import FakeTime
from tests.support.zalo_bot import make_client, running_bot


@pytest.fixture
async def api():
    api = ZaloApi()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def client(api, time):
    c = make_client(api, time)
    yield c
    await c.close()


async def test_get_me_and_the_webhook_calls(client, api):
    assert (await client.get_me())["id"] == api.me["id"]
    await client.set_webhook("https://bot.example.vn/zalo/webhook", "hook-secret-123")
    assert (await client.get_webhook_info())["url"] == "https://bot.example.vn/zalo/webhook"
    await client.delete_webhook()
    assert api.webhook["url"] == ""
    assert await client.send_chat_action("zan") is True


async def test_get_updates_returns_nothing_on_408_and_one_update_otherwise(client, api):
    assert await client.get_updates(timeout=0) == []
    api.push({"event_name": "message.text.received", "message": {"message_id": "m1"}})
    assert [u["message"]["message_id"] for u in await client.get_updates(timeout=0)] == ["m1"]


@pytest.mark.parametrize("status, error", [(400, ZaloBadRequest), (401, ZaloUnauthorized), (403, ZaloForbidden),
                                           (404, ZaloNotFound)])
async def test_client_errors_are_named_and_not_retried(client, api, time, status, error):
    api.fail("sendMessage", status)
    with pytest.raises(error) as caught:
        await client.send_message("zan", "xin chào")
    assert caught.value.code == status
    assert len(api.of("sendMessage")) == 1 and time.sleeps == []


async def test_an_error_given_only_in_the_body_counts(client, api, time):
    api.fail("sendMessage", 429, in_body_only=True)  # HTTP 200, {"ok": false, "error_code": 429}
    await client.send_message("zan", "xin chào")
    assert len(api.of("sendMessage")) == 2 and time.sleeps == [1.0]
    api.fail("getMe", 403, in_body_only=True)
    with pytest.raises(ZaloForbidden):
        await client.get_me()


async def test_429_waits_as_told_then_succeeds(client, api, time):
    api.fail("sendMessage", 429, retry_after=5)
    await client.send_message("zan", "xin chào")
    assert time.sleeps == [5.0]
    assert api.sent == [("zan", "xin chào")]


async def test_5xx_is_retried_with_exponential_backoff_then_given_up(client, api, time):
    api.fail("sendMessage", 502, times=10)
    with pytest.raises(ZaloServerError):
        await client.send_message("zan", "xin chào")
    assert len(api.of("sendMessage")) == 5 and time.sleeps == [1.0, 2.0, 4.0, 8.0]
    api.fail("getMe", 429, times=10)
    with pytest.raises(ZaloRateLimited):
        await client.get_me()


async def test_texts_outside_1_to_2000_characters_are_refused_before_sending(client, api):
    for text in ("", "x" * 2001):
        with pytest.raises(ZaloBadRequest):
            await client.send_message("zan", text)
    assert api.of("sendMessage") == []


async def test_the_pace_is_about_one_message_a_second_per_chat(client, api, time):
    for chat in ("a", "b", "a", "a", "b"):
        await client.send_message(chat, "tin")
    # a's second and third wait a second each; by b's second, two seconds have passed: no wait.
    assert time.sleeps == [1.0, 1.0]
    assert [c for c, _ in api.sent] == ["a", "b", "a", "a", "b"]


async def test_the_token_is_never_in_an_error_or_a_log_line(api, time, caplog):
    caplog.set_level(logging.DEBUG)
    errors = []
    for base in (f"http://127.0.0.1:{free_port()}/bot",  # nothing listens there
                 "http://127.0.0.1:port/bot"):  # aiohttp's InvalidURL quotes the whole URL, token and all
        client = make_client(api, time)
        client._base = base
        with pytest.raises(ZaloError) as caught:
            await client.get_me()
        await client.close()
        logging.getLogger("test").error("as the bot would log it", exc_info=caught.value)
        errors.append(str(caught.value))
    assert isinstance(caught.value, ZaloError) and "<token>" in errors[1]
    wrong = make_client(api, time, token="999:not-the-token")
    with pytest.raises(ZaloUnauthorized) as caught:
        await wrong.get_me()
    await wrong.close()
    errors.append(str(caught.value))
    assert not any(TOKEN in e or "999:not-the-token" in e for e in errors)
    assert TOKEN not in caplog.text and "999:not-the-token" not in caplog.text


async def test_a_refused_token_stops_the_start_with_one_clear_sentence(api, store, clock):
    api.token = "another-token"
    with pytest.raises(ZaloConfigError, match="refused the bot token"):
        async with running_bot(store, clock, api=api):
            pass


def test_the_webhook_address_must_be_https_except_on_this_machine():
    assert webhook_url("https://bot.example.vn/") == "https://bot.example.vn/zalo/webhook"
    assert webhook_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080/zalo/webhook"
    for bad in ("", "http://bot.example.vn", "ftp://127.0.0.1"):
        with pytest.raises(ZaloConfigError, match="public_url"):
            webhook_url(bad)


async def test_webhook_mode_needs_a_secret_of_8_characters(api):
    port = free_port()
    settings = Settings(zalo=ZaloConfig(token=TOKEN, api_base_url=api.base_url, webhook_secret="short"),
                        web=WebConfig(port=port, public_url=f"http://127.0.0.1:{port}"))
    channel = ZaloChannel(settings.zalo, WebServer("127.0.0.1", port))

    class App:
        pass
    app = App()
    app.settings = settings
    with pytest.raises(ZaloConfigError, match="webhook_secret"):
        await channel.start(app)
    await channel.stop()
    assert api.calls == []


def test_every_error_is_a_zalo_error():
    for cls in (ZaloBadRequest, ZaloUnauthorized, ZaloForbidden, ZaloNotFound, ZaloRateLimited, ZaloServerError,
                ZaloNetworkError):
        assert issubclass(cls, ZaloError)


def test_the_runner_builds_the_zalo_channel_from_config_and_routes_its_webhook():
    from bot.runner import configured_channels

    for mode, routed in (("webhook", True), ("polling", False)):
        web = WebServer("127.0.0.1", 0)
        channels = configured_channels(Settings(zalo=ZaloConfig(token=TOKEN, mode=mode)), web)
        assert [type(c) for c in channels] == [ZaloChannel] and channels[0].traits.max_text == 2000
        assert web.has_routes is routed
