"""python-telegram-bot's HTTP calls over aiohttp, which the bot already runs its web server on.

PTB's default (httpx → httpcore) rescans every pooled connection for every queued request; with a hundred
calls in flight that took half the bot's CPU in the benchmark (docs/benchmarks.md, (f)). aiohttp's connector
hands a free connection out without a scan.
"""
from __future__ import annotations

import asyncio
import json
from contextlib import suppress
from urllib.parse import urlencode

import aiohttp
from aiohttp.helpers import basicauth_from_netrc, get_env_proxy_for_url, netrc_from_env
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0


class AiohttpRequest(BaseRequest):
    """At most `connections` calls at once; each call's timeouts as PTB asks (the long poll's included)."""

    def __init__(self, connections: int = 128) -> None:
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None
        self._routes: dict[str, dict] = {}  # proxy and credentials by the URL's directory (the bot's API base)

    @property
    def read_timeout(self) -> float | None:
        return READ_TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # HTTPS_PROXY / NO_PROXY and .netrc are honoured as PTB's own client does (read once, see _route);
            # aiohttp's trust_env would look them up in a thread on every call
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.connections))
            self._routes = {}

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
            route = await self._route(url)
            body, headers = _body(request_data, self.USER_AGENT)
            async with self._session.request(method, url, data=body, timeout=timeout, headers=headers,
                                             **route) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc

    async def _route(self, url: str) -> dict:
        base = url.rpartition("/")[0]  # PTB calls f"{base_url}/{method}"
        route = self._routes.get(base)
        if route is None:
            route = self._routes[base] = await asyncio.to_thread(_from_env, URL(url))
        return route


def _from_env(url: URL) -> dict:
    """The proxy (HTTPS_PROXY, NO_PROXY …) and .netrc credentials the environment gives for `url`."""
    route: dict = {}
    with suppress(LookupError):
        route["proxy"], route["proxy_auth"] = get_env_proxy_for_url(url)
    if url.host is not None:
        with suppress(LookupError):
            route["auth"] = basicauth_from_netrc(netrc_from_env(), url.host)
    return route


class UpdatesRequest(AiohttpRequest):
    """getUpdates' own connection, which also keeps each update of the last batch as JSON text straight from
    Telegram's answer: the inbox stores that, where PTB's `Update.to_json()` would rebuild it from objects at
    ~40× the cost."""

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


def _body(request_data: RequestData | None, agent: str):
    """The call's body and headers: a form, as PTB's own client posts it (encoded here, which costs a third of
    aiohttp's FormData), or multipart when files go along."""
    if request_data is None:
        return None, {"User-Agent": agent}
    if not request_data.contains_files:
        return (urlencode(request_data.json_parameters).encode(),
                {"User-Agent": agent, "Content-Type": "application/x-www-form-urlencoded"})
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form, {"User-Agent": agent}
