"""Golden seeded outputs: one season of the default scenario (seed 2026, season 0) and two races of the
ALMS 2023 fixture field as season 0 runs them (season-long strength drawn), reduced to the columns a user
reads (positions, status, laps, stops, times to 0.1 s, points, invitations). tests/test_golden.py recomputes them and compares.

A change that moves these numbers on purpose (race model, rules, configs) regenerates them with
`.venv/bin/python tools/golden.py --update`, and the diff of tests/fixtures/golden/ shows what moved.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
SEED = 2026
RESULT_COLUMNS = ["race", "car", "class", "class_position", "status", "laps", "pit_stops", "time_s"]
STANDINGS_COLUMNS = ["title", "position", "car", "team", "points"]
AWARD_COLUMNS = ["rule", "car", "team", "status"]


def season_tables() -> dict[str, pd.DataFrame]:
    """The golden tables, freshly computed."""
    sys.path.insert(0, str(ROOT))
    from sim.race import outcomes_to_results, run_race
    from sim.scenario import compile_scenario
    from sim.season import simulate_season
    from sim.seeds import race_rng

    season = simulate_season(ROOT / "scenarios" / "default.yaml", SEED, 0)
    results = season.results[RESULT_COLUMNS].copy()
    results["time_s"] = results["time_s"].round(1)
    standings = season.standings[STANDINGS_COLUMNS].copy()
    standings["points"] = standings["points"].round(2)
    awards = season.awards[[c for c in AWARD_COLUMNS if c in season.awards.columns]].copy()

    alms = compile_scenario(ROOT / "tests" / "race" / "fixtures" / "alms-2023.yaml")
    drawn = alms.plan.draw_strength(SEED, 0)   # the cars' season-long effects of season 0
    frames = []
    for j in (0, 2):
        race = alms.races[j]
        outcome = run_race(race, race_rng(SEED, 0, j), log=False, season_pace_s=alms.plan.season_pace(race, drawn))
        frames.append(outcomes_to_results(race, outcome))
    alms_results = pd.concat(frames, ignore_index=True)[RESULT_COLUMNS].copy()
    alms_results["time_s"] = alms_results["time_s"].round(1)
    return {"default-season-results": results, "default-season-standings": standings,
            "default-season-awards": awards, "alms-2023-races": alms_results}


def read_golden(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / f"{name}.csv", keep_default_na=False, na_values=[""])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite tests/fixtures/golden/*.csv")
    args = parser.parse_args()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    changed = 0
    for name, table in season_tables().items():
        path = GOLDEN / f"{name}.csv"
        text = table.to_csv(index=False)
        same = path.exists() and path.read_text() == text
        changed += not same
        print(f"{name}: {'unchanged' if same else 'CHANGED'} ({len(table)} rows)")
        if args.update and not same:
            path.write_text(text)
    return 0 if args.update or not changed else 1


if __name__ == "__main__":
    raise SystemExit(main())
