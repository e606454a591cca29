"""The dispatcher: one incoming message → one transaction → replies, exactly once per delivery."""
from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Sequence
from dataclasses import replace

from application.outbox import SentMarks
from application.services import Services
from domain import answers
from domain.messages import Incoming, Kind, Outgoing, Reply
from domain.model import Conversation, Identity, Member, Role, Unit
from domain.ports import Store, Tx
from domain.present import choice_table, for_channel
from domain.text import fold
from handlers import door, state
from handlers.context import Command, Context, Feature
from handlers.reporting import NAME as REPORT

log = logging.getLogger(__name__)
_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


class Dispatcher:
    def __init__(self, store: Store, services: Services, features: list[Feature],
                 free_text=None) -> None:
        self.store = store
        self.services = services
        self.features = features
        self.free_text = free_text  # the handler for plain text outside any conversation
        self.commands: dict[str, Command] = {}
        self.by_conversation: dict[str, Feature] = {}
        self.marks = SentMarks(store, services.clock)
        for f in features:
            for c in f.commands:
                for word in (c.name, *c.aliases):
                    if word in self.commands:
                        raise ValueError(f"command /{word} registered twice")
                    self.commands[word] = c
            if f.conversation:
                self.by_conversation[f.conversation] = f

    async def handle(self, msg: Incoming) -> list[Outgoing]:
        """Process one delivery. Replies are returned only after their transaction committed."""
        msg = door.cleaned(msg)  # no control character reaches the database
        try:
            return await self.store.write(lambda tx: self._in_transaction(tx, msg))
        except OverflowError:  # a date or a number beyond what the calendar or arithmetic can hold
            return await self.store.write(lambda tx: self._failed(tx, msg, beyond=True))
        except Exception as exc:
            # Not log.exception: a message can carry the member's text (a database's "invalid input … 'text'").
            log.error("handling failed on %s delivery %s: %s", msg.channel, msg.delivery_id, _said(exc))
            try:
                return await self.store.write(lambda tx: self._failed(tx, msg))
            except Exception as again:
                # Nothing can be written (a full disk, the database away): the sender still gets a sentence, kept
                # nowhere, and the delivery stays unclaimed so that a re-delivery is handled once writing works.
                log.error("the store cannot write (%s): the reply to %s delivery %s is not kept",
                          type(again).__name__, msg.channel, msg.delivery_id)
                return [Outgoing(msg.address, Reply(await self._storage_down(msg)))]

    async def _storage_down(self, msg: Incoming) -> str:
        """The sentence for a store that cannot write, in the sender's language if it can still be read."""
        language = "vi"
        try:
            member = await self.store.read(lambda tx: tx.members.by_identity(msg.channel, msg.sender_id))
            language = member.language if member else language
        except Exception:  # the database is away altogether: Vietnamese, the campaign's language
            pass
        return self.services.translator.for_language(language)("error.storage")

    async def sent(self, reply_ids: Sequence[int]) -> None:
        """The channel sent these replies (or gave up on them for good): the outbox need not send them again."""
        await self.marks.mark(reply_ids)

    async def _failed(self, tx: Tx, msg: Incoming, beyond: bool = False) -> list[Outgoing]:
        if not await tx.deliveries.claim(msg.channel, msg.delivery_id, self.services.clock.now()):
            return []
        member = await tx.members.by_identity(msg.channel, msg.sender_id)
        t = self.services.translator.for_language(member.language if member else "vi")
        return await _kept(tx, [Outgoing(msg.address, Reply(t("input.out_of_range") if beyond else t("error.internal")))], self.services.clock.now())

    async def _in_transaction(self, tx: Tx, msg: Incoming) -> list[Outgoing]:
        # A message replayed from the inbox after downtime counts when it was sent, not when it is handled:
        # a report typed at 15:59 stays on time, one typed before midnight stays on its day.
        now = min(self.services.clock.now(), msg.received_at)
        if not await tx.deliveries.claim(msg.channel, msg.delivery_id, self.services.clock.now()):
            return []
        member, unit = await self._sender(tx, msg)
        if member is not None and not msg.is_group and _bounced_here(member, msg):
            # Someone who writes to the bot can be reached here again (they unblocked it).
            await tx.members.set_blocked(member.id, msg.channel, msg.chat_id, False)
            await tx.members.set_unreachable(member.id, False)
            member = await tx.members.get(member.id)
        conv, kept = self._resume(await tx.conversations.get(msg.channel, msg.chat_id, msg.sender_id), msg)
        ctx = Context(tx=tx, msg=msg, member=member, conv=conv, services=self.services, now=now, unit=unit,
                      state=kept)
        replies = await self._route(ctx)
        return await self._finish(ctx, replies)

    def _resume(self, conv: Conversation, msg: Incoming) -> tuple[Conversation, object]:
        """The stored conversation and its typed state; one whose state cannot be read (a conversation no module
        continues, a shape left by another version) is dropped, as if it had been cancelled."""
        if not conv.active:
            return conv, None
        feature = self.by_conversation.get(conv.name)
        if feature is not None and feature.state is None:
            return conv, None
        kept = state.decode(feature.state, conv.data) if feature is not None else None
        if kept is None:
            log.warning("dropped an unreadable %r conversation (step %r) on %s", conv.name, conv.step, msg.channel)
            return Conversation(), None
        return conv, kept

    async def _sender(self, tx: Tx, msg: Incoming) -> tuple[Member | None, Unit | None]:
        """The sender's record and unit, read in this transaction (a config-listed admin is made one)."""
        found = await tx.members.sender(msg.channel, msg.sender_id)
        member, unit = found if found is not None else (None, None)
        if msg.sender_id not in self.services.admins.get(msg.channel, frozenset()) or msg.is_group:
            return member, unit
        if member is None:
            return await tx.members.create(msg.sender_name or msg.sender_id, Role.ADMIN, None, "vi",
                                           Identity(msg.channel, msg.sender_id, msg.chat_id)), None
        if member.role != Role.ADMIN:
            await tx.members.set_role(member.id, Role.ADMIN, None)
            return await tx.members.get(member.id), None
        return member, unit

    async def _route(self, ctx: Context) -> list[Reply]:
        msg = ctx.msg
        if msg.kind == Kind.AS_CHAT:  # answered as a person would be: commands in groups
            return [ctx.reply("input.as_chat")] if not msg.is_group or msg.text.strip().startswith("/") else []
        if msg.kind in (Kind.IMAGE, Kind.UNSUPPORTED):
            return [] if msg.is_group else [ctx.reply("error.unsupported")]
        text = msg.text.strip()
        refused = door.refusal(text)
        if refused is not None and not (msg.is_group and not text.startswith("/")):
            return [ctx.reply("input.too_large") if refused == door.TOO_LARGE else ctx.reply("input.not_ascii_digits")]
        if refused is not None:
            return []
        if msg.kind == Kind.EDITED:
            return await self._edited(ctx, text)
        command = _COMMAND.match(text)
        if command:
            return await self._command(ctx, command.group(1).lower(), (command.group(2) or "").strip())
        if msg.is_group:
            return []  # in groups the bot answers commands only
        if ctx.member is None:
            return [ctx.reply("join.not_member")]
        payload = text if msg.kind == Kind.CHOICE else self._typed_choice(ctx.conv, text)
        if payload is not None:
            return await self._choice(ctx, payload)
        feature = self.by_conversation.get(ctx.conv.name)
        if feature is not None and feature.on_input is not None:
            return await feature.on_input(ctx, text)
        if self.free_text is not None:
            return await self.free_text(ctx, text)
        return [ctx.reply("help.hint")]

    async def _edited(self, ctx: Context, text: str) -> list[Reply]:
        """An edited message: a report still waiting for its answer is read again from the new text (it replaces
        the one waiting, and says so); once stored, figures are corrected by command, never by an edit."""
        if ctx.msg.is_group or ctx.member is None:
            return []
        if ctx.conv.name == REPORT and self.free_text is not None and not _COMMAND.match(text):
            return await self.free_text(ctx, text)
        return [ctx.reply("input.edited")]

    @staticmethod
    def _typed_choice(conv: Conversation, text: str) -> str | None:
        """A typed word or, where no number is awaited, a choice's number, standing for its button."""
        word = fold(text)
        for payload, typed, *_ in conv.choices:
            if typed and word.lstrip("/") == fold(typed):  # "/huỷ": its accent keeps it from being a command
                return payload
        if conv.expects_number:  # "không" is a count there, not a no
            return None
        word = word.rstrip(".")
        if word.isdigit() and 1 <= int(word) <= len(conv.choices):
            return conv.choices[int(word) - 1][0]
        return answers.pick(conv.choices, text)

    async def _choice(self, ctx: Context, payload: str) -> list[Reply]:
        prefix, _, rest = payload.partition(":")
        feature = self.by_conversation.get(prefix)
        if feature is None or feature.on_choice is None:
            return [ctx.reply("error.stale_choice")]
        return await feature.on_choice(ctx, rest)

    async def _command(self, ctx: Context, word: str, args: str) -> list[Reply]:
        command = self.commands.get(word)
        if command is None:
            return [] if ctx.msg.is_group else [ctx.reply("error.unknown_command", command=door.shortened(word))]
        if ctx.msg.is_group and not command.in_groups:
            return []
        if not command.allowed(ctx.member):
            return [ctx.reply("join.not_member" if ctx.member is None else command.refusal_key)]
        ctx.finish()  # a command starts afresh: whatever was half-done is dropped
        return await command.handler(ctx, args)

    async def _finish(self, ctx: Context, replies: list[Reply]) -> list[Outgoing]:
        msg = ctx.msg
        traits = self.services.traits[msg.channel]
        own = [r for r in replies if r.to is None or r.to == msg.address]
        offered = own[-1].choices if own else []
        ctx.conv.choices = choice_table(offered)
        ctx.conv.data = state.encode(ctx.state) if ctx.state is not None else {}
        await ctx.tx.conversations.save(msg.channel, msg.chat_id, msg.sender_id, ctx.conv, ctx.now)
        out = []
        for r in replies:
            to = r.to or msg.address
            shaped = for_channel(r, self.services.traits.get(to.channel, traits),
                                 ctx.conv.expects_number and to == msg.address)
            out.append(Outgoing(to, shaped))
        return await _kept(ctx.tx, out, self.services.clock.now())


async def _kept(tx: Tx, out: list[Outgoing], now) -> list[Outgoing]:
    """The replies written to the outbox in the transaction that made them: committed together with the change
    they confirm, so a crash before they are sent leaves them for the next start (bot.plumbing.delivery)."""
    if not out:
        return out
    ids = await tx.replies.put(out, now)
    return [replace(o, reply_id=i) for o, i in zip(out, ids)]


def _said(exc: BaseException) -> str:
    """An exception as the code that raised it (frames, type, place), without its message."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" in {frames[-1].name} ({frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    return "".join(traceback.format_list(frames)).rstrip() + f"\n{type(exc).__name__}{where}"


def _bounced_here(member: Member, msg: Incoming) -> bool:
    """The member counts as unreachable, or their chat on this channel as blocked: their writing here undoes it."""
    return member.unreachable or any(i.blocked for i in member.identities
                                     if i.channel == msg.channel and i.chat_id == msg.chat_id)
