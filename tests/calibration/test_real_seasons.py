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
