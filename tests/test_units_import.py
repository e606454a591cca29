"""Setting up the unit tree from a spreadsheet: re-imports update, bad rows are named, nothing half-imported."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.units_import import ImportError_, import_units
from domain.settings import CampaignRules

RULES = CampaignRules()
GOOD = """code,name,parent_code,kind,households
HCM,TP. Hồ Chí Minh,,city,
Q1,Quận 1,HCM,district,
P01,Phường Bến Nghé,Q1,ward,
P01-KP1-T,Tổ CNS KP1,P01-KP1,team,400
P01-KP1,Khu phố 1,P01,neighbourhood,
"""


def write(tmp_path: Path, text: str, name: str = "units.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


async def codes(store) -> dict[str, tuple[str, str | None, int | None]]:
    async def work(tx):
        units = await tx.units.in_subtree(None)
        by_id = {u.id: u.code for u in units}
        return {u.code: (u.kind, by_id.get(u.parent_id), u.households) for u in units}
    return await store.read(work)


async def test_import_orders_parents_first_and_reimport_changes_nothing(store, tmp_path):
    path = write(tmp_path, GOOD)
    assert await import_units(store, RULES, path, progress=False) == (5, 0)
    assert (await codes(store))["P01-KP1-T"] == ("team", "P01-KP1", 400)
    assert await import_units(store, RULES, path, progress=False) == (0, 5)
    assert len(await codes(store)) == 5


async def test_reimport_updates_names_households_and_moves_subtrees(store, tmp_path):
    await import_units(store, RULES, write(tmp_path, GOOD), progress=False)
    moved = GOOD.replace("P01-KP1,Khu phố 1,P01,neighbourhood,", "P01-KP1,Khu phố Một,P02,neighbourhood,") \
        .replace("400", "450") + "P02,Phường Đa Kao,Q1,ward,\n"
    assert (await import_units(store, RULES, write(tmp_path, moved), progress=False))[0] == 3
    units = await codes(store)
    assert units["P01-KP1"][1] == "P02" and units["P01-KP1-T"][2] == 450

    async def team_path(tx):
        team, ward = await tx.units.by_code("P01-KP1-T"), await tx.units.by_code("P02")
        return ward.contains(team)
    assert await store.read(team_path)  # the team moved with its neighbourhood


@pytest.mark.parametrize("bad_line, reason", [
    ("X1,Lost,NOPE,ward,", "line 7: parent_code 'NOPE' is neither in the file nor stored"),
    ("X1,Odd,Q1,village,", "line 7: kind 'village' is not one of"),
    ("X1,,Q1,ward,", "line 7: empty name"),
    ("X1,Team,P01,team,-4", "line 7: households '-4' is not a whole number ≥ 0"),
    ("Q1,Again,HCM,district,", "line 7: code 'Q1' already on line 3"),
    ("X1,Upside,P01-KP1-T,ward,", "line 7: a ward cannot sit under a team"),
    # Numbers: beyond the column (2^31 on PostgreSQL's integer, 2^63 on SQLite's), or not written with 0-9 alone.
    ("X1,Team,P01,team,2147483648", "line 7: households '2147483648' is larger than 2,147,483,647"),
    ("X1,Team,P01,team,9223372036854775808", "line 7: households '9223372036854775808' is larger than"),
    ("X1,Team,P01,team,１２０", "line 7: households '１２０' has digits other than 0-9"),
    ("X1,Team,P01,team,12²", "line 7: households '12²' has digits other than 0-9"),
    ("X1,Team,P01,team,1e3", "line 7: households '1e3' is not a whole number ≥ 0 written with the digits 0-9"),
    ("X1,Team,P01,team,1_000", "line 7: households '1_000' is not a whole number ≥ 0 written with the digits"),
    ("X1,Team,P01,team,12.5", "line 7: households '12.5' is not a whole number ≥ 0"),
    # Codes are one word; names are one line: a line break would fake a line in a summary, a NUL breaks PostgreSQL.
    ("X 1,Team,P01,team,", "line 7: code 'X 1' has a space, a line break or a control character"),
    ("X\x001,Team,P01,team,", "line 7: code 'X\\x001' has a space, a line break or a control character"),
    ('X1,"Tổ 1\nTổ 2: 500 hộ",P01,team,', "line 7: name 'Tổ 1\\nTổ 2: 500 hộ' has a line break"),
    ("X1,Tổ\x00 1,P01,team,", "line 7: name 'Tổ\\x00 1' has a line break, a tab or a control character"),
    ("X1,Tổ\u2028 1,P01,team,", "line 7: name 'Tổ\\u2028 1' has a line break"),
])
async def test_a_bad_row_is_named_and_nothing_of_the_file_is_imported(store, tmp_path, bad_line, reason):
    path = write(tmp_path, GOOD + bad_line + "\n")
    with pytest.raises(ImportError_) as err:
        await import_units(store, RULES, path, progress=False)
    assert any(p.startswith(reason) for p in err.value.problems), err.value.problems
    assert await codes(store) == {}


async def test_a_spreadsheet_number_and_the_largest_households_are_taken(store, tmp_path):
    path = write(tmp_path, GOOD.replace(",400", ",400.0") + "X1,Tổ lớn,P01,team,2147483647\n")
    await import_units(store, RULES, path, progress=False)
    units = await codes(store)
    assert units["P01-KP1-T"][2] == 400 and units["X1"][2] == 2 ** 31 - 1


async def test_missing_columns_are_named(store, tmp_path):
    with pytest.raises(ImportError_, match="missing column"):
        await import_units(store, RULES, write(tmp_path, "code,name\nA,B\n"), progress=False)


async def test_xlsx_import(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    for line in GOOD.strip().splitlines():
        ws.append([c if not c.isdigit() else int(c) for c in line.split(",")])
    path = tmp_path / "units.xlsx"
    wb.save(path)
    assert await import_units(store, RULES, path, progress=False) == (5, 0)
    assert (await codes(store))["P01-KP1-T"][2] == 400
