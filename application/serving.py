"""Which channel serves a unit: the bot bound to a subtree holding it (a province's), else the general one."""
from __future__ import annotations

from application.services import Services
from domain.model import Unit
from domain.ports import Tx


def general(services: Services, channel: str) -> str:
    """The channel serving a platform's units that no bound channel serves (a channel serves itself if unbound)."""
    for binding in services.bindings:
        if binding.channel == channel:
            return binding.general
    return channel


async def serving(tx: Tx, services: Services, unit: Unit, channel: str) -> str:
    """The channel of `channel`'s platform through which members of `unit` join and are reached."""
    main = general(services, channel)
    bound = {b.unit_code: b.channel for b in services.bindings if b.general == main}
    if not bound:
        return main
    for candidate in (unit, *reversed(await tx.units.ancestors(unit))):
        if candidate.code in bound:
            return bound[candidate.code]
    return main


async def join_links(tx: Tx, services: Services, unit: Unit) -> list[str]:
    """One join link per platform, to the channel that serves `unit` (the general one if that is not running)."""
    links = []
    for main in dict.fromkeys(general(services, c) for c in services.join_links):
        link = services.join_links.get(await serving(tx, services, unit, main)) or services.join_links.get(main)
        if link:
            links.append(link)
    return links
