"""`sim montecarlo SCENARIO [SCENARIO_B --paired] --runs N --seed S [--workers K | --scheduler ADDR]`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from sim.errors import InputError


def register(app: typer.Typer) -> None:
    @app.command("montecarlo")
    def montecarlo(
        scenarios: List[str] = typer.Argument(..., help="Scenario (or two with --paired): file or name under scenarios/."),
        runs: int = typer.Option(..., "--runs", help="Number of seasons."),
        seed: int = typer.Option(..., "--seed", help="Root seed: season i uses SeedSequence(seed, spawn_key=(i,))."),
        workers: Optional[int] = typer.Option(None, "--workers", help="Local processes (default: all cores; 1 = serial)."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, tcp://HOST:PORT."),
        out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default out/montecarlo/<scenario>)."),
        paired: bool = typer.Option(False, "--paired", help="Compare two scenarios with common random numbers."),
        resume: bool = typer.Option(False, "--resume", help="Finish an interrupted study from its checkpoint."),
        restart: bool = typer.Option(False, "--restart",
                                     help="Discard an interrupted study's checkpoint in the output folder."),
        chunk_size: Optional[int] = typer.Option(None, "--chunk-size", help="Seasons per task (results do not depend on it)."),
        parquet: bool = typer.Option(False, "--parquet", help="Also write every season's standings as Parquet."),
        plots: bool = typer.Option(True, "--plots/--no-plots", help="Write PNG plots next to the CSVs."),
        progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar with seasons/s and ETA."),
    ) -> None:
        """Run N seasons; write summary.csv (title, top-3 and invitation odds with standard errors),
        positions.csv, manifest.json and plots. Same scenario and seed give the same summary.csv
        whatever the executor, worker count or chunk size."""
        from sim.montecarlo.study import run_montecarlo_command, run_paired_command
        from sim.season import ScenarioKernel

        if len(scenarios) == 2 and not paired:
            raise InputError(None, "SCENARIO", "two scenarios need --paired")
        if paired and len(scenarios) != 2:
            raise InputError(None, "--paired", f"needs exactly two scenarios, got {len(scenarios)}")
        if len(scenarios) > 2:
            raise InputError(None, "SCENARIO", f"one scenario (or two with --paired), got {len(scenarios)}")
        if isinstance(runs, int) and runs <= 0:
            raise InputError(None, "--runs", f"must be a whole number > 0, got {runs}")
        kernels = [ScenarioKernel(name) for name in scenarios]  # compiles and validates before any run
        from sim.report.console import make_console

        console = make_console()
        label = "-vs-".join(Path(name).stem for name in scenarios)
        out_dir = out or Path("out") / ("paired" if paired else "montecarlo") / label
        if paired:
            result = run_paired_command(kernels[0], kernels[1], runs, seed, workers=workers, scheduler=scheduler,
                                        out_dir=out_dir, resume=resume, chunk_size=chunk_size, progress=progress,
                                        restart=restart)
            console.print(f"paired study of {runs} seasons written to {out_dir} (paired.csv, summary_a.csv, summary_b.csv)")
            return
        result = run_montecarlo_command(kernels[0], runs, seed, workers=workers, scheduler=scheduler,
                                        out_dir=out_dir, resume=resume, chunk_size=chunk_size, parquet=parquet,
                                        plots=plots, progress=progress, restart=restart)
        import pandas as pd

        from sim.report.console import print_study

        summary = pd.read_csv(Path(out_dir) / "summary.csv", dtype=str, keep_default_na=False)
        print_study(console, summary)
        resumed = runs - result.seasons_run_here
        done = f"{runs} seasons ({resumed} from the checkpoint, {result.seasons_run_here} run now)" if resumed else \
            f"{runs} seasons"
        console.print(f"{done} in {result.wall_time_s:.1f} s ({result.seasons_per_s:.0f} seasons/s, "
                      f"{result.executor}, {result.workers} worker(s)); outputs in {out_dir}")
