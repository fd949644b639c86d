"""Pace observations from a results table (interfaces s.1), the input of the strength estimator.

Per race and class, two kinds, each in % of that race's class median (100 x log ratio, + slower):
- `pace`: a car's average lap, `time_s / laps`, for cars that were running at the flag (not `dnf`,
  `dsq` or `dns`) within `min_lap_share` of the class winner's laps. A car further behind lost its
  time in the garage or an incident: that is reliability, not pace, and gives no observation (nor does
  a retirement). A race without `time_s` falls back to the laps and the finishing order: every car ran
  the race's length (`hours` x 3600), the cars on one lap spread over it by class position.
- `fastest_lap`: the car's fastest lap (`fastest_lap_s`, when the table has it) for cars that ran at
  least `fastest_lap_min_share` of the class winner's laps.
The race's class median is the reference, so a race's conditions (neutralisations, weather, track)
cancel out; the estimator adds one intercept per race, class and kind anyway.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KINDS = ("pace", "fastest_lap")
NOT_RUNNING = ("dnf", "dsq", "dns")
COLUMNS = ["race", "class", "car", "team", "kind", "y"]


def _relative(values: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """100 x log(value / median of its group)."""
    logged = np.log(values.astype(float))
    return 100.0 * (logged - logged.groupby(groups).transform("median"))


def _within_lap(cars: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Without elapsed times, the finishing order inside a lap: the cars on the same lap spread evenly over
    it by class position (the first of m cars (m - 0.5) / m of a lap ahead of the last's 0.5 / m)."""
    group = [cars[k] for k in keys] + [cars["laps"]]
    rank = cars["class_position"].groupby(group).rank(method="first")
    size = cars["class_position"].groupby(group).transform("size")
    return 1.0 - (rank - 0.5) / size


def pace_observations(results: pd.DataFrame, min_lap_share: float = 0.97,
                      fastest_lap_min_share: float = 0.5) -> pd.DataFrame:
    """Long table `race, class, car, team, kind, y` (plus `season` when the table has one)."""
    keys = ["season", "race", "class"] if "season" in results.columns else ["race", "class"]
    table = results[results["status"] != "dns"].copy()
    laps = pd.to_numeric(table["laps"], errors="coerce").fillna(0.0)
    winner = laps.groupby([table[k] for k in keys]).transform("max")
    frames = []
    running = ~table["status"].isin(NOT_RUNNING) & (laps > 0) & (laps >= min_lap_share * winner)
    if running.any():
        cars = table[running]
        time_s = pd.to_numeric(cars["time_s"], errors="coerce") if "time_s" in cars else pd.Series(np.nan, cars.index)
        missing = time_s.isna()
        if missing.any():
            hours = pd.to_numeric(cars.get("hours", pd.Series(np.nan, cars.index)), errors="coerce")
            # no elapsed times: every car ran the race's length; its laps alone give its average lap
            fallback = time_s.groupby([cars[k] for k in keys]).transform("max").fillna(hours * 3600.0)
            time_s = time_s.fillna(fallback)
        distance = laps[running].astype(float)
        if missing.any():
            distance = distance.where(~missing, distance + _within_lap(cars, keys))
        average = time_s / distance
        ok = average.notna() & (average > 0)
        frames.append(cars[ok].assign(kind="pace", y=_relative(average[ok], [cars.loc[ok, k] for k in keys])))
    if "fastest_lap_s" in table.columns:
        fastest = pd.to_numeric(table["fastest_lap_s"], errors="coerce")
        ok = fastest.notna() & (fastest > 0) & (laps >= fastest_lap_min_share * winner)
        if ok.any():
            cars = table[ok]
            frames.append(cars.assign(kind="fastest_lap", y=_relative(fastest[ok], [cars[k] for k in keys])))
    columns = (["season"] if "season" in results.columns else []) + COLUMNS
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    return out[columns]


def variance_components(observations: pd.DataFrame, group: str = "car") -> dict[str, float]:
    """One-way random-effects split of `y` (per race-relative observations of one class and kind) into the
    part that stays with a `group` (car) from race to race and the part that does not, by the method of
    moments for unbalanced groups (cars seen once are left out). Returns sd_between, sd_within, groups, n."""
    frame = observations[observations.groupby(group)["y"].transform("size") >= 2]
    n = frame.groupby(group).size()
    if len(n) < 2:
        return {"sd_between": float("nan"), "sd_within": float("nan"), "groups": len(n), "n": int(n.sum())}
    means = frame.groupby(group)["y"].mean()
    within = float(((frame["y"] - frame[group].map(means)) ** 2).sum() / (n - 1).sum())
    total = int(n.sum())
    between_mean_square = float((n * (means - frame["y"].mean()) ** 2).sum() / (len(n) - 1))
    n0 = (total - float((n ** 2).sum()) / total) / (len(n) - 1)
    between = max(0.0, (between_mean_square - within) / n0)
    return {"sd_between": between ** 0.5, "sd_within": within ** 0.5, "groups": len(n), "n": total}
