"""Time the race model: 4 h races of the default scenario (42 cars in LMP2, LMP3, GT) and of the
ALMS 2023 field (46 cars), one core, CPU time (the machine is shared: wall time moves with the other
jobs' load). Prints per field: median ms per race over the repeats (with the
event log, as `sim race`, and without it, as the Monte Carlo can run), car-laps per second, simpy
events per race (and how many of them were cancelled car wake-ups), and (with --profile) the cProfile
top functions; with --chunk also ms per season of a Monte Carlo chunk (`ScenarioKernel.run_chunk`).

Run: .venv/bin/python benchmarks/bench_race.py [--races 300] [--repeats 5] [--profile] [--chunk 100]
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
        _ = race.field   # built once per scenario, outside the timing
    times = {True: [], False: []}
    laps = events = cancelled = 0
    for _ in range(repeats):
        for log in (True, False):   # interleaved, so both see the same machine load
            rngs = [race_rng(1, i // len(calendar), i % len(calendar)) for i in range(races)]
            laps = events = cancelled = 0
            start = time.process_time()
            for i, rng in enumerate(rngs):
                outcome = run_race(calendar[i % len(calendar)], rng, log=log)
                laps += outcome.car_laps
                events += outcome.events
                cancelled += outcome.cancelled_events
            times[log].append(time.process_time() - start)
    median = statistics.median(times[True])
    return {"ms_per_race": round(1000 * median / races, 3), "best_ms_per_race": round(1000 * min(times[True]) / races, 3),
            "ms_per_race_no_log": round(1000 * statistics.median(times[False]) / races, 3),
            "best_ms_per_race_no_log": round(1000 * min(times[False]) / races, 3),
            "car_laps_per_s": round(laps / median), "events_per_race": round(events / races, 1),
            "cancelled_per_race": round(cancelled / races, 1), "races": races}


def measure_chunk(seasons: int, repeats: int) -> dict:
    """ms per season of `ScenarioKernel.run_chunk` on the default scenario (races + results table + rules)."""
    from sim.montecarlo.scenario_kernel import ScenarioKernel
    from sim.season import simulate_results

    kernel = ScenarioKernel(ROOT / "scenarios" / "default.yaml")
    kernel.run_chunk(1, range(2))   # warm-up: field arrays, rulebook caches
    chunk, results = [], []
    for _ in range(repeats):
        start = time.process_time()
        kernel.run_chunk(1, range(seasons))
        chunk.append(time.process_time() - start)
        start = time.process_time()
        simulate_results(kernel.compiled, 1, range(seasons))
        results.append(time.process_time() - start)
    return {"run_chunk_ms_per_season": round(1000 * statistics.median(chunk) / seasons, 2),
            "simulate_results_ms_per_season": round(1000 * statistics.median(results) / seasons, 2),
            "seasons": seasons}


def profile(path: Path, races: int, top: int = 12) -> str:
    calendar = compile_scenario(path).races
    for race in calendar:
        _ = race.field
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
    parser.add_argument("--chunk", type=int, default=0, help="also time a Monte Carlo chunk of this many seasons")
    args = parser.parse_args()
    report = {}
    for name, path in FIELDS.items():
        report[name] = measure(path, args.races, args.repeats)
        print(name, json.dumps(report[name]))
        if args.profile:
            print(profile(path, min(args.races, 200)))
    if args.chunk:
        print("Monte Carlo chunk (default)", json.dumps(measure_chunk(args.chunk, args.repeats)))
    default = report["default (42 cars)"]
    print(json.dumps({"ms_per_race": default["ms_per_race"], "car_laps_per_s": default["car_laps_per_s"],
                      "races": default["races"]}))


if __name__ == "__main__":
    main()
