"""The Zalo channel: webhook or polling in, each event stored before it is acknowledged; the core's replies out."""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import web

from bot.config import ZaloConfig
from bot.plumbing.delivery import handle_and_reply, send_unsent
from bot.plumbing.faults import Unreadable, fault
from bot.plumbing.health import IntakeHealth
from bot.plumbing.inbox import Inbox
from bot.plumbing.ordering import SenderOrder
from bot.plumbing.retry import Sleep, backoff, poll_forever
from bot.web import WebServer
from bot.zalo.client import POLL_TIMEOUT, ZaloClient, ZaloError, ZaloForbidden, ZaloUnauthorized
from domain.clock import Clock
from domain.messages import Address, Attachment, AttachmentKind, ChannelTraits, Incoming, Kind, Reply, SendResult
from domain.ports import FileNotMade, Store
from domain.present import split_text

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

NAME = "zalo"
WEBHOOK_PATH = "/zalo/webhook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
KINDS = {
    "message.text.received": Kind.TEXT,
    "message.image.received": Kind.IMAGE,
    "message.sticker.received": Kind.UNSUPPORTED,
    "message.unsupported.received": Kind.UNSUPPORTED,
}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_ID = 64  # the width of the id columns (deliveries, identities)
# Events handled at once. More would only queue for the database (SQLite has one writer), and the webhook's
# own inbox write, which Zalo waits for, would queue behind them all.
HANDLING = 6
REPLAY_WINDOW = timedelta(days=2)  # a `date` older than this is not a replay but a wrong clock somewhere
FIRST_BACKOFF, MAX_BACKOFF = 2.0, 60.0  # polling after a failure: 2, 4, 8 … 60 s


class ZaloConfigError(ValueError):
    """A setting webhook mode needs is missing or wrong: one sentence saying which."""


def webhook_url(public_url: str) -> str:
    """Where Zalo should POST: https under [web] public_url; http is accepted on 127.0.0.1 for local runs."""
    parts = urlsplit(public_url.strip())
    if parts.scheme == "https" and parts.hostname or parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return public_url.strip().rstrip("/") + WEBHOOK_PATH
    raise ZaloConfigError("Zalo webhook mode needs [web] public_url = \"https://…\" (the address Zalo can reach; "
                          "http is accepted on 127.0.0.1 only), or [zalo] mode = \"polling\".")


def read_event(body: object) -> dict:
    """The event of a webhook body or a getUpdates result, wrapped in `result` or not; Unreadable saying what is
    missing when it cannot be used (in the bot's words: nothing of the event's content)."""
    if isinstance(body, dict) and isinstance(body.get("result"), dict) and "event_name" not in body:
        body = body["result"]
    if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
        raise Unreadable("no message")
    message = body["message"]
    sender = message.get("from")
    if not isinstance(sender, dict) or not sender.get("id") or len(str(sender["id"])) > MAX_ID:
        raise Unreadable("no usable sender id")
    if not 0 < len(str(message.get("message_id") or "")) <= MAX_ID:
        raise Unreadable("no usable message_id")
    return body


def zalo_inbox(store: Store, clock: Clock) -> Inbox[dict]:
    return Inbox(store, clock, NAME, read=lambda raw: read_event(json.loads(raw)),
                 identify=lambda event: str(event["message"]["message_id"]))


class ZaloChannel:
    traits = ChannelTraits(NAME, has_buttons=False, max_text=2000)

    def __init__(self, config: ZaloConfig, web_server: WebServer, *, client: ZaloClient | None = None,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.config = config
        self.web = web_server
        self.client = client or ZaloClient(config.token.get_secret_value(), config.api_base_url, sleep=sleep)
        self._sleep = sleep
        self.app: App | None = None
        self.bot_id = ""
        self.can_join_groups = False  # from getMe: Zalo groups are in limited beta; until then leaders get DMs
        self._tasks: set[asyncio.Task] = set()
        self.order = SenderOrder()  # one person's messages in the order they came
        self.inbox: Inbox[dict] | None = None
        self.health = IntakeHealth(NAME, config.mode)
        web_server.watch(self.health)
        self._poller: asyncio.Task | None = None
        self._handling = asyncio.Semaphore(HANDLING)
        if config.mode == "webhook":
            web_server.add_post(WEBHOOK_PATH, self._on_webhook)  # routes must exist before the server starts

    async def start(self, app: "App") -> None:
        url = ""
        secret = self.config.webhook_secret.get_secret_value()
        if self.config.mode == "webhook":
            url = webhook_url(app.settings.web.public_url)
            if not 8 <= len(secret) <= 256:
                raise ZaloConfigError("Zalo webhook mode needs [zalo] webhook_secret of 8-256 characters.")
        try:
            me = await self.client.get_me()
        except ZaloUnauthorized:
            raise ZaloConfigError("Zalo refused the bot token (401): check [zalo] token or ZALO_BOT_TOKEN.") from None
        self.bot_id = str(me.get("id", ""))
        self.can_join_groups = bool(me.get("can_join_groups"))
        log.info("Zalo bot %s ready in %s mode (groups %s)", me.get("account_name") or me.get("name") or self.bot_id,
                 self.config.mode, "allowed" if self.can_join_groups else "not yet allowed: leaders get DMs")
        self.app = app
        self.inbox = zalo_inbox(app.store, app.services.clock)
        await send_unsent(app.dispatcher, app.store, app.send, self.traits.name)  # committed, never sent
        await self._replay()
        if self.config.mode == "webhook":
            await self.client.set_webhook(url, secret)
        else:
            await self.client.delete_webhook()  # getUpdates is refused while a webhook is set
            self._poller = asyncio.create_task(self._poll(), name="zalo-poll")

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
            self._poller = None
        await self.settled()
        await self.client.close()

    async def settled(self) -> None:
        """Wait until every accepted event has been processed and answered (tests, and a clean stop)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def send(self, to: Address, reply: Reply, *, bulk: bool = False) -> SendResult:
        """Send in parts below 2,000 characters, cut at line boundaries; 403 means the user cannot be reached.
        Zalo publishes no bulk limit, so `bulk` changes nothing here."""
        # The dispatcher's replies arrive shaped (choices numbered, remembered for "1"). Buttons on anything
        # else (a scheduled reminder) have no conversation to answer "1" to, so they are left out, not numbered.
        sent: list[str] = []
        try:
            for part in split_text(reply.text, self.traits.max_text):
                if part.strip():
                    sent.append(_message_id(await self.client.send_message(to.chat_id, part)))
            for attachment in reply.attachments:
                if not self.app.files.links:  # Zalo takes no uploads: without a public address, no file at all
                    t = self.app.services.translator.for_language(attachment.order.language)
                    sent.append(_message_id(await self.client.send_message(to.chat_id, t("export.zalo_needs_url"))))
                    break
                sent.append(await self._send_file(to.chat_id, attachment))
        except ZaloForbidden as exc:
            return SendResult(ok=False, blocked=True, error=str(exc), message_ids=tuple(sent))
        except ZaloError as exc:
            return SendResult(ok=False, error=str(exc), message_ids=tuple(sent))
        return SendResult(ok=True, message_ids=tuple(sent))

    async def _send_file(self, chat_id: str, attachment: Attachment) -> str:
        """Zalo's Bot Platform sends no documents: a chart goes as a photo Zalo fetches from the bot's link to
        it, the workbook as a message with its link (both expire with the file)."""
        t = self.app.services.translator.for_language(attachment.order.language)
        try:
            made = await self.app.files.make(attachment.order)
        except FileNotMade:
            return _message_id(await self.client.send_message(chat_id, t("export.not_made", name=attachment.name)))
        if attachment.kind == AttachmentKind.PHOTO:
            return _message_id(await self.client.send_photo(chat_id, made.url, attachment.caption))
        until = made.expires_at.astimezone(self.app.services.rules.campaign.tz)
        text = t("export.link", name=made.name, url=made.url, time=until.strftime("%H:%M"), day=t.day(until.date()))
        if attachment.caption:
            text = attachment.caption + "\n" + text
        return _message_id(await self.client.send_message(chat_id, text))

    # Incoming: webhook, polling, and the inbox left from a previous run.

    async def _on_webhook(self, request: web.Request) -> web.Response:
        secret = self.config.webhook_secret.get_secret_value()
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            return web.json_response({"ok": False}, status=403)
        if self.app is None:
            return web.json_response({"ok": False}, status=503)  # not started yet: Zalo sends again
        raw = await request.text()
        try:
            await self._accept(raw)
        except Exception as exc:
            log.error("Zalo webhook: could not store an event (%s)", fault(exc))
            self.health.failed(self._now(), fault(exc))
            return web.json_response({"ok": False}, status=500)  # not stored: let Zalo send it again
        self.health.ok(self._now())
        return web.json_response({"ok": True})

    async def _poll(self) -> None:
        """getUpdates for ever: any failure (a 401 too) is retried with backoff and shows in /healthz."""
        await poll_forever(self._poll_once, wait=backoff(FIRST_BACKOFF, MAX_BACKOFF), sleep=self._sleep,
                           failed=self._poll_failed)

    async def _poll_once(self) -> None:
        updates = await self.client.get_updates(POLL_TIMEOUT)
        self.health.ok(self._now())
        for update in updates:
            try:
                await self._accept(json.dumps(update, ensure_ascii=False))
            except Exception as exc:
                # getUpdates has no offset to re-ask with: this update is lost. Said loudly.
                log.error("Zalo polling: could not store an event, it is lost (%s)", fault(exc))
                self.health.failed(self._now(), fault(exc))

    def _poll_failed(self, exc: BaseException, wait: float) -> None:
        said = str(exc) if isinstance(exc, ZaloError) else fault(exc)  # a ZaloError's text is scrubbed
        level = logging.ERROR if isinstance(exc, ZaloUnauthorized) else logging.WARNING
        log.log(level, "Zalo polling: %s; again in %.0fs", said, wait)
        self.health.failed(self._now(), said)

    async def _replay(self) -> None:
        """Events stored but not processed when the bot last stopped, in arrival order."""
        pending = await self.inbox.pending()
        for event in pending:
            if not self._ignored(event):
                self._schedule(event)
        if pending:
            log.info("Zalo: replaying %d stored event(s)", len(pending))

    def _ignored(self, event: dict) -> bool:
        message = event["message"]
        sender = message["from"]
        if str(sender["id"]) == self.bot_id or sender.get("is_bot") is True:
            return True  # Zalo may echo the bot's own messages back
        group = (message.get("chat") or {}).get("chat_type") == "GROUP"
        return group and not self.can_join_groups

    async def _accept(self, raw: str) -> None:
        """Store the raw event, then process it in the background; a duplicate delivery does nothing. What
        cannot be read is kept aside as unreadable (and acknowledged all the same)."""
        arrival = self.inbox.arrival(raw)
        if arrival.item is not None and self._ignored(arrival.item):
            return
        for event in await self.inbox.keep([arrival]):
            self._schedule(event)

    def _schedule(self, event: dict) -> None:
        task = asyncio.create_task(self._process(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, event: dict) -> None:
        try:
            msg = self._incoming(event)
            await self.order.run((msg.chat_id, msg.sender_id),
                                 handle_and_reply(self.app.dispatcher, self.app.send, msg, self._handling))
        except Exception as exc:
            log.error("Zalo: delivery %s failed (%s)", event["message"]["message_id"], fault(exc))

    def _now(self) -> datetime:
        return self.app.services.clock.now()

    def _incoming(self, event: dict) -> Incoming:
        message = event["message"]
        sender = message["from"]
        chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
        kind = KINDS.get(str(event.get("event_name", "")), Kind.UNSUPPORTED)
        text = message.get("text") if kind == Kind.TEXT else message.get("caption")
        message_id = str(message["message_id"])
        return Incoming(channel=NAME, chat_id=str(chat.get("id") or sender["id"]), sender_id=str(sender["id"]),
                        sender_name=str(sender.get("display_name") or sender.get("name") or ""),
                        delivery_id=message_id, received_at=sent_at(message, self.app.services.clock.now()),
                        text=str(text or ""), kind=kind, is_group=chat.get("chat_type") == "GROUP",
                        message_ref=message_id)


def _message_id(answer: dict | None) -> str:
    return str((answer or {}).get("message_id", ""))


def sent_at(message: dict, now: datetime) -> datetime:
    """When Zalo got the message (its `date`, in ms), so an event replayed after downtime counts when it was sent,
    as on Telegram; `now` when the date is missing, unreadable or implausible."""
    try:
        at = datetime.fromtimestamp(int(message["date"]) / 1000, timezone.utc)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return now
    return at if now - REPLAY_WINDOW <= at <= now else now
