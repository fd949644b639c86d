"""The American LMS 2012 classes against their targets: neutralisations per hour, share of cars not running
at the flag, and class-winner laps, per race of scenarios/american-lms-2012.yaml over N seeded runs.

Targets (docs/american-lms.md): IMSA 2023-24 measured ~0.9 neutralisations per hour (2 h 40) to ~1.0 (10-12 h),
9 % of the cars not running after 2 h 40, 20 % after 6 h, 24-25 % after 10-12 h; the real 2012 P1 winners'
laps (Long Beach 86, Mosport 117, Mid-Ohio 123, Road America 101, VIR 135, Petit Le Mans 394 = 1,000 mi).
`--incident x` / `--failure x` scale the five classes' incident and failure hazards (what-if while calibrating).

    .venv/bin/python tools/calibrate_american_lms.py [--runs 20] [--incident 1.0] [--failure 1.0]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.race import run_race  # noqa: E402
from sim.race.outcome import DNF, STATUS_NAMES  # noqa: E402
from sim.scenario import compile_scenario  # noqa: E402
from sim.seeds import race_rng  # noqa: E402

CLASSES = ("P1", "P2", "PC", "GT", "GTC")
REAL_P1_LAPS = {"R2": 86, "R5": 117, "R6": 123, "R7": 101, "R9": 135, "R10": 394}


def scaled_races(incident: float, failure: float):
    """The scenario's races with the five classes' incident and failure hazards scaled."""
    races = compile_scenario(ROOT / "scenarios" / "american-lms-2012.yaml").races
    model = races[0].model
    classes = dict(model.classes)
    for name in CLASSES:
        cls = classes[name]
        classes[name] = cls.model_copy(update={"incident_per_hour": cls.incident_per_hour * incident,
                                               "failure_per_hour": cls.failure_per_hour * failure})
    model = model.model_copy(update={"classes": classes})
    return [dataclasses.replace(race, model=model) for race in races]


def measure(runs: int, incident: float = 1.0, failure: float = 1.0, seed: int = 11) -> pd.DataFrame:
    """Per race: mean neutralisations per hour, share not running, P1/P2/PC/GT/GTC winner laps."""
    rows = []
    for race in scaled_races(incident, failure):
        field = race.field
        for run in range(runs):
            outcome = run_race(race, race_rng(seed, run, race.index), log=False)
            row = {"race": race.race_id, "hours": race.hours, "run": run,
                   "neutralisations_per_h": sum(p[0] != "RED" for p in outcome.neutralisations) / race.hours,
                   "not_running": float(np.mean(outcome.status == DNF))}
            for name in CLASSES:
                laps = [outcome.laps[c] for c in range(field.n) if field.classes[c] == name
                        and STATUS_NAMES[outcome.status[c]] != "dsq"]
                row[name] = max(laps) if laps else np.nan
            rows.append(row)
    table = pd.DataFrame(rows).groupby(["race", "hours"], sort=False).mean(numeric_only=True).drop(columns="run")
    table["real_P1"] = [REAL_P1_LAPS.get(race, np.nan) for race, _ in table.index]
    return table.round(3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--incident", type=float, default=1.0)
    parser.add_argument("--failure", type=float, default=1.0)
    args = parser.parse_args()
    table = measure(args.runs, args.incident, args.failure)
    print(table.to_string())
    short = table.loc[[index for index in table.index if index[1] <= 3]]
    long = table.loc[[index for index in table.index if index[1] >= 10]]
    print(f"neutralisations/h: short races {short['neutralisations_per_h'].mean():.2f}, "
          f"10-12 h {long['neutralisations_per_h'].mean():.2f}; not running: short {short['not_running'].mean():.2f}, "
          f"10-12 h {long['not_running'].mean():.2f}")


if __name__ == "__main__":
    main()
