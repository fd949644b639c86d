"""Fingerprint of seeded race outcomes, to check that a speed change moves no result.

Runs N seeded races of the default scenario, the ALMS 2023 fixture field and the 2024-25 season (every
fourth with the event log) and prints a SHA-256 prefix per scenario over every outcome field: laps,
times, status, positions, pole, stops, fuel, fastest laps, grid, drive times and breaches, weather,
neutralisations and the log. Run before and after a change; equal lines = bit-identical races.

    .venv/bin/python benchmarks/race_digest.py [N=400]
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.race import run_race  # noqa: E402
from sim.scenario import compile_scenario  # noqa: E402
from sim.seeds import race_rng  # noqa: E402

SCENARIOS = [ROOT / "scenarios" / "default.yaml", ROOT / "tests" / "race" / "fixtures" / "alms-2023.yaml",
             ROOT / "scenarios" / "asian-lms-2024-25.yaml"]
ARRAYS = ("laps", "time_s", "status", "class_position", "overall_position", "category_position", "pole",
          "pit_stops", "fuel_used_l", "fastest_lap_s", "grid", "drive_time_breaches")


def plain(value):
    """Named tuples (log entries, pit-stop records) as plain tuples: the digest hashes values, not types."""
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def digest(path: Path, races: int) -> str:
    calendar = compile_scenario(path).races
    sha = hashlib.sha256()
    for i in range(races):
        outcome = run_race(calendar[i % len(calendar)], race_rng(7, i // len(calendar), i % len(calendar)),
                           log=i % 4 == 0)
        for name in ARRAYS:
            sha.update(np.ascontiguousarray(getattr(outcome, name)).tobytes())
        sha.update(repr(plain((outcome.drive_time_s, outcome.wet, outcome.neutralisations, outcome.log))).encode())
    return sha.hexdigest()[:16]


def main() -> None:
    races = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    for path in SCENARIOS:
        print(path.name, digest(path, races))


if __name__ == "__main__":
    main()
