"""A competitor is its entry for the season (car number within its class), whatever its team is called.

Car #88 enters the first round as "Triple Eight JMR" and the next two as "Triple Eight", with a changed
crew: it is one competitor of the GT title with one points total, the latest name, the union of its crews,
one full-season record for the Le Mans invitation; its drivers show one team.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.config.series import load_series
from sim.results import validate_results, write_results
from sim.rules import award_invitations, compute_standings
from sim.rules.competitors import follow_entries
from tests.conftest import run_cli


def row(race, round_, car, team, drivers, position, entry="season"):
    return {"race": race, "round": round_, "car": car, "team": team, "class": "GT", "category": "",
            "drivers": drivers, "ratings": "", "entry": entry, "class_position": position,
            "status": "classified", "laps": 100, "time_s": 14400.0, "pole": 0}


def renamed_season() -> pd.DataFrame:
    return validate_results(pd.DataFrame([
        row("R1", 1, "88", "Triple Eight JMR", "Ann BRONZE;Bo SILVER", 1),
        row("R1", 1, "7", "Seven Racing", "Cy A;Di B", 2),
        row("R1", 1, "9", "Nine Motorsport", "Ed C;Fi D", 3),
        row("R2", 2, "7", "Seven Racing", "Cy A;Di B", 1),
        row("R2", 2, "88", "Triple Eight", "Bo SILVER;Gus GOLD", 2),
        row("R2", 2, "9", "Nine Motorsport", "Ed C;Fi D", 3),
        row("R3", 2, "88", "Triple Eight", "Bo SILVER;Gus GOLD", 1),
        row("R3", 2, "9", "Nine Motorsport", "Ed C;Fi D", 2),
        row("R3", 2, "7", "Seven Racing", "Cy A;Di B", 3),
    ]))


@pytest.fixture(scope="module")
def rulebook():
    return load_series("asian-lms")


def test_one_competitor_with_the_latest_name_and_every_crew(rulebook):
    standings = compute_standings(renamed_season(), rulebook)
    gt = standings[standings["title"] == "GT teams"].set_index("car")
    assert list(gt.index) == ["88", "7", "9"]
    car = gt.loc["88"]
    assert car["team"] == "Triple Eight" and car["points"] == 25 + 18 + 25
    assert (car["R1"], car["R2"], car["R3"]) == (25, 18, 25)
    assert car["drivers"] == "Ann BRONZE;Bo SILVER;Gus GOLD"
    assert "Triple Eight JMR" not in set(standings["team"])
    drivers = standings[standings["title"] == "GT drivers"].set_index("drivers")
    assert drivers.loc["Bo SILVER", "team"] == "Triple Eight" and drivers.loc["Bo SILVER", "points"] == 68
    assert drivers.loc["Ann BRONZE", "points"] == 25 and drivers.loc["Gus GOLD", "points"] == 43


def test_standings_after_the_first_round_show_that_rounds_name(rulebook):
    after = compute_standings(renamed_season(), rulebook, after="R1")
    assert after.loc[(after["title"] == "GT teams") & (after["car"] == "88"), "team"].item() == "Triple Eight JMR"


def test_the_renamed_champion_is_full_season_and_invited(rulebook):
    results = renamed_season()
    standings = compute_standings(results, rulebook)
    awards = award_invitations(standings, results, rulebook, include_not_awarded=True)
    gt = awards[awards["rule"] == "gt-champion"]
    assert gt[["recipient", "car", "status"]].values.tolist() == [["Triple Eight", "88", "awarded"]]


def test_the_command_line_standings_follow_the_car(tmp_path):
    path = tmp_path / "renamed.csv"
    write_results(renamed_season(), path)
    out = tmp_path / "standings.csv"
    code, _, err = run_cli("standings", str(path), "--series", "asian-lms", "--out", str(out))
    assert code == 0, err
    table = pd.read_csv(out, dtype={"car": str}, keep_default_na=False)
    gt = table[table["title"] == "GT teams"]
    assert gt[["car", "team", "points"]].values.tolist()[0] == ["88", "Triple Eight", 68]


def test_latest_name_per_season_and_entry():
    one = renamed_season()
    other = renamed_season()
    other["team"] = other["team"].replace({"Triple Eight": "Triple Eight JMR"})   # no rename in season 1
    both = pd.concat([one.assign(season=0), other.assign(season=1)], ignore_index=True)
    named = follow_entries(both)
    cars_88 = named[named["car"] == "88"]
    assert set(cars_88.loc[cars_88["season"] == 0, "team"]) == {"Triple Eight"}
    assert set(cars_88.loc[cars_88["season"] == 1, "team"]) == {"Triple Eight JMR"}
    # an additional entry with the same number is another competitor: it keeps its own name
    extra = pd.concat([one, pd.DataFrame([row("R4", 3, "88", "Guest Team", "Hal H", 4, entry="additional")])],
                      ignore_index=True)
    named = follow_entries(validate_results(extra))
    assert named.loc[named["entry"] == "additional", "team"].tolist() == ["Guest Team"]
    assert set(named.loc[named["entry"] == "season", "team"]) - {"Seven Racing", "Nine Motorsport"} == {"Triple Eight"}


def test_a_table_without_renames_is_returned_as_it_is():
    table = renamed_season()
    table["team"] = table["team"].replace({"Triple Eight JMR": "Triple Eight"})
    assert follow_entries(table) is table
