"""Where a unit stands in the tree, asked of the domain's Unit: its line, its root, what it contains, and which of
its children leads to a unit under it."""
from __future__ import annotations

from domain.model import Unit


def unit(path: str, kind: str = "ward") -> Unit:
    line = [int(p) for p in path.split("/") if p]
    return Unit(id=line[-1], code=f"U{line[-1]}", name=f"U{line[-1]}", kind=kind,
                parent_id=line[-2] if len(line) > 1 else None, path=path)


CITY = unit("/1/", "city")
DISTRICT = unit("/1/4/", "district")
WARD = unit("/1/4/17/")
TEAM = unit("/1/4/17/230/", "team")
OTHER_DISTRICT = unit("/1/40/", "district")  # its id starts with the digits of DISTRICT's
OTHER_CITY = unit("/12/", "city")  # likewise, for CITY
FAR_TEAM = unit("/12/5/", "team")


def test_a_units_line_runs_from_its_root_down_to_itself():
    assert TEAM.line == (1, 4, 17, 230)
    assert CITY.line == (1,)
    assert [u.root_id for u in (CITY, DISTRICT, TEAM, OTHER_CITY, FAR_TEAM)] == [1, 1, 1, 12, 12]


def test_a_unit_contains_itself_and_everything_under_it_and_nothing_else():
    assert CITY.contains(CITY) and CITY.contains(DISTRICT) and CITY.contains(TEAM)
    assert DISTRICT.contains(TEAM) and WARD.contains(TEAM) and TEAM.contains(TEAM)
    assert not TEAM.contains(WARD)  # not upwards
    assert not DISTRICT.contains(OTHER_DISTRICT) and not OTHER_DISTRICT.contains(TEAM)
    assert not CITY.contains(OTHER_CITY) and not CITY.contains(FAR_TEAM) and not OTHER_CITY.contains(TEAM)


def test_the_child_towards_a_unit_is_the_first_step_down_to_it():
    assert CITY.child_towards(TEAM) == 4
    assert CITY.child_towards(DISTRICT) == 4
    assert CITY.child_towards(OTHER_DISTRICT) == 40
    assert DISTRICT.child_towards(TEAM) == 17
    assert WARD.child_towards(TEAM) == 230


def test_there_is_no_child_towards_the_unit_itself_or_one_outside_it():
    assert TEAM.child_towards(TEAM) is None
    assert DISTRICT.child_towards(OTHER_DISTRICT) is None
    assert CITY.child_towards(FAR_TEAM) is None
    assert TEAM.child_towards(WARD) is None
