"""Monte Carlo throughput and memory of a real scenario: seasons/s and peak RSS per executor.

    .venv/bin/python benchmarks/bench_season.py --runs 10000 --executors processes:2
    .venv/bin/python benchmarks/bench_season.py --runs 2000 --executors serial,processes:1,processes:2,dask:2

Prints one JSON line per executor: wall time, seasons/s, peak RSS of the driver and of the whole
process tree (workers included, sampled every 0.2 s), and the summary's SHA-256 so runs can be
compared for equality. Not part of the test suite (speed belongs in benchmarks, not tests).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


class PeakMemory:
    """Samples the RSS of this process and all its children (workers) until stopped."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.peak_tree = 0
        self.peak_driver = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            try:
                driver = me.memory_info().rss
                tree = driver + sum(child.memory_info().rss for child in me.children(recursive=True))
            except psutil.Error:
                continue
            self.peak_driver = max(self.peak_driver, driver)
            self.peak_tree = max(self.peak_tree, tree)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_one(scenario: str, runs: int, seed: int, executor: str, chunk_size: int | None) -> dict:
    from sim.montecarlo.scenario_kernel import ScenarioKernel
    from sim.report.studies import run_montecarlo_command

    kind, _, count = executor.partition(":")
    workers = int(count) if count else None
    kernel = ScenarioKernel(scenario)
    cluster = None
    scheduler = None
    if kind == "dask":
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        scheduler = cluster.scheduler_address
        workers = None
    elif kind == "serial":
        workers = 1
    with tempfile.TemporaryDirectory() as out, PeakMemory() as memory:
        start = time.perf_counter()
        result = run_montecarlo_command(kernel, runs, seed, workers=workers, scheduler=scheduler, out_dir=out,
                                        chunk_size=chunk_size, plots=False, progress=False)
        wall = time.perf_counter() - start
        digest = hashlib.sha256((Path(out) / "summary.csv").read_bytes()).hexdigest()[:16]
    if cluster is not None:
        cluster.close()
    return {"scenario": scenario, "executor": executor, "runs": runs, "chunk_size": result.chunk_size,
            "wall_s": round(wall, 2), "seasons_per_s": round(runs / wall, 1),
            "ms_per_season_per_worker": round(1000 * wall * (int(count) if count else 1) / runs, 2),
            "peak_rss_driver_mb": round(memory.peak_driver / 2**20), "peak_rss_tree_mb": round(memory.peak_tree / 2**20),
            "summary_sha256": digest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--executors", default="serial,processes:2,dask:2",
                        help="comma list of serial, processes:K, dask:K")
    args = parser.parse_args()
    for executor in args.executors.split(","):
        print(json.dumps(run_one(args.scenario, args.runs, args.seed, executor.strip(), args.chunk_size)), flush=True)


if __name__ == "__main__":
    main()
