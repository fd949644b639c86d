"""What the prior alone says about a car's pace: its expected lap time over the class reference.

Lap time = class reference x (1 + BoP %) + entry `pace_offset_s` + the crew's mean driver offset (race-model
rating offset % x reference + the driver's `pace_offset_s`), read off the compiled `RaceField` arrays and
averaged over the calendar's races. Crew members weigh equally (an approximation: real drive-time shares
follow the drive-time rules). The season effect (sim.strength.season) comes on top of this.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sim.config.scenario import Scenario
from sim.config.series import SeriesRulebook
from sim.race.field import RaceInput


class ScenarioInput(Protocol):
    """What the strength estimator and the season plan read of a compiled scenario (`sim.scenario`)."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def rulebook(self) -> SeriesRulebook: ...
    @property
    def races(self) -> Sequence[RaceInput]: ...


def car_strength(compiled: ScenarioInput) -> dict[str, float]:
    """Car -> expected lap time, % over its class reference lap (lower = faster), mean over its races."""
    totals: dict[str, list[float]] = {}
    for race in compiled.races:
        arrays = race.field
        for k in range(arrays.n):
            reference = race.venue.reference_lap_s[arrays.classes[k]]
            crew = arrays.driver_pace[k]
            lap = arrays.base_lap[k] + (sum(crew) / len(crew) if crew else 0.0)
            totals.setdefault(arrays.cars[k], []).append(100.0 * (lap / reference - 1.0))
    return {car: sum(values) / len(values) for car, values in totals.items()}
