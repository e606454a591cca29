"""The one aiohttp web server: webhooks of every channel, /healthz with each channel's intake, and leaders' files
behind their links (GET /files/<token>/<name>), on one port."""
from __future__ import annotations

import logging

from aiohttp import web

from bot.app import StartError
from bot.files.shelf import ROUTE, Expired, Shelf
from bot.plumbing.health import IntakeHealth

log = logging.getLogger(__name__)


class WebServer:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=1 << 20)
        self.app.router.add_get("/healthz", self._health)
        self.intakes: list[IntakeHealth] = []
        self.shelf: Shelf | None = None
        self._runner: web.AppRunner | None = None

    async def _health(self, request: web.Request) -> web.Response:
        """200 while the process is up, whatever the channels do (a restart mends neither Telegram nor the
        network); `ok` is false while any channel's intake fails, and each channel says since when and why."""
        channels = {h.channel: h.as_json() for h in self.intakes}
        return web.json_response({"ok": not any(h.failing for h in self.intakes), "channels": channels})

    def watch(self, intake: IntakeHealth) -> None:
        """A channel's intake, reported by /healthz."""
        self.intakes.append(intake)

    def serve_files(self, shelf: Shelf) -> None:
        """Leaders' files, each at its own link only, while it lasts (routes must exist before start())."""
        self.shelf = shelf
        self.app.router.add_get(ROUTE, self._file)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        """The one file of the link's token and name: 404 for any other (forged, altered, never made), 410 once
        it expired. Never cached, never sniffed, and no address of it leaves as a referrer."""
        headers = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "no-referrer"}
        try:
            kept = self.shelf.find(request.match_info["token"], request.match_info["name"])
        except Expired:
            return web.Response(status=410, text="This link has expired.", headers=headers)
        if kept is None:
            return web.Response(status=404, text="Not found.", headers=headers)
        disposition = "inline" if kept.mime.startswith("image/") else "attachment"
        headers["Content-Type"] = kept.mime
        headers["Content-Disposition"] = f"{disposition}; filename=\"{kept.name}\""
        return web.FileResponse(kept.path, headers=headers)

    def add_post(self, path: str, handler) -> None:
        """Channels add their webhook routes before start()."""
        self.app.router.add_post(path, handler)

    @property
    def has_routes(self) -> bool:
        return any(r.method == "POST" for r in self.app.router.routes())

    @property
    def serves(self) -> bool:
        """Whether there is anything to serve: a webhook, a channel's health, or files behind links."""
        return self.has_routes or bool(self.intakes) or self.shelf is not None

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
