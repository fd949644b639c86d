"""Time the race model: 4 h races of the default scenario (42 cars in LMP2, LMP3, GT) and of the
ALMS 2023 field (46 cars), one core. Prints per field: median ms per race over the repeats, car-laps per
second, simulation events per race, and (with --profile) the cProfile top functions.

Run: .venv/bin/python benchmarks/bench_race.py [--races 300] [--repeats 5] [--profile]
The last line is JSON for the default scenario, in the same form as `sim bench`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import time
from pathlib import Path

from sim.race import run_race
from sim.scenario import compile_scenario
from sim.seeds import race_rng

ROOT = Path(__file__).resolve().parents[1]
FIELDS = {"default (42 cars)": ROOT / "scenarios" / "default.yaml",
          "ALMS 2023 field (46 cars)": ROOT / "tests" / "race" / "fixtures" / "alms-2023.yaml"}


def measure(path: Path, races: int, repeats: int) -> dict:
    calendar = compile_scenario(path).races
    for race in calendar:
        race.field   # built once per scenario, outside the timing
    times, laps, events = [], 0, 0
    for _ in range(repeats):
        rngs = [race_rng(1, i // len(calendar), i % len(calendar)) for i in range(races)]
        laps = events = 0
        start = time.perf_counter()
        for i, rng in enumerate(rngs):
            outcome = run_race(calendar[i % len(calendar)], rng)
            laps += outcome.car_laps
            events += outcome.events
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return {"ms_per_race": round(1000 * median / races, 3), "best_ms_per_race": round(1000 * min(times) / races, 3),
            "car_laps_per_s": round(laps / median), "events_per_race": round(events / races, 1), "races": races}


def profile(path: Path, races: int, top: int = 12) -> str:
    calendar = compile_scenario(path).races
    for race in calendar:
        race.field
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(races):
        run_race(calendar[i % len(calendar)], race_rng(2, 0, i % len(calendar)))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--races", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    report = {}
    for name, path in FIELDS.items():
        report[name] = measure(path, args.races, args.repeats)
        print(name, json.dumps(report[name]))
        if args.profile:
            print(profile(path, min(args.races, 200)))
    default = report["default (42 cars)"]
    print(json.dumps({"ms_per_race": default["ms_per_race"], "car_laps_per_s": default["car_laps_per_s"],
                      "races": default["races"]}))


if __name__ == "__main__":
    main()
