"""Wiring: settings → store → dispatcher → channels; the outbox routes each message to its channel."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from application.services import Services
from bot.config import Settings
from bot.files.build import FileBuilder, Source
from bot.files.maker import FileMaker
from bot.files.shelf import Shelf
from domain.clock import Clock, SystemClock
from domain.i18n import Translator
from domain.messages import Address, ChannelTraits, Reply, SendResult
from handlers.dispatch import Dispatcher
from handlers.registry import build_dispatcher
from storage.migrate import upgrade
from storage.store import SqlStore

if TYPE_CHECKING:
    from bot.web import WebServer

log = logging.getLogger(__name__)


class StartError(Exception):
    """A channel cannot start for a reason the operator must fix; the message says what, in one sentence."""


class Channel(Protocol):
    """A chat platform: it turns updates into Incoming for the dispatcher (through bot.plumbing: inbox,
    per-sender order, handle-then-reply) and sends replies, saying how each went (SendResult)."""

    traits: ChannelTraits

    async def start(self, app: "App") -> None: ...
    async def stop(self) -> None: ...
    async def send(self, to: Address, reply: Reply, *, bulk: bool = False) -> SendResult: ...


@dataclass
class App:
    settings: Settings
    store: SqlStore
    services: Services
    dispatcher: Dispatcher
    channels: dict[str, Channel] = field(default_factory=dict)
    web: WebServer | None = None  # webhooks, /healthz and leaders' files
    files: FileMaker | None = None  # what the replies' attachments are made by (domain.ports.Files)

    async def send(self, to: Address, reply: Reply, *, bulk: bool = False) -> SendResult:
        """The outbox every sender (adapters, scheduler) uses; `bulk` marks the scheduler's fan-out."""
        channel = self.channels.get(to.channel)
        if channel is None:
            return SendResult(ok=False, error=f"no channel {to.channel}")
        return await channel.send(to, reply, bulk=bulk)



async def build_app(settings: Settings, traits: dict[str, ChannelTraits], *, clock: Clock | None = None,
                    join_links: dict[str, str] | None = None, migrate: bool = True,
                    store: SqlStore | None = None) -> App:
    """The composition root of `python -m bot run`, `chat` and the tests: settings, the running channels' traits
    and a store (opened from settings.database, migrated, unless one is given) → services → dispatcher."""
    clock = clock or SystemClock()
    if store is None:
        store = SqlStore.from_url(settings.database.url, clock, pool_size=settings.database.pool_size)
        if migrate:
            await upgrade(store.engine)
    return compose_app(settings, traits, store, clock, join_links=join_links)


def compose_app(settings: Settings, traits: dict[str, ChannelTraits], store: SqlStore, clock: Clock, *,
                join_links: dict[str, str] | None = None, admins: dict[str, frozenset[str]] | None = None) -> App:
    """build_app's wiring on a store already open (what a test's fixture holds); `admins` in place of the
    configured ones, for channels no configuration names (a test's)."""
    services = make_services(settings, traits, clock, join_links, admins=admins)
    return App(settings, store, services, build_dispatcher(store, services), files=make_files(settings, services))


def make_files(settings: Settings, services: Services) -> FileMaker:
    """Leaders' files: gathered from the database and built in a worker process (started with the app, or on the
    first file), kept beside the database for [files] link_hours."""
    shelf = Shelf(settings.files_directory(), services.clock, settings.files.link_hours, settings.web.public_url)
    return FileMaker(shelf, FileBuilder(mode="process", source=Source(settings.database.url, services.rules)))


def make_services(settings: Settings, traits: dict[str, ChannelTraits], clock: Clock,
                  join_links: dict[str, str] | None = None, *,
                  admins: dict[str, frozenset[str]] | None = None) -> Services:
    return Services(rules=settings.campaign_rules(), translator=Translator(), clock=clock, traits=traits,
                    admins=dict(settings.channel_admins() if admins is None else admins),
                    join_links=dict(join_links or {}), bindings=settings.bindings())
