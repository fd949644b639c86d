"""What season-long strength costs: the season-level draw against a season's time, and the estimator.

    .venv/bin/python benchmarks/bench_strength.py [--seasons 60] [--repeats 5]

Prints JSON lines (medians over the repeats, CPU time of this process):
1. `season_draw`: per season of scenarios/default.yaml (participation on, 8 races), the time of the strength
   draw alone (one season_rng Generator, one normal per car, the lookups and multiplication of each race's
   season_pace_s) against the time of a whole season through `simulate_results` (races + results table);
   and interleaved A/B chunks of seasons with the draw on and with every season spread 0 (no draw), whose
   difference is the draw's whole cost (noisy on a shared machine: the first figure is the stable one).
2. `estimate`: `strength_from_results` (observations + the Gaussian model) on the real 2023 Asian LMS season
   (4 races) and the IMSA 2024 season (11 races), and a scenario's learning at compile time
   (`scenario_strength` of scenarios/asian-lms-2023-from-r3.yaml).
Not part of the test suite (speed belongs in benchmarks, not tests).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return times


def season_draw(seasons: int, repeats: int) -> dict:
    from sim.config.scenario import load_scenario
    from sim.season import load_compiled, simulate_results

    scenario = load_scenario(ROOT / "scenarios" / "default.yaml")
    on = load_compiled(scenario)
    model = yaml.safe_load((ROOT / "configs" / "race-model.yaml").read_text(encoding="utf-8"))
    for values in model["classes"].values():
        values["season_spread_pct"] = 0.0
    with tempfile.TemporaryDirectory() as folder:
        flat = Path(folder) / "race-model.yaml"
        flat.write_text(yaml.safe_dump(model), encoding="utf-8")
        off = load_compiled(scenario.model_copy(update={"options": {**scenario.options, "race_model": str(flat)}}))
    plan = on.plan

    def draws_only() -> None:
        for season in range(seasons):
            drawn = plan.draw_strength(1, season)
            for race in on.races:
                plan.season_pace(race, drawn)

    simulate_results(on, 1, range(3), rules_only=True)    # warm the field-variant caches
    simulate_results(off, 1, range(3), rules_only=True)
    draw = _cpu(draws_only, repeats)
    chunk_on, chunk_off = [], []
    for _ in range(repeats):   # interleaved A/B
        chunk_on += _cpu(lambda: simulate_results(on, 1, range(seasons), rules_only=True), 1)
        chunk_off += _cpu(lambda: simulate_results(off, 1, range(seasons), rules_only=True), 1)
    per_season = statistics.median(chunk_on) / seasons
    draw_per_season = statistics.median(draw) / seasons
    return {"benchmark": "season_draw", "scenario": "default", "seasons": seasons, "repeats": repeats,
            "draw_ms_per_season": round(1e3 * draw_per_season, 4),
            "season_ms_with_draw": round(1e3 * per_season, 2),
            "season_ms_without_draw": round(1e3 * statistics.median(chunk_off) / seasons, 2),
            "draw_share_of_season_pct": round(100 * draw_per_season / per_season, 3),
            "ab_difference_pct": round(100 * (statistics.median(chunk_on) / statistics.median(chunk_off) - 1), 2)}


def estimate(repeats: int) -> list[dict]:
    from sim.config.series import load_series
    from sim.results import read_results
    from sim.season import load_compiled
    from sim.strength.learn import scenario_strength
    from sim.strength.table import strength_from_results

    out = []
    for name, series in (("asian-lms-2023", "asian-lms-2023"), ("imsa-2024", "imsa")):
        table = read_results(ROOT / "data" / "seasons" / f"{name}.csv")
        book = load_series(series)
        strength_from_results(table, book)   # imports and config loads out of the timing
        times = _cpu(lambda table=table, book=book: strength_from_results(table, book), repeats)
        out.append({"benchmark": "estimate", "results": name, "races": int(table["race"].nunique()),
                    "rows": len(table), "median_s": round(statistics.median(times), 4), "max_s": round(max(times), 4)})
    compiled = load_compiled(ROOT / "scenarios" / "asian-lms-2023-from-r3.yaml")
    fixed = compiled.plan.fixed
    times = _cpu(lambda: scenario_strength(compiled, fixed, compiled.source, lambda f: ROOT / f), repeats)
    out.append({"benchmark": "estimate", "results": "asian-lms-2023-from-r3 (compile-time learning)",
                "median_s": round(statistics.median(times), 4), "max_s": round(max(times), 4)})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seasons", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(season_draw(args.seasons, args.repeats)))
    for line in estimate(args.repeats):
        print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
