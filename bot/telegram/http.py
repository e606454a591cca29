"""python-telegram-bot's HTTP calls over aiohttp, which the bot already runs its web server on.

PTB's default (httpx → httpcore) rescans every pooled connection for every queued request; with a hundred
calls in flight that took half the bot's CPU in the benchmark (docs/benchmarks.md, (f)). aiohttp's connector
hands a free connection out without a scan.
"""
from __future__ import annotations

import asyncio
import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0


class AiohttpRequest(BaseRequest):
    """At most `connections` calls at once; each call's timeouts as PTB asks (the long poll's included)."""

    def __init__(self, connections: int = 128) -> None:
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return READ_TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # trust_env: HTTPS_PROXY / NO_PROXY are honoured, as PTB's own client does
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.connections),
                                                  trust_env=True)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=BaseRequest.DEFAULT_NONE, write_timeout=BaseRequest.DEFAULT_NONE,
                         connect_timeout=BaseRequest.DEFAULT_NONE,
                         pool_timeout=BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(total=None, connect=_given(connect_timeout, CONNECT_TIMEOUT),
                                        sock_read=_given(read_timeout, READ_TIMEOUT))
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout,
                                             headers={"User-Agent": self.USER_AGENT}) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc


class UpdatesRequest(AiohttpRequest):
    """getUpdates' own connection, which also keeps each update of the last batch as Telegram sent it: the
    inbox stores that text, where PTB's `Update.to_json()` would rebuild it from objects at ~40× the cost."""

    def __init__(self) -> None:
        super().__init__(1)
        self._raw: dict[int, str] = {}

    def parse_json_payload(self, payload: bytes) -> dict:
        data = super().parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list):  # this connection only ever asks getUpdates
            self._raw = {u["update_id"]: json.dumps(u) for u in result if isinstance(u, dict) and "update_id" in u}
        return data

    def take_raw(self) -> dict[int, str]:
        """The last batch's updates as JSON text by update id, handed over once."""
        raw, self._raw = self._raw, {}
        return raw


def _given(value, default: float) -> float | None:
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


def _body(request_data: RequestData | None):
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters  # a form, as PTB's own client posts it
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
