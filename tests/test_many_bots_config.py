"""[[telegram.bots]]: read from config.toml and the environment, refused in one sentence when wrong."""
from __future__ import annotations

import pytest

from bot.app import StartError
from bot.bindings import check_bindings
from bot.config import ConfigError, load_settings
from bot.runner import configured_channels
from bot.web import WebServer
from domain.model import Conversation, Identity, Role
from tests.support.seed import seed_units
from tests.test_cli import UNITS, cli

MAIN = "111:main-token"
CONFIG = f"""
[telegram]
token = "{MAIN}"
api_base_url = "http://127.0.0.1:9/bot"
mode = "webhook"
webhook_secret = "one-secret-for-all_bots"
poll_timeout = 12

[[telegram.bots]]
unit = "P01"
token = "222:p01-token"

[[telegram.bots]]
unit = "P02-X.1"
name = "danang"
"""


def settings_from(tmp_path, text: str, monkeypatch, **env):
    for var in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_TOKEN_P01", "TELEGRAM_BOT_TOKEN_DANANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, env_file=tmp_path / ".env")  # none: a developer's own .env stays out


def test_each_bot_is_a_channel_of_its_own_inheriting_the_shared_settings(tmp_path, monkeypatch):
    settings = settings_from(tmp_path, CONFIG, monkeypatch, TELEGRAM_BOT_TOKEN_DANANG="333:from-the-environment")
    channels = configured_channels(settings, WebServer("127.0.0.1", 0))
    assert [c.traits.name for c in channels] == ["telegram", "telegram:P01", "telegram:danang"]
    assert [c.token for c in channels] == [MAIN, "222:p01-token", "333:from-the-environment"]
    assert [c.path for c in channels] == ["/telegram/webhook", "/telegram/P01/webhook", "/telegram/danang/webhook"]
    assert {(c.config.api_base_url, c.config.mode, c.config.poll_timeout) for c in channels} == {
        ("http://127.0.0.1:9/bot", "webhook", 12)}
    secrets = [c.config.webhook_secret.get_secret_value() for c in channels]
    assert secrets[0] == "one-secret-for-all_bots" and len(set(secrets)) == 3  # each bot's own, derived
    assert all(len(s) <= 256 and s.replace("-", "").replace("_", "").isalnum() for s in secrets)
    assert settings.channel_admins()["telegram:danang"] == settings.channel_admins()["telegram"]
    assert [(b.channel, b.unit_code, b.general) for b in settings.bindings()] == [
        ("telegram:P01", "P01", "telegram"), ("telegram:danang", "P02-X.1", "telegram")]


def test_a_missing_token_stops_only_the_bot_itself_in_one_sentence(tmp_path, monkeypatch):
    """`units import` or `export` may run where the tokens are not (they live in the bot's environment)."""
    settings = settings_from(tmp_path, CONFIG.replace('token = "222:p01-token"\n', ""), monkeypatch,
                             TELEGRAM_BOT_TOKEN_DANANG="333:x")
    assert settings.telegram.missing_token() == ("The bot for unit 'P01' has no token: set TELEGRAM_BOT_TOKEN_P01 "
                                                 "or token = \"…\" in its [[telegram.bots]] entry.")
    settings = settings_from(tmp_path, CONFIG.replace(f'token = "{MAIN}"', 'token = ""'), monkeypatch,
                             TELEGRAM_BOT_TOKEN_DANANG="333:x")
    assert settings.telegram.missing_token() == (
        "[[telegram.bots]] need the main bot too: set [telegram] token (or TELEGRAM_BOT_TOKEN); it serves every "
        "unit no province bot serves, and admins.")
    settings = settings_from(tmp_path, CONFIG, monkeypatch, TELEGRAM_BOT_TOKEN_DANANG="333:x")
    assert settings.telegram.missing_token() == ""


@pytest.mark.parametrize("change, error", [
    (lambda c: c.replace("222:p01-token", MAIN),
     "telegram: the bot for unit 'P01' has the token of another bot: each bot needs its own token from @BotFather"),
    (lambda c: c.replace('unit = "P02-X.1"', 'unit = "P01"'),
     "telegram: two bots serve unit 'P01': bind each bot to a different unit"),
    (lambda c: c.replace('name = "danang"', 'name = "P01"\ntoken = "444:y"'),
     "telegram: two bots are named 'P01': give each [[telegram.bots]] entry its own name"),
    (lambda c: c.replace('name = "danang"\n', ""),
     "telegram: the bot for unit 'P02-X.1' needs name = \"…\" of up to 32 letters, digits, - and _ (its unit code "
     "cannot name a channel)"),
])
def test_a_wrong_bots_list_is_refused_in_one_sentence(tmp_path, monkeypatch, change, error):
    with pytest.raises(ConfigError) as refused:
        settings_from(tmp_path, change(CONFIG), monkeypatch, TELEGRAM_BOT_TOKEN_DANANG="333:x")
    assert str(refused.value) == error


async def test_a_bound_unit_must_exist_and_bound_subtrees_must_not_overlap(tmp_path, monkeypatch, store):
    await seed_units(store)
    settings = settings_from(tmp_path, CONFIG.replace("P02-X.1", "P02"), monkeypatch, TELEGRAM_BOT_TOKEN_DANANG="3:x")
    await check_bindings(store, settings.bindings())  # P01 and P02: two wards side by side
    with pytest.raises(StartError, match=r"^The bot telegram:danang is bound to unit 'NOPE', which is not a known "
                                         r"unit code: import the units first"):
        await check_bindings(store, settings_from(tmp_path, CONFIG.replace("P02-X.1", "NOPE"), monkeypatch,
                                                  TELEGRAM_BOT_TOKEN_DANANG="3:x").bindings())
    with pytest.raises(StartError) as refused:
        await check_bindings(store, settings_from(tmp_path, CONFIG.replace("P02-X.1", "Q1"), monkeypatch,
                                                  TELEGRAM_BOT_TOKEN_DANANG="3:x").bindings())
    assert str(refused.value) == ("The bots telegram:P01 and telegram:danang serve overlapping parts of the unit "
                                  "tree (P01 lies within Q1): bind each bot to a separate subtree.")


def test_python_m_bot_run_refuses_a_bot_for_an_unknown_unit_and_a_bad_list_in_one_line(tmp_path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    assert cli(tmp_path, "units", "import", str(tmp_path / "units.csv")).returncode == 0
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.replace('mode = "webhook"', 'mode = "polling"'), encoding="utf-8")
    out = cli(tmp_path, "--config", str(config), "run", env={"TELEGRAM_BOT_TOKEN_DANANG": "333:secret-token"})
    assert out.returncode == 2, out.stderr
    assert "The bot telegram:danang is bound to unit 'P02-X.1', which is not a known unit code" in out.stderr
    assert "Traceback" not in out.stderr and "secret-token" not in out.stderr and "p01-token" not in out.stderr
    out = cli(tmp_path, "--config", str(config), "run")  # no token for danang at all
    assert out.returncode == 2 and out.stderr.strip().splitlines() == [
        "The bot for unit 'P02-X.1' has no token: set TELEGRAM_BOT_TOKEN_DANANG or token = \"…\" in its "
        "[[telegram.bots]] entry."]
    assert cli(tmp_path, "--config", str(config), "units", "import", str(tmp_path / "units.csv")).returncode == 0
    config.write_text(CONFIG.replace('name = "danang"', 'name = "P01"'), encoding="utf-8")
    out = cli(tmp_path, "--config", str(config), "units", "import", str(tmp_path / "units.csv"))
    assert out.returncode == 2 and out.stderr.strip().splitlines() == [
        "config: telegram: two bots are named 'P01': give each [[telegram.bots]] entry its own name"]


async def test_the_longest_bot_name_fits_every_table_that_keys_by_channel(store, clock):
    await seed_units(store)
    channel = "telegram:" + "Thanh_Pho_Ho_Chi_Minh-2026-bot-01"  # a name of 32 characters
    uid = "1001"

    async def work(tx):
        team = await tx.units.by_code("P01-KP1-T")
        member = await tx.members.create("An", Role.VOLUNTEER, team.id, "vi", Identity(channel, uid, uid))
        assert await tx.inbox.put(channel, [("5001", "{}")], clock.now()) == ["5001"]
        assert await tx.deliveries.claim(channel, "5001", clock.now())
        await tx.invites.record_failure(channel, uid, clock.now())
        await tx.conversations.save(channel, uid, uid, Conversation(name="report"), clock.now())
        return member
    member = await store.write(work)
    found = await store.read(lambda tx: tx.members.by_identity(channel, uid))
    assert found.id == member.id and found.address_on(channel) == uid
