"""Each car's season-long strength: drawn once per season from the season's own stream.

A car's pace in a race = prior (class reference x BoP + crew ratings + the entry's `pace_offset_s`)
+ its season effect (this module) + race-day form + lap noise (sim.race). The season effect is in % of
the car's class reference lap, drawn as `mean + sd x z` with one standard normal z per car from
`sim.seeds.season_rng(seed, season, STRENGTH_STREAM)`: the prior has mean 0 and the class's
`season_spread_pct`; a car whose strength was estimated from results (sim.strength.estimate) has its
posterior mean and sd. Drawing from the season stream, never a race stream, keeps the races of two
scenarios aligned for paired studies (common random numbers).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import numpy as np

from sim.race.field import RaceField, RaceInput
from sim.seeds import season_rng

STRENGTH_STREAM = 1   # season_rng stream of the season-level strength draw (0 is participation)


@dataclasses.dataclass(frozen=True)
class SeasonStrength:
    """Per car (in `cars` order, the order of the season draw): the season effect's mean and sd, % of the
    class reference lap (+ slower), and where it comes from (`prior` or `results`)."""

    cars: tuple[str, ...]
    mean_pct: np.ndarray
    sd_pct: np.ndarray
    source: tuple[str, ...]
    _rows: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_rows"] = {}   # workers rebuild their own lookups
        return state

    @property
    def active(self) -> bool:
        """False when every car's effect is exactly 0 (no spread, no estimate): nothing to draw."""
        return bool(np.any(self.sd_pct > 0) or np.any(self.mean_pct != 0))

    def draw(self, seed: int, season: int) -> np.ndarray:
        """This season's effect of every car, % of its class reference lap."""
        z = season_rng(seed, season, STRENGTH_STREAM).standard_normal(len(self.cars))
        return self.mean_pct + self.sd_pct * z

    def pace_s(self, field: RaceField, drawn: np.ndarray) -> np.ndarray:
        """The drawn effects of the cars of one race field, in seconds per lap (`run_race`'s season_pace_s)."""
        rows = self._rows.get(field.cars)
        if rows is None:
            index = {car: i for i, car in enumerate(self.cars)}
            rows = self._rows[field.cars] = np.array([index[car] for car in field.cars], dtype=np.int64)
        return drawn[rows] * field.pct_s

    def as_dict(self) -> dict[str, tuple[float, float, str]]:
        return {car: (float(m), float(s), src) for car, m, s, src in zip(self.cars, self.mean_pct, self.sd_pct,
                                                                          self.source)}


def prior_strength(races: Iterable[RaceInput], posterior: Mapping[str, tuple[float, float]] | None = None) -> SeasonStrength:
    """Every car entered in any of `races` (CompiledRace): mean 0 and its class's `season_spread_pct` (the
    class of the first race it enters), or its (mean, sd) from `posterior` (car -> % of the class reference)."""
    spread: dict[str, float] = {}
    for race in races:
        for entry in race.entries:
            spread.setdefault(entry.car, race.model.classes[entry.class_name].season_spread_pct)
    cars = tuple(sorted(spread))
    posterior = posterior or {}
    mean = np.array([posterior[car][0] if car in posterior else 0.0 for car in cars])
    sd = np.array([posterior[car][1] if car in posterior else spread[car] for car in cars])
    source = tuple("results" if car in posterior else "prior" for car in cars)
    return SeasonStrength(cars, mean, sd, source)
