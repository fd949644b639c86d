"""Participation model (e): frequencies converge to the configured probabilities, season streams only,
absent cars are missing from the results and not full-season; determinism across chunkings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config.scenario import Scenario
from sim.errors import InputError
from sim.montecarlo.scenario_kernel import ScenarioKernel
from sim.scenario import compile_scenario
from sim.season import simulate_results
from tests.season.helpers import short_default, write_scenario

PARTICIPATION = {"by_region": {"Europe": {"Middle East": 0.9, "Far East": 0.5},
                               "Far East": {"Middle East": 0.4, "Far East": 0.95}},
                 "default": 0.8, "entries": {"3": 1.0, "88": {"Far East": 0.2}}}


@pytest.fixture(scope="module")
def compiled():
    return compile_scenario(Scenario.model_validate(short_default(participation=PARTICIPATION)))


def test_frequencies_converge_to_the_probabilities(compiled):
    plan = compiled.plan
    seasons = 4000
    present = np.mean([plan.draw_presence(7, s) for s in range(seasons)], axis=0)
    p = plan.participation_p
    se = np.sqrt(p * (1 - p) / seasons)
    assert (np.abs(present - p) <= 4 * se + 1e-12).all()
    row = {car: i for i, car in enumerate(plan.participation_cars)}
    homes = {e.car: e.home_region for e in compiled.entries}
    europe = next(car for car, home in homes.items() if home == "Europe" and car != "3")
    assert p[row[europe]].tolist() == [0.5, 0.9]      # round 1 Sepang (Far East), round 2 Dubai (Middle East)
    assert p[row["3"]].tolist() == [1.0, 1.0]         # per-entry override
    middle_east = PARTICIPATION["by_region"].get(homes["88"], {}).get("Middle East", PARTICIPATION["default"])
    assert p[row["88"]].tolist() == [0.2, middle_east]   # per-region override, the rest from its home region


def test_absent_cars_miss_the_race_and_are_not_full_season(compiled):
    results, _ = simulate_results(compiled, 3, range(6))
    kernel = ScenarioKernel(compiled)
    for season in range(6):
        presence = compiled.plan.draw_presence(3, season)
        one = results[results["season"] == season]
        for race_index, race_id in enumerate(["R1", "R2"]):
            expected = {car for car, here in zip(compiled.plan.participation_cars, presence[:, race_index]) if here}
            assert set(one.loc[one["race"] == race_id, "car"]) == expected
    tables = kernel.run_chunk(3, range(6))
    awarded = tables.awards[tables.awards.get("status", pd.Series("awarded", index=tables.awards.index)) == "awarded"]
    for row in awarded.itertuples():
        one = results[results["season"] == row.season]
        assert set(one.loc[one["car"] == row.car, "race"]) == {"R1", "R2"}


def test_same_seed_same_seasons_whatever_the_chunks(compiled):
    kernel = ScenarioKernel(compiled)
    whole = kernel.run_chunk(5, range(0, 4)).standings
    parts = pd.concat([kernel.run_chunk(5, range(0, 1)).standings, kernel.run_chunk(5, range(1, 4)).standings],
                      ignore_index=True)
    pd.testing.assert_frame_equal(whole.reset_index(drop=True), parts.reset_index(drop=True))


def test_participation_keeps_race_streams_aligned(compiled):
    """A car's own race draws do not depend on the participation draws of the season: the full field
    and the drawn field see the same race stream (common random numbers between scenarios)."""
    full = compile_scenario(Scenario.model_validate(short_default()))
    a, _ = simulate_results(full, 9, [0])
    b, _ = simulate_results(compiled, 9, [0])
    if set(b["car"]) == set(a["car"]):
        pd.testing.assert_frame_equal(a, b)
    assert len(b) <= len(a)


def test_default_scenario_ships_participation():
    plan = compile_scenario("default").plan
    assert plan.participation_p is not None and (plan.participation_p < 1).any()


@pytest.mark.parametrize("block, message", [
    ({"by_region": {"Europe": {"Far East": 1.5}}}, "less than or equal to 1"),
    ({"by_region": {"Atlantis": {"Far East": 0.5}}}, "unknown region 'Atlantis'"),
    ({"entries": {"999": 0.5}}, "car 999 is not in any race"),
])
def test_bad_participation(tmp_path, block, message):
    with pytest.raises(InputError, match=message):
        compile_scenario(write_scenario(tmp_path, short_default(participation=block)))
