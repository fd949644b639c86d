"""`sim strength RESULTS --series S [--out FILE]`: each car's estimated season-long pace from a results table."""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from sim.config.series import load_series
from sim.io import write_table_atomic
from sim.results import read_results
from sim.rules.points import check_results


def strength(
    results: Path = typer.Argument(..., help="Results table (CSV or Parquet), one row per car per race."),
    series: str = typer.Option(..., "--series", help="Rulebook name under configs/series/ or a path to one."),
    out: Path | None = typer.Option(None, "--out", help="Also write the table here (CSV or Parquet)."),
    model: Path | None = typer.Option(None, "--strength", help="Estimator parameters (default configs/strength.yaml)."),
) -> None:
    """What the model believes about each car: pace vs its class's typical car (% and s/lap), sd, races used."""
    from sim.cli import output
    from sim.io import check_output_file
    from sim.strength.table import load_optional_strength_model, rounded, strength_from_results

    if out is not None:
        check_output_file(out)
    rulebook = load_series(series)
    table = read_results(results)
    check_results(table, rulebook, str(results))
    frame = strength_from_results(table, rulebook, load_optional_strength_model(model))
    if out is not None:
        write_table_atomic(rounded(frame), out)
    _print(frame, results)
    if out is not None:
        output.wrote(out, f"{len(frame)} cars")


def _print(frame, results: Path) -> None:
    view = Table(title=f"Season-long pace from {results.name} (+ = slower than the class's typical car)")
    for name, justify in (("class", "left"), ("car", "right"), ("team", "left"), ("pace %", "right"),
                          ("s/lap", "right"), ("sd %", "right"), ("sd s", "right"), ("races", "right")):
        view.add_column(name, justify=justify)
    for row in frame.itertuples():
        seconds = "" if math.isnan(row.pace_s) else f"{row.pace_s:+.2f}"
        sd_s = "" if math.isnan(row.sd_s) else f"{row.sd_s:.2f}"
        view.add_row(row._1, row.car, row.team, f"{row.pace_pct:+.2f}", seconds, f"{row.sd_pct:.2f}", sd_s,
                     str(row.races))
    Console(width=120).print(view)


def register(app: typer.Typer) -> None:
    app.command("strength", short_help="Each car's season-long pace, estimated from results.")(strength)
