"""Shaping replies for a channel: buttons as numbered or typed choices where there are none, and splitting."""
from __future__ import annotations

from dataclasses import replace

from domain.messages import Button, ChannelTraits, Reply


def for_channel(reply: Reply, traits: ChannelTraits, expects_number: bool) -> Reply:
    """Leave buttons to channels that have them; elsewhere write them into the text.

    Where the step waits for a number, "1" must stay a number, so choices are offered as words to type.
    """
    if traits.has_buttons or not reply.buttons:
        return reply
    choices = reply.choices
    if expects_number:
        lines = [f"• {b.label}: «{b.typed}»" for b in choices if b.typed]
    else:
        lines = [f"{i}. {b.label}" for i, b in enumerate(choices, 1)]
    return replace(reply, text=reply.text + "\n\n" + "\n".join(lines), buttons=())


def split_text(text: str, limit: int) -> list[str]:
    """Split at line boundaries into parts of at most `limit` characters; a single over-long line is cut."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = line if not current else current + "\n" + line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return [p for p in parts if p.strip()] or [text[:limit]]


def choice_table(buttons: list[Button]) -> list[list[str]]:
    """What the conversation remembers of offered choices: [payload, typed word, meaning], in order."""
    return [[b.payload, b.typed, b.meaning] for b in buttons]
