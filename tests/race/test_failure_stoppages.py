"""Failures in races longer than the reference: real cautions per hour do not fall with the race's length
(IMSA 2023-24: ~1.0 /h at 2h40, 0.82-0.99 at 6 h, 0.50-1.20 at 10-12 h; data/real/imsa/long_races), real
retirements per hour do (race model `failure_length`). So a long race keeps the reference race's failures
that stop a car on track, and only the length-scaled share of them ends the car's race."""

from __future__ import annotations

import dataclasses

from sim.race import run_race
from sim.seeds import race_rng

from .conftest import compiled_alms_2023

SEEDS = range(40)   # ~2 s for both lengths


def _per_hour(hours: float) -> tuple[float, float]:
    """(cautions for a car stopped on track per race-hour, retirements by failure per car-hour) of the
    ALMS 2023 fixture field run `hours` long."""
    race = dataclasses.replace(compiled_alms_2023().races[0], hours=hours)
    stopped = retired = 0
    for seed in SEEDS:
        log = run_race(race, race_rng(seed, 0, 0)).log
        stopped += sum(1 for _, _, event, detail in log
                       if event == "neutralisation_start" and "stopped on track" in str(detail))
        retired += sum(1 for _, _, event, detail in log if event == "retirement" and "mechanical" in str(detail))
    return stopped / (len(SEEDS) * hours), retired / (len(SEEDS) * hours * race.field.n)


def test_long_race_keeps_the_cautions_of_stopped_cars_not_the_retirements():
    """12 h against 4 h (the reference): cautions for stopped cars per hour 0.78 of the 4-hour rate (fewer
    cars left running late in the race); 0.34 when the length scaling removed them with the retirements.
    Retirements by failure per car-hour stay near the scaling's x0.53."""
    cautions_4, retired_4 = _per_hour(4.0)
    cautions_12, retired_12 = _per_hour(12.0)
    assert cautions_4 > 0.2 and retired_4 > 0.01
    assert cautions_12 >= 0.6 * cautions_4, (cautions_12, cautions_4)
    assert 0.3 * retired_4 <= retired_12 <= 0.8 * retired_4, (retired_12, retired_4)
