"""One-time codes people type (invites, account links): only their hash is stored."""
from __future__ import annotations

import hashlib
from typing import Callable


def code_hash(code: str, purpose: str = "") -> str:
    """SHA-256 of the code as typed (the caller normalises it), prefixed by its purpose so that a code of one
    kind never matches a stored code of another. Invites have none, for the hashes stored before."""
    return hashlib.sha256(f"{purpose}:{code}".encode() if purpose else code.encode()).hexdigest()


# Invite codes, typed by hand on a phone: 8 letters and digits over 31 that cannot be taken for one another (no 0/O,
# 1/I/L), shown as ABCD-EFGH; read in any case, with or without the dash or spaces. 31^8 ≈ 8.5 × 10^11 codes: the
# arithmetic against guessing at the rate limit is in docs/quota.md ("Invite codes").
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 8


def new_invite_code(choice: Callable[[str], str]) -> str:
    """A fresh code from `choice` (secrets.choice: the caller holds the randomness), as ABCD-EFGH."""
    raw = "".join(choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_invite(typed: str) -> str:
    """What was typed, as the code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def invite_hashes(typed: str) -> list[str]:
    """The stored hashes a typed invite code may match: the code read loosely, then as typed exactly (the longer
    case-sensitive codes given before this format)."""
    loose, exact = code_hash(normalize_invite(typed)), code_hash(typed.strip())
    return [loose] if loose == exact else [loose, exact]
