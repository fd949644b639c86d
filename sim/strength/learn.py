"""A scenario's season-level strength: the prior, or the posterior learned from the results so far.

`scenario_strength(compiled, results_so_far, source)` is called once when a scenario is compiled
(sim.season_plan.build_plan). With `results_so_far` (and `strength.from_results_so_far`, on by default)
or `strength.from_results` files, each car of the scenario gets the posterior of its season effect
(`sim.strength.estimate`), whose mean and sd every simulated season then draws from; the prior's
expected pace differences (crew ratings, BoP, pace offsets: sim.strength.prior) are taken out of the
observations first, so the posterior is the effect beyond the prior, in the race model's units.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim.config.strength import load_strength_model
from sim.errors import InputError
from sim.results import read_results
from sim.strength.estimate import ClassPrior, estimate_strength
from sim.strength.observations import pace_observations
from sim.strength.prior import ScenarioInput, car_strength
from sim.strength.season import SeasonStrength, prior_strength


def _class_priors(compiled) -> tuple[dict[str, ClassPrior], pd.DataFrame]:
    """Per class: the race model's season spread and each car's expected offset; and the scenario's cars."""
    offsets = car_strength(compiled)
    spread, cars = {}, {}
    for race in compiled.races:
        for entry in race.entries:
            spread.setdefault(entry.class_name, race.model.classes[entry.class_name].season_spread_pct)
            cars.setdefault(entry.car, (entry.class_name, entry.team))
    priors = {}
    for name, sd in spread.items():
        members = {car: offsets[car] for car, (cls, _) in cars.items() if cls == name and car in offsets}
        priors[name] = ClassPrior(sd_pct=max(float(sd), 1e-6), offsets_pct=members)
    table = pd.DataFrame([{"class": cls, "car": car, "team": team} for car, (cls, team) in cars.items()])
    return priors, table


def scenario_strength(compiled: ScenarioInput, results_so_far: pd.DataFrame | None, source: str | Path | None,
                      resolve: Callable[[str], Path]) -> tuple[SeasonStrength, pd.DataFrame | None]:
    """The SeasonStrength every season draws from, and the estimate behind it (None: the prior alone).

    `resolve(file)`: a `strength.from_results` file name -> its path (beside the scenario, or the project root).
    """
    options = compiled.scenario.strength
    tables = []
    if results_so_far is not None and options.from_results_so_far:
        tables.append(("results_so_far", results_so_far, 1.0))
    for index, item in enumerate(options.from_results):
        path = resolve(item.file)
        if not Path(path).exists():
            raise InputError(source, f"strength.from_results[{index}].file", f"file not found: {item.file}")
        tables.append((f"from_results[{index}]", read_results(path), float(item.weight)))
    if not tables:
        return prior_strength(compiled.races), None
    model_path = resolve(options.model) if options.model else None
    if model_path is not None and not Path(model_path).exists():
        raise InputError(source, "strength.model", f"file not found: {options.model}")
    model = load_strength_model(model_path)
    priors, cars = _class_priors(compiled)
    known = set(zip(cars["class"], cars["car"]))
    frames = []
    for label, table, weight in tables:
        obs = pace_observations(table, model.min_lap_share, model.fastest_lap_min_share)
        obs = obs[[(cls, car) in known for cls, car in zip(obs["class"], obs["car"])]]
        frames.append(obs.assign(weight=weight, source=label))
    observations = pd.concat(frames, ignore_index=True)
    estimate = estimate_strength(observations, model, priors, cars=cars, series=compiled.rulebook.name)
    posterior = {car: (m, s) for car, m, s, n in zip(estimate["car"], estimate["mean_pct"], estimate["sd_pct"],
                                                      estimate["observations"]) if n > 0}
    return prior_strength(compiled.races, posterior), estimate
