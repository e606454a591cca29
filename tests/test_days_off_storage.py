"""Days off as stored: one per member and day, the newest reason standing; asked for by a few members or by a
province's thousands (one read of the day then), with the same answer; hidden once the member reported anyway."""
from __future__ import annotations

from datetime import date, datetime, timezone

from domain.model import Identity, NewEntry, Role
from tests.support.seed import seed_units

DAY = date(2026, 11, 20)
AT = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


async def test_days_off_for_few_and_many_members_and_the_newest_reason(store):
    await seed_units(store)

    async def work(tx):
        team = await tx.units.by_code("P01-KP1-T")
        people = [await tx.members.create(f"M{i}", Role.VOLUNTEER, team.id, "vi", Identity("test", f"m{i}", f"m{i}"))
                  for i in range(4)]
        a, b, c, d = (m.id for m in people)
        await tx.days_off.set(a, team.id, DAY, "mưa", AT)
        await tx.days_off.set(a, team.id, DAY, "ốm", AT)  # said again: the newer reason stands
        await tx.days_off.set(b, team.id, DAY, None, AT)
        await tx.days_off.set(c, team.id, date(2026, 11, 21), "họp", AT)
        await tx.entries.add(NewEntry(member_id=b, team_id=team.id, day=DAY, values={"households": 2},
                                      recorded_at=AT, source_key="b-worked", late=False))
        few = await tx.days_off.excused(DAY, [a, b, c, d])
        many = await tx.days_off.excused(DAY, [a, b, c, d, *range(10_000, 16_000)])  # past one IN list
        listed = await tx.days_off.under(team, "team", DAY, DAY)
        return (a, b), few, many, listed

    (a, b), few, many, listed = await store.write(work)
    assert few == many == {a, b}  # excused from the roll call, whether they worked after all or not
    assert [(d.member_id, d.reason) for d in listed] == [(a, "ốm")]  # b reported that day: not shown as off
