"""CPU instructions per race of the default scenario, counted by valgrind (callgrind): repeat runs of
the same interpreter, code and seeds agree to ~0.1 % whatever else the shared machine is doing, so a
speed change of a few per cent can be told from noise (timings here move by ~10 % between runs).
Runs itself twice under valgrind, after the same 40 warm-up races, with 0 and with N measured races
(no event log), and prints (second - first) / N.

    .venv/bin/python benchmarks/race_instructions.py [N=200]     # ~1.5 minutes; needs valgrind
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 40


def run_races(count: int) -> None:
    sys.path.insert(0, str(ROOT))
    from sim.race import run_race
    from sim.scenario import compile_scenario
    from sim.seeds import race_rng

    calendar = compile_scenario(ROOT / "scenarios" / "default.yaml").races
    for i in range(WARM_UP):   # fields and plan tables built, as in a Monte Carlo chunk
        run_race(calendar[i % len(calendar)], race_rng(9, i // len(calendar), i % len(calendar)), log=False)
    for i in range(count):
        run_race(calendar[i % len(calendar)], race_rng(1, i // len(calendar), i % len(calendar)), log=False)


def instructions(count: int) -> int:
    # a fixed hash seed: string hashing moves dict layouts, and with them a few tenths of a per cent
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                           __file__, "--child", str(count)], capture_output=True, text=True, check=True, env=env)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        run_races(int(sys.argv[2]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("race_instructions: valgrind is not installed")
    races = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    per_race = (instructions(races) - instructions(0)) / races
    print(f"default scenario: {per_race / 1e6:.2f} M instructions per race ({races} races, {sys.executable})")


if __name__ == "__main__":
    main()
