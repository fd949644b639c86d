"""The 'points so far, equal cars' forecast: the real results so far, then every remaining race a fair
lottery among its starters (each class's order a uniform random permutation, every car classified, the
class pole a uniform draw), scored by the scenario's own rules. What a forecast knows from the table
alone, without knowing who is fast; `sim backtest` compares the model with it and with a uniform forecast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario import CompiledScenario
from sim.seeds import season_rng

EQUAL_CARS_STREAM = 2   # season_rng stream of this baseline's draws (0 participation, 1 strength)


def equal_cars_results(compiled: CompiledScenario, seed: int, seasons: range) -> pd.DataFrame:
    """Results of these seasons: the scenario's results so far + lottery races for the rest."""
    plan = compiled.plan
    races = [race for race in compiled.races if plan is None or race.race_id not in plan.fixed_races]
    frames = []
    for season in seasons:
        rng = season_rng(seed, season, EQUAL_CARS_STREAM)
        for race in races:
            entries = race.entries
            classes = np.array([entry.class_name for entry in entries])
            keys = rng.random(len(entries))
            pole_keys = rng.random(len(entries))
            position = np.zeros(len(entries), dtype=np.int64)
            pole = np.zeros(len(entries), dtype=np.int64)
            for name in np.unique(classes):
                members = np.flatnonzero(classes == name)
                position[members[np.argsort(keys[members])]] = np.arange(1, len(members) + 1)
                pole[members[np.argmin(pole_keys[members])]] = 1
            frames.append(pd.DataFrame({
                "season": season, "race": race.race_id, "round": race.round, "car": [e.car for e in entries],
                "team": [e.team for e in entries], "class": classes, "category": [e.category for e in entries],
                "drivers": [";".join(e.drivers) for e in entries], "ratings": [";".join(e.ratings) for e in entries],
                "entry": [e.entry for e in entries], "class_position": position, "status": "classified",
                "laps": 100, "time_s": race.hours * 3600.0 + position, "pole": pole, "hours": race.hours}))
    simulated = pd.concat(frames, ignore_index=True) if frames else None
    fixed = plan.fixed_rows(seasons) if plan is not None else None
    parts = [frame for frame in (fixed, simulated) if frame is not None]
    return pd.concat(parts, ignore_index=True)
