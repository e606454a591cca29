"""The quotas repository on every backend: replacing by range, end date and name; what is planned for a unit's line
and children; last reports; migration 0003."""
from __future__ import annotations

from datetime import date

from domain.model import Identity, NewEntry, Role
from tests.support.chat import at
from tests.support.seed import seed_units

NOW = at("10:00")


async def test_a_quota_replaces_only_the_one_over_exactly_the_same_range(store):
    await seed_units(store)

    async def work(tx):
        unit = await tx.units.by_code("P01")
        r = tx.quotas
        assert await r.set_quota(unit.id, "l1_activations", 10, None, None, None, None, 1, NOW) is None
        old = await r.set_quota(unit.id, "l1_activations", 12, None, None, None, None, 1, NOW)
        assert old.daily == 10  # open at both ends: NULL compares equal here
        await r.set_quota(unit.id, "l1_activations", 20, date(2026, 11, 1), None, None, None, 1, NOW)
        await r.set_quota(unit.id, "l1_activations", 30, date(2026, 11, 1), date(2026, 11, 30), None, None, 1, NOW)
        old = await r.set_quota(unit.id, "l1_activations", 31, date(2026, 11, 1), date(2026, 11, 30), None, None, 1,
                                NOW)
        assert old.daily == 30
        await r.set_quota(unit.id, "l2_activations", 5, None, None, None, None, 1, NOW)
        return sorted((q.metric, q.daily, q.first_day, q.last_day) for q in await r.quotas_for([unit.id]))
    assert await store.write(work) == [
        ("l1_activations", 12, None, None), ("l1_activations", 20, date(2026, 11, 1), None),
        ("l1_activations", 31, date(2026, 11, 1), date(2026, 11, 30)), ("l2_activations", 5, None, None)]


async def test_targets_replace_by_end_date_and_phases_by_name(store):
    await seed_units(store)

    async def work(tx):
        unit = await tx.units.by_code("HCM")
        r = tx.quotas
        assert await r.set_target(unit.id, "l1_activations", 1000, date(2026, 11, 30), None, NOW) is None
        assert (await r.set_target(unit.id, "l1_activations", 1200, date(2026, 11, 30), None, NOW)).total == 1000
        await r.set_target(unit.id, "l1_activations", 130464, date(2026, 12, 31), None, NOW)
        assert await r.put_phase("Giai đoạn 2", date(2026, 12, 1), date(2026, 12, 31), None, NOW) is None
        await r.put_phase("Giai đoạn 1", date(2026, 11, 1), date(2026, 11, 30), None, NOW)
        old = await r.put_phase("Giai đoạn 1", date(2026, 11, 2), date(2026, 11, 30), None, NOW)
        assert old.first_day == date(2026, 11, 1)
        return ([(t.total, t.end_day) for t in await r.targets_for([unit.id])],
                [(p.name, p.first_day) for p in await r.phases()])
    targets, phases = await store.write(work)
    assert sorted(targets) == [(1200, date(2026, 11, 30)), (130464, date(2026, 12, 31))]
    assert phases == [("Giai đoạn 1", date(2026, 11, 2)), ("Giai đoạn 2", date(2026, 12, 1))]


async def test_planned_reads_a_units_line_and_children_and_every_phase_at_once(store):
    await seed_units(store)

    async def work(tx):
        u = {code: await tx.units.by_code(code) for code in ("HCM", "Q1", "P01", "P01-KP1", "P01-KP1-T", "P02")}
        r = tx.quotas
        assert (await r.planned(u["P01"])).empty
        await r.set_target(u["HCM"].id, "l1_activations", 5000, date(2026, 12, 31), None, NOW)  # the line above
        await r.set_quota(u["P01"].id, "l1_activations", 40, None, None, None, None, 1, NOW)  # the ward itself
        await r.set_quota(u["P01-KP1"].id, "l1_activations", 25, date(2026, 11, 1), date(2026, 11, 30), u["P01"].id,
                          "households", 1, NOW)  # a child
        await r.set_quota(u["P01-KP1-T"].id, "l1_activations", 9, None, None, None, None, 1, NOW)  # below: not read
        await r.set_quota(u["P02"].id, "l1_activations", 7, None, None, None, None, 1, NOW)  # a sibling: not read
        await r.put_phase("Giai đoạn 2", date(2026, 12, 1), date(2026, 12, 31), None, NOW)
        await r.put_phase("Giai đoạn 1", date(2026, 11, 1), date(2026, 11, 30), None, NOW)
        ward, everything = await r.planned(u["P01"]), await r.planned(None)
        return (u, ward, everything, await tx.units.line_and_children(u["P01"]),
                await tx.units.line_and_children(u["HCM"]))
    u, ward, everything, (line, children), (root_line, root_children) = await store.write(work)
    assert [(q.unit_id, q.daily, q.first_day, q.last_day, q.split_from, q.basis) for q in ward.quotas] == [
        (u["P01"].id, 40, None, None, None, None),
        (u["P01-KP1"].id, 25, date(2026, 11, 1), date(2026, 11, 30), u["P01"].id, "households")]
    assert [(t.unit_id, t.total, t.end_day) for t in ward.targets] == [(u["HCM"].id, 5000, date(2026, 12, 31))]
    assert [(p.name, p.first_day, p.last_day) for p in ward.phases] == [
        ("Giai đoạn 1", date(2026, 11, 1), date(2026, 11, 30)), ("Giai đoạn 2", date(2026, 12, 1), date(2026, 12, 31))]
    # For everything: the roots' plans (HCM's target), no one's below them, and the phases.
    assert (everything.quotas, [t.total for t in everything.targets], everything.phases) == ((), [5000], ward.phases)
    assert [x.code for x in line] == ["HCM", "Q1"]
    assert [x.code for x in children] == ["P01-KP1", "P01-KP2"]
    assert (root_line, [x.code for x in root_children]) == ([], ["Q1"])


async def test_last_reports_skip_withdrawn_and_replaced_entries(store):
    await seed_units(store)

    async def work(tx):
        team = await tx.units.by_code("P01-KP1-T")
        m = await tx.members.create("An", Role.VOLUNTEER, team.id, "vi", Identity("test", "an", "an"))
        other = await tx.members.create("Binh", Role.VOLUNTEER, team.id, "vi", Identity("test", "binh", "binh"))
        await tx.entries.add(NewEntry(m.id, team.id, date(2026, 11, 18), {"households": 1}, NOW, "a"))
        late = await tx.entries.add(NewEntry(m.id, team.id, date(2026, 11, 19), {"households": 1}, NOW, "b"))
        await tx.entries.withdraw(late.id, NOW)
        return await tx.quotas.last_reports([m.id, other.id])
    reports = await store.write(work)
    assert list(reports.values()) == [date(2026, 11, 18)] and len(reports) == 1


async def test_migration_0003_goes_down_and_up_again(tmp_path):
    from alembic import command
    from sqlalchemy import inspect

    from storage.migrate import alembic_config
    from storage.store import SqlStore

    store = SqlStore.from_url(f"sqlite:///{tmp_path / 'm.db'}")

    async def run(target: str, step) -> set[str]:
        async with store.engine.begin() as conn:
            def _do(sync_conn):
                cfg = alembic_config()
                cfg.attributes["connection"] = sync_conn
                step(cfg, target)
                return set(inspect(sync_conn).get_table_names())
            return await conn.run_sync(_do)
    try:
        assert {"quotas", "targets", "phases"} <= await run("head", command.upgrade)
        tables = await run("0001", command.downgrade)
        assert not {"quotas", "targets", "phases"} & tables and "units" in tables
        assert {"quotas", "targets", "phases"} <= await run("0003", command.upgrade)
    finally:
        await store.close()


async def test_lookups_take_more_ids_than_one_statement_may_bind(store):
    await seed_units(store)

    async def work(tx):
        unit = await tx.units.by_code("P01")
        await tx.quotas.set_quota(unit.id, "households", 1, None, None, None, None, None, NOW)
        ids = [*range(100_000, 140_000), unit.id]
        return (len(await tx.quotas.quotas_for(ids)), await tx.quotas.targets_for(ids),
                await tx.quotas.last_reports(ids))
    assert await store.write(work) == (1, [], {})
