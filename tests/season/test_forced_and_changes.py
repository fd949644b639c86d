"""Forced outcomes (b), entry changes per round (c) and BoP changes per round (d) on seeded seasons."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config.scenario import Scenario
from sim.errors import InputError
from sim.montecarlo.scenario_kernel import ScenarioKernel
from sim.rules import award_invitations, compute_standings
from sim.scenario import compile_scenario
from sim.season import simulate_results
from tests.season.helpers import scenario_data, write_scenario

SEASONS = [0, 1, 2]


@pytest.fixture(scope="module")
def changed():
    compiled = compile_scenario("asian-lms-changes")
    results, _ = simulate_results(compiled, 11, SEASONS)
    return compiled, results


@pytest.fixture(scope="module")
def plain():
    """The same scenario without forced outcomes: the common random numbers baseline."""
    data = scenario_data("asian-lms-changes")
    data.pop("forced_outcomes")
    compiled = compile_scenario(Scenario.model_validate(data))
    results, _ = simulate_results(compiled, 11, SEASONS)
    return results


def _rows(results, race, car):
    return results[(results["race"] == race) & (results["car"] == car)]


def test_forced_win_shows_in_results_and_standings(changed):
    compiled, results = changed
    standings = compute_standings(results, compiled.rulebook)
    for season in SEASONS:
        one = results[results["season"] == season]
        row = _rows(one, "R3", "25").iloc[0]
        assert row["class_position"] == 1 and row["status"] == "classified"
        lmp2 = one[(one["race"] == "R3") & (one["class"] == "LMP2")].sort_values("class_position")
        # positions are 1..n, laps never increase down the order, the winner leads on laps and time
        assert lmp2["class_position"].tolist() == list(range(1, len(lmp2) + 1))
        classified = lmp2[lmp2["status"] == "classified"]
        assert (np.diff(classified["laps"].to_numpy()) <= 0).all()
        assert classified.iloc[0]["laps"] >= classified.iloc[1]["laps"]
        team = standings[(standings["season"] == season) & (standings["title"] == "LMP2 teams")
                         & (standings["car"] == "25")].iloc[0]
        assert team["R3"] == 25 + row["pole"]


def test_forced_retirement_and_category_place(changed):
    _, results = changed
    for season in SEASONS:
        one = results[results["season"] == season]
        retired = _rows(one, "R2", "7").iloc[0]
        assert retired["status"] == "dnf" and retired["time_s"] == pytest.approx(1.5 * 3600)
        assert 0 < retired["laps"] < one[(one["race"] == "R2") & (one["class"] == "LMP3")]["laps"].max()
        assert _rows(one, "R5", "9").iloc[0]["category_position"] == 3


def test_forced_outcomes_keep_poles_and_other_races(changed, plain):
    _, results = changed
    keys = ["season", "race", "car"]
    a = results.sort_values(keys).reset_index(drop=True)
    b = plain.sort_values(keys).reset_index(drop=True)
    assert (a["pole"] == b["pole"]).all()
    untouched = ~a["race"].isin(["R2", "R3", "R5"])
    assert (a.loc[untouched, "laps"] == b.loc[untouched, "laps"]).all()
    assert (a.loc[untouched, "time_s"] == b.loc[untouched, "time_s"]).all()


def test_entry_changes_per_round(changed):
    compiled, results = changed
    for season in SEASONS:
        one = results[results["season"] == season]
        def races_of(car, one=one):
            return sorted(one.loc[one["car"] == car, "race"].unique(), key=lambda r: int(r[1:]))
        assert races_of("24") == ["R1", "R2", "R3", "R4"]                 # withdrawn from round 3
        assert races_of("46") == ["R3", "R4", "R5", "R6", "R7", "R8"]     # added from round 2
        moved = one[one["car"] == "10"].set_index("race")["category"]
        assert set(moved[["R1", "R2", "R3", "R4"]]) == {"Pro-Am"} and set(moved[["R5", "R6", "R7", "R8"]]) == {"Gold Cup"}
    standings = compute_standings(results, compiled.rulebook)
    gold = standings[(standings["title"] == "GT Gold Cup teams") & (standings["car"] == "10")]
    assert len(gold) == len(SEASONS) and gold[["R1", "R2", "R3", "R4"]].isna().all().all()
    # a withdrawn car is not full-season: never invited, whatever it scored
    awards = award_invitations(standings, results, compiled.rulebook, include_not_awarded=True)
    assert not ((awards["car"] == "24") & (awards["status"] == "awarded")).any()
    # the study lists the added car and the moved car in their new classification
    layout = ScenarioKernel(compiled).layout()
    cars = {t.title: {c.car for c in t.competitors} for t in layout.titles}
    assert "46" in cars["LMP3 teams"] and "10" in cars["GT Gold Cup teams"] and "10" in cars["GT Pro-Am teams"]


def test_bop_changes_per_round(changed):
    compiled, _ = changed
    by_round = {race.round: race for race in compiled.races}
    assert by_round[2].bop == {}
    assert by_round[3].bop == {"Ferrari 296 GT3": 0.4}
    assert by_round[4].bop == {"Ferrari 296 GT3": 0.4, "Porsche 911 GT3 R": -0.25}
    # the race model's lap: the Ferrari loses 0.4% of the GT reference against its default BoP
    race = by_round[3]
    default = race.model.car_models["Ferrari 296 GT3"].bop_pace_pct
    field, reference = race.field, race.venue.reference_lap_s["GT"]
    ferrari = [i for i, model in enumerate(field.car_models) if model == "Ferrari 296 GT3"]
    entry = race.entries[ferrari[0]]
    assert field.base_lap[ferrari[0]] == pytest.approx(reference * (1 + 0.4 / 100) + entry.pace_offset_s)
    assert default != 0.4


def test_update_rechecks_crew_rules(tmp_path):
    data = scenario_data("asian-lms-changes")
    data["entry_changes"][1]["update"] = [{"car": "10", "category": "Gold Cup"}]   # keeps its Platinum
    with pytest.raises(InputError, match="Gold Cup"):
        compile_scenario(write_scenario(tmp_path, data))


@pytest.mark.parametrize("change, message", [
    ({"race": "R3", "car": "999", "outcome": "win"}, "car 999 is not entered in R3"),
    ({"race": "R6", "car": "24", "outcome": "win"}, "car 24 is not entered in R6"),
    ({"race": "R9", "car": "25", "outcome": "win"}, "unknown race 'R9'"),
    ({"race": "R3", "car": "22", "outcome": "win"}, "already forced to win"),
    ({"race": "R3", "car": "3", "outcome": "retire", "at_hours": 5}, "past the end"),
    ({"race": "R3", "car": "3", "outcome": "class_position"}, "needs `position`"),
])
def test_bad_forced_outcomes(tmp_path, change, message):
    data = scenario_data("asian-lms-changes")
    data["forced_outcomes"].append(change)
    with pytest.raises(InputError, match=message):
        compile_scenario(write_scenario(tmp_path, data))
