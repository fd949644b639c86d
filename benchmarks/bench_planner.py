"""What the drive-time planner costs and what it buys: the same races with the real planner
(`sim.race.planner.plan_next`), with the planner restricted to the driver owing the most time (its feasibility
search and cushion kept, the cost comparison with the rest of the crew dropped; the model's planner
costs him first and he wins ~80 % of plans) and with a stand-in that costs nothing (the driver owing
the most time, a full tank), alternated. Prints per variant the median CPU ms per race (no event log,
as the Monte Carlo runs) and, over the same races, the share of cars that break a drive-time rule, the
classified share, the pit stops and laps per car, and the laps per car against the model's planner,
paired car by car over the same seeded races, with their standard error (a changed decision reshuffles
the rest of a race, so single cars differ by ~9 laps). The variants are yardsticks for a cheaper
planner, never the model.

Run: .venv/bin/python benchmarks/bench_planner.py [--races 300] [--repeats 5] [--scenario default]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from sim.race import planner as model
from sim.race import run_race
from sim.race.outcome import CLASSIFIED
from sim.scenario import compile_scenario
from sim.seeds import race_rng

ROOT = Path(__file__).resolve().parents[1]
PLANNER = model.plan_next
FIRST_ONLY = [[order[:1] for order in orders] for orders in model._CANDIDATE_ORDER]   # most-owing only


def most_owing_full_tank(consts, drive, remaining, current, needs, rule_needs):
    """The stand-in: whoever owes the most time drives a full tank (no feasibility, no cost)."""
    return model.StintPlan(max(range(len(needs)), key=needs.__getitem__), 0, 0.0)


def most_owing_checked(consts, drive, remaining, current, needs, rule_needs):
    """The model's planner with only the driver owing the most time as a candidate (the others only when
    he cannot drive): `_CANDIDATE_ORDER` lists him first, so it is cut to its first entry meanwhile."""
    full = model._CANDIDATE_ORDER
    model._CANDIDATE_ORDER = FIRST_ONLY
    try:
        choice = PLANNER(consts, drive, remaining, current, needs, rule_needs)
    finally:
        model._CANDIDATE_ORDER = full
    return choice if choice is not None else PLANNER(consts, drive, remaining, current, needs, rule_needs)


def run(calendar, races: int, planner) -> tuple[float, dict, np.ndarray]:
    model.plan_next = planner
    rngs = [race_rng(1, i // len(calendar), i % len(calendar)) for i in range(races)]
    breaches = cars = classified = stops = 0
    laps = []
    start = time.process_time()
    outcomes = [run_race(calendar[i % len(calendar)], rng, log=False) for i, rng in enumerate(rngs)]
    elapsed = time.process_time() - start
    for outcome in outcomes:
        breaches += int(outcome.drive_time_breaches.sum())
        cars += len(outcome.laps)
        classified += int((outcome.status == CLASSIFIED).sum())
        stops += int(outcome.pit_stops.sum())
        laps.append(outcome.laps)
    laps = np.concatenate(laps)   # car by car, race by race: the same order in every variant
    return 1000 * elapsed / races, {"breach_share": round(breaches / cars, 4),
                                    "classified_share": round(classified / cars, 3),
                                    "stops_per_car": round(stops / cars, 2),
                                    "laps_per_car": round(float(laps.mean()), 3)}, laps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--races", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scenario", default="default")
    args = parser.parse_args()
    variants = {"planner": PLANNER, "most_owing_checked": most_owing_checked,
                "most_owing_full_tank": most_owing_full_tank}
    # a compiled scenario per variant: a field keeps the plans made at the start of its first run
    calendars = {name: compile_scenario(ROOT / "scenarios" / f"{args.scenario}.yaml").races for name in variants}
    for calendar in calendars.values():
        for race in calendar:
            _ = race.field
    times: dict[str, list[float]] = {name: [] for name in variants}
    facts: dict[str, dict] = {}
    laps: dict[str, np.ndarray] = {}
    try:
        for _ in range(args.repeats):
            for name, planner in variants.items():   # alternated: all see the same machine load
                ms, facts[name], laps[name] = run(calendars[name], args.races, planner)
                times[name].append(ms)
    finally:
        model.plan_next = PLANNER
    for name in variants:
        # laps against the model's planner, car by car in the same seeded races (paired: the spread
        # between cars and races cancels; a changed decision still reshuffles the rest of a race)
        diff = laps[name] - laps["planner"]
        print(json.dumps({"variant": name, "ms_per_race": round(statistics.median(times[name]), 3),
                          **facts[name], "laps_vs_planner": round(float(diff.mean()), 3),
                          "laps_vs_planner_se": round(float(diff.std() / np.sqrt(len(diff))), 3),
                          "races": args.races}))


if __name__ == "__main__":
    main()
