"""The Michelin Green X Challenge (Clean + Fast + Efficient, lowest wins) on hand-checked tables, and its
rules in the American LMS 2012 rulebook."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.config.awards import AwardsConfig, EfficiencyScoring
from sim.config.series import load_series
from sim.rules.award_candidates import green_x_scores
from sim.rules.awards import award_invitations
from tests.rules.awards_tables import results_table, standings_table

GREEN_X = {"fast_weight": 1, "energy_weight": 1, "clean_weight": 1, "mass_kg": {"P1": 900, "P2": 900}}
PROTOTYPES = [{"car": "A", "team": "Team A", "class": "P1"}, {"car": "B", "team": "Team B", "class": "P1"},
              {"car": "C", "team": "Team C", "class": "P2"}]


def prototype_race() -> pd.DataFrame:
    """One race. A: ethanol (E85R), a little slower and thirstier than B; B: E10; C: the P2, slowest per lap
    and the least energy. Per lap: time 360 / 356.4 / 378.947 s, energy 300 / 280 / 260 MJ, greenhouse-
    weighted energy 105 (x0.35) / 271.6 (x0.97) / 252.2 (x0.97)."""
    table = results_table(PROTOTYPES, races=("R1",))
    table["laps"] = [100, 100, 95]
    table["time_s"] = [36000.0, 35640.0, 36000.0]
    table["energy_mj"] = [30000.0, 28000.0, 24700.0]
    table["fuel"] = ["e85r", "e10", "e10"]
    return table


def invitations(results: pd.DataFrame, **rule) -> pd.DataFrame:
    config = AwardsConfig.model_validate({"rules": [{"id": "gx", "kind": "efficiency", **rule}],
                                          "policy": {"require_full_season": False}})
    out = award_invitations(standings_table([], "P1"), results, config, include_not_awarded=True)
    return out[out["status"] == "awarded"]


def test_scores_are_the_sum_of_the_three_ratios_to_the_best_car():
    scoring = EfficiencyScoring(**GREEN_X, ghg_factors={"e10": 0.97, "e85r": 0.35})
    scores = green_x_scores(prototype_race().assign(season=1), scoring).set_index("car")
    # Fast: 360/356.4, 1, 378.947/356.4; Efficient: 300/260, 280/260, 1; Clean: 1, 271.6/105, 252.2/105
    assert scores.loc["A", "fast"] == pytest.approx(1.010101, abs=1e-6)
    assert scores.loc["C", "fast"] == pytest.approx(36000 / 95 / 356.4, abs=1e-9)
    assert scores.loc["B", "efficient"] == pytest.approx(1.076923, abs=1e-6)
    assert scores.loc["B", "clean"] == pytest.approx(2.586667, abs=1e-6)
    assert scores["score"].round(4).to_dict() == {"A": 3.1639, "B": 4.6636, "C": 4.4652}


def test_lowest_score_wins_and_the_fuel_type_decides_it():
    race = prototype_race()
    with_clean = invitations(race, classes=["P1", "P2"], scoring={**GREEN_X, "ghg_factors": {"e10": 0.97, "e85r": 0.35}})
    assert with_clean["recipient"].tolist() == ["Team A"]
    assert with_clean["reason"].tolist() == ["winner of Green X P1+P2 (score 3.1639)"]
    # Without the Clean term the frugal P2 wins (1.0633 + 1 = 2.0633 < B 2.0769 < A 2.1639) ...
    fast_efficient = invitations(race, classes=["P1", "P2"], scoring={**GREEN_X, "clean_weight": 0})
    assert fast_efficient["recipient"].tolist() == ["Team C"]
    # ... and so does it when A burns E10 too: Clean then repeats Efficient (C 3.0633 < B 3.1538 < A 3.3178).
    same_fuel = invitations(race.assign(fuel="e10"), classes=["P1", "P2"],
                            scoring={**GREEN_X, "ghg_factors": {"e10": 0.97}})
    assert same_fuel["reason"].tolist() == ["winner of Green X P1+P2 (score 3.0633)"]


def test_a_ghg_column_is_used_before_the_fuel_table():
    race = prototype_race()
    race["ghg_mj"] = race["energy_mj"] * [0.35, 0.97, 0.97]
    out = invitations(race.drop(columns="fuel"), classes=["P1", "P2"], scoring=GREEN_X)
    assert out["reason"].tolist() == ["winner of Green X P1+P2 (score 3.1639)"]


def test_efficient_is_energy_per_kg_of_car():
    entries = [{"car": "1", "team": "Light", "class": "GT"}, {"car": "2", "team": "Heavy", "class": "GTC"}]
    race = results_table(entries, races=("R1",), energy_mj=20000.0)
    race["energy_mj"] = [19000.0, 20000.0]   # the heavy car burns 5 % more but weighs 10 % more
    scoring = {"clean_weight": 0, "fast_weight": 1, "energy_weight": 1}
    assert invitations(race, classes=["GT", "GTC"], scoring=scoring)["recipient"].tolist() == ["Light"]
    by_mass = {**scoring, "mass_kg": {"GT": 1100, "GTC": 1210}}
    assert invitations(race, classes=["GT", "GTC"], scoring=by_mass)["recipient"].tolist() == ["Heavy"]


def test_a_race_rule_scores_that_race_only_and_the_season_rule_averages():
    entries = [{"car": "1", "team": "Team 1", "class": "GT"}, {"car": "2", "team": "Team 2", "class": "GT"}]
    energy = {("R1", "1"): 900.0, ("R1", "2"): 1000.0, ("R2", "1"): 1000.0, ("R2", "2"): 960.0}
    results = results_table(entries, energy_mj=energy)
    scoring = {"fast_weight": 1, "energy_weight": 1}
    # season: car 1 (2 + 2.0417) / 2 = 2.0208 beats car 2 (2.1111 + 2) / 2 = 2.0556; R2 alone: car 2
    assert invitations(results, classes=["GT"], scoring=scoring)["reason"].tolist() == [
        "winner of Green X GT (score 2.0208)"]
    last = invitations(results, classes=["GT"], race="R2", title="Green X GT R2", scoring=scoring)
    assert last["recipient"].tolist() == ["Team 2"]
    assert last["reason"].tolist() == ["winner of Green X GT R2 (score 2.0000)"]


def test_the_2012_rulebook_awards_green_x_per_season_and_at_petit_le_mans():
    rules = {rule.id: rule for rule in load_series("american-lms-2012").awards.rules}
    for rule_id, classes, race in (("green-x-prototype", ["P1", "P2"], None), ("green-x-gt", ["GT"], None),
                                   ("green-x-petit-prototype", ["P1", "P2"], "R10"),
                                   ("green-x-petit-gt", ["GT"], "R10")):
        rule = rules[rule_id]
        assert (rule.kind, rule.competing_classes, rule.race) == ("efficiency", classes, race)
        assert rule.scoring is not None and rule.scoring.clean_weight == rule.scoring.fast_weight == 1
    assert {rules[f"petit-le-mans-{c}"].race for c in ("p1", "p2", "gt")} == {"R10"}
