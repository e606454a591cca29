"""Between python-telegram-bot's objects and the core's neutral messages."""
from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.plumbing.sent_times import plausible
from domain.messages import ChannelTraits, Incoming, Kind, Reply

CHANNEL = "telegram"
TRAITS = ChannelTraits(CHANNEL, has_buttons=True, max_text=4096)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
GROUP_TYPES = ("group", "supergroup")


def to_incoming(update: Update, now: datetime, channel: str = CHANNEL) -> Incoming | None:
    """A message or button press from a person, as the channel named `channel` (one per bot token) got it;
    None for what the core has no use for (bots, channels).

    `received_at` is when Telegram got the message (a replay after downtime keeps it); a press has no time
    of its own, so it is `now`."""
    query = update.callback_query
    if query is not None:
        user = query.from_user
        if user is None or user.is_bot:
            return None
        message = query.message  # None, or inaccessible, for very old messages: answer in private then
        chat = message.chat if message is not None else None
        return Incoming(
            channel=channel, chat_id=str(chat.id if chat else user.id), sender_id=str(user.id),
            sender_name=user.full_name, delivery_id=str(update.update_id), received_at=now,
            text=query.data or "", kind=Kind.CHOICE, is_group=bool(chat and chat.type in GROUP_TYPES),
            message_ref=str(message.message_id) if message is not None else "",
            thread=_topic(message) if chat else "")
    message = update.message or update.edited_message
    if message is None or message.from_user is None:
        return None
    as_chat = message.sender_chat is not None and not message.is_automatic_forward
    if message.from_user.is_bot and not as_chat:
        return None
    # An anonymous admin writes as the group, a post as a channel is the channel's: the core answers, stores nothing.
    sender = message.sender_chat if as_chat else message.from_user
    kind, text = _content(message)
    if update.edited_message is not None and kind == Kind.TEXT:
        kind = Kind.EDITED
    return Incoming(
        channel=channel, chat_id=str(message.chat.id), sender_id=str(sender.id),
        sender_name="" if as_chat else message.from_user.full_name,
        delivery_id=str(update.update_id), received_at=plausible(message.date, now), text=text,
        kind=Kind.AS_CHAT if as_chat else kind, is_group=message.chat.type in GROUP_TYPES,
        message_ref=str(message.message_id), thread=_topic(message))


def _topic(message) -> str:
    """The forum topic a message is in, or "" (General, or a chat without topics)."""
    return str(message.message_thread_id) if getattr(message, "is_topic_message", False) else ""


def _content(message: Message) -> tuple[Kind, str]:
    if message.text is not None:
        return Kind.TEXT, message.text
    if message.photo:
        return Kind.IMAGE, message.caption or ""
    return Kind.UNSUPPORTED, ""


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.payload) for b in row]
                                 for row in reply.buttons])
