"""The storage keeps the core's ports: a transaction carries exactly the repositories `domain.ports.Tx` names, and
each has every method of its protocol, with the same parameters."""
from __future__ import annotations

import inspect
import typing

from domain import ports

NAMED = typing.get_type_hints(ports.Tx)


def _methods(cls) -> dict[str, object]:
    return {name: fn for name, fn in vars(cls).items() if inspect.isfunction(fn) and not name.startswith("_")}


def _parameters(fn) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


def mismatches(repositories: dict[str, object]) -> list[str]:
    """How a transaction's repositories differ from what the Tx port names: nothing, when it keeps the port."""
    found = [f"tx.{name} is not in the port" for name in sorted(set(repositories) - set(NAMED))]
    found += [f"tx.{name} is missing" for name in sorted(set(NAMED) - set(repositories))]
    for name in sorted(set(NAMED) & set(repositories)):
        have = type(repositories[name])
        for method, wanted in _methods(NAMED[name]).items():
            got = getattr(have, method, None)
            if got is None:
                found.append(f"tx.{name}.{method}() is missing")
            elif _parameters(got) != _parameters(wanted):
                found.append(f"tx.{name}.{method}{inspect.signature(got)} differs from the port's "
                             f"{inspect.signature(wanted)}")
            elif inspect.iscoroutinefunction(got) != inspect.iscoroutinefunction(wanted):
                found.append(f"tx.{name}.{method}() is async in one of them only")
    return found


async def _repositories(store) -> dict[str, object]:
    async def built(tx) -> dict[str, object]:
        return {name: repo for name, repo in vars(tx).items() if name != "conn"}
    return await store.read(built)


async def test_a_transaction_has_every_repository_the_port_names_and_no_other(store):
    assert {"units", "members", "entries", "inbox", "sends", "links", "account_links", "quotas"} <= set(NAMED)
    assert all(_methods(protocol) for protocol in NAMED.values())
    assert mismatches(await _repositories(store)) == []


async def test_a_transaction_that_strays_from_the_port_is_told_apart(store):
    class HalfInbox:
        async def put(self, channel, items): ...

    class SyncSends:
        def claim(self, kind, topic, day, recipient, at): ...
        async def finish(self, kind, topic, day, recipient, outcome, at): ...
        async def prune(self, before): ...

    repositories = await _repositories(store)
    del repositories["quotas"]
    repositories.update(inbox=HalfInbox(), sends=SyncSends(), leases=object())
    assert mismatches(repositories) == [
        "tx.leases is not in the port",
        "tx.quotas is missing",
        "tx.inbox.put(self, channel, items) differs from the port's (self, channel: 'str', "
        "items: 'list[tuple[str, str]]', at: 'datetime') -> 'list[str]'",
        "tx.inbox.pending() is missing",
        "tx.inbox.set_unreadable() is missing",
        "tx.sends.claim() is async in one of them only",
    ]
