"""Scoring rules one by one: positions, skipped entries, classification, shortened races, scales, poles."""

from __future__ import annotations

import pytest

from sim.errors import InputError
from sim.rules import compute_standings, score_races
from tests.rules.helpers import race, rulebook, table, title


def points_of(scored, scope="LMP2"):
    rows = scored[scored["scope"] == scope]
    return dict(zip(rows["car"], rows["points"]))


def test_additional_entries_score_nothing_and_the_cars_behind_move_up():
    results = table(race("R1", [{"car": "1"}, {"car": "2", "entry": "additional"}, {"car": "3"}, {"car": "4"}]))
    assert points_of(score_races(results, rulebook())) == {"1": 25, "2": 0, "3": 18, "4": 15}
    standings = title(compute_standings(results, rulebook()), "LMP2 teams")
    assert list(standings["car"]) == ["1", "3", "4"]  # the additional car is not in the championship


def test_additional_entries_can_hold_their_place_or_score():
    results = table(race("R1", [{"car": "1"}, {"car": "2", "entry": "additional"}, {"car": "3"}]))
    held = rulebook(scoring={"additional_entries": "hold_position"})
    assert points_of(score_races(results, held)) == {"1": 25, "2": 0, "3": 15}
    scoring = rulebook(scoring={"additional_entries": "score"})
    assert points_of(score_races(results, scoring)) == {"1": 25, "2": 18, "3": 15}


def test_disqualified_and_not_classified_cars_score_nothing_and_are_skipped():
    results = table(race("R1", [{"car": "1", "status": "dsq"}, {"car": "2"}, {"car": "3", "status": "not_classified"},
                                {"car": "4", "status": "dnf"}, {"car": "5", "status": "dns"}]))
    assert points_of(score_races(results, rulebook())) == {"1": 0, "2": 25, "3": 0, "4": 0, "5": 0}


def test_retired_car_is_classified_at_70_percent_of_the_class_winners_distance():
    results = table(race("R1", [{"car": "1", "laps": 100}, {"car": "2", "laps": 70, "status": "dnf"},
                                {"car": "3", "laps": 69, "status": "dnf"}]))
    scored = score_races(results.assign(hours=2.75), rulebook("american-lms"))
    assert points_of(scored) == {"1": 20, "2": 16, "3": 0}
    # The Asian LMS requires the chequered flag: a retired car never scores.
    assert points_of(score_races(results, rulebook())) == {"1": 25, "2": 0, "3": 0}


def test_half_points_when_stopped_before_75_percent_and_none_without_two_green_laps():
    short = table(race("R1", [{"car": "1", "time_s": 0.7 * 14400}, {"car": "2", "time_s": 0.7 * 14400, "pole": 1}],
                       hours=4.0))
    scored = score_races(short, rulebook())
    assert points_of(scored) == {"1": 12.5, "2": 10}  # 18 / 2 + the full pole point
    full = table(race("R1", [{"car": "1", "time_s": 0.76 * 14400}], hours=4.0))
    assert points_of(score_races(full, rulebook())) == {"1": 25}
    no_green = table(race("R1", [{"car": "1"}], hours=4.0, green_laps=1))
    assert points_of(score_races(no_green, rulebook())) == {"1": 0}


def test_points_beyond_tenth_for_classified_cars():
    cars = [{"car": str(n)} for n in range(1, 14)] + [{"car": "14", "status": "not_classified"}]
    scored = score_races(table(race("R1", cars)), rulebook("elms"))
    points = points_of(scored)
    assert [points[str(n)] for n in (10, 11, 12, 13, 14)] == [1, 0.5, 0.5, 0.5, 0]


def test_scale_chosen_by_length_by_segment_and_by_race_id():
    gtwc = rulebook("gtwc-europe")
    cars = [{"car": "1", "class": "GT3"}, {"car": "2", "class": "GT3"}]
    results = table(race("R1", cars, round_=1, hours=1.0), race("R2", cars, round_=2, hours=3.0),
                    race("R3@6h", cars, round_=3, hours=24.0), race("R3@12h", cars, round_=3, hours=24.0),
                    race("R3", cars, round_=3, hours=24.0), race("R4", cars, round_=4, hours=6.0))
    scored = score_races(results, gtwc)
    overall = scored[scored["scope"] == "GT3"]
    winner = overall[overall["car"] == "1"].set_index("race")["points"].to_dict()
    assert winner == {"R1": 16.5, "R2": 25, "R3@6h": 12, "R3@12h": 12, "R3": 25, "R4": 33}
    by_id = rulebook("asian-lms", points={"scales": [
        {"name": "normal", "points": [25, 18]}, {"name": "finale", "points": [50, 36], "races": ["R2"]}]})
    results = table(race("R1", [{"car": "1"}]), race("R2", [{"car": "1"}], round_=2))
    assert score_races(results, by_id).set_index("race")["points"].to_dict() == {"R1": 25, "R2": 50}


def test_intermediate_classifications_do_not_count_as_wins():
    gtwc = rulebook("gtwc-europe")
    cars = [{"car": "1", "class": "GT3"}, {"car": "2", "class": "GT3"}]
    results = table(race("R1@6h", cars, hours=24.0, time_s=6 * 3600.0),
                    race("R1", list(reversed(cars)), hours=24.0, time_s=24 * 3600.0))
    standings = title(compute_standings(results, rulebook("elms", points=gtwc.points, classes=gtwc.model_dump(
        by_alias=True)["classes"], titles=[{"class": "GT3"}])), "GT3 teams")
    # Even under a half-points rule for races stopped early, the 6h classification scores in full.
    assert dict(zip(standings["car"], standings["points"])) == {"1": 30, "2": 34}
    standings = title(compute_standings(results, gtwc), "GT3 teams")
    assert dict(zip(standings["car"], standings["wins"])) == {"1": 0, "2": 1}
    assert dict(zip(standings["car"], standings["points"])) == {"1": 30, "2": 34}


def test_a_scale_for_every_race_is_required():
    no_default = rulebook("american-lms")
    results = table(race("R1", [{"car": "1"}]))  # no `hours` column
    with pytest.raises(InputError, match="no scale fits this race"):
        score_races(results, no_default)


def test_sub_category_scores_by_position_among_its_cars():
    elms = rulebook("elms")
    results = table(race("R1", [{"car": "1"}, {"car": "2", "category": "Pro-Am"}, {"car": "3"},
                                {"car": "4", "category": "Pro-Am", "pole": 1}]))
    scored = score_races(results, elms)
    assert points_of(scored, "LMP2") == {"1": 25, "2": 18, "3": 15, "4": 13}
    assert points_of(scored, "LMP2 Pro-Am") == {"2": 25, "4": 19}
    no_pole = rulebook("elms", scoring={"pole_in_categories": False})
    assert points_of(score_races(results, no_pole), "LMP2 Pro-Am") == {"2": 25, "4": 18}


def test_pole_point_may_require_classification():
    results = table(race("R1", [{"car": "1"}, {"car": "2", "status": "dnf", "pole": 1}]))
    assert points_of(score_races(results, rulebook())) == {"1": 25, "2": 1}
    strict = rulebook(scoring={"pole_requires_classification": True})
    assert points_of(score_races(results, strict)) == {"1": 25, "2": 0}


def test_unknown_class_or_category_names_the_row():
    with pytest.raises(InputError, match=r"row 3, column class: unknown class 'LMP9'"):
        score_races(table(race("R1", [{"car": "1"}, {"car": "2", "class": "LMP9"}])), rulebook())
    with pytest.raises(InputError, match=r"row 2, column category: unknown category 'Gold Cup'"):
        score_races(table(race("R1", [{"car": "1", "category": "Gold Cup"}])), rulebook())


def test_a_non_starter_may_have_no_class_position():
    results = table(race("R1", [{"car": "1"}, {"car": "2", "status": "dns", "class_position": ""},
                                {"car": "3", "class_position": 2}]))
    assert dict(zip(results["car"], results["class_position"])) == {"1": 1, "2": 3, "3": 2}
    assert points_of(score_races(results, rulebook())) == {"1": 25, "2": 0, "3": 18}
    with pytest.raises(InputError, match="row 2, column class_position: must be a positive integer"):
        table(race("R1", [{"car": "1", "class_position": ""}]))
