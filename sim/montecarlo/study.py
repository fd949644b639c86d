"""Everything `sim montecarlo` does, as one function the CLI wraps: validate, run, write outputs.

Outputs (atomic): summary.csv, positions.csv, titles.csv, invitations.csv, points_by_race.csv,
manifest.json, plots, and with parquet=True seasons/part-<chunk>.parquet. The checkpoint
(checkpoint.npz) lives in the output folder while the study runs and is removed at the end.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.io import check_output_folder, make_output_folder, write_csv_atomic
from sim.montecarlo.aggregate import summary_frames
from sim.montecarlo.executors import make_backend
from sim.montecarlo.kernel import SeasonKernel
from sim.montecarlo.manifest import build_manifest, write_manifest
from sim.montecarlo.paired import paired_frame, run_paired_study
from sim.montecarlo.runner import StudyResult, run_study

CHECKPOINT_NAME = "checkpoint.npz"
TABLES = ("summary", "positions", "titles", "invitations", "points_by_race")


def _check_options(runs: Any, seed: Any, workers: int | None, scheduler: str | None, out_dir: str | Path,
                   chunk_size: Any) -> Path:
    if isinstance(runs, bool) or not isinstance(runs, int) or runs <= 0:
        raise InputError(None, "--runs", f"must be a whole number > 0, got {runs!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(None, "--seed", f"must be a whole number >= 0, got {seed!r}")
    if workers is not None and scheduler:
        raise InputError(None, "--workers", "give either --workers or --scheduler, not both")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InputError(None, "--workers", f"must be a whole number >= 1, got {workers!r}")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1):
        raise InputError(None, "--chunk-size", f"must be a whole number >= 1, got {chunk_size!r}")
    return check_output_folder(out_dir)


def _executor_for(workers: int | None, scheduler: str | None) -> str:
    if scheduler:
        return "dask"
    return "serial" if workers == 1 else "processes"


def _prepare_checkpoint(out: Path, resume: bool, restart: bool = False) -> Path:
    """The study's checkpoint path. An interrupted study's checkpoint is never dropped silently: a new run
    into its folder must say --resume (finish it) or --restart (discard it)."""
    checkpoint = out / CHECKPOINT_NAME
    if resume and restart:
        raise InputError(None, "--restart", "--resume and --restart exclude each other")
    if resume and not checkpoint.exists():
        raise InputError(checkpoint, None, "no checkpoint to resume from in this output folder")
    if not resume and checkpoint.exists():
        if not restart:
            raise InputError(checkpoint, None, "an interrupted study's checkpoint is here: --resume finishes it, "
                                               "--restart discards it (or choose another --out)")
        checkpoint.unlink()
    return checkpoint


def _remove_stale_outputs(out: Path, plots: bool, parquet: bool) -> None:
    """Outputs of an earlier study in the same folder that this run does not write (its plots after
    --no-plots, its per-season Parquet without --parquet) would pass for this run's: remove them."""
    if not plots:
        from sim.report.plots import PLOT_FILES

        for name in PLOT_FILES:
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
    seasons_dir = out / "seasons"
    if not parquet and seasons_dir.is_dir():
        for stale in seasons_dir.glob("part-*.parquet"):
            stale.unlink()
        with contextlib.suppress(OSError):
            seasons_dir.rmdir()   # only when nothing else is in it


def run_montecarlo_command(kernel: SeasonKernel, runs: int, seed: int, workers: int | None = None,
                           scheduler: str | None = None, out_dir: str | Path = "montecarlo", resume: bool = False,
                           chunk_size: int | None = None, parquet: bool = False, plots: bool = True,
                           progress: bool = True, checkpoint_interval: float = 5.0,
                           restart: bool = False) -> StudyResult:
    """Run the study and write every output into out_dir; raises InputError before simulating on bad options.

    workers=None: all cores; workers=1: serial in-process; scheduler='tcp://HOST:PORT': Dask.
    Ctrl-C / SIGTERM raise runner.StudyInterrupted after saving out_dir/checkpoint.npz.
    """
    out = _check_options(runs, seed, workers, scheduler, out_dir, chunk_size)
    executor = _executor_for(workers, scheduler)
    backend = make_backend(executor, workers, scheduler)  # connects to Dask now: fails fast
    try:
        checkpoint = _prepare_checkpoint(out, resume, restart)
        seasons_dir = out / "seasons"
        if parquet and not resume and seasons_dir.is_dir():
            for stale in seasons_dir.glob("part-*.parquet"):
                stale.unlink()
        make_output_folder(out)
        result = run_study(kernel, runs, seed, executor=executor, workers=workers, scheduler=scheduler,
                           chunk_size=chunk_size, checkpoint=checkpoint, resume=resume, progress=progress,
                           parquet_dir=seasons_dir if parquet else None, checkpoint_interval=checkpoint_interval,
                           backend=backend)
    finally:
        backend.close()
    frames = summary_frames(result.aggregate, result.layout)
    _remove_stale_outputs(out, plots, parquet)
    for name in TABLES:
        write_csv_atomic(frames[name], out / f"{name}.csv")
    written = [f"{name}.csv" for name in TABLES]
    if plots:
        from sim.report.plots import write_plots

        written += [path.name for path in write_plots(frames, out)]
    if parquet:
        written.append("seasons/")
    write_manifest(build_manifest(result, kernel, {"outputs": written + ["manifest.json"]}), out / "manifest.json")
    with contextlib.suppress(FileNotFoundError):
        checkpoint.unlink()
    return result


def run_paired_command(kernel_a: SeasonKernel, kernel_b: SeasonKernel, runs: int, seed: int,
                       workers: int | None = None, scheduler: str | None = None,
                       out_dir: str | Path = "montecarlo-paired", resume: bool = False, chunk_size: int | None = None,
                       progress: bool = True, checkpoint_interval: float = 5.0,
                       restart: bool = False) -> StudyResult:
    """`sim montecarlo A B --paired`: writes paired.csv, summary_a.csv, summary_b.csv, manifest.json."""
    out = _check_options(runs, seed, workers, scheduler, out_dir, chunk_size)
    executor = _executor_for(workers, scheduler)
    backend = make_backend(executor, workers, scheduler)
    try:
        checkpoint = _prepare_checkpoint(out, resume, restart)
        make_output_folder(out)
        result = run_paired_study(kernel_a, kernel_b, runs, seed, executor=executor, workers=workers,
                                  scheduler=scheduler, chunk_size=chunk_size, checkpoint=checkpoint, resume=resume,
                                  progress=progress, checkpoint_interval=checkpoint_interval, backend=backend)
    finally:
        backend.close()
    layout_a, layout_b = result.layout
    paired = result.aggregate
    write_csv_atomic(paired_frame(paired, layout_a, layout_b), out / "paired.csv")
    write_csv_atomic(summary_frames(paired.a, layout_a)["summary"], out / "summary_a.csv")
    write_csv_atomic(summary_frames(paired.b, layout_b)["summary"], out / "summary_b.csv")
    manifest = build_manifest(result, kernel_a, {"paired": True, "kernel_b": kernel_b.identity(),
                                                 "config_files_b": [str(p) for p in kernel_b.config_files()],
                                                 "outputs": ["paired.csv", "summary_a.csv", "summary_b.csv",
                                                             "manifest.json"]})
    write_manifest(manifest, out / "manifest.json")
    with contextlib.suppress(FileNotFoundError):
        checkpoint.unlink()
    return result
