"""One-time codes people type (invites, account links): only their hash is stored."""
from __future__ import annotations

import hashlib


def code_hash(code: str, purpose: str = "") -> str:
    """SHA-256 of the code as typed (the caller normalises it), prefixed by its purpose so that a code of one
    kind never matches a stored code of another. Invites have none, for the hashes stored before."""
    return hashlib.sha256(f"{purpose}:{code}".encode() if purpose else code.encode()).hexdigest()
