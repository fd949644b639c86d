"""`sim strength RESULTS --series S [--out FILE]`: each car's estimated season-long pace from a results table."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from sim.config.series import load_series
from sim.io import write_table_atomic
from sim.results import read_results
from sim.rules.points import check_results


def strength(
    results: Path = typer.Argument(..., metavar="RESULTS",
                                   help="Results table (CSV or Parquet), one row per car per race."),
    series: str = typer.Option(..., "--series", metavar="SERIES",
                               help="Rulebook name under configs/series/ or a path to one."),
    out: Path | None = typer.Option(None, "--out", metavar="FILE", help="Also write the table here (CSV or Parquet)."),
    model: Path | None = typer.Option(None, "--strength", metavar="FILE",
                                      help="Estimator parameters (default configs/strength.yaml)."),
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
    _print(frame, results, output.console())
    if out is not None:
        output.wrote(out, f"{len(frame)} cars")


def _print(frame, results: Path, console) -> None:
    """One table of every car; on a narrow terminal the standard errors go first, then the seconds per lap."""
    from sim.cli.output import Column, fitted_table

    columns = [Column("class"), Column("car", True), Column("team"), Column("pace %", True),
               Column("s/lap", True, optional=2), Column("sd %", True, optional=3), Column("sd s", True, optional=4),
               Column("races", True, optional=1)]
    rows = [[row._1, row.car, row.team, f"{row.pace_pct:+.2f}", "" if math.isnan(row.pace_s) else f"{row.pace_s:+.2f}",
             f"{row.sd_pct:.2f}", "" if math.isnan(row.sd_s) else f"{row.sd_s:.2f}", str(row.races)]
            for row in frame.itertuples()]
    console.print(fitted_table(console, f"Season-long pace from {results.name} (+ = slower than the class's typical "
                                        "car)", columns, rows))


def register(app: typer.Typer) -> None:
    app.command("strength", short_help="Each car's season-long pace, estimated from results.")(strength)
