"""data/seasons and the IMSA scenarios are what tools/real_seasons.py makes of data/real."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from sim.config.strength import load_strength_model
from sim.results import read_results
from tests.conftest import CONFIGS, PROJECT, SCENARIOS
from tools import real_seasons


@pytest.mark.parametrize("season", ["2023", "2024"])
def test_imsa_tables_are_the_conversion_of_the_exports(real_data, season):
    shipped = read_results(PROJECT / "data" / "seasons" / f"imsa-{season}.csv")
    converted = real_seasons.imsa_season(real_data, season)
    assert len(shipped) == len(converted) and shipped["race"].nunique() == 11
    for column in ("race", "car", "team", "class", "status", "class_position", "laps"):
        assert list(shipped[column]) == list(converted[column]), column
    pd.testing.assert_series_equal(shipped["fastest_lap_s"], converted["fastest_lap_s"].astype(float), check_names=False)
    assert shipped.groupby("car")["team"].nunique().max() == 1   # one team name per car
    first = shipped[shipped["race"] == "R1"]
    assert first["hours"].iloc[0] == 24.0 and set(first["status"]) == {"classified"}   # Daytona: no lap file


def test_asian_lms_2023_with_fastest_laps(real_data):
    table = real_seasons.asian_lms_2023(real_data)
    shipped = read_results(PROJECT / "data" / "seasons" / "asian-lms-2023.csv")
    assert list(table["car"]) == list(shipped["car"])
    assert table.loc[table["laps"] > 1, "fastest_lap_s"].notna().all()   # a car out on its first lap has none
    r1 = shipped[(shipped["race"] == "R1") & (shipped["car"] == "25")]
    assert r1["fastest_lap_s"].iloc[0] == pytest.approx(109.586)


@pytest.mark.parametrize("season", ["2023", "2024"])
def test_imsa_scenarios_are_generated_from_the_exports(real_data, season):
    entries, scenario = real_seasons.imsa_scenario(real_data, season)
    shipped = yaml.safe_load((SCENARIOS / f"imsa-{season}.yaml").read_text(encoding="utf-8"))
    assert shipped == yaml.safe_load(yaml.safe_dump(scenario))
    assert yaml.safe_load((CONFIGS / "entries" / f"imsa-{season}.yaml").read_text(encoding="utf-8")) == \
        yaml.safe_load(yaml.safe_dump(entries))
    priors = load_strength_model().series["imsa"].classes
    for name, spec in scenario["merge"]["classes"].items():
        assert spec["season_spread_pct"] == priors[name].prior_sd_pct, name


@pytest.mark.parametrize("season", ["2023", "2024"])
def test_each_simulated_race_has_the_real_starters(season):
    from sim.season import load_compiled

    compiled = load_compiled(SCENARIOS / f"imsa-{season}.yaml")
    real = read_results(PROJECT / "data" / "seasons" / f"imsa-{season}.csv")
    for race in compiled.races:
        assert {e.car for e in race.entries} == set(real.loc[real["race"] == race.race_id, "car"]), race.race_id


def test_green_stints_are_whole_pit_to_pit_stints_without_caution():
    """The first stint (the start), a stint the flag ends and one with a caution lap are not fuel ranges."""
    flags = ["GF"] * 3 + ["GF"] * 4 + ["GF", "FCY", "GF"] + ["GF"] * 5 + ["GF", "GF"]
    in_lap = [False, False, True] + [False] * 3 + [True] + [False, False, True] + [False] * 4 + [True] + [False] * 2
    laps = pd.DataFrame({"season": "2023", "event": "07-sebring-international-raceway", "car": "1",
                         "car_class": "LMP2", "lap": range(1, len(flags) + 1), "in_lap": in_lap, "flag": flags})
    assert list(real_seasons.green_stints(laps)["laps"]) == [4, 5]


@pytest.mark.parametrize("venue", ["sebring", "road-atlanta"])
def test_imsa_full_tank_stint_is_the_real_longest_green_stint(real_data, venue):
    """Each IMSA class's full-tank stint (the merged class's tank and consumption, before the car models'
    BoP fuel factors) within 10 % of the longest all-green stint the class ran at the venue in 2023-24
    (Sebring: LMP2 24 laps, planned 23; GTP 30, planned 29; the borrowed ACO LMP2 figures planned 28 at
    Sebring and 42 at Road Atlanta, against IMSA's LMP2 24 and 35). LMP3 is left out: one season, and its
    range in the four races with enough green stints spreads over 147-202 km (Petit 35 laps, Sebring 30)."""
    from sim.config.race_model import load_race_model
    from sim.config.scenario import load_scenario
    from sim.config.venues import load_venues
    from sim.scenario.entries import merged_model

    lap_km = load_venues(CONFIGS / "venues.yaml").venues[venue].lap_km
    laps = pd.read_parquet(real_data / "imsa" / "laps.parquet",
                           columns=["season", "event", "car", "car_class", "lap", "in_lap", "flag"])
    per_class = real_seasons.green_stints(laps[laps["event"].astype(str).str.contains(venue)]).groupby(
        "car_class", observed=True)["laps"]
    longest = per_class.max()[per_class.size() >= real_seasons.RANGE_MIN_GREEN_STINTS]   # fewer: no range
    assert {"GTP", "LMP2", "GTD"} <= set(longest.index)
    for season in ("2023", "2024"):
        path = SCENARIOS / f"imsa-{season}.yaml"
        model, _, _ = merged_model(load_scenario(path).merge, load_race_model(CONFIGS / "race-model.yaml"), path)
        for name, real in longest.items():
            if name == "LMP3":
                continue
            cls = model.classes[real_seasons.CLASS.get(str(name), str(name))]
            planned = int(cls.fuel_capacity_l / (lap_km * cls.fuel_per_km_l)) - cls.reserve_laps
            assert abs(planned - real) <= 0.1 * real, (season, name, planned, real)
