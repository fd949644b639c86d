"""Standings: titles, team scoring, drop scores, drive times, joint classifications, ties, seasons, --after."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.errors import InputError
from sim.rules import compute_standings
from tests.rules.helpers import race, rulebook, table, title

TWO_CARS_TEAM_A = [{"car": "1", "team": "A"}, {"car": "2", "team": "B"}, {"car": "3", "team": "A"}]


def test_titles_columns_and_order():
    standings = compute_standings(table(race("R1", TWO_CARS_TEAM_A), race("R2", TWO_CARS_TEAM_A, round_=2)),
                                  rulebook())
    assert list(standings.columns[:10]) == ["title", "class", "category", "kind", "position", "position_text",
                                            "car", "team", "drivers", "points"]
    assert list(standings.columns[10:]) == ["R1", "R2", "wins"]
    assert list(standings["title"].unique()) == ["LMP2 teams", "LMP2 drivers"]
    teams = title(standings, "LMP2 teams")
    assert list(teams["car"]) == ["1", "2", "3"] and list(teams["points"]) == [50, 36, 30]
    assert teams.loc[0, "drivers"] == "1 A;1 B" and teams.loc[0, "wins"] == 2


def test_team_scoring_per_car_or_best_car_only():
    results = table(race("R1", TWO_CARS_TEAM_A))
    per_car = title(compute_standings(results, rulebook()), "LMP2 teams")
    assert list(zip(per_car["team"], per_car["points"])) == [("A", 25), ("B", 18), ("A", 15)]
    best = title(compute_standings(results, rulebook(scoring={"team_scoring": "best_car"})), "LMP2 teams")
    assert list(zip(best["team"], best["car"], best["points"])) == [("A", "1;3", 25), ("B", "2", 18)]


def test_drop_scores_keep_the_best_results():
    races = [race("R1", [{"car": "1"}, {"car": "2"}]), race("R2", [{"car": "2"}, {"car": "1"}], round_=2),
             race("R3", [{"car": "2"}, {"car": "1"}], round_=3)]
    best_two = title(compute_standings(table(*races), rulebook(scoring={"best_results": 2})), "LMP2 teams")
    assert dict(zip(best_two["car"], best_two["points"])) == {"2": 50, "1": 43}
    assert list(best_two["R1"]) == [18, 25]  # the per-race columns still show every score


def test_drivers_below_the_minimum_drive_time_score_nothing():
    cars = [{"car": "1", "drive_time_s": "6000;8400"}, {"car": "2", "drive_time_s": "14000;400"}]
    book = rulebook(scoring={"driver_min_drive_time_s": 1500})
    drivers = title(compute_standings(table(race("R1", cars)), book), "LMP2 drivers").set_index("drivers")
    assert drivers["points"].to_dict() == {"1 A": 25, "1 B": 25, "2 A": 18, "2 B": 0}
    teams = title(compute_standings(table(race("R1", cars)), book), "LMP2 teams")
    assert list(teams["points"]) == [25, 18]  # the car still scores


def test_driver_in_two_cars_lists_both():
    results = table(race("R1", [{"car": "1", "drivers": "X;Y"}]), race("R2", [{"car": "2", "drivers": "X;Z"}], round_=2))
    drivers = title(compute_standings(results, rulebook()), "LMP2 drivers").set_index("drivers")
    assert drivers.loc["X", "car"] == "1;2" and drivers.loc["X", "points"] == 50


def test_joint_classification_scores_two_championships_together():
    joint = rulebook(titles=[{"class": "GT"}, {"class": "GT", "name": "GT joint", "kinds": ["teams"],
                                               "championships": ["asian-lms", "gtwc-asia"]}])
    alms = race("R1", [{"car": "7", "class": "GT"}, {"car": "34", "class": "GT"}])
    asia = race("GA1", [{"car": "34", "class": "GT", "championship": "gtwc-asia"},
                        {"car": "88", "class": "GT", "championship": "gtwc-asia"}], round_=2)
    standings = compute_standings(table(alms, asia), joint)
    assert dict(zip(*title(standings, "GT teams")[["car", "points"]].T.values)) == {"7": 25, "34": 18}
    joint_table = title(standings, "GT joint teams")
    assert list(zip(joint_table["car"], joint_table["points"])) == [("34", 43), ("7", 25), ("88", 18)]


def test_countback_then_latest_result_then_name():
    # 1 and 2 tie on points and on countback (a win and a 2nd each): the later race decides.
    races = [race("R1", [{"car": "1"}, {"car": "2"}]), race("R2", [{"car": "2"}, {"car": "1"}], round_=2)]
    teams = title(compute_standings(table(*races), rulebook()), "LMP2 teams")
    assert list(teams["car"]) == ["2", "1"] and list(teams["position"]) == [1, 2]
    by_name = title(compute_standings(table(*races), rulebook(tie_break={"last_resort": "name"})), "LMP2 teams")
    assert list(by_name["car"]) == ["1", "2"]
    shared = title(compute_standings(table(*races), rulebook(tie_break={"last_resort": "shared"})), "LMP2 teams")
    assert list(shared["position_text"]) == ["1=", "1="] and list(shared["position"]) == [1, 1]


def test_after_a_race_and_unknown_race():
    results = table(race("R1", [{"car": "1"}, {"car": "2"}]), race("R2", [{"car": "2"}, {"car": "1"}], round_=2))
    after_r1 = title(compute_standings(results, rulebook(), after="R1"), "LMP2 teams")
    assert list(after_r1["points"]) == [25, 18] and "R2" not in after_r1.columns
    with pytest.raises(InputError, match="unknown race 'R7'"):
        compute_standings(results, rulebook(), after="R7")


def test_many_seasons_in_one_table_equal_one_season_at_a_time():
    seasons = []
    for season, order in enumerate((["1", "2", "3"], ["3", "1", "2"], ["2", "3", "1"])):
        rows = race("R1", [{"car": c} for c in order]) + race("R2", [{"car": c} for c in reversed(order)], round_=2)
        seasons.append(pd.DataFrame(rows).assign(season=season))
    batch = compute_standings(table(*[frame.to_dict("records") for frame in seasons]), rulebook())
    assert batch.columns[0] == "season"
    for season, frame in enumerate(seasons):
        alone = compute_standings(table(frame.drop(columns="season").to_dict("records")), rulebook())
        mine = batch[batch["season"] == season].drop(columns="season").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone, check_dtype=False)
