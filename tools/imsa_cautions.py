"""Full-course cautions per hour in every IMSA 2023-24 race (Daytona apart: no lap export), simulated
against the real ones (data/real/imsa/long_races/measured_races.csv, tools/measure_long_races.py): the
check of configs/sporting/imsa.yaml `neutralise_factor`.

    .venv/bin/python tools/imsa_cautions.py [--seeds 16]

prints each race, then the pooled rates (cautions over hours) per season and per race length.
tests/race/test_imsa_cautions.py checks the pooled rate with fewer seeds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("imsa-2023", "imsa-2024")
LENGTHS = {"1h40-2h40": (0.0, 3.0), "6 h": (5.0, 7.0), "10-12 h": (9.0, 13.0)}


def simulated_rates(seeds: range) -> pd.DataFrame:
    """One row per race of both seasons: season, venue, hours, simulated cautions per hour (seed mean)."""
    sys.path.insert(0, str(ROOT))
    from sim.race import run_race
    from sim.scenario import compile_scenario
    from sim.seeds import race_rng
    from tools.compare_long_races import race_figures

    rows = []
    for scenario in SCENARIOS:
        compiled = compile_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
        for race in compiled.races:
            hours = race.field.race_seconds / 3600
            if hours > 13:
                continue
            rates = []
            for seed in seeds:
                pace = compiled.plan.season_pace(race, compiled.plan.draw_strength(seed, 0))
                outcome = run_race(race, race_rng(seed, 0, race.index), season_pace_s=pace)
                rates.append(race_figures(race, outcome).neutralisations_per_hour)
            rows.append((scenario.split("-")[1], race.venue.key, hours, float(np.mean(rates))))
    return pd.DataFrame(rows, columns=["season", "venue", "hours", "per_hour"])


def real_rates(data: Path) -> pd.DataFrame:
    """The same rows measured on the real races."""
    real = pd.read_csv(data / "imsa" / "long_races" / "measured_races.csv", dtype={"season": str})
    return real.loc[real["hours"] < 13, ["season", "event", "hours", "per_hour"]]


def pooled(table: pd.DataFrame, by: pd.Series) -> pd.Series:
    """Cautions over hours per group."""
    cautions = table["per_hour"] * table["hours"]
    return cautions.groupby(by).sum() / table["hours"].groupby(by).sum()


def length_band(hours: pd.Series) -> pd.Series:
    return hours.map(lambda h: next(name for name, (lo, hi) in LENGTHS.items() if lo < h <= hi))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=16)
    args = parser.parse_args(argv)
    sim, real = simulated_rates(range(args.seeds)), real_rates(ROOT / "data" / "real")
    print(sim.to_string(index=False, float_format="%.2f"))
    summary = pd.DataFrame({
        "simulated": pd.concat([pooled(sim, sim["season"]), pooled(sim, length_band(sim["hours"]))]),
        "real": pd.concat([pooled(real, real["season"]), pooled(real, length_band(real["hours"]))]),
    })
    print(summary.to_string(float_format="%.3f"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
