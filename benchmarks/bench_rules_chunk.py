"""Time the rules engine on one Monte Carlo chunk: 100 seasons of the default scenario, one table.

Prints JSON: median milliseconds per season of `compute_standings`, `award_invitations` and the
whole `sim.season.apply_rules`, over the repeats (the chunk's races are simulated once, untimed).
Run: .venv/bin/python benchmarks/bench_rules_chunk.py [--scenario default] [--seasons 100] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from sim.rules import award_invitations, compute_standings
from sim.season import apply_rules, load_compiled, simulate_results


def median_ms_per_season(function, repeats: int, seasons: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return round(1000 * statistics.median(timings) / seasons, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--seasons", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    compiled = load_compiled(args.scenario)
    results, _ = simulate_results(compiled, args.seed, range(args.seasons), rules_only=True)
    rulebook = compiled.rulebook
    standings = compute_standings(results, rulebook)
    report = {
        "benchmark": "rules on a Monte Carlo chunk", "scenario": args.scenario, "seasons": args.seasons,
        "result_rows": len(results), "standings_rows": len(standings), "repeats": args.repeat,
        "compute_standings_ms_per_season": median_ms_per_season(
            lambda: compute_standings(results, rulebook), args.repeat, args.seasons),
        "award_invitations_ms_per_season": median_ms_per_season(
            lambda: award_invitations(standings, results, rulebook), args.repeat, args.seasons),
        "apply_rules_ms_per_season": median_ms_per_season(
            lambda: apply_rules(results, compiled), args.repeat, args.seasons),
    }
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
