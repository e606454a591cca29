"""A small report written by hand, so every expected cell is known."""
from __future__ import annotations

from datetime import date, datetime

from domain.exports import Column, Missing, Note, Period, Place, Report, TeamDay, UnitFigures, figures, goals
from domain.settings import DEFAULT_METRICS

WARD = Place("P01", "Phường Bến Nghé", "ward")
TEAMS = (Place("P01-T1", "Tổ 1", "team"), Place("P01-T2", "Tổ 2", "team"), Place("P01-T3", "Tổ 3", "team"))


def columns(language: str = "vi") -> tuple[Column, ...]:
    return tuple(Column.of(m, language) for m in DEFAULT_METRICS)


def small_report(language: str = "vi", **changes) -> Report:
    cols = columns(language)
    rows = [
        UnitFigures(TEAMS[1], figures(cols, {"households": 130_464, "l1_activations": 1_234_567}),
                    figures(cols, {"households": 140_000, "l1_activations": 1_300_000}),
                    goals(cols, {"l1_activations": 1_500_000}), goals(cols, {"l1_activations": 2_000_000}),
                    teams=1, teams_reported=1, on_time=4, late=1, rank=1),
        UnitFigures(TEAMS[0], figures(cols, {"households": 25, "l1_activations": 12}),
                    figures(cols, {"households": 300, "l1_activations": 100}),
                    goals(cols, {"l1_activations": 0}), goals(cols, {}),
                    teams=1, teams_reported=1, on_time=3, late=0, rank=2),
        UnitFigures(TEAMS[2], figures(cols, {}), figures(cols, {"households": 7}), (), (),
                    teams=1, teams_reported=0, on_time=0, late=0, rank=3),
    ]
    total = UnitFigures(WARD, figures(cols, {"households": 130_489, "l1_activations": 1_234_579}),
                        figures(cols, {"households": 140_307, "l1_activations": 1_300_100}),
                        goals(cols, {"l1_activations": 1_600_000}), goals(cols, {"l1_activations": 2_500_000}),
                        teams=3, teams_reported=2, on_time=7, late=1)
    days = [TeamDay(date(2026, 11, 20), TEAMS[0], "Khu phố 3", figures(cols, {"households": 25}), 5, 4, 1),
            TeamDay(date(2026, 11, 21), TEAMS[1], "Khu phố 3", figures(cols, {"l1_activations": 9}), 4, 4, 0)]
    missing = [Missing(date(2026, 11, 21), TEAMS[2], "Khu phố 3", ("Nguyễn Văn An", "Trần Thị Bích"), 2)]
    notes = [Note(date(2026, 11, 21), TEAMS[0], "Lê Hoàng Cường", "Kiến nghị: cần thêm máy đọc CCCD.")]
    values = dict(unit=WARD, period=Period.between(date(2026, 11, 20), date(2026, 11, 21)),
                  made_at=datetime(2026, 11, 22, 8, 0), language=language, metrics=cols, rank_by="l1_activations",
                  child_kind="team", total=total, rows=rows, since=date(2026, 11, 1), planned=("l1_activations",),
                  days=days, missing=missing, notes=notes)
    values.update(changes)
    return Report(**values)
