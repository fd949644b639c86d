"""How much a season is not a lottery: persistence of class positions from race to race.

For every pair of races of a season, Spearman's rho between the class positions of the cars that
started both (all starters, not-classified and retired cars at the back as the class position orders
them), averaged over the pairs (../shared/domain.md, "A season is not a lottery"). 0: every race a fresh
lottery; 1: the same order every time.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from scipy import stats

STARTED = "status != 'dns'"


def pair_rho(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho of two position vectors of the same cars (NaN below 3 cars or without spread).

    Class positions are distinct within a race, so the ranks of the common cars are their order and
    rho = 1 - 6 sum d^2 / (n (n^2 - 1)) (equal to scipy.stats.spearmanr, ~50x faster on 20 cars; the
    sporting metrics compute it for every race pair of every simulated season). Ties: scipy."""
    n = len(a)
    if n < 3:
        return math.nan
    if len(np.unique(a)) < n or len(np.unique(b)) < n:
        return float(stats.spearmanr(a, b).statistic)
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    d = (ra - rb).astype(float)
    return 1.0 - 6.0 * float(d @ d) / (n * (n * n - 1))


def class_persistence(positions: np.ndarray) -> tuple[float, int]:
    """(mean rho over race pairs, pairs counted) of a (races x cars) matrix of class positions, NaN = absent."""
    rhos = []
    for i, j in itertools.combinations(range(positions.shape[0]), 2):
        both = ~np.isnan(positions[i]) & ~np.isnan(positions[j])
        rho = pair_rho(positions[i, both], positions[j, both])
        if not math.isnan(rho):
            rhos.append(rho)
    return (float(np.mean(rhos)) if rhos else math.nan), len(rhos)


def persistence(results: pd.DataFrame) -> pd.DataFrame:
    """Per season (when the table has a `season` column) and class: `persistence`, `pairs`, `races`, `cars`.

    The results table of interfaces s.1 (one row per car per race); cars that did not start (`dns`) are
    left out; a car is its number within its class. One pass over the table (the sporting metrics call it
    for every chunk of simulated seasons)."""
    table = results.query(STARTED) if "status" in results.columns else results
    keys = ["season", "class"] if "season" in table.columns else ["class"]
    columns = keys + ["persistence", "pairs", "races", "cars"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    group, uniques = pd.factorize(pd.MultiIndex.from_frame(table[keys]), sort=True)
    race = pd.factorize(table["race"])[0]
    car = pd.factorize(table["car"].astype(str))[0]
    position = table["class_position"].to_numpy(dtype=float)
    order = np.argsort(group, kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    rows = []
    for key, members in zip(uniques, np.split(order, bounds)):
        race_rows, race_index = np.unique(race[members], return_inverse=True)
        car_cols, car_index = np.unique(car[members], return_inverse=True)
        matrix = np.full((len(race_rows), len(car_cols)), np.nan)
        matrix[race_index, car_index] = position[members]
        value, pairs = class_persistence(matrix)
        key = key if isinstance(key, tuple) else (key,)
        rows.append(dict(zip(keys, key)) | {"persistence": value, "pairs": pairs, "races": len(race_rows),
                                           "cars": len(car_cols)})
    return pd.DataFrame(rows, columns=columns)


def mean_persistence(results: pd.DataFrame) -> pd.DataFrame:
    """Per class over many simulated seasons: mean persistence, its sd over seasons, se and seasons."""
    per_season = persistence(results).dropna(subset=["persistence"])
    out = per_season.groupby("class")["persistence"].agg(["mean", "std", "size"])
    out["se"] = out["std"] / np.sqrt(out["size"])
    return out.rename(columns={"mean": "persistence", "std": "sd", "size": "seasons"}).reset_index()
