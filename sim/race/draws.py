"""The random draws of one race, all from its `numpy.random.Generator`, in a fixed order.

Drawn in batches when the race is set up (one Generator call per run of the same distribution gives the
same numbers, in the same order, as separate calls would):

1. weather: one uniform against the venue's rain probability for the month;
2. normals: each car's race-day form, each driver's form, and the qualifying laps;
3. three exponential failure times per car;
4. the incident candidates: a Poisson number of uniform times at the highest possible field hazard
   (race control thins them with the hazard of the moment), then a pool of uniforms;
5. a pool of normals.
The events then take the pools' numbers in event order (`next(day.normals)`, `next(day.uniforms)`: pit-time
spread, a stint's mean lap, incident outcomes, durations, procedure choice); a pool refills from the same
Generator if a long race empties it. The fastest laps are drawn after the race, only when asked for (`sim.race.outcome.BestLaps`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np

from sim.config.race_model import LogNormal
from sim.race.field import RaceInput

POOL_REFILL = 64


class Weather(NamedTuple):
    """One state per race: dry, or wet with slower, noisier laps and more incidents."""

    wet: bool
    lap_factor: float
    noise_factor: float
    incident_factor: float


def draw_weather(race: RaceInput, rng: np.random.Generator) -> Weather:
    """The race's weather from the venue's rain probability for its month."""
    wet = bool(rng.random() < race.wet_probability)
    spec = race.model.weather
    if wet:
        return Weather(True, spec.wet_lap_factor, spec.wet_noise_factor, spec.wet_incident_factor)
    return Weather(False, 1.0, 1.0, 1.0)


def pool(first: list[float], draw: Callable[[int], np.ndarray]) -> Iterator[float]:
    """The numbers drawn at the start, then POOL_REFILL more from the same Generator each time they run out
    (drawn only then, so every draw of the race keeps its place in the Generator's stream)."""
    refills = itertools.chain.from_iterable(draw(POOL_REFILL).tolist() for _ in itertools.count())
    return itertools.chain(first, refills)


class RaceDay:
    """What is drawn when the race starts: weather, pace of the day, qualifying and grid, failure times,
    incident candidates; then the pools (`uniform`, `normal`) the events draw from."""

    def __init__(self, race: RaceInput, rng: np.random.Generator, season_pace_s: np.ndarray | None = None) -> None:
        f = race.field
        n = f.n
        race_s = f.race_seconds
        self.rng = rng
        base_lap, traffic, class_idx, failure_column, rows, qualifying_driver = f.race_arrays
        self.weather = weather = draw_weather(race, rng)
        lap_factor = weather.lap_factor
        q_laps = race.sporting.qualifying.laps
        normals = rng.standard_normal(n * (5 + q_laps))
        form = normals[:n] * f.form_sd
        if season_pace_s is not None:   # the cars' season-long effects, drawn by the season (sim.season_plan)
            form = form + season_pace_s
        driver_pace = f.driver_pace_matrix + normals[n:5 * n].reshape(n, 4) * f.driver_form_sd
        q_noise = np.sort(normals[5 * n:].reshape(n, q_laps), axis=1)[:, race.qualifying_rank - 1]
        # lap-to-lap sd; a stint of n laps runs at its own mean lap, drawn when it starts (`stint_noise`)
        self.noise_sd: list[float] = (f.noise_sd * (weather.noise_factor * lap_factor)).tolist()
        fail_gaps = rng.standard_exponential((n, 3)) / failure_column
        self.failure_times: list[list[float]] = np.cumsum(fail_gaps, axis=1).tolist()
        self.max_hazard = lam = f.max_incident_hazard * weather.incident_factor
        if race.darkness:   # the highest hazard includes darkness's (race control thins to the hazard of the moment)
            self.max_hazard = lam = lam * max(1.0, race.model.night.incident_factor)
        count = int(rng.poisson(lam * race_s)) if lam > 0 else 0
        uniforms = rng.random(count + 96 + 4 * n)
        self.incident_times: list[float] = np.sort(uniforms[:count] * race_s).tolist()
        self.uniforms = pool(uniforms[count:].tolist(), rng.random)
        self.normals = pool(rng.standard_normal(48 + 8 * n).tolist(), rng.standard_normal)

        # the per-car pace of the day (no draw below this line)
        base = base_lap + form
        self.car_base: list[float] = (base + traffic).tolist()
        self.driver_pace: list[list[float]] = driver_pace.tolist()   # entries past the crew are inf, never chosen
        self.fastest_driver: list[int] = driver_pace.argmin(axis=1).tolist()
        quali = ((base + driver_pace[rows, qualifying_driver] - f.qualifying_gain_s) * lap_factor
                 + q_noise * f.qualifying_sd * lap_factor)
        self.qualifying_s: np.ndarray = quali
        # grid: fastest class first, then qualifying time (lexsort: last key first)
        grid = np.lexsort((quali, class_idx))
        grid_slot = np.empty(n, dtype=np.int64)
        grid_slot[grid] = rows
        self.grid_slot: list[int] = grid_slot.tolist()

    def lognormal(self, spec: LogNormal) -> float:
        """A duration drawn from a LogNormal spec (median, sigma)."""
        return spec.median * math.exp(spec.sigma * next(self.normals))

    def stint_noise(self, sd: float, laps: int) -> float:
        """Mean lap-noise of a stint of `laps` laps: the mean of that many independent laps of sd `sd`,
        so the stint takes as long as their sum would (one normal of the pool per stint)."""
        return sd * next(self.normals) / math.sqrt(laps)
