"""Python API for one race: `simulate_race(scenario, race="R3", seed=N)` -> (results, log) DataFrames."""

from __future__ import annotations

import numpy as np

from sim.errors import InputError
from sim.race.model import run_race
from sim.race.log import log_to_frame
from sim.race.outcome import outcomes_to_results


def simulate_race(scenario, race: str = "R1", seed: int | None = None,
                  rng: np.random.Generator | None = None, season: int = 0, log: bool = True):
    """Simulate one race of a scenario (path, name, Scenario or CompiledScenario).

    With `seed`: the race exactly as season `season` of that seed runs it in `sim season` / the Monte
    Carlo (its participation and season-strength draws, `sim.seeds.race_rng(seed, season, race_index)`,
    forced outcomes), so the rows equal that season's. With an explicit `rng`: the race model alone on the
    race's full entry list, every car at its prior pace (no season-long effect). Returns (results table, event log) as DataFrames (the log empty with `log=False`).
    """
    from sim.scenario import CompiledScenario
    from sim.season import load_compiled, season_race

    compiled = scenario if isinstance(scenario, CompiledScenario) else load_compiled(scenario)
    compiled_race = compiled.race(race)
    if rng is not None:
        outcome = run_race(compiled_race, rng, log=log)
        results = outcomes_to_results(compiled_race, outcome)
        return results, log_to_frame(compiled_race, outcome)
    if seed is None:
        raise InputError(None, "seed", "give a seed or a numpy Generator")
    if season < 0:
        raise InputError(None, "season", f"must be a whole number >= 0, got {season}")
    plan = compiled.plan
    if plan is not None and compiled_race.race_id in plan.fixed_races:
        raise InputError(compiled.source, "--race", f"{race} is already run in this scenario (results_so_far): "
                                                    "its real results are kept, not simulated")
    presence = plan.draw_presence(seed, season) if plan is not None else None
    strength = plan.draw_strength(seed, season) if plan is not None else None
    ran = season_race(compiled, seed, season, compiled_race, presence, with_log=log, strength=strength)
    if ran is None:
        raise InputError(compiled.source, "--race", f"no car enters {race} in season {season} of seed {seed}")
    run, outcome = ran
    results = outcomes_to_results(run, outcome)
    if plan is not None and plan.multi_championship:
        results["championship"] = results["race"].map(plan.race_championship)
    return results, log_to_frame(run, outcome)
