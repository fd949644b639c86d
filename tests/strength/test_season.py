"""The season-long strength draw: from the season's own stream, the class's spread, common random numbers
across scenarios, and a race run alone (`sim race`) equal to the same race inside its season."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config.race_model import load_race_model
from sim.errors import InputError
from sim.season import load_compiled, simulate_results
from sim.seeds import race_rng, season_rng
from sim.strength.season import STRENGTH_STREAM
from tests.conftest import CONFIGS, SCENARIOS


@pytest.fixture(scope="module")
def default():
    return load_compiled(SCENARIOS / "default.yaml")


def test_drawn_once_per_season_from_the_season_stream(default):
    plan = default.plan
    first, again = plan.draw_strength(7, 3), plan.draw_strength(7, 3)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, plan.draw_strength(7, 4))
    z = season_rng(7, 3, STRENGTH_STREAM).standard_normal(len(plan.strength.cars))
    np.testing.assert_allclose(first, plan.strength.sd_pct * z)
    assert STRENGTH_STREAM != 0   # stream 0 is the participation draw


def test_each_class_draws_with_its_season_spread(default):
    plan = default.plan
    model = load_race_model()
    draws = np.array([plan.draw_strength(1, season) for season in range(600)])
    classes = {e.car: e.class_name for race in default.races for e in race.entries}
    for name in ("LMP2", "LMP3", "GT"):
        columns = [i for i, car in enumerate(plan.strength.cars) if classes[car] == name]
        sd = draws[:, columns].std()
        assert sd == pytest.approx(model.classes[name].season_spread_pct, rel=0.06), name
        assert abs(draws[:, columns].mean()) < 0.05


def test_the_effect_in_seconds_is_a_share_of_the_class_reference_lap(default):
    race, plan = default.races[0], default.plan
    drawn = plan.draw_strength(2, 0)
    pace = plan.season_pace(race, drawn)
    row = {car: i for i, car in enumerate(plan.strength.cars)}
    for k, entry in enumerate(race.entries):
        assert pace[k] == pytest.approx(drawn[row[entry.car]] * race.venue.reference_lap_s[entry.class_name] / 100)


def test_common_random_numbers_across_calendars_with_the_same_entries(default):
    other = load_compiled(SCENARIOS / "all-middle-east.yaml")
    assert other.plan.strength.cars == default.plan.strength.cars
    np.testing.assert_array_equal(other.plan.draw_strength(5, 9), default.plan.draw_strength(5, 9))


def test_the_race_streams_do_not_depend_on_the_season_draw(default):
    """Turning the season spread off changes the cars' pace, never a race's own random numbers."""
    before = race_rng(3, 0, 1).random(5)
    default.plan.draw_strength(3, 0)
    np.testing.assert_array_equal(before, race_rng(3, 0, 1).random(5))


def test_a_season_with_the_season_effect_differs_from_one_without(tmp_path):
    import yaml

    model = yaml.safe_load((CONFIGS / "race-model.yaml").read_text(encoding="utf-8"))
    for values in model["classes"].values():
        values["season_spread_pct"] = 0.0
    flat = tmp_path / "race-model.yaml"
    flat.write_text(yaml.safe_dump(model), encoding="utf-8")
    from sim.config.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / "asian-lms-2023.yaml")
    off = load_compiled(scenario.model_copy(update={"options": {"race_model": str(flat)}}))
    assert off.plan.draw_strength(1, 0) is None   # nothing to draw: every effect exactly 0
    on = load_compiled(scenario)
    a, _ = simulate_results(on, 1, [0])
    b, _ = simulate_results(off, 1, [0])
    assert not a["time_s"].equals(b["time_s"])


def test_the_old_single_spread_is_refused_with_the_reason(tmp_path):
    import yaml

    model = yaml.safe_load((CONFIGS / "race-model.yaml").read_text(encoding="utf-8"))
    model["classes"]["GT"]["team_spread_pct"] = 0.35
    path = tmp_path / "race-model.yaml"
    path.write_text(yaml.safe_dump(model), encoding="utf-8")
    with pytest.raises(InputError, match="team_spread_pct was split into season_spread_pct"):
        load_race_model(path)
