"""What is planned for a unit and its children (quotas, targets, phases), loaded once per message."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.model import Unit
from domain.plans import Applies, Phase, Planned, Quota, Target, applies
from domain.ports import Tx


@dataclass
class Plans:
    unit: Unit | None  # None: everything (an admin without a unit); its children are then the roots
    chain: list[Unit]  # from the root down to the unit itself
    children: list[Unit]
    quotas: list[Quota]
    targets: list[Target]
    phases: list[Phase]
    _index: dict[tuple[int, str], list[Quota]] | None = field(default=None, repr=False)

    @property
    def empty(self) -> bool:
        return not (self.quotas or self.targets or self.phases)

    def names(self) -> dict[int, Unit]:
        return {u.id: u for u in (*self.chain, *self.children)}

    def chain_of(self, unit: Unit) -> list[int]:
        ids = [u.id for u in self.chain]
        return ids if unit.id in ids else [*ids, unit.id]

    def quotas_of(self, unit_ids: list[int], metric: str) -> list[Quota]:
        """Only these units' quotas for the metric: progress looks each day up, so it scans few."""
        if self._index is None:
            self._index = {}
            for q in self.quotas:
                self._index.setdefault((q.unit_id, q.metric), []).append(q)
        return [q for u in unit_ids for q in self._index.get((u, metric), ())]

    def applies(self, unit: Unit, metric: str, day: date) -> Applies:
        chain = self.chain_of(unit)
        return applies(chain, metric, day, self.quotas_of(chain, metric), self.targets)


async def load(tx: Tx, unit: Unit | None, planned: Planned | None = None) -> Plans:
    """`planned`: what tx.quotas.planned(unit) returned, when the caller asked already."""
    if planned is None:
        planned = await tx.quotas.planned(unit)
    if unit is None:
        chain, children = [], await tx.units.roots()
    else:
        above, children = await tx.units.line_and_children(unit)
        chain = [*above, unit]
    return Plans(unit, chain, children, list(planned.quotas), list(planned.targets), list(planned.phases))
