"""A field derived for a race without some cars equals the field built from scratch for it.

The participation model removes a few cars from most races of most seasons; deriving the field by
selection (`subset_field`) must give the same numbers as a rebuild, traffic effects included.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from sim.race import run_race
from sim.race.field import RaceField, build_field, subset_field
from sim.scenario import compile_scenario, resolve_scenario
from sim.seeds import race_rng


def same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return a.shape == np.shape(b) and np.allclose(a, b, rtol=1e-12, atol=0)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return math.isclose(a, b, rel_tol=1e-12) or (math.isinf(a) and a == b)
    return a == b


@pytest.fixture(scope="module")
def compiled():
    return compile_scenario(resolve_scenario("default"))


@pytest.mark.parametrize("absent", [(3,), (3, 12, 15, 30, 41), tuple(range(10, 17))])
def test_subset_field_equals_a_rebuilt_field(compiled, absent):
    race = compiled.races[2]
    variant = race.without(absent)
    keep = [i for i in range(len(race.entries)) if i not in absent]
    rebuilt = build_field(dataclasses.replace(variant))
    derived = subset_field(race.field, keep, variant)
    for item in dataclasses.fields(RaceField):
        assert same(getattr(derived, item.name), getattr(rebuilt, item.name)), item.name
    # the per-car constants the derived field selects instead of rebuilding
    for name in ("pit_constants", "stint_constants"):
        assert same(getattr(derived, name), getattr(rebuilt, name)), name


def test_a_race_without_cars_runs_as_if_built_from_scratch(compiled):
    race = compiled.races[0]
    absent = (0, 5, 20)
    derived = race.without(absent)
    rebuilt = race.with_entries(derived.entries)
    a = run_race(derived, race_rng(3, 0, 0))
    b = run_race(rebuilt, race_rng(3, 0, 0))
    assert np.array_equal(a.laps, b.laps) and np.allclose(a.time_s, b.time_s)


def test_classes_on_the_same_reference_lap_keep_the_entry_order_in_every_process():
    """IMSA's GTD and GTD Pro share a reference lap at some venues: their order (grid, class index) must
    not depend on the process's string hashing (a Monte Carlo worker hashes differently)."""
    import subprocess
    import sys

    code = ("from sim.scenario import compile_scenario; c = compile_scenario('imsa-2023'); "
            "print([r.field.class_order for r in c.races])")
    orders = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout for seed in ("0", "1", "5")}
    assert len(orders) == 1
