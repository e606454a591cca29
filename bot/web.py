"""The one aiohttp web server: webhooks of every channel, and /healthz with each channel's intake, on one port."""
from __future__ import annotations

import logging

from aiohttp import web

from bot.app import StartError
from bot.plumbing.health import IntakeHealth

log = logging.getLogger(__name__)


class WebServer:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=1 << 20)
        self.app.router.add_get("/healthz", self._health)
        self.intakes: list[IntakeHealth] = []
        self._runner: web.AppRunner | None = None

    async def _health(self, request: web.Request) -> web.Response:
        """200 while the process is up, whatever the channels do (a restart mends neither Telegram nor the
        network); `ok` is false while any channel's intake fails, and each channel says since when and why."""
        channels = {h.channel: h.as_json() for h in self.intakes}
        return web.json_response({"ok": not any(h.failing for h in self.intakes), "channels": channels})

    def watch(self, intake: IntakeHealth) -> None:
        """A channel's intake, reported by /healthz."""
        self.intakes.append(intake)

    def add_post(self, path: str, handler) -> None:
        """Channels add their webhook routes before start()."""
        self.app.router.add_post(path, handler)

    @property
    def has_routes(self) -> bool:
        return any(r.method == "POST" for r in self.app.router.routes())

    @property
    def serves(self) -> bool:
        """Whether there is anything to serve: a webhook, or a channel's health."""
        return self.has_routes or bool(self.intakes)

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)  # access logs would carry webhook paths
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await self.stop()
            problem = f"Cannot listen on {self.host}:{self.port} ({exc.strerror or exc})"
            if self.has_routes:  # the webhooks need it
                raise StartError(f"{problem}: choose another [web] host or port.") from None
            log.warning("%s: /healthz is not served (polling works without it); choose another [web] host or "
                        "port", problem)
            return
        log.info("web server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
