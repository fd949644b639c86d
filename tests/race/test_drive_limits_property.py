"""Property: over random crews (FIA ratings, one to four drivers), race lengths (1-24 h) and drive-time
maxima (per race, in any window, continuous), no driver of a car running at the end drives beyond a
maximum unless the car is penalised for it. The limits are recomputed here from the stints the outcome
reports (`drive_spans`), independently of sim.race.drive_rules."""

from __future__ import annotations

import dataclasses
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config.race_model import RATINGS
from sim.config.sporting import EVERY_CLASS, DriveTimeRule, DriveWindow
from sim.race import run_race
from sim.race.outcome import DNF
from sim.seeds import race_rng

from .conftest import compiled_alms_2023

CARS = 6   # a small field: the property is per car


def _most_in_window(spans, driver: int, window_s: float, race_end: float) -> float:
    """The driver's most driving in any window: every window starting on a minute grid, at a stint's
    start or ending at a stint's end."""
    own = [(a, b) for d, a, b in spans if d == driver]
    starts = [60.0 * k for k in range(int(race_end // 60) + 1)]
    starts += [a for a, _ in own] + [b - window_s for _, b in own]
    best = 0.0
    for s in starts:
        e = s + window_s
        best = max(best, sum(max(0.0, min(b, e) - max(a, s)) for a, b in own))
    return best


def _longest_spell(spans, driver: int) -> float:
    """The driver's longest time in the car: his consecutive stints, the stops between them included."""
    longest, first = 0.0, None
    for d, a, b in spans:
        if d != driver:
            first = None
            continue
        first = a if first is None else first
        longest = max(longest, b - first)
    return longest


crews = st.lists(st.lists(st.sampled_from(RATINGS), min_size=1, max_size=4), min_size=CARS, max_size=CARS)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), hours=st.floats(1.0, 24.0), ratings=crews,
       max_share=st.floats(0.3, 1.0), window_h=st.floats(2.0, 6.0), window_share=st.floats(0.4, 0.9),
       continuous_min=st.floats(45.0, 240.0))
def test_no_driver_beyond_a_maximum_unless_penalised(seed, hours, ratings, max_share, window_h, window_share,
                                                    continuous_min):
    base = compiled_alms_2023().races[0]
    entries = []
    for entry, crew in zip(base.entries[::7][:CARS], ratings):
        names = tuple(f"{entry.car} driver {i + 1}" for i in range(len(crew)))
        entries.append(dataclasses.replace(entry, drivers=names, ratings=tuple(crew),
                                           driver_offsets_s=(0.0,) * len(crew)))
    rules = {EVERY_CLASS: [DriveTimeRule(
        max_minutes=max_share * hours * 60, window=DriveWindow(hours=window_h, max_minutes=window_share * window_h * 60),
        max_continuous_minutes=continuous_min)]}
    race = dataclasses.replace(base, hours=hours, sporting=base.sporting.model_copy(update={"drive_time": rules}))
    race = race.with_entries(entries)
    f = race.field
    outcome = run_race(race, race_rng(seed, 0, 0))
    checked = 0
    for c in range(f.n):
        if outcome.status[c] == DNF:
            continue   # retired: nothing left to penalise
        spans = outcome.drive_spans[c]
        if not any(kind == "RED" for kind, _, _ in outcome.neutralisations):   # (red-flag time is not driving)
            assert math.isclose(sum(b - a for _, a, b in spans), sum(outcome.drive_time_s[c]), abs_tol=1e-6)
        over = False
        for i in range(len(f.drivers[c])):
            over |= outcome.drive_time_s[c][i] > max_share * hours * 3600 + 1e-6
            over |= _most_in_window(spans, i, window_h * 3600, f.race_seconds * 1.1) > window_share * window_h * 3600 + 1e-6
            over |= _longest_spell(spans, i) > continuous_min * 60 + 1e-6
        checked += 1
        assert not over or outcome.drive_time_breaches[c], (f.cars[c], f.ratings[c], spans)
    assert checked or all(s == DNF for s in outcome.status)
