"""Who may do what by role: who reports, who leads, who manages plans and people, and how roles rank."""
from __future__ import annotations

from domain.model import Role

REPORTERS = frozenset(r for r in Role if r.reports)  # volunteers and team leaders: they report a team's tallies
LEADS = frozenset(r for r in Role if r.leads)  # team leaders and above: they see a subtree and invite
MANAGERS = frozenset({Role.LEADER, Role.ADMIN})  # they set quotas, roles and links for their subtree


def rank(role: Role) -> int:
    """The role's rank: Role is declared from the lowest rank up (volunteer 0 … admin 3)."""
    return list(Role).index(role)
