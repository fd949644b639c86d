"""What the model believes about every car of a results table: `sim strength RESULTS --series S`.

Standalone (no scenario): every car starts from the same prior (mean 0, the class's season spread), so
a car's estimate is its pace against the class's typical car, in % of the lap and in seconds per lap at
the class's typical average lap in these results.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.race_model import RaceModel, load_race_model
from sim.config.series import SeriesRulebook
from sim.config.strength import StrengthModel, load_strength_model
from sim.strength.estimate import ClassPrior, class_prior_sd, estimate_strength, typical_lap_s
from sim.strength.observations import pace_observations

OUTPUT_COLUMNS = ["class", "car", "team", "pace_pct", "pace_s", "sd_pct", "sd_s", "races", "observations",
                  "prior_sd_pct", "typical_lap_s"]


def strength_from_results(results: pd.DataFrame, rulebook: SeriesRulebook, model: StrengthModel | None = None,
                          race_model: RaceModel | None = None) -> pd.DataFrame:
    """One row per car of the table (OUTPUT_COLUMNS), by class, fastest first."""
    model = model or load_strength_model()
    race_model = race_model if race_model is not None else load_race_model()
    observations = pace_observations(results, model.min_lap_share, model.fastest_lap_min_share)
    classes = sorted(results["class"].unique())
    priors = {name: ClassPrior(class_prior_sd(name, model, race_model, rulebook.name)) for name in classes}
    cars = results.drop_duplicates(["class", "car"], keep="last")[["class", "car", "team"]]
    estimate = estimate_strength(observations, model, priors, cars=cars, series=rulebook.name)
    laps = typical_lap_s(results)
    lap = estimate["class"].map(laps).astype(float)
    out = pd.DataFrame({
        "class": estimate["class"], "car": estimate["car"], "team": estimate["team"],
        "pace_pct": estimate["mean_pct"], "pace_s": estimate["mean_pct"] / 100 * lap,
        "sd_pct": estimate["sd_pct"], "sd_s": estimate["sd_pct"] / 100 * lap, "races": estimate["races"],
        "observations": estimate["observations"], "prior_sd_pct": estimate["prior_sd_pct"], "typical_lap_s": lap})
    return out.sort_values(["class", "pace_pct", "car"], kind="stable").reset_index(drop=True)[OUTPUT_COLUMNS]


def load_optional_strength_model(path: str | Path | None) -> StrengthModel:
    return load_strength_model(path) if path else load_strength_model()


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as written to CSV: 3 decimals for % and s."""
    out = frame.copy()
    for column in ("pace_pct", "pace_s", "sd_pct", "sd_s", "prior_sd_pct", "typical_lap_s"):
        out[column] = np.round(out[column].astype(float), 3)
    return out
