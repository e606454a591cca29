"""The one aiohttp web server: webhooks of every channel (and a health check) on one host and port."""
from __future__ import annotations

import logging

from aiohttp import web

log = logging.getLogger(__name__)


class WebServer:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=1 << 20)
        self.app.router.add_get("/healthz", self._health)
        self._runner: web.AppRunner | None = None

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    def add_post(self, path: str, handler) -> None:
        """Channels add their webhook routes before start()."""
        self.app.router.add_post(path, handler)

    @property
    def has_routes(self) -> bool:
        return any(r.method == "POST" for r in self.app.router.routes())

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)  # access logs would carry webhook paths
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        log.info("web server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
