"""config.toml, read once at start; BAOCAO_* environment variables and the token variables override it."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from domain.messages import Binding
from domain.settings import (DEFAULT_CUTOFFS, DEFAULT_METRICS, DEFAULT_RULES, Campaign, CampaignRules, Cutoff,
                             Invites, Metric, Rule)
from scheduler.settings import SchedulerSettings

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"


MAIN_TELEGRAM = "telegram"  # the channel of the main bot; a province's bot is "telegram:<name>"
_BOT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # "telegram:<name>" fits the 64 of a channel column


def bot_token_variable(name: str) -> str:
    """The environment variable holding a province bot's token: TELEGRAM_BOT_TOKEN_<NAME>."""
    return "TELEGRAM_BOT_TOKEN_" + re.sub(r"[^A-Z0-9]", "_", name.upper())


class TelegramBot(BaseModel):
    """One more bot token ([[telegram.bots]]), serving the subtree of one unit (usually a province)."""

    model_config = ConfigDict(frozen=True)

    unit: str = Field(min_length=1)  # the code of the unit whose subtree this bot serves
    token: SecretStr = SecretStr("")
    # The channel is "telegram:<name>" (default: the unit code). Members' accounts are stored under it: keep it.
    name: str = ""
    webhook_secret: SecretStr = SecretStr("")  # empty: derived from [telegram] webhook_secret

    @property
    def key(self) -> str:
        return self.name or self.unit

    @property
    def channel(self) -> str:
        return f"{MAIN_TELEGRAM}:{self.key}"


class TelegramConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    token: SecretStr = SecretStr("")
    api_base_url: str = "https://api.telegram.org/bot"
    api_file_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_secret: SecretStr = SecretStr("")
    poll_timeout: int = Field(default=30, ge=0)
    bulk_rate: float = Field(default=28.0, gt=0)  # fan-out messages a second per token (Telegram allows ~30)
    max_retries: int = Field(default=3, ge=0)  # a 429 is waited out and the call repeated, this many times
    bots: tuple[TelegramBot, ...] = ()  # more tokens, each bound to a part of the unit tree

    @model_validator(mode="after")
    def _bots_distinct(self) -> "TelegramConfig":
        tokens, names, units = {self.token.get_secret_value()}, set(), set()
        for bot in self.bots:
            if not _BOT_NAME.match(bot.key):
                raise ValueError(f"the bot for unit {bot.unit!r} needs name = \"…\" of up to 32 letters, digits, "
                                 "- and _ (its unit code cannot name a channel)")
            token = bot.token.get_secret_value()
            if token and token in tokens:
                raise ValueError(f"the bot for unit {bot.unit!r} has the token of another bot: each bot needs "
                                 "its own token from @BotFather")
            if bot.unit in units:
                raise ValueError(f"two bots serve unit {bot.unit!r}: bind each bot to a different unit")
            if bot.key in names:
                raise ValueError(f"two bots are named {bot.key!r}: give each [[telegram.bots]] entry its own name")
            tokens.add(token)
            names.add(bot.key)
            units.add(bot.unit)
        return self

    def missing_token(self) -> str:
        """What `run` needs and other commands do not (tokens are often only in the bot's environment): one
        sentence, or "" when every configured bot has its token."""
        if self.bots and not self.token.get_secret_value():
            return ("[[telegram.bots]] need the main bot too: set [telegram] token (or TELEGRAM_BOT_TOKEN); "
                    "it serves every unit no province bot serves, and admins.")
        for bot in self.bots:
            if not bot.token.get_secret_value():
                return (f"The bot for unit {bot.unit!r} has no token: set {bot_token_variable(bot.key)} "
                        "or token = \"…\" in its [[telegram.bots]] entry.")
        return ""

    def for_bot(self, bot: TelegramBot) -> "TelegramConfig":
        """The settings of one province bot: its own token and webhook secret, everything else inherited."""
        secret = bot.webhook_secret.get_secret_value()
        main_secret = self.webhook_secret.get_secret_value()
        if not secret and main_secret:
            # One secret to configure, a different one per bot: a leaked bot's secret opens no other webhook.
            digest = hmac.new(main_secret.encode(), bot.channel.encode(), hashlib.sha256).digest()
            secret = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        return self.model_copy(update={"token": bot.token, "webhook_secret": SecretStr(secret), "bots": ()})


class ZaloConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    token: SecretStr = SecretStr("")
    api_base_url: str = "https://bot-api.zaloplatforms.com/bot"
    mode: Literal["polling", "webhook"] = "webhook"
    webhook_secret: SecretStr = SecretStr("")


class DatabaseConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    url: str = "sqlite:///var/baocao.db"
    pool_size: int = Field(default=10, gt=0)


class WebConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""


class AdminsConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    telegram: tuple[int | str, ...] = ()
    zalo: tuple[str, ...] = ()

    def by_channel(self) -> dict[str, frozenset[str]]:
        return {"telegram": frozenset(str(i) for i in self.telegram), "zalo": frozenset(self.zalo),
                "console": frozenset({"admin"})}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BAOCAO_", env_nested_delimiter="__", frozen=True)

    telegram: TelegramConfig = TelegramConfig()
    zalo: ZaloConfig = ZaloConfig()
    database: DatabaseConfig = DatabaseConfig()
    web: WebConfig = WebConfig()
    admins: AdminsConfig = AdminsConfig()
    campaign: Campaign = Campaign()
    invites: Invites = Invites()
    metrics: tuple[Metric, ...] = DEFAULT_METRICS
    rules: tuple[Rule, ...] = DEFAULT_RULES
    cutoffs: tuple[Cutoff, ...] = DEFAULT_CUTOFFS
    scheduler: SchedulerSettings = SchedulerSettings()
    log_level: str = "INFO"

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings: PydanticBaseSettingsSource,
                                   env_settings, dotenv_settings, file_secret_settings):
        return env_settings, init_settings  # the environment wins over the file

    def channel_admins(self) -> dict[str, frozenset[str]]:
        """Admins by channel: those of [admins] telegram are admins on every Telegram bot."""
        admins = self.admins.by_channel()
        for bot in self.telegram.bots:
            admins[bot.channel] = admins[MAIN_TELEGRAM]
        return admins

    def bindings(self) -> tuple[Binding, ...]:
        return tuple(Binding(bot.channel, bot.unit, MAIN_TELEGRAM) for bot in self.telegram.bots)

    def campaign_rules(self) -> CampaignRules:
        return CampaignRules(campaign=self.campaign, metrics=self.metrics, rules=self.rules,
                             cutoffs=self.cutoffs, invites=self.invites)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the TOML file (config.toml beside the code by default); a missing default file is no error."""
    file = Path(path) if path else Path(os.environ.get("BAOCAO_CONFIG", DEFAULT_CONFIG))
    data: dict = {}
    if file.exists():
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    elif path:
        raise FileNotFoundError(f"config file not found: {file}")
    for env, section in (("TELEGRAM_BOT_TOKEN", "telegram"), ("ZALO_BOT_TOKEN", "zalo")):
        if os.environ.get(env):
            data.setdefault(section, {})["token"] = os.environ[env]
    for bot in data.get("telegram", {}).get("bots", ()):
        if isinstance(bot, dict) and os.environ.get(variable := bot_token_variable(str(bot.get("name") or
                                                                                   bot.get("unit", "")))):
            bot["token"] = os.environ[variable]
    db_url = data.get("database", {}).get("url")
    if db_url and db_url.startswith("sqlite:///") and not db_url.startswith("sqlite:////"):
        # A relative SQLite path is relative to the config file, not to wherever the bot was started.
        data["database"]["url"] = "sqlite:///" + str((file.parent / db_url[len("sqlite:///"):]).resolve())
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(one_line(exc)) from None


class ConfigError(ValueError):
    """The configuration cannot be used; the message says what to fix, in one line."""


def one_line(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                     for e in exc.errors())
