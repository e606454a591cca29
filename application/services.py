"""The long-lived dependencies every conversation and job is given: rules, catalogs, clock, channels."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.clock import Clock, local_day
from domain.i18n import Translator
from domain.messages import Binding, ChannelTraits
from domain.settings import CampaignRules


@dataclass
class Services:
    """Built once by the composition root (bot.app.make_services), passed in, never imported by the core."""

    rules: CampaignRules
    translator: Translator
    clock: Clock
    traits: dict[str, ChannelTraits]
    admins: dict[str, frozenset[str]] = field(default_factory=dict)  # channel → external ids from config
    join_links: dict[str, str] = field(default_factory=dict)  # channel → "https://t.me/x?start={code}"
    bindings: tuple[Binding, ...] = ()  # channels that serve one subtree only (a province's bot)

    def today(self) -> date:
        return local_day(self.clock.now(), self.rules.campaign.tz)
