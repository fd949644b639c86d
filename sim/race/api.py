"""Python API for one race: `simulate_race(scenario, race="R3", seed=N)` -> (results, log) DataFrames."""

from __future__ import annotations

import numpy as np

from sim.errors import InputError
from sim.race.model import run_race
from sim.race.log import log_to_frame
from sim.race.outcome import outcomes_to_results
from sim.seeds import race_rng


def simulate_race(scenario, race: str = "R1", seed: int | None = None,
                  rng: np.random.Generator | None = None, season: int = 0):
    """Simulate one race of a scenario (path, name, Scenario or CompiledScenario).

    Give `seed` (the race then uses `sim.seeds.race_rng(seed, season, race_index)`, as `sim season`
    does) or an explicit `rng`. Returns (results table, event log) as DataFrames.
    """
    from sim.scenario import CompiledScenario, compile_scenario

    compiled = scenario if isinstance(scenario, CompiledScenario) else compile_scenario(scenario)
    compiled_race = compiled.race(race)
    if rng is None:
        if seed is None:
            raise InputError(None, "seed", "give a seed or a numpy Generator")
        rng = race_rng(seed, season, compiled_race.index)
    outcome = run_race(compiled_race, rng)
    return outcomes_to_results(compiled_race, outcome), log_to_frame(compiled_race, outcome)
