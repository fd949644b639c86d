"""Time `compute_standings` on a Monte Carlo sized batch: 500 seasons x 8 races x 40 cars.

3 classes (LMP2 12 cars, LMP3 10, GT 18 split into Pro-Am and Gold Cup), teams and drivers titles.
Prints JSON: rows, titles, median / min seconds over the repeats. Run: .venv/bin/python benchmarks/bench_standings.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import numpy as np
import pandas as pd

from sim.config.loader import CONFIGS, parse_model, read_yaml
from sim.config.series import SeriesRulebook
from sim.rules import compute_standings

SEASONS, RACES, REPEATS = 500, 8, 5
CLASSES = {"LMP2": 12, "LMP3": 10, "GT": 18}


def rulebook_with_gt_cups() -> SeriesRulebook:
    data = read_yaml(CONFIGS / "series" / "asian-lms.yaml")
    data["classes"]["GT"]["categories"] = {"Pro-Am": {}, "Gold Cup": {}}
    data["titles"] += [{"class": "GT", "category": "Pro-Am"}, {"class": "GT", "category": "Gold Cup"}]
    return parse_model(SeriesRulebook, data, "bench")


def batch(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cars = [(cls, f"{cls}-{i}", "Pro-Am" if cls == "GT" and i % 2 else ("Gold Cup" if cls == "GT" else ""))
            for cls, count in CLASSES.items() for i in range(count)]
    n_cars = len(cars)
    season = np.repeat(np.arange(SEASONS), RACES * n_cars)
    race = np.tile(np.repeat(np.arange(RACES), n_cars), SEASONS)
    car_index = np.tile(np.arange(n_cars), SEASONS * RACES)
    car_class = np.array([c[0] for c in cars])[car_index]
    frame = pd.DataFrame({
        "season": season, "race": pd.Series(race + 1).map(lambda r: f"R{r}").to_numpy(),
        "round": (race // 2) + 1, "car": np.array([c[1] for c in cars])[car_index],
        "team": np.array([f"Team {c[1]}" for c in cars])[car_index], "class": car_class,
        "category": np.array([c[2] for c in cars])[car_index],
        "drivers": np.array([f"{c[1]} A;{c[1]} B;{c[1]} C" for c in cars])[car_index],
        "ratings": "", "entry": "season",
    })
    # Class positions: a random order of each class's cars in each race.
    frame["key"] = rng.random(len(frame))
    frame["class_position"] = frame.groupby(["season", "race", "class"])["key"].rank(method="first").astype("int64")
    frame["status"] = np.where(rng.random(len(frame)) < 0.1, "dnf", "classified")
    frame["laps"] = 120 - frame["class_position"]
    frame["time_s"] = 14400.0
    frame["pole"] = (frame.groupby(["season", "race", "class"])["key"].rank(method="first", ascending=False) == 1).astype("int64")
    frame["hours"] = 4.0
    return frame.drop(columns="key")


def main() -> None:
    rulebook = rulebook_with_gt_cups()
    results = batch()
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        standings = compute_standings(results, rulebook)
        timings.append(time.perf_counter() - start)
    json.dump({"benchmark": "compute_standings", "seasons": SEASONS, "races": RACES, "cars": sum(CLASSES.values()),
               "result_rows": len(results), "standings_rows": len(standings),
               "titles": int(standings["title"].nunique()), "repeats": REPEATS,
               "median_s": round(statistics.median(timings), 4), "min_s": round(min(timings), 4)},
              sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
