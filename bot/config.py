"""config.toml, read once at start; BAOCAO_* environment variables and the token variables override it."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from domain.settings import (DEFAULT_CUTOFFS, DEFAULT_METRICS, DEFAULT_RULES, Campaign, CampaignRules, Cutoff,
                             Invites, Metric, Rule)
from scheduler.settings import SchedulerSettings

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"


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
    db_url = data.get("database", {}).get("url")
    if db_url and db_url.startswith("sqlite:///") and not db_url.startswith("sqlite:////"):
        # A relative SQLite path is relative to the config file, not to wherever the bot was started.
        data["database"]["url"] = "sqlite:///" + str((file.parent / db_url[len("sqlite:///"):]).resolve())
    return Settings(**data)
