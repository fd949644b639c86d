"""Results so far (feature a): the races already run are kept verbatim in every season, the rest simulated."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.errors import InputError
from sim.montecarlo.scenario_kernel import ScenarioKernel
from sim.results import read_results
from sim.scenario import compile_scenario
from sim.season import simulate_results, simulate_season
from tests.conftest import PROJECT
from tests.season.helpers import scenario_data, write_scenario

REAL = PROJECT / "data" / "asian-lms-2023-results.csv"
KEPT = ["race", "car", "team", "class", "drivers", "class_position", "status", "laps", "time_s", "pole"]


@pytest.fixture(scope="module")
def compiled():
    return compile_scenario("asian-lms-2023-from-r3")


def test_real_rows_kept_verbatim_and_the_rest_simulated(compiled):
    real = read_results(REAL)
    results, _ = simulate_results(compiled, 5, [0, 1])
    for season in (0, 1):
        one = results[results["season"] == season]
        kept = one[one["race"].isin(["R1", "R2"])][KEPT].reset_index(drop=True)
        expected = real[real["race"].isin(["R1", "R2"])][KEPT].reset_index(drop=True)
        pd.testing.assert_frame_equal(kept, expected, check_dtype=False)
        simulated = one[one["race"].isin(["R3", "R4"])]
        assert sorted(simulated["race"].unique()) == ["R3", "R4"]
        assert len(simulated) == 2 * 46          # the whole real field runs the simulated races
    # the simulated races differ between seasons, the real ones never do
    r3 = [results[(results["season"] == s) & (results["race"] == "R3")].sort_values("car")["laps"].tolist()
          for s in (0, 1)]
    assert r3[0] != r3[1]
    # rounds follow the calendar: the two Dubai races are round 1
    assert set(results.loc[results["race"].isin(["R1", "R2"]), "round"]) == {1}


def test_standings_count_the_real_points(compiled):
    outcome = simulate_season(compiled, seed=2)
    lmp2 = outcome.standings[outcome.standings["title"] == "LMP2 teams"].set_index("car")
    # in the real 2023 season car 25 won R1 (25 points) and car 43 won R2 from the class pole (25 + 1)
    assert lmp2.loc["25", "R1"] == 25
    assert lmp2.loc["43", "R2"] == 26


def test_layout_lists_every_car_of_the_table(compiled):
    layout = ScenarioKernel(compiled).layout()
    teams = next(t for t in layout.titles if t.title == "GT teams")
    assert len(teams.competitors) == len(read_results(REAL).query("`class` == 'GT' and race == 'R1'"))


def _with(tmp_path, table: pd.DataFrame | None = None, **results_so_far):
    data = scenario_data("asian-lms-2023-from-r3")
    if table is not None:
        path = tmp_path / "so-far.csv"
        table.to_csv(path, index=False)
        results_so_far = {"file": str(path), **results_so_far}
    data["results_so_far"] = {**data["results_so_far"], **results_so_far}
    return write_scenario(tmp_path, data)


def test_table_must_start_at_r1(tmp_path):
    real = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    with pytest.raises(InputError, match="R1..Rk"):
        compile_scenario(_with(tmp_path, real[real["race"] == "R2"], through=None))


def test_unknown_car_needs_additional(tmp_path):
    real = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    real = real[real["race"] == "R1"].copy()
    real.loc[real.index[0], "car"] = "999"
    with pytest.raises(InputError, match="car 999 is not in the entry list"):
        compile_scenario(_with(tmp_path, real, through=None))
    real.loc[real.index[0], "entry"] = "additional"
    assert compile_scenario(_with(tmp_path, real, through=None)).plan.fixed_races == {"R1"}


def test_through_past_the_table(tmp_path):
    real = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    with pytest.raises(InputError, match="R3 is not in"):
        compile_scenario(_with(tmp_path, real[real["race"].isin(["R1", "R2"])], through="R3"))
