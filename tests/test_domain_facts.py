"""Facts the domain keeps once: which roles report, lead and manage, how they rank, how codes are hashed, and
which words mean yesterday."""
from __future__ import annotations

import hashlib

from domain.codes import code_hash, invite_hashes
from domain.dates import YESTERDAY_WORDS, says_yesterday
from domain.model import Role
from domain.roles import LEADS, MANAGERS, REPORTERS, rank
from handlers.account_link import hash_link_code
from handlers.joining import hash_code


def test_roles_by_what_they_do_and_their_rank():
    assert REPORTERS == {Role.VOLUNTEER, Role.TEAM_LEADER}
    assert LEADS == {Role.TEAM_LEADER, Role.LEADER, Role.ADMIN}
    assert MANAGERS == {Role.LEADER, Role.ADMIN}
    assert [rank(r) for r in (Role.VOLUNTEER, Role.TEAM_LEADER, Role.LEADER, Role.ADMIN)] == [0, 1, 2, 3]


def test_codes_stored_before_still_match():
    # The two hashes every stored invite and link code was written with, before there was one hasher.
    assert code_hash(" AbC123 ".strip()) == hashlib.sha256(b"AbC123").hexdigest()
    assert invite_hashes(" AbC123 ")[-1] == hashlib.sha256(b"AbC123").hexdigest()  # a long code given before
    assert hash_code(" abcd-efgh ") == hashlib.sha256(b"ABCDEFGH").hexdigest()  # a short one, read loosely
    assert hash_link_code("abcd-efgh") == hashlib.sha256(b"link:ABCDEFGH").hexdigest()
    assert code_hash("ABCDEFGH", "link") != code_hash("ABCDEFGH")  # a link code never opens an invite


def test_yesterday_with_or_without_diacritics_and_only_as_the_whole_argument():
    for word in ("hôm qua", "Hom qua", "homqua", "HQUA", "yesterday", " hôm   qua "):
        assert says_yesterday(word), word
    for word in ("", "hom nay", "qua", "hom qua 5"):
        assert not says_yesterday(word), word
    assert "hom qua" in YESTERDAY_WORDS
