"""`sim backtest SCENARIO --results REAL --runs N [--seed S] [--out DIR]`: title odds checked against a real season."""

from __future__ import annotations

from pathlib import Path

import typer

from sim.errors import InputError

STEPS = ("round", "race")


def backtest(
    scenario: str = typer.Argument(..., metavar="SCENARIO",
                                   help="Scenario (path or name under scenarios/) of the real season."),
    results: Path = typer.Option(..., "--results", metavar="FILE",
                                 help="The real season's results table (every race)."),
    runs: int = typer.Option(200, "--runs", metavar="N", help="Simulated seasons per forecast."),
    seed: int = typer.Option(1, "--seed", metavar="S", help="Root seed (the same after every round)."),
    out: Path = typer.Option(Path("backtest"), "--out", metavar="DIR",
                             help="Output folder (CSVs, calibration.png, report.html)."),
    workers: int | None = typer.Option(None, "--workers", metavar="K",
                                       help="Local processes (default: all cores; 1 = serial)."),
    after: str = typer.Option("round", "--after", metavar="STEP",
                              help="Forecast after each `round` or each `race`."),
    race_model: Path | None = typer.Option(None, "--race-model", metavar="FILE",
                                           help="Race-model parameters to use instead."),
    strength: Path | None = typer.Option(None, "--strength", metavar="FILE",
                                         help="Estimator parameters to use instead."),
) -> None:
    """Forecast every title after each round of a real season and score the odds against what happened,
    next to a uniform forecast and a 'points so far, equal cars' one."""
    from sim.cli import output
    from sim.forecast.backtest import backtest as run_backtest
    from sim.forecast.html_report import write_backtest_report
    from sim.forecast.report import print_summary, write_outputs
    from sim.io import check_output_folder

    if runs < 1:
        raise InputError(None, "--runs", f"must be a whole number > 0, got {runs}")
    if seed < 0:
        raise InputError(None, "--seed", f"must be a whole number >= 0, got {seed}")
    if workers is not None and workers < 1:
        raise InputError(None, "--workers", f"must be a whole number >= 1, got {workers}")
    if after not in STEPS:
        raise InputError(None, "--after", f"must be one of {', '.join(STEPS)}, got {after!r}")
    for option, path in (("--race-model", race_model), ("--strength", strength), ("--results", results)):
        if path is not None and not path.exists():
            raise InputError(path, option, "file not found")
    check_output_folder(out)
    result = run_backtest(scenario, results, runs, seed, executor="serial" if workers == 1 else "processes",
                          workers=workers, race_model=race_model, strength_model=strength, step=after,
                          progress=output.note)
    written = write_outputs(result, out)
    written.append(write_backtest_report(result, out / "report.html"))
    print_summary(result, output.console())
    output.wrote(out, files=written)


def register(app: typer.Typer) -> None:
    app.command("backtest", short_help="Title odds after each round of a real season, scored.")(backtest)
