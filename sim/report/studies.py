"""Everything `sim montecarlo` does, as one function the CLI wraps: validate, run, write outputs.
(The figures and report.html modules are imported where they are written: they load matplotlib, which a
study run with plots=False and report=False never needs.)

A study is run by `sim.montecarlo`; this module writes what it returns.

Outputs (atomic): summary.csv, positions.csv, titles.csv, invitations.csv, points_by_race.csv,
manifest.json, report.html, plots, and with parquet=True seasons/part-<chunk>.parquet. The checkpoint
(checkpoint.npz) lives in the output folder while the study runs and is removed at the end.
A paired study writes paired.csv, paired_cars.csv, summary_a.csv, summary_b.csv, manifest.json and
report.html.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from sim.config.loader import shown_path
from sim.errors import InputError
from sim.io import check_output_folder, make_output_folder, write_csv_atomic
from sim.montecarlo.cars import paired_cars_frame
from sim.montecarlo.executors import make_backend
from sim.montecarlo.kernel import SeasonKernel
from sim.montecarlo.manifest import build_manifest, write_manifest
from sim.montecarlo.paired import paired_frame, paired_max_title_se, run_paired_study
from sim.montecarlo.runner import StudyResult, run_study
from sim.montecarlo.stopping import make_stop_rule, max_title_se
from sim.montecarlo.summary import summary_frames

CHECKPOINT_NAME = "checkpoint.npz"
TABLES = ("summary", "positions", "titles", "invitations", "points_by_race")
REPORT_NAME = "report.html"


def _check_options(runs: Any, seed: Any, workers: int | None, scheduler: str | None, out_dir: str | Path,
                   chunk_size: Any, target_se: Any = None, max_runs: Any = None) -> Path:
    if runs is None and target_se is None:
        raise InputError(None, "--runs", "give the number of seasons (--runs N) or a target error (--target-se X)")
    if runs is not None and target_se is not None:
        raise InputError(None, "--runs", "give either --runs or --target-se, not both")
    if target_se is not None:
        make_stop_rule(target_se, max_runs)   # the values' checks, before any folder or season
    elif max_runs is not None:
        raise InputError(None, "--max-runs", "goes with --target-se (with --runs the study runs exactly N)")
    if runs is not None and (isinstance(runs, bool) or not isinstance(runs, int) or runs <= 0):
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


def _remove_stale_outputs(out: Path, plots: bool, parquet: bool, report: bool = True) -> None:
    """Outputs of an earlier study in the same folder that this run does not write (its plots after
    --no-plots, its report after --no-report, its per-season Parquet without --parquet) would pass for
    this run's: remove them."""
    stale = [REPORT_NAME] if not report else []
    if not plots:
        from sim.report.plots import PLOT_FILES

        stale += PLOT_FILES
    for name in stale:
        with contextlib.suppress(FileNotFoundError):
            (out / name).unlink()
    seasons_dir = out / "seasons"
    if not parquet and seasons_dir.is_dir():
        for stale in seasons_dir.glob("part-*.parquet"):
            stale.unlink()
        with contextlib.suppress(OSError):
            seasons_dir.rmdir()   # only when nothing else is in it


def study_manifest(result: StudyResult, kernel: SeasonKernel, max_se: float, extra: dict[str, Any]) -> dict:
    """manifest.json: build_manifest plus the scenario, why the study stopped and its Monte Carlo error."""
    rule = result.stop_rule
    stop = {"reason": result.stop_reason}
    if rule is not None:
        stop.update(target_se=rule.target_se, max_runs=rule.max_runs, check_every=rule.every)
    return build_manifest(result, kernel, {"scenario": getattr(kernel, "name", type(kernel).__name__),
                                           "scenario_file": shown_path(getattr(kernel, "scenario_path", None)),
                                           "stop": stop, "max_se_p_title": round(max_se, 6), **extra})


def run_montecarlo_command(kernel: SeasonKernel, runs: int | None, seed: int, workers: int | None = None,
                           scheduler: str | None = None, out_dir: str | Path = "montecarlo", resume: bool = False,
                           chunk_size: int | None = None, parquet: bool = False, plots: bool = True,
                           progress: bool = True, checkpoint_interval: float = 5.0,
                           restart: bool = False, target_se: float | None = None, max_runs: int | None = None,
                           report: bool = True) -> StudyResult:
    """Run the study and write every output into out_dir; raises InputError before simulating on bad options.

    runs=N seasons, or runs=None and target_se=X: until every title probability's standard error is at
    most X (at most max_runs). workers=None: all cores; workers=1: serial in-process;
    scheduler='tcp://HOST:PORT': Dask ('local:N': a local Dask cluster of N workers for this study).
    Ctrl-C / SIGTERM raise runner.StudyInterrupted after saving out_dir/checkpoint.npz.
    """
    out = _check_options(runs, seed, workers, scheduler, out_dir, chunk_size, target_se, max_runs)
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
                           backend=backend, target_se=target_se, max_runs=max_runs)
    finally:
        backend.close()
    frames = summary_frames(result.aggregate, result.layout)
    _remove_stale_outputs(out, plots, parquet, report)
    for name in TABLES:
        write_csv_atomic(frames[name], out / f"{name}.csv")
    written = [f"{name}.csv" for name in TABLES]
    manifest = study_manifest(result, kernel, max_title_se(result.aggregate), {})
    if plots:
        from sim.report.plots import write_plots
        from sim.report.study_report import caption

        written += [path.name for path in write_plots(frames, out, caption(manifest))]
    written += ([REPORT_NAME] if report else []) + (["seasons/"] if parquet else []) + ["manifest.json"]
    manifest["outputs"] = written
    if report:
        from sim.report.html import write_report
        from sim.report.study_report import study_report

        write_report(study_report(frames, manifest), out / REPORT_NAME)
    write_manifest(manifest, out / "manifest.json")
    with contextlib.suppress(FileNotFoundError):
        checkpoint.unlink()
    return result


def run_paired_command(kernel_a: SeasonKernel, kernel_b: SeasonKernel, runs: int | None, seed: int,
                       workers: int | None = None, scheduler: str | None = None,
                       out_dir: str | Path = "montecarlo-paired", resume: bool = False, chunk_size: int | None = None,
                       progress: bool = True, checkpoint_interval: float = 5.0,
                       restart: bool = False, target_se: float | None = None, max_runs: int | None = None,
                       report: bool = True, focus: str | None = None) -> StudyResult:
    """`sim montecarlo A B --paired`: writes paired.csv, paired_cars.csv, summary_a.csv, summary_b.csv,
    manifest.json and report.html (with a section on car `focus` when given)."""
    out = _check_options(runs, seed, workers, scheduler, out_dir, chunk_size, target_se, max_runs)
    executor = _executor_for(workers, scheduler)
    backend = make_backend(executor, workers, scheduler)
    try:
        checkpoint = _prepare_checkpoint(out, resume, restart)
        make_output_folder(out)
        result = run_paired_study(kernel_a, kernel_b, runs, seed, executor=executor, workers=workers,
                                  scheduler=scheduler, chunk_size=chunk_size, checkpoint=checkpoint, resume=resume,
                                  progress=progress, checkpoint_interval=checkpoint_interval, backend=backend,
                                  target_se=target_se, max_runs=max_runs)
    finally:
        backend.close()
    frames = paired_frames(result)
    for name, frame in frames.items():
        write_csv_atomic(frame, out / f"{name}.csv")
    _remove_stale_outputs(out, plots=True, parquet=True, report=report)
    written = [f"{name}.csv" for name in frames] + ([REPORT_NAME] if report else []) + ["manifest.json"]
    manifest = study_manifest(result, kernel_a, paired_max_title_se(result.aggregate), {
        "paired": True, "kernel_b": kernel_b.identity(), "scenario_b": getattr(kernel_b, "name", ""),
        "scenario_file_b": shown_path(getattr(kernel_b, "scenario_path", None)),
        "config_files_b": [str(p) for p in kernel_b.config_files()], "outputs": written})
    if report:
        from sim.report.html import write_report
        from sim.report.paired_report import paired_report

        write_report(paired_report(frames, manifest, focus), out / REPORT_NAME)
    write_manifest(manifest, out / "manifest.json")
    with contextlib.suppress(FileNotFoundError):
        checkpoint.unlink()
    return result


def paired_frames(result: StudyResult) -> dict[str, Any]:
    """The tables of a paired study: per matched competitor, per car, and each side's summary."""
    layout_a, layout_b = result.layout
    paired = result.aggregate
    return {"paired": paired_frame(paired, layout_a, layout_b),
            "paired_cars": paired_cars_frame(paired, layout_a, layout_b),
            "summary_a": summary_frames(paired.a, layout_a)["summary"],
            "summary_b": summary_frames(paired.b, layout_b)["summary"]}
