"""Time `award_invitations` on a Monte Carlo sized chunk of seasons; prints JSON (ms per season).

Run: .venv/bin/python benchmarks/bench_awards.py [--seasons 500] [--repeat 3]
A synthetic Asian-LMS-like season (4 races; LMP2 12, LMP3 6, GT 14 cars; one class-wide and one
Pro-Am standings per class) with the 2020-21 field-size rules, a race rule and a Green X rule.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from sim.config.awards import AwardsConfig
from sim.rules.awards import award_invitations

CLASSES = {"LMP2": 12, "LMP3": 6, "GT": 14}
RACES = ("R1", "R2", "R3", "R4")
RULES = {
    "rules": [
        {"id": "lmp2", "class": "LMP2", "field_size": [
            {"min_cars": 6, "max_cars": 11, "invitations": 1}, {"min_cars": 12, "max_cars": 17, "invitations": 2},
            {"min_cars": 18, "invitations": 3}]},
        {"id": "lmp3", "class": "LMP3"},
        {"id": "gt", "class": "GT", "field_size": [
            {"min_cars": 4, "max_cars": 7, "invitations": 1}, {"min_cars": 8, "invitations": 2}]},
        {"id": "gt-proam", "class": "GT", "category": "Pro-Am"},
        {"id": "final-lmp2", "kind": "race", "race": "last", "class": "LMP2", "invitations": 2},
        {"id": "greenx", "kind": "efficiency", "classes": ["LMP2", "LMP3"]},
    ],
    "policy": {"cascade": True},
}


def build(seasons: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random results and matching (random-order) standings for `seasons` seasons."""
    result_parts, standing_parts = [], []
    for klass, size in CLASSES.items():
        cars = np.array([f"{klass[:2]}{n}" for n in range(size)])
        teams = np.array([f"{klass} team {n % (size - 2)}" for n in range(size)])
        category = np.where(np.arange(size) % 2 == 0, "Pro-Am", "")
        for round_number, race in enumerate(RACES, start=1):
            order = rng.permuted(np.tile(np.arange(size), (seasons, 1)), axis=1)
            present = rng.random((seasons, size)) > 0.02
            season_index = np.repeat(np.arange(seasons), size)
            car_index = order.ravel()
            keep = present.ravel()
            result_parts.append(pd.DataFrame({
                "season": season_index[keep], "race": race, "round": round_number,
                "car": cars[car_index][keep], "team": teams[car_index][keep], "class": klass,
                "category": category[car_index][keep], "entry": "season",
                "class_position": np.tile(np.arange(1, size + 1), seasons)[keep], "status": "classified",
                "laps": 110, "time_s": 14400.0 + rng.random(keep.sum()) * 60,
                "fuel_used_l": 400 + rng.random(keep.sum()) * 40,
            }))
        for category_name in ("", "Pro-Am"):
            members = np.flatnonzero(category == category_name) if category_name else np.arange(size)
            order = rng.permuted(np.tile(members, (seasons, 1)), axis=1)
            standing_parts.append(pd.DataFrame({
                "season": np.repeat(np.arange(seasons), len(members)),
                "title": f"{klass} {category_name + ' ' if category_name else ''}teams", "class": klass,
                "category": category_name, "kind": "teams",
                "position": np.tile(np.arange(1, len(members) + 1), seasons),
                "car": cars[order.ravel()], "team": teams[order.ravel()], "drivers": "A;B",
                "points": np.tile(np.arange(len(members), 0, -1) * 10, seasons), "wins": 0,
            }))
    results = pd.concat(result_parts, ignore_index=True)
    standings = pd.concat(standing_parts, ignore_index=True).sort_values(["season", "title", "position"])
    return standings, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seasons", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    standings, results = build(args.seasons, np.random.default_rng(np.random.SeedSequence(2024)))
    config = AwardsConfig.model_validate(RULES)
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        awards = award_invitations(standings, results, config)
        timings.append(time.perf_counter() - start)
    single_standings = standings[standings["season"] == 0].drop(columns="season")
    single_results = results[results["season"] == 0].drop(columns="season")
    start = time.perf_counter()
    for _ in range(args.repeat):
        award_invitations(single_standings, single_results, config)
    single = (time.perf_counter() - start) / args.repeat
    print(json.dumps({
        "benchmark": "award_invitations",
        "seasons": args.seasons,
        "result_rows": len(results),
        "award_rows": len(awards),
        "rules": len(config.rules),
        "best_total_ms": round(min(timings) * 1000, 1),
        "ms_per_season": round(min(timings) * 1000 / args.seasons, 3),
        "single_season_call_ms": round(single * 1000, 1),
    }))


if __name__ == "__main__":
    main()
