"""Bad scenario files fail fast through `sim season`: exit 2 and one line naming file and field."""

from __future__ import annotations

import copy

import pytest

from tests.conftest import run_cli
from tests.season.helpers import short_default, write_scenario


def _break(data: dict, how: str) -> dict:
    data = copy.deepcopy(data)
    rounds = data["calendar"]["rounds"]
    if how == "unknown venue":
        rounds[0]["venue"] = "atlantis"
    elif how == "dates out of order":
        rounds[1]["date"] = "2025-01-01"
    elif how == "rounds overlapping":
        rounds[1]["date"] = str(rounds[0]["date"])   # both rounds on one day
    elif how == "venue without the class pace":
        rounds[0]["venue"] = "sebring"
        data["merge"] = {"class_map": {data["entries"]: {"LMP2": "LMP2", "LMP3": "LMP3", "GT": "GT"}},
                         "classes": {"LMP2": {"model": "LMP2", "pace": "LMP2"}, "LMP3": {"model": "LMP3", "pace": "LMP3"},
                                     "GT": {"model": "GT", "pace": "GT3"}}}
    elif how == "entry in no class":
        data["entry_changes"] = [{"from_round": 2, "add": [{
            "car": "500", "team": "Nowhere", "class": "GTX", "car_model": "BMW M4 GT3",
            "drivers": [{"name": "A", "rating": "Bronze"}, {"name": "B", "rating": "Gold"}]}]}]
    elif how == "forced outcome for an unknown car":
        data["forced_outcomes"] = [{"race": "R2", "car": "999", "outcome": "win"}]
    elif how == "round out of range":
        data["bop_changes"] = [{"from_round": 5, "car_models": {"BMW M4 GT3": 0.1}}]
    elif how == "unknown car model in a BoP change":
        data["bop_changes"] = [{"from_round": 2, "car_models": {"Trabant GT3": 0.1}}]
    elif how == "probability above 1":
        data["participation"] = {"default": 1.2}
    elif how == "results so far missing":
        data["results_so_far"] = {"file": "data/no-such-results.csv"}
    elif how == "withdrawing a car not entered":
        data["entry_changes"] = [{"from_round": 2, "withdraw": ["999"]}]
    elif how == "unknown championship":
        rounds[0]["races"][0]["championship"] = "formula-e"
    return data


CASES = {
    "unknown venue": "unknown venue 'atlantis'",
    "dates out of order": "rounds must be in date order",
    "rounds overlapping": "the round starts before rounds[0] ends",
    "venue without the class pace": "no reference lap for class 'GT3'",
    "entry in no class": "class 'GTX' is not in the rulebook",
    "forced outcome for an unknown car": "car 999 is not entered in R2",
    "round out of range": "past the last round",
    "unknown car model in a BoP change": "unknown car model 'Trabant GT3'",
    "probability above 1": "less than or equal to 1",
    "results so far missing": "file not found",
    "withdrawing a car not entered": "car 999 is not entered at round 2",
    "unknown championship": "unknown championship 'formula-e'",
}


@pytest.mark.parametrize("how", sorted(CASES))
def test_bad_scenario_fails_fast_with_one_line(tmp_path, how):
    path = write_scenario(tmp_path, _break(short_default(), how))
    code, out, err = run_cli("season", str(path), "--seed", "1", "--quiet")
    assert code == 2, (out, err)
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert CASES[how] in lines[0]
    assert "Traceback" not in err
