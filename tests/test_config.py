"""Settings from their sources: config.toml, a .env file, a secrets directory, the environment; one set of defaults."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import bot.config
from bot.config import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """
[telegram]
token = "111:from-the-file"
poll_timeout = 12

[[telegram.bots]]
unit = "P02"
name = "danang"

[database]
url = "sqlite:///data/bot.db"

[web]
port = 8001
"""


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A config file in its own folder, the bot started from another one, no settings in the environment."""
    for var in list(os.environ):
        if var.startswith(("BAOCAO_", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN")):
            monkeypatch.delenv(var)
    (tmp_path / "etc").mkdir()
    (tmp_path / "work").mkdir()
    config = tmp_path / "etc" / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


def test_the_default_config_file_holds_the_models_defaults_exactly():
    """One set of defaults: config.toml restates the models' defaults (every key, rank_by included) and
    changes none of them; only its database path is resolved (next to the file)."""
    from_file = load_settings(ROOT / "config.toml").model_dump()
    defaults = Settings().model_dump()
    assert from_file.pop("database")["url"] == f"sqlite:///{ROOT / 'var' / 'baocao.db'}"
    assert defaults.pop("database")["url"] == "sqlite:///var/baocao.db"
    assert from_file == defaults
    assert Settings().campaign_rules().rank_metric.key == "l1_activations"


def test_the_file_sets_and_a_relative_sqlite_path_is_relative_to_it(place):
    settings = load_settings(place / "etc" / "config.toml")
    assert settings.telegram.token.get_secret_value() == "111:from-the-file"
    assert (settings.telegram.poll_timeout, settings.web.port) == (12, 8001)
    assert settings.database.url == f"sqlite:///{place / 'etc' / 'data' / 'bot.db'}"
    assert settings.telegram.bots[0].token.get_secret_value() == ""


def test_baocao_config_names_the_file_and_a_missing_named_file_is_an_error(place, monkeypatch):
    monkeypatch.setenv("BAOCAO_CONFIG", str(place / "etc" / "config.toml"))
    assert load_settings().web.port == 8001
    with pytest.raises(FileNotFoundError, match="config file not found"):
        load_settings(place / "etc" / "nope.toml")


def test_a_dotenv_file_in_the_working_directory_overrides_the_file(place):
    (place / "work" / ".env").write_text(
        "TELEGRAM_BOT_TOKEN=222:from-dotenv\nTELEGRAM_BOT_TOKEN_DANANG=333:danang\nBAOCAO_WEB__PORT=8002\n"
        "BAOCAO_DATABASE__URL=postgresql://bot@db/baocao\nCOMPOSE_PROJECT_NAME=someone-elses\n", encoding="utf-8")
    settings = load_settings(place / "etc" / "config.toml")
    assert settings.telegram.token.get_secret_value() == "222:from-dotenv"
    assert settings.telegram.bots[0].token.get_secret_value() == "333:danang"
    assert (settings.web.port, settings.database.url) == (8002, "postgresql://bot@db/baocao")
    assert settings.telegram.poll_timeout == 12  # what the .env file does not set stays the file's


def test_a_secrets_directory_gives_tokens_and_keys_under_the_dotenv_file_and_the_environment(place, monkeypatch):
    secrets = place / "secrets"
    secrets.mkdir()
    (secrets / "telegram_bot_token").write_text("444:from-a-secret\n", encoding="utf-8")
    (secrets / "zalo_bot_token").write_text("555:zalo-secret", encoding="utf-8")
    (secrets / "TELEGRAM_BOT_TOKEN_DANANG").write_text("666:danang-secret", encoding="utf-8")
    (secrets / "baocao_web__port").write_text("8003", encoding="utf-8")
    (secrets / "baocao_telegram__webhook_secret").write_text("hook-secret", encoding="utf-8")
    monkeypatch.setenv("BAOCAO_SECRETS_DIR", str(secrets))
    settings = load_settings(place / "etc" / "config.toml")
    assert settings.telegram.token.get_secret_value() == "444:from-a-secret"
    assert settings.zalo.token.get_secret_value() == "555:zalo-secret"
    assert settings.telegram.bots[0].token.get_secret_value() == "666:danang-secret"
    assert settings.telegram.webhook_secret.get_secret_value() == "hook-secret" and settings.web.port == 8003

    (place / "work" / ".env").write_text("BAOCAO_WEB__PORT=8004\nZALO_BOT_TOKEN=777:dotenv\n", encoding="utf-8")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "888:environment")
    settings = load_settings(place / "etc" / "config.toml")
    assert (settings.web.port, settings.zalo.token.get_secret_value()) == (8004, "777:dotenv")
    assert settings.telegram.token.get_secret_value() == "888:environment"
    monkeypatch.setenv("BAOCAO_TELEGRAM__TOKEN", "999:named-key")  # a BAOCAO_ key beats the token variable
    assert load_settings(place / "etc" / "config.toml").telegram.token.get_secret_value() == "999:named-key"


def test_wrong_settings_from_any_source_are_one_line(place, monkeypatch):
    monkeypatch.setenv("BAOCAO_WEB__PORT", "eighty")
    with pytest.raises(ConfigError) as refused:
        load_settings(place / "etc" / "config.toml")
    assert str(refused.value).startswith("web.port: Input should be a valid integer")
    monkeypatch.delenv("BAOCAO_WEB__PORT")
    monkeypatch.setenv("BAOCAO_SECRETS_DIR", str(place / "no-such-dir"))
    with pytest.raises(ConfigError) as refused:
        load_settings(place / "etc" / "config.toml")
    assert "no-such-dir" in str(refused.value) and "\n" not in str(refused.value)
    monkeypatch.delenv("BAOCAO_SECRETS_DIR")
    (place / "etc" / "config.toml").write_text(CONFIG + "\n[telegrm]\ntoken = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^telegrm: Extra inputs are not permitted$"):
        load_settings(place / "etc" / "config.toml")


def test_the_packaged_default_config_keeps_the_database_under_the_working_directory(place, monkeypatch):
    """Installed from a wheel, the default config lies inside the package: its relative SQLite path is taken
    from where the bot is started (./var/baocao.db), never from inside site-packages."""
    packaged = place / "site-packages" / "bot" / "config.toml"
    packaged.parent.mkdir(parents=True)
    packaged.write_text((ROOT / "config.toml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(bot.config, "PACKAGED_CONFIG", packaged)
    monkeypatch.setattr(bot.config, "DEFAULT_CONFIG", packaged)
    assert load_settings().database.url == f"sqlite:///{place / 'work' / 'var' / 'baocao.db'}"
