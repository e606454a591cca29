"""Leaders' files kept on disk for a while, each under an unguessable token: put, found, linked, expired, swept.

`<directory>/<token>/<name>` holds the file, `<directory>/<token>/meta.json` its name, type and expiry, written last
(by a rename): a file still being written is never found. A token is 192 random bits (secrets.token_urlsafe), so
a link can be neither guessed nor made from another: `/files/<token>/<name>` serves that one file, while it lasts.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from domain.clock import Clock

log = logging.getLogger(__name__)

TOKEN_BYTES = 24  # 192 bits; at least 128 are needed for a link nobody can guess
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # token_urlsafe(24): 32 characters
META = "meta.json"
ROUTE = "/files/{token}/{name}"


@dataclass(frozen=True)
class Kept:
    token: str
    path: Path
    name: str
    mime: str
    expires_at: datetime


class Expired(LookupError):
    """The token was real, its file is gone or going: its time is over."""


class Shelf:
    """Files under `directory`, each kept `hours` after it was put; links under `public_url` (none without)."""

    def __init__(self, directory: Path | str, clock: Clock, hours: int = 24, public_url: str = "") -> None:
        self.directory = Path(directory)
        self.clock = clock
        self.hours = hours
        self.public_url = public_url.strip().rstrip("/")

    @property
    def links(self) -> bool:
        """Whether files can be given as links: the bot has a public address."""
        return self.public_url.startswith(("https://", "http://"))

    def place(self, name: str) -> tuple[str, Path]:
        """A new token and the path to write `name` to (its directory made; nothing is found there yet)."""
        _check_name(name)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        folder = self.directory / token
        folder.mkdir(parents=True, mode=0o700)
        return token, folder / name

    def keep(self, token: str, name: str, mime: str) -> Kept:
        """The file written at place()'s path is complete: from now on it is found, until it expires."""
        expires = self.clock.now() + timedelta(hours=self.hours)
        folder = self.directory / token
        temporary = folder / (META + ".part")
        temporary.write_text(json.dumps({"name": name, "mime": mime, "expires_at": expires.isoformat()}))
        os.replace(temporary, folder / META)
        return Kept(token, folder / name, name, mime, expires)

    def url(self, kept: Kept) -> str:
        return f"{self.public_url}/files/{kept.token}/{quote(kept.name)}" if self.links else ""

    def find(self, token: str, name: str) -> Kept | None:
        """The kept file of this token and exactly this name; None for any other (a forged or altered link);
        Expired once its time is over."""
        if not _TOKEN.match(token) or "/" in name or name in ("", ".", "..", META):
            return None
        folder = self.directory / token
        meta = _read_meta(folder)
        if meta is None or meta["name"] != name or not (folder / name).is_file():
            return None
        if self.clock.now() >= meta["expires_at"]:
            raise Expired(token)
        return Kept(token, folder / name, name, meta["mime"], meta["expires_at"])

    def sweep(self) -> int:
        """Delete every file whose time is over (and what a crash left half-written an hour ago); returns how
        many went."""
        if not self.directory.is_dir():
            return 0
        now, gone = self.clock.now(), 0
        for folder in self.directory.iterdir():
            if not folder.is_dir() or not _TOKEN.match(folder.name):
                continue
            meta = _read_meta(folder)
            if meta is not None and now < meta["expires_at"]:
                continue
            if meta is None and _younger_than(folder, timedelta(hours=1)):
                continue  # being written now
            shutil.rmtree(folder, ignore_errors=True)
            gone += 1
        if gone:
            log.info("files: %d expired file(s) deleted", gone)
        return gone


def _check_name(name: str) -> None:
    if not name or "/" in name or "\\" in name or name.startswith(".") or name == META:
        raise ValueError(f"not a file name: {name!r}")


def _read_meta(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / META).read_text())
        return {"name": str(meta["name"]), "mime": str(meta["mime"]),
                "expires_at": datetime.fromisoformat(meta["expires_at"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _younger_than(folder: Path, age: timedelta) -> bool:
    try:
        return time.time() - folder.stat().st_mtime < age.total_seconds()  # the file system's own clock
    except OSError:
        return False
