"""Monte Carlo engine overhead on the toy kernel: per season, per chunk, serial vs processes vs Dask.

Run: .venv/bin/python benchmarks/bench_montecarlo.py [--runs N] [--no-dask]. Prints JSON.
The toy season costs ~0.1 ms, so these figures are the engine's own overhead (aggregation,
pickling, scheduling); a real season costs far more and dominates.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time

from sim.montecarlo.aggregate import Aggregate, aggregate_chunk
from sim.montecarlo.runner import run_study
from sim.montecarlo.toy import ToyKernel


def _timed(**options) -> dict:
    started = time.perf_counter()
    result = run_study(ToyKernel(), progress=False, **options)
    wall = time.perf_counter() - started
    return {"wall_s": round(wall, 3), "seasons_per_s": round(options["runs"] / wall, 1),
            "chunks": result.chunks, "chunk_size": result.chunk_size, "workers": result.workers}


def per_chunk_costs(chunk_size: int, repeats: int = 50) -> dict:
    """Kernel time and aggregation time for one chunk, in the calling process."""
    kernel = ToyKernel()
    layout = kernel.layout()
    kernel_s = aggregate_s = 0.0
    for chunk in range(repeats):
        seasons = range(chunk * chunk_size, (chunk + 1) * chunk_size)
        t0 = time.perf_counter()
        tables = kernel.run_chunk(1, seasons)
        t1 = time.perf_counter()
        aggregate_chunk(tables, layout, seasons)
        aggregate_s += time.perf_counter() - t1
        kernel_s += t1 - t0
    return {"chunk_size": chunk_size, "kernel_ms_per_chunk": round(1e3 * kernel_s / repeats, 3),
            "aggregate_ms_per_chunk": round(1e3 * aggregate_s / repeats, 3),
            "aggregate_us_per_season": round(1e6 * aggregate_s / repeats / chunk_size, 2)}


def season_sized_layout_bytes(cars: int = 40, drivers_per_car: int = 3, races: int = 8) -> int:
    """Aggregate size for an Asian-LMS-sized study (3 classes, teams + drivers + 2 GT sub-category
    titles, 8 races): what each chunk sends back and what the driver holds, whatever the runs."""
    from sim.montecarlo.kernel import CompetitorKey, StudyLayout, TitleLayout

    titles = []
    per_class = {"LMP2": cars // 4, "LMP3": cars // 4, "GT": cars // 2}
    for class_name, count in per_class.items():
        for kind, size in (("teams", count), ("drivers", count * drivers_per_car)):
            competitors = tuple(CompetitorKey(class_name, "", kind, str(i), f"T{i}", f"D{i}") for i in range(size))
            titles.append(TitleLayout(f"{class_name} {kind}", class_name, "", kind, competitors, (26.0,) * races))
    for category in ("Pro-Am", "Gold Cup"):
        competitors = tuple(CompetitorKey("GT", category, "teams", str(i), f"T{i}", "") for i in range(cars // 4))
        titles.append(TitleLayout(f"GT {category} teams", "GT", category, "teams", competitors, (26.0,) * races))
    layout = StudyLayout(titles=tuple(titles), race_ids=tuple(f"R{j + 1}" for j in range(races)),
                         rounds=tuple(j // 2 + 1 for j in range(races)), award_rules=("lmp2", "gt"))
    return Aggregate.empty(layout).nbytes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    runs = args.runs
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, "runs": runs,
              "aggregate_bytes": Aggregate.empty(ToyKernel().layout()).nbytes,
              "aggregate_bytes_asian_lms_sized": season_sized_layout_bytes(),
              "per_chunk": [per_chunk_costs(size) for size in (1, 10, 100)]}
    report["serial"] = _timed(runs=runs, seed=1, executor="serial", chunk_size=100)
    report["serial_chunk_10"] = _timed(runs=runs, seed=1, executor="serial", chunk_size=10)
    report["processes_1"] = _timed(runs=runs, seed=1, executor="processes", workers=1, chunk_size=100)
    report["processes_2"] = _timed(runs=runs, seed=1, executor="processes", workers=2, chunk_size=100)
    if not args.no_dask:
        from distributed import LocalCluster

        started = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            report["dask_cluster_start_s"] = round(time.perf_counter() - started, 3)
            report["dask_2"] = _timed(runs=runs, seed=1, executor="dask", scheduler=cluster.scheduler_address,
                                      chunk_size=100)
    serial_rate = report["serial"]["seasons_per_s"]
    report["engine_overhead_us_per_season_serial"] = round(1e6 / serial_rate, 1)
    report["peak_rss_mb_driver"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
