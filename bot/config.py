"""The settings, read once at start through pydantic-settings' sources: the environment, a .env file, a secrets
directory and config.toml, over one set of defaults (the models below)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import (BaseSettings, DotEnvSettingsSource, EnvSettingsSource, PydanticBaseSettingsSource,
                               SettingsConfigDict, SettingsError, TomlConfigSettingsSource)
from pydantic_settings.sources import NestedSecretsSettingsSource

from domain.messages import Binding
from domain.settings import (DEFAULT_CUTOFFS, DEFAULT_METRICS, DEFAULT_RULES, Campaign, CampaignRules, Cutoff,
                             Invites, Metric, Rule)
from scheduler.settings import SchedulerSettings

# The default config.toml: an installed wheel carries it inside this package; a checkout keeps it at the top.
PACKAGED_CONFIG = Path(__file__).resolve().parent / "config.toml"
DEFAULT_CONFIG = PACKAGED_CONFIG if PACKAGED_CONFIG.is_file() else Path(__file__).resolve().parent.parent / "config.toml"
ENV_FILE = Path(".env")  # in the working directory
SECRETS_DIR_VARIABLE = "BAOCAO_SECRETS_DIR"  # a directory of files named like the variables (/run/secrets, …)
TOKEN_VARIABLES = {"telegram_bot_token": "telegram", "zalo_bot_token": "zalo"}


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


class FilesConfig(BaseModel):
    """Leaders' files: where they are kept and how long (their links expire with them)."""

    model_config = ConfigDict(frozen=True)

    directory: str = ""  # "": "files" beside the SQLite database file, else ./var/files
    link_hours: int = Field(default=24, ge=1, le=24 * 31)


class AdminsConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    telegram: tuple[int | str, ...] = ()
    zalo: tuple[str, ...] = ()

    def by_channel(self) -> dict[str, frozenset[str]]:
        return {"telegram": frozenset(str(i) for i in self.telegram), "zalo": frozenset(self.zalo),
                "console": frozenset({"admin"})}


class Settings(BaseSettings):
    """Every setting and its one default. Built in code it is what the code says; `load_settings` fills it from
    the sources."""

    model_config = SettingsConfigDict(env_prefix="BAOCAO_", env_nested_delimiter="__", frozen=True,
                                      env_file_encoding="utf-8")

    telegram: TelegramConfig = TelegramConfig()
    zalo: ZaloConfig = ZaloConfig()
    database: DatabaseConfig = DatabaseConfig()
    web: WebConfig = WebConfig()
    files: FilesConfig = FilesConfig()
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
        return (init_settings,)  # load_settings reads the sources, in its order

    def channel_admins(self) -> dict[str, frozenset[str]]:
        """Admins by channel: those of [admins] telegram are admins on every Telegram bot."""
        admins = self.admins.by_channel()
        for bot in self.telegram.bots:
            admins[bot.channel] = admins[MAIN_TELEGRAM]
        return admins

    def bindings(self) -> tuple[Binding, ...]:
        return tuple(Binding(bot.channel, bot.unit, MAIN_TELEGRAM) for bot in self.telegram.bots)

    def files_directory(self) -> Path:
        """Where leaders' files are kept: [files] directory, else "files" beside the SQLite database file (the data
        directory), else ./var/files."""
        if self.files.directory:
            return Path(self.files.directory)
        url = self.database.url
        if url.startswith("sqlite:///") and ":memory:" not in url:
            return Path(url[len("sqlite:///"):]).parent / "files"
        return Path("var") / "files"

    def campaign_rules(self) -> CampaignRules:
        return CampaignRules(campaign=self.campaign, metrics=self.metrics, rules=self.rules,
                             cutoffs=self.cutoffs, invites=self.invites)


def load_settings(path: str | Path | None = None, *, env_file: Path = ENV_FILE) -> Settings:
    """The settings from pydantic-settings' sources, the first that sets a key winning:

    1. the environment: BAOCAO_<SECTION>__<KEY> (BAOCAO_DATABASE__URL);
    2. the .env file in the working directory, the same names;
    3. the secrets directory named by BAOCAO_SECRETS_DIR, a file per name (baocao_database__url);
    4. the token variables TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN and TELEGRAM_BOT_TOKEN_<NAME>, from the environment,
       else the .env file, else a file of that name in the secrets directory;
    5. the TOML file: `path`, else BAOCAO_CONFIG, else the default config.toml (missing: the defaults);
    6. the defaults in the models above.
    Relative SQLite paths in a config file are relative to that file; in the packaged default config, to the
    working directory (./var/baocao.db)."""
    file = Path(path) if path else Path(os.environ.get("BAOCAO_CONFIG") or DEFAULT_CONFIG)
    if path and not file.is_file():
        raise FileNotFoundError(f"config file not found: {file}")
    base = Path.cwd() if file.resolve() == PACKAGED_CONFIG else file.resolve().parent
    try:
        environment = EnvSettingsSource(Settings)
        dotenv = DotEnvSettingsSource(Settings, env_file=env_file)
        secrets = NestedSecretsSettingsSource(Settings, secrets_dir=os.environ.get(SECRETS_DIR_VARIABLE) or None,
                                              secrets_dir_missing="error")
        toml = _sqlite_relative_to(base, TomlConfigSettingsSource(Settings, toml_file=file)())
        tokens = _token_variables(toml, (environment.env_vars, dotenv.env_vars, secrets.env_vars))
        data: dict = {}
        for layer in (toml, tokens, _settings_only(secrets()), _settings_only(dotenv()), environment()):
            data = _merged(data, layer)
        return Settings(**data)
    except SettingsError as exc:  # a source could not be read (a missing secrets directory, a bad JSON value)
        raise ConfigError(str(exc).replace("\n", " ")) from None
    except ValidationError as exc:
        raise ConfigError(one_line(exc)) from None


def _sqlite_relative_to(base: Path, data: dict) -> dict:
    directory = data.get("files", {}).get("directory")
    if directory and not Path(directory).is_absolute():  # as the database's path: relative to the config file
        data = {**data, "files": {**data["files"], "directory": str((base / directory).resolve())}}
    url = data.get("database", {}).get("url")
    if not url or not url.startswith("sqlite:///") or url.startswith("sqlite:////"):
        return data
    # A relative SQLite path is relative to the config file, not to wherever the bot was started.
    resolved = "sqlite:///" + str((base / url[len("sqlite:///"):]).resolve())
    return {**data, "database": {**data["database"], "url": resolved}}


def _token_variables(toml: dict, sources: tuple[Mapping[str, str | None], ...]) -> dict:
    """The tokens the token variables set (names in lower case, as the sources keep them); a [[telegram.bots]]
    entry's comes as the whole list, each entry with its token."""
    def lookup(name: str) -> str | None:
        return next((v for source in sources if (v := source.get(name.lower()))), None)

    data: dict = {}
    for variable, section in TOKEN_VARIABLES.items():
        if token := lookup(variable):
            data[section] = {"token": token}
    bots = toml.get("telegram", {}).get("bots", ())
    if isinstance(bots, list) and all(isinstance(bot, dict) for bot in bots):
        entries = [{**bot, "token": token} if (token := lookup(bot_token_variable(str(bot.get("name") or
                                                                                   bot.get("unit", ""))))) else bot
                   for bot in bots]
        if entries != bots:
            data.setdefault("telegram", {})["bots"] = entries
    return data


def _settings_only(data: dict) -> dict:
    """What a source found for the settings' own keys: a .env file or a secrets directory may hold others'."""
    return {key: value for key, value in data.items() if key in Settings.model_fields}


def _merged(low: dict, high: dict) -> dict:
    """`high` over `low`, tables merged key by key (as pydantic-settings merges its sources), lists replaced."""
    out = dict(low)
    for key, value in high.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


class ConfigError(ValueError):
    """The configuration cannot be used; the message says what to fix, in one line."""


def one_line(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                     for e in exc.errors())
