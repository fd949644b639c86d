"""The race end: time or distance, whichever comes first (sim.race.finish, sim.race.simulation)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sim.race import run_race
from sim.race.finish import flag_lap
from sim.race.outcome import CLASSIFIED
from sim.seeds import race_rng

ROOT = Path(__file__).resolve().parents[2]


def test_the_flag_lap_is_the_first_lap_at_or_beyond_the_distance():
    assert flag_lap(1609.344, 4.088) == 394          # Petit Le Mans: 1,000 miles of Road Atlanta
    assert flag_lap(10 * 4.088, 4.088) == 10         # exactly ten laps: the tenth, not an eleventh
    assert flag_lap(10 * 4.088 + 0.01, 4.088) == 11


@pytest.mark.parametrize("seed", range(3))
def test_a_race_ends_when_the_leader_completes_the_distance_first(alms_2023, seed):
    """A 4-hour race limited to a distance ten laps short of what its winner runs in the time: the overall
    winner completes exactly that many laps, in under 4 hours, and nobody runs further."""
    race = alms_2023.races[0]
    free = run_race(race, race_rng(seed, 0, race.index), log=False)
    laps = int(free.laps.max()) - 10
    limited = dataclasses.replace(race, distance_km=laps * race.venue.lap_km - 0.5)
    outcome = run_race(limited, race_rng(seed, 0, race.index), log=False)
    running = outcome.status == CLASSIFIED
    assert outcome.laps.max() == laps
    winner = int(np.argmin(np.where(running, outcome.overall_position, 10**6)))
    assert outcome.laps[winner] == laps
    assert outcome.time_s[winner] < race.hours * 3600
    assert outcome.time_s[running].max() < race.hours * 3600


@pytest.mark.parametrize("seed", range(3))
def test_a_race_ends_at_the_time_when_the_distance_is_not_reached(alms_2023, seed):
    """A distance beyond what the leader can run: the race is the timed race, car by car."""
    race = alms_2023.races[0]
    limited = dataclasses.replace(race, distance_km=500 * race.venue.lap_km)
    free = run_race(race, race_rng(seed, 0, race.index), log=False)
    outcome = run_race(limited, race_rng(seed, 0, race.index), log=False)
    np.testing.assert_array_equal(outcome.laps, free.laps)
    np.testing.assert_array_equal(outcome.status, free.status)
    np.testing.assert_allclose(outcome.time_s, free.time_s, rtol=1e-12)


def test_petit_le_mans_2012_stops_at_1000_miles():
    """The 2012 Petit Le Mans was '10 hours or 1,000 miles': the P1 winner stopped at 394 laps (real),
    not the ~430 the model's P1 cars run in 10 hours."""
    from sim.scenario import compile_scenario

    compiled = compile_scenario(ROOT / "scenarios" / "american-lms-2012.yaml")
    race = next(r for r in compiled.races if r.venue.key == "road-atlanta")
    assert race.distance_km == pytest.approx(1609.344)
    for seed in range(3):
        outcome = run_race(race, race_rng(seed, 0, race.index), log=False)
        assert outcome.laps.max() == 394
        assert outcome.time_s.max() < race.hours * 3600
