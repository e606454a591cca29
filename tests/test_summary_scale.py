"""A country's summary: more teams than a database takes bind parameters (PostgreSQL: 32,767), and a grouped
summary's figures, summed per group by the database, equal those of its teams."""
from __future__ import annotations

from datetime import date, timedelta

from application.summaries import collect
from domain.model import Identity, NewEntry, Role
from domain.settings import CampaignRules
from storage.schema import units
from tests.support.chat import at

TEAMS = 33_000  # more than 32,767
DAY = date(2026, 11, 20)


async def seed_country(store) -> dict[str, int]:
    """A city, two districts, TEAMS teams between them (bulk inserted), and three teams' reports."""
    async def work(tx):
        rows = [{"id": 1, "code": "HCM", "name": "TP. Hồ Chí Minh", "kind": "city", "parent_id": None, "path": "/1/"},
                {"id": 2, "code": "Q1", "name": "Quận 1", "kind": "district", "parent_id": 1, "path": "/1/2/"},
                {"id": 3, "code": "Q3", "name": "Quận 3", "kind": "district", "parent_id": 1, "path": "/1/3/"}]
        rows += [{"id": i, "code": f"T{i}", "name": f"Tổ {i}", "kind": "team", "parent_id": 2 + i % 2,
                  "path": f"/1/{2 + i % 2}/{i}/"} for i in range(10, 10 + TEAMS)]
        await tx.conn.execute(units.insert(), rows)
        ids = {}
        for who, team in (("an", 10), ("binh", 12), ("chi", 11)):  # teams 10 and 12 in Q1, 11 in Q3
            member = await tx.members.create(who, Role.VOLUNTEER, team, "vi", Identity("test", who, who))
            ids[who] = member.id
        reports = [("an", 10, DAY, {"households": 5, "installs": 2}), ("binh", 12, DAY, {"households": 3}),
                   ("chi", 11, DAY, {"households": 7, "installs": 1}), ("an", 10, DAY - timedelta(days=1),
                                                                       {"households": 4})]
        for n, (who, team, day, values) in enumerate(reports):
            await tx.entries.add(NewEntry(member_id=ids[who], team_id=team, day=day, values=values,
                                          recorded_at=at("15:00", day.isoformat()), source_key=f"k{n}", late=False))
        return ids
    return await store.write(work)


async def test_a_summary_of_every_team_in_the_country_adds_up(store):
    await seed_country(store)
    rules = CampaignRules()

    async def work(tx):
        city = await tx.units.by_code("HCM")
        return await collect(tx, rules, city, DAY), await collect(tx, rules, None, DAY)

    city, everything = await store.read(work)
    assert city.teams == TEAMS and city.teams_reported == 3 and len(city.missing_teams) == TEAMS - 3
    assert city.total == {"households": 15, "installs": 3}
    assert city.previous == {"households": 4} and city.to_date == {"households": 19, "installs": 3}
    by_name = {r.label: r for r in city.rows}
    assert by_name["Quận 1"].totals == {"households": 8, "installs": 2}
    assert (by_name["Quận 1"].teams_reported, by_name["Quận 1"].teams) == (2, TEAMS // 2)
    assert by_name["Quận 1"].previous == {"households": 4}
    assert by_name["Quận 3"].totals == by_name["Quận 3"].to_date == {"households": 7, "installs": 1}
    assert [r.label for r in everything.rows] == ["TP. Hồ Chí Minh"]
    assert everything.total == city.total and everything.to_date == city.to_date


async def test_lists_of_more_ids_than_bind_parameters_are_read_in_chunks(store):
    ids = await seed_country(store)
    team_ids = list(range(10, 10 + TEAMS))

    async def work(tx):
        return (await tx.entries.totals(team_ids, None, DAY), await tx.entries.reporters(team_ids, DAY),
                await tx.members.in_units(team_ids))

    totals, reporters, people = await store.read(work)
    assert len(totals) == len(reporters) == TEAMS
    assert totals[10] == {"households": 9, "installs": 2} and totals[12] == {"households": 3}
    assert reporters[11] == {ids["chi"]: False} and reporters[13] == {}
    assert [m.name for m in people] == ["an", "chi", "binh"]  # by team, as one query would order them


async def test_a_period_with_days_before_and_after_it_adds_up_per_team_and_per_group(store):
    """Days 1-10 reported; days 3-9 add up as the running totals less the days before and after (fewer days)."""
    async def work(tx):
        await tx.units.upsert("HCM", "TP. Hồ Chí Minh", "city", None, None)
        await tx.units.upsert("Q1", "Quận 1", "district", "HCM", None)
        team = (await tx.units.upsert("Q1-T", "Tổ 1", "team", "Q1", None))[0]
        member = await tx.members.create("an", Role.VOLUNTEER, team.id, "vi", Identity("test", "an", "an"))
        for n in range(1, 11):
            day = date(2026, 11, n)
            await tx.entries.add(NewEntry(member_id=member.id, team_id=team.id, day=day, values={"households": n},
                                          recorded_at=at("15:00", day.isoformat()), source_key=f"k{n}"))
        city = await tx.units.by_code("HCM")
        period = [(date(2026, 11, 3), date(2026, 11, 9))]
        return (team.id, (await tx.entries.totals_under(city, "team", period)).totals[0],
                (await tx.entries.totals_under(city, "team", period, by_child=True)).totals[0],
                (await tx.units.by_code("Q1")).id)
    team, per_team, per_group, district = await store.write(work)
    assert per_team == {team: {"households": sum(range(3, 10))}}
    assert per_group == {district: {"households": sum(range(3, 10))}}
