"""Invitations are joined to standings rows by (season, class, car): a driver row counts the invitations
of every car its driver raced; a team row only its own car's."""

from __future__ import annotations

import pandas as pd

from sim.montecarlo.kernel import ChunkTables, CompetitorKey, StudyLayout, TitleLayout
from sim.montecarlo.rows import resolve_rows


def _layout() -> StudyLayout:
    teams = TitleLayout("X teams", "X", "", "teams", (CompetitorKey("X", "", "teams", "5", "Five", "A;B"),
                                                       CompetitorKey("X", "", "teams", "7", "Seven", "C")), (10.0,))
    drivers = TitleLayout("X drivers", "X", "", "drivers", (CompetitorKey("X", "", "drivers", "5;7", "Five;Seven", "A"),
                                                           CompetitorKey("X", "", "drivers", "7", "Seven", "C")), (10.0,))
    return StudyLayout(titles=(teams, drivers), race_ids=("R1",), rounds=(1,), award_rules=("champion", "runner-up"))


def test_driver_rows_collect_the_invitations_of_every_car_raced():
    columns = ["season", "title", "class", "category", "kind", "position", "car", "team", "drivers", "points", "R1"]
    standings = pd.DataFrame([
        (0, "X teams", "X", "", "teams", 1, "5", "Five", "A;B", 10.0, 10.0),
        (0, "X teams", "X", "", "teams", 2, "7", "Seven", "C", 6.0, 6.0),
        (0, "X drivers", "X", "", "drivers", 1, "5;7", "Five;Seven", "A", 10.0, 10.0),
        (0, "X drivers", "X", "", "drivers", 2, "7", "Seven", "C", 6.0, 6.0),
        (1, "X teams", "X", "", "teams", 1, "7", "Seven", "C", 10.0, 10.0),
        (1, "X drivers", "X", "", "drivers", 1, "5;7", "Five;Seven", "A", 10.0, 10.0),
    ], columns=columns)
    awards = pd.DataFrame([
        (0, "Five", "5", "X", "", "X teams", "champion"),
        (0, "Seven", "7", "X", "", "X teams", "runner-up"),
        (1, "Seven", "7", "X", "", "X teams", "champion"),
        (1, "Other", "9", "X", "", "X teams", "runner-up"),     # a car no standings row holds
        (4, "Five", "5", "X", "", "X teams", "champion"),       # a season outside the chunk
    ], columns=["season", "recipient", "car", "class", "category", "title", "rule"])
    facts = resolve_rows(ChunkTables(standings, awards), _layout())
    assert facts.invitations.tolist() == [[1, 0], [0, 1], [1, 1], [0, 1], [1, 0], [1, 0]]
    assert facts.row.tolist() == [0, 1, 3, 4, 1, 3]
