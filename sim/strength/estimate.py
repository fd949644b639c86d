"""Each car's season-long strength from results: a Gaussian hierarchical pace model, robust to outliers.

Why this estimator: the race model's season effect is a Gaussian shift of a car's lap time (% of its
class reference), so its posterior from results should live on the same scale and come with an honest
sd that the season draw can use (`sim.strength.season`). Finishing order alone (a rank model such as
Plackett-Luce) throws away the gaps that results tables carry (`laps`, `time_s`, fastest laps), and
a retirement, which is reliability and not pace, would count as a slow car. So, per class:

    y[i] = intercept[race, kind] + loading[kind] x theta[car] + e[i],   theta[car] ~ N(prior, tau^2)

y: a car's average lap (`pace`) or fastest lap (`fastest_lap`), % over the race's class median
(`sim.strength.observations`, which leaves out retired cars and cars far behind); tau: the class's
season spread (the prior the simulator draws from); loading and noise per kind: measured on real results
(configs/strength.yaml). The noise is Student-t (a spin or a slow stop in one race should not move a car
far): fitted by iteratively reweighted least squares, each step the exact Gaussian posterior (a dense
solve of ~2 x races + cars unknowns), the last step's mean and covariance reported. Observations of
earlier seasons count with a weight (their noise variance divided by it). Shrinkage to the prior is
automatic: a car seen once moves a little, a car seen in every race moves most of the way.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from sim.config.race_model import RaceModel
from sim.config.strength import StrengthModel

ITERATIONS = 30
INTERCEPT_SD = 100.0   # % : a flat prior in effect for the per-race intercepts
COLUMNS = ["class", "car", "team", "mean_pct", "sd_pct", "prior_sd_pct", "races", "observations"]


@dataclasses.dataclass(frozen=True)
class ClassPrior:
    """The prior of one class: season spread tau and, per car, the prior's own expected offset (%)."""

    sd_pct: float
    offsets_pct: Mapping[str, float] = dataclasses.field(default_factory=dict)


def _solve_class(obs: pd.DataFrame, prior: ClassPrior, params, nu: float) -> pd.DataFrame:
    cars = sorted(obs["car"].unique())
    car_index = {car: i for i, car in enumerate(cars)}
    groups = obs["group"].astype(str)
    group_names = sorted(groups.unique())
    group_index = {g: i for i, g in enumerate(group_names)}
    g = groups.map(group_index).to_numpy()
    c = obs["car"].map(car_index).to_numpy()
    kinds = obs["kind"].to_numpy()
    loading = np.array([getattr(params, k).loading for k in kinds])
    noise = np.array([getattr(params, k).noise_pct for k in kinds])
    offset = obs["car"].map(lambda car: prior.offsets_pct.get(car, 0.0)).to_numpy(dtype=float)
    y = obs["y"].to_numpy(dtype=float) - loading * offset     # what the prior does not already explain
    base_var = noise ** 2 / obs["weight"].to_numpy(dtype=float)
    n_groups, n = len(group_names), len(group_names) + len(cars)
    design = np.zeros((len(obs), n))
    design[np.arange(len(obs)), g] = 1.0
    design[np.arange(len(obs)), n_groups + c] = loading
    prior_precision = np.r_[np.full(n_groups, INTERCEPT_SD ** -2), np.full(len(cars), prior.sd_pct ** -2)]
    robust = np.ones(len(obs))
    for _ in range(ITERATIONS):
        precision = robust / base_var
        q = design.T @ (design * precision[:, None]) + np.diag(prior_precision)
        mean = np.linalg.solve(q, design.T @ (precision * y))
        residual = y - design @ mean
        updated = (nu + 1.0) / (nu + residual ** 2 / base_var)
        if np.max(np.abs(updated - robust)) < 1e-9:
            robust = updated
            break
        robust = updated
    precision = robust / base_var
    q = design.T @ (design * precision[:, None]) + np.diag(prior_precision)
    covariance = np.linalg.inv(q)
    mean = covariance @ (design.T @ (precision * y))
    theta, sd = mean[n_groups:], np.sqrt(np.diag(covariance)[n_groups:])
    races = obs.groupby("car")["race_key"].nunique()
    counts = obs.groupby("car").size()
    return pd.DataFrame({"car": cars, "mean_pct": theta, "sd_pct": sd,
                         "races": [int(races[car]) for car in cars], "observations": [int(counts[car]) for car in cars]})


def estimate_strength(observations: pd.DataFrame, model: StrengthModel, priors: Mapping[str, ClassPrior],
                      cars: pd.DataFrame | None = None, series: str = "") -> pd.DataFrame:
    """Posterior mean and sd of every car's season effect (% of its class reference, + slower), per class.

    `observations`: `sim.strength.observations.pace_observations` rows with a `weight` (1 for this season)
    and a `source` (one label per results table: races of different tables have their own intercepts).
    `priors`: class -> ClassPrior; `series`: the rulebook name (its own observation parameters first). `cars`: (class, car, team) to report even without any observation (at
    the prior). Returns COLUMNS, one row per car, classes in name order, cars in number order.
    """
    frames = []
    obs = observations.copy()
    if "weight" not in obs.columns:
        obs["weight"] = 1.0
    if "source" not in obs.columns:
        obs["source"] = ""
    obs["race_key"] = obs["source"].astype(str) + "/" + obs["race"].astype(str)
    obs["group"] = obs["race_key"] + "/" + obs["kind"].astype(str)
    teams = {}
    if cars is not None:
        teams = {(str(r["class"]), str(r["car"])): str(r["team"]) for r in cars.to_dict("records")}
    for row in obs.to_dict("records"):
        teams.setdefault((str(row["class"]), str(row["car"])), str(row["team"]))
    classes = sorted({cls for cls, _ in teams})
    for cls in classes:
        prior = priors[cls]
        members = sorted(car for c, car in teams if c == cls)
        part = obs[obs["class"] == cls]
        if len(part):
            solved = _solve_class(part, prior, model.for_class(cls, series), model.degrees_of_freedom)
        else:
            solved = pd.DataFrame(columns=["car", "mean_pct", "sd_pct", "races", "observations"])
        solved = solved.set_index("car").reindex(members)
        solved["mean_pct"] = solved["mean_pct"].fillna(0.0)
        solved["sd_pct"] = solved["sd_pct"].fillna(prior.sd_pct)
        solved[["races", "observations"]] = solved[["races", "observations"]].fillna(0).astype(int)
        solved = solved.reset_index()
        solved.insert(0, "class", cls)
        solved.insert(2, "team", [teams[(cls, car)] for car in solved["car"]])
        solved["prior_sd_pct"] = prior.sd_pct
        frames.append(solved[COLUMNS])
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)


def class_prior_sd(class_name: str, model: StrengthModel, race_model: RaceModel | None = None, series: str = "") -> float:
    """The prior season spread of a class without a scenario: the series' own value in configs/strength.yaml
    (IMSA's LMP2 is not the Asian LMS's), else the race model's `season_spread_pct`, else strength.yaml."""
    own = model.series.get(series)
    if own is not None and class_name in own.classes and own.classes[class_name].prior_sd_pct is not None:
        return float(own.classes[class_name].prior_sd_pct)
    if race_model is not None and class_name in race_model.classes:
        return float(race_model.classes[class_name].season_spread_pct)
    generic = model.classes.get(class_name)
    if generic is not None and generic.prior_sd_pct is not None:
        return float(generic.prior_sd_pct)
    return float(model.default_prior_sd_pct)


def typical_lap_s(results: pd.DataFrame) -> dict[str, float]:
    """Per class, a typical green lap to express % in seconds: the median over races of the class's median
    fastest lap when the table has fastest laps, else of its median average lap (time_s / laps: slower,
    it holds the stops and neutralisations)."""
    table = results[~results["status"].isin(("dnf", "dsq", "dns"))]
    laps = pd.to_numeric(table["laps"], errors="coerce")
    lap = pd.Series(np.nan, index=table.index)
    if "fastest_lap_s" in table.columns:
        lap = pd.to_numeric(table["fastest_lap_s"], errors="coerce")
    if lap.isna().all() and "time_s" in table.columns:
        lap = (pd.to_numeric(table["time_s"], errors="coerce") / laps).where(laps > 0)
    per_race = lap.groupby([table["class"], table["race"]]).median()
    return {cls: float(v) for cls, v in per_race.groupby(level=0).median().items() if not math.isnan(v)}
