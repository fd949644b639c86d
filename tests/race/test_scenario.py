"""The shipped Asian LMS 2024-25 scenario compiles into its real calendar and every race runs."""

from __future__ import annotations

import datetime as dt

from sim.race import outcomes_to_results, run_race
from sim.results import validate_results
from sim.scenario import compile_scenario
from sim.seeds import race_rng
from tests.conftest import SCENARIOS


def test_asian_lms_2024_25_calendar_and_races():
    compiled = compile_scenario(SCENARIOS / "asian-lms-2024-25.yaml")
    races = compiled.races
    assert [r.race_id for r in races] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert [r.round for r in races] == [1, 1, 2, 2, 3, 3]
    assert [r.venue.key for r in races] == ["sepang", "sepang", "dubai", "dubai", "yas-marina", "yas-marina"]
    assert [r.date for r in races] == [dt.date(2024, 12, 7), dt.date(2024, 12, 8), dt.date(2025, 2, 8),
                                       dt.date(2025, 2, 9), dt.date(2025, 2, 15), dt.date(2025, 2, 16)]
    assert all(r.hours == 4 for r in races)
    assert [r.qualifying_rank for r in races] == [1, 2, 1, 2, 1, 2]
    assert races[0].wet_probability > races[2].wet_probability   # Sepang in December vs Dubai in February
    assert {"LMP2", "LMP3", "GT"} == set(races[0].field.classes)
    for race in races[::2]:
        table = validate_results(outcomes_to_results(race, run_race(race, race_rng(9, 0, race.index))))
        assert set(table["race"]) == {race.race_id}
        assert (table.groupby("class")["pole"].sum() == 1).all()
