"""Bots bound to parts of the unit tree ([[telegram.bots]]), checked against the stored units at start."""
from __future__ import annotations

from bot.app import StartError
from domain.messages import Binding
from domain.model import Unit
from domain.ports import Store


async def check_bindings(store: Store, bindings: tuple[Binding, ...]) -> None:
    """Every bound unit exists and no two bound subtrees overlap; otherwise one sentence saying which."""
    if not bindings:
        return
    units: list[tuple[Binding, Unit]] = []
    for binding in bindings:
        unit = await store.read(lambda tx, code=binding.unit_code: tx.units.by_code(code))
        if unit is None:
            raise StartError(f"The bot {binding.channel} is bound to unit {binding.unit_code!r}, which is not a "
                             "known unit code: import the units first (python -m bot units import FILE) or "
                             "correct its [[telegram.bots]] unit.")
        units.append((binding, unit))
    for i, (a, unit_a) in enumerate(units):
        for b, unit_b in units[i + 1:]:
            if unit_a.contains(unit_b) or unit_b.contains(unit_a):
                outer, inner = (unit_a, unit_b) if unit_a.contains(unit_b) else (unit_b, unit_a)
                raise StartError(f"The bots {a.channel} and {b.channel} serve overlapping parts of the unit tree "
                                 f"({inner.code} lies within {outer.code}): bind each bot to a separate subtree.")
