"""The two races of a double-header share their participation variants' fields (built once, not twice);
the seasons must be exactly those run with every variant derived on its own."""

from __future__ import annotations

import numpy as np
import pytest
from pandas.testing import assert_frame_equal

from sim.season import load_compiled, simulate_results
from sim.season_plan import SeasonPlan


@pytest.fixture(scope="module")
def compiled():
    return load_compiled("default")


def test_second_race_of_a_round_takes_the_first_races_variant_field(compiled):
    plan = compiled.plan
    first, second = compiled.races[0], compiled.races[1]
    assert first.round == second.round
    presence = np.ones_like(plan.participation_p, dtype=bool)
    presence[plan.participation_cars.index(first.entries[4].car), first.round - 1] = False
    a, b = plan.race_variant(first, presence), plan.race_variant(second, presence)
    assert a.field is b.field and len(a.entries) == len(first.entries) - 1
    assert (b.race_id, b.index, b.qualifying_rank) == (second.race_id, second.index, second.qualifying_rank)
    other_round = compiled.races[2]
    assert plan.race_variant(other_round, presence) is other_round   # the absent car's other rounds: full field


def test_shared_variants_give_the_same_seasons_as_separate_ones(compiled, monkeypatch):
    shared, _ = simulate_results(load_compiled("default"), 9, range(3))
    monkeypatch.setattr(SeasonPlan, "_twin", lambda self, race: None)
    separate, _ = simulate_results(load_compiled("default"), 9, range(3))
    assert_frame_equal(shared, separate, check_exact=True)
