"""A small unit tree, and members joined through real invites, for transcripts."""
from __future__ import annotations

import re

TREE = [
    ("HCM", "TP. Hồ Chí Minh", "city", None, None),
    ("Q1", "Quận 1", "district", "HCM", None),
    ("P01", "Phường Bến Nghé", "ward", "Q1", None),
    ("P01-KP1", "Khu phố 1", "neighbourhood", "P01", None),
    ("P01-KP1-T", "Tổ CNS KP1", "team", "P01-KP1", 400),
    ("P01-KP2", "Khu phố 2", "neighbourhood", "P01", None),
    ("P01-KP2-T", "Tổ CNS KP2", "team", "P01-KP2", 200),
    ("P02", "Phường Đa Kao", "ward", "Q1", None),
    ("P02-KP1", "Khu phố 1 Đa Kao", "neighbourhood", "P02", None),
    ("P02-KP1-T", "Tổ CNS Đa Kao 1", "team", "P02-KP1", 100),
]


async def seed_units(store, rows=TREE) -> None:
    async def work(tx):
        for code, name, kind, parent, households in rows:
            await tx.units.upsert(code, name, kind, parent, households)
    await store.write(work)


def invite_code(text: str) -> str:
    m = re.search(r"start=([A-Za-z0-9_-]+)", text) or re.search(r"/start ([A-Za-z0-9_-]+)", text)
    assert m, f"no invite code in {text!r}"
    return m.group(1)


async def join(chat, who: str, unit: str, role: str = "volunteer", by: str = "admin") -> None:
    said = await chat.say(by, f"/invite {unit} {role}")
    said = await chat.say(who, f"/start {invite_code(said.text)}")
    assert "Chào mừng" in said.text or "Welcome" in said.text, said.text
