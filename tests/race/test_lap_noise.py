"""Lap noise at stint level: a stint of L laps runs at its own mean lap, drawn when it starts, and its
best lap lies below that mean by the margin of the largest of L normals over their mean.

The stint time then has exactly the distribution of L independent laps summed; the fastest-lap table
is checked against the exact small-L values and a brute-force draw of L laps.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.race import run_race
from sim.race.car import Car
from sim.race.draws import RaceDay
from sim.race.outcome import best_lap_offsets
from sim.scenario import compile_scenario, resolve_scenario
from sim.seeds import race_rng


@pytest.fixture(scope="module")
def default_race():
    return compile_scenario(resolve_scenario("default")).races[0]


def test_best_lap_margin_table_has_the_exact_small_values():
    mean, sd = best_lap_offsets()
    assert mean[1] == 0.0 and sd[1] == 0.0                 # one lap: the best lap is the stint's mean
    assert mean[2] == pytest.approx(1 / math.sqrt(math.pi), abs=1e-6)
    assert mean[3] == pytest.approx(1.5 / math.sqrt(math.pi), abs=1e-6)
    # Var(max of 2) = 1 - 1/pi; the mean of the two (variance 1/2) is independent of max - mean
    assert sd[2] == pytest.approx(math.sqrt(1 - 1 / math.pi - 0.5), abs=1e-6)
    assert np.all(np.diff(mean[1:]) > 0)                   # more laps, a better best lap


@pytest.mark.parametrize("laps", [5, 30, 60])
def test_best_lap_margin_matches_a_brute_force_draw(laps):
    rng = np.random.Generator(np.random.PCG64(laps))
    draws = rng.standard_normal((40_000, laps))
    margin = draws.max(axis=1) - draws.mean(axis=1)
    mean, sd = best_lap_offsets()
    assert abs(margin.mean() - mean[laps]) < 4 * margin.std() / math.sqrt(len(margin))
    assert sd[laps] == pytest.approx(margin.std(), rel=0.02)


def test_a_stint_mean_lap_has_the_spread_of_its_laps_summed(default_race):
    day = RaceDay(default_race, race_rng(5, 0, 0))
    sd = day.noise_sd[0]
    for laps in (1, 9, 36):
        draws = np.array([day.stint_noise(sd, laps) for _ in range(4000)])
        assert abs(draws.mean()) < 4 * sd / math.sqrt(laps) / math.sqrt(len(draws))
        assert draws.std() * math.sqrt(laps) == pytest.approx(sd, rel=0.05)


def test_fastest_laps_sit_below_the_stint_pace(default_race):
    for seed in range(10):
        outcome = run_race(default_race, race_rng(seed, 0, 0), log=False)
        f = default_race.field
        ran = outcome.laps > 2
        best = outcome.fastest_lap_s[ran]
        base = np.asarray(f.base_lap)[ran]
        # inside a few lap sds of the car's dry pace (wet races are slower)
        assert np.all(best > 0.9 * base) and np.all(best < 1.25 * base)


def test_cars_wake_only_at_their_stint_end(default_race, monkeypatch):
    """A neutralisation moves the stints it delays (or parks them until it ends) when it starts, so
    almost no car wake-up finds its stint end moved: simpy events stay at the decision points."""
    stale, wakes = [0], [0]
    original = Car.wake

    def counting(self, ev):
        now = self.env.now
        if not ev.cancelled and not self.done and self.fail_at > now + 1e-6:
            wakes[0] += 1
            if self.crossing(self.stint_laps) > now + 1e-6:
                stale[0] += 1
        return original(self, ev)

    monkeypatch.setattr(Car, "wake", counting)
    neutralisations = 0
    for seed in range(30):
        neutralisations += len(run_race(default_race, race_rng(seed, 0, 0), log=False).neutralisations)
    assert neutralisations > 60
    # what remains: incident time losses and Safety Car bunching of cars that pitted under it
    assert stale[0] < 0.05 * wakes[0], (stale[0], wakes[0])
