"""The WEC 6 h, 8 h and Le Mans 24 h under their drive-time rules (configs/sporting/wec.yaml), run with the
ALMS 2023 fixture field (three-driver LMP2 and GT Pro-Am crews): the plan keeps every car that loses no
time in the garage within the rules, and no driver of any car drives more than 4 h in any 6 h of Le Mans."""

from __future__ import annotations

import dataclasses

import pytest

from sim.config.sporting import load_sporting
from sim.race import run_race
from sim.race.drive_rules import most_in_window
from sim.race.outcome import DNF
from sim.seeds import race_rng

from .conftest import compiled_alms_2023


def _lost_time(outcome) -> set[int]:
    return {car for _, car, event, detail in outcome.log
            if event == "failure" or (event == "incident" and "damage" in str(detail))}


@pytest.mark.parametrize("hours", [6.0, 8.0, 24.0])
def test_wec_races_keep_their_drive_time_rules(hours):
    base = compiled_alms_2023().races[0]
    # no darkness: the base race's darkness belongs to its own 4-hour timing
    race = dataclasses.replace(base, hours=hours, sporting=load_sporting("wec"), darkness=())
    f = race.field
    assert any(m < float("inf") for maxs in f.max_drive_s for m in maxs)   # the rules bind this length
    checked = 0
    for seed in range(4):
        outcome = run_race(race, race_rng(seed, 0, 0))
        red = any(kind == "RED" for kind, _, _ in outcome.neutralisations)
        lost = _lost_time(outcome)
        for c in range(f.n):
            if outcome.status[c] == DNF:
                continue
            if hours == 24.0:
                assert all(most_in_window(outcome.drive_spans[c], i, 6 * 3600) <= 4 * 3600 + 1e-6
                           or outcome.drive_time_breaches[c] for i in range(len(f.drivers[c])))
            if c in lost or red:
                continue
            checked += 1
            assert not outcome.drive_time_breaches[c], (hours, f.cars[c], f.ratings[c], outcome.drive_time_s[c])
    assert checked > 50
