"""`sim montecarlo SCENARIO [SCENARIO_B --paired] (--runs N | --target-se X) --seed S [--workers K |
--scheduler ADDRESS] [--focus CAR]`."""

from __future__ import annotations

from pathlib import Path

import typer

from sim.cli import output
from sim.errors import InputError


def _check_scenarios(scenarios: list[str], paired: bool) -> None:
    if len(scenarios) == 2 and not paired:
        raise InputError(None, "SCENARIO", "two scenarios need --paired")
    if paired and len(scenarios) != 2:
        raise InputError(None, "--paired", f"needs exactly two scenarios, got {len(scenarios)}")
    if len(scenarios) > 2:
        raise InputError(None, "SCENARIO", f"one scenario (or two with --paired), got {len(scenarios)}")


def _how_it_ran(result) -> str:
    """`2,500 seasons (target SE 0.01 reached) in 25.3 s (99 seasons/s, processes, 2 workers)`."""
    resumed = result.runs - result.seasons_run_here
    seasons = f"{result.runs:,} seasons"
    if resumed:
        seasons += f" ({resumed:,} from the checkpoint, {result.seasons_run_here:,} run now)"
    rule = result.stop_rule
    if rule is not None:
        why = "reached" if result.stop_reason == "target reached" else f"not reached by --max-runs {rule.max_runs:,}"
        seasons += f", target SE {rule.target_se:g} {why}"
    return (f"{seasons} in {result.wall_time_s:.1f} s ({result.seasons_per_s:,.0f} seasons/s, {result.executor}, "
            f"{result.workers} worker(s))")


def register(app: typer.Typer) -> None:
    @app.command("montecarlo", short_help="Title and Le Mans odds over many seasons.")
    def montecarlo(
        scenarios: list[str] = typer.Argument(..., metavar="SCENARIO...",
                                              help="Scenario file or name under scenarios/ (two with --paired)."),
        runs: int | None = typer.Option(None, "--runs", metavar="N", help="Number of seasons."),
        target_se: float | None = typer.Option(
            None, "--target-se", metavar="X", help="Instead of --runs: run until every title probability's standard "
            "error is at most X (e.g. 0.01), deciding every 100 seasons in season order (the same seed gives the "
            "same seasons whatever the workers)."),
        max_runs: int | None = typer.Option(
            None, "--max-runs", metavar="N", help="With --target-se: stop at N seasons at most (default: the "
            "seasons that always reach the target, 0.25 / X^2, up to 100,000)."),
        seed: int = typer.Option(..., "--seed", metavar="S",
                                 help="Root seed: season i uses SeedSequence(S, spawn_key=(i,))."),
        workers: int | None = typer.Option(None, "--workers", metavar="K",
                                              help="Local processes (default: all cores; 1 = serial)."),
        scheduler: str | None = typer.Option(
            None, "--scheduler", metavar="ADDRESS", help="Dask: tcp://HOST:PORT of a running scheduler, or local:N "
            "to start a local Dask cluster of N workers for this study."),
        out: Path | None = typer.Option(None, "--out", metavar="DIR",
                                           help="Output folder (default out/montecarlo/SCENARIO)."),
        paired: bool = typer.Option(False, "--paired", help="Compare two scenarios with common random numbers."),
        focus: str | None = typer.Option(None, "--focus", metavar="CAR",
                                            help="Also answer for one car: its odds in every title, A vs B."),
        resume: bool = typer.Option(False, "--resume", help="Finish an interrupted study from its checkpoint."),
        restart: bool = typer.Option(False, "--restart",
                                     help="Discard an interrupted study's checkpoint in the output folder."),
        chunk_size: int | None = typer.Option(None, "--chunk-size", metavar="N",
                                                 help="Seasons per task (results do not depend on it)."),
        parquet: bool = typer.Option(False, "--parquet", help="Also write every season's standings as Parquet."),
        plots: bool = typer.Option(True, "--plots/--no-plots", help="Write PNG plots next to the CSVs."),
        report: bool = typer.Option(True, "--report/--no-report",
                                    help="Write report.html (self-contained, opens offline)."),
        progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar with seasons/s and ETA."),
    ) -> None:
        """Run many seasons; write summary.csv (title, top-3 and invitation odds with standard errors),
        positions.csv, report.html, manifest.json and plots. Same scenario and seed give the same
        summary.csv whatever the executor, worker count or chunk size. With --paired, B against A on the
        same seasons: the changes per car that matter, and paired.csv, paired_cars.csv."""
        from sim.montecarlo.runner import StudyInterrupted
        from sim.montecarlo.scenario_kernel import ScenarioKernel

        _check_scenarios(scenarios, paired)
        if isinstance(runs, int) and runs <= 0:
            raise InputError(None, "--runs", f"must be a whole number > 0, got {runs}")
        kernels = [ScenarioKernel(name) for name in scenarios]  # compiles and validates before any run
        label = "-vs-".join(Path(name).stem for name in scenarios)
        out_dir = out or Path("out") / ("paired" if paired else "montecarlo") / label
        options = dict(workers=workers, scheduler=scheduler, out_dir=out_dir, resume=resume, chunk_size=chunk_size,
                       progress=progress, restart=restart, target_se=target_se, max_runs=max_runs, report=report)
        try:
            if paired:
                _paired(kernels, runs, seed, focus, options)
            else:
                _single(kernels[0], runs, seed, focus, dict(options, parquet=parquet, plots=plots))
        except StudyInterrupted as stopped:
            raise output.interrupted(stopped) from None


def _single(kernel, runs, seed, focus, options) -> None:
    import pandas as pd

    from sim.report.console import print_study, print_study_focus
    from sim.report.studies import run_montecarlo_command

    result = run_montecarlo_command(kernel, runs, seed, **options)
    out_dir = Path(options["out_dir"])
    summary = pd.read_csv(out_dir / "summary.csv", dtype=str, keep_default_na=False)
    console = output.console()
    print_study(console, summary)
    if focus:
        invitations = pd.read_csv(out_dir / "invitations.csv", dtype=str, keep_default_na=False)
        print_study_focus(console, focus, summary, invitations)
    console.print(_how_it_ran(result))
    output.wrote(out_dir, "open report.html in a browser" if options["report"] else "",
                 files=_outputs(out_dir))


def _paired(kernels, runs, seed, focus, options) -> None:
    import pandas as pd

    from sim.report.console import print_paired_changes, print_paired_focus
    from sim.report.studies import run_paired_command

    result = run_paired_command(kernels[0], kernels[1], runs, seed, focus=focus, **options)
    out_dir = Path(options["out_dir"])
    frames = {name: pd.read_csv(out_dir / f"{name}.csv", dtype=str, keep_default_na=False)
              for name in ("paired", "paired_cars", "summary_a", "summary_b")}
    console = output.console()
    console.print(f"A: {kernels[0].name}\nB: {kernels[1].name}")
    print_paired_changes(console, frames["paired_cars"], result.runs)
    if focus:
        print_paired_focus(console, focus, frames)
    console.print(_how_it_ran(result))
    output.wrote(out_dir, "open report.html in a browser" if options["report"] else "", files=_outputs(out_dir))


def _outputs(out_dir: Path) -> list[str]:
    import json

    return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8")).get("outputs", [])
