"""`sim standings RESULTS --series SERIES [--after RACE] [--out FILE]`: a rulebook applied to a results table."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from sim.cli import output
from sim.config.series import load_series
from sim.io import POINTS_FORMAT, atomic_path, write_table_atomic
from sim.results import read_results, unused_columns
from sim.rules import compute_standings


def standings(
    results: Path = typer.Argument(..., metavar="RESULTS",
                                   help="Results table (CSV or Parquet), one row per car per race."),
    series: str = typer.Option(..., "--series", metavar="SERIES",
                               help="Rulebook name under configs/series/ or a path to one."),
    after: str | None = typer.Option(None, "--after", metavar="RACE",
                                     help="Standings after this race id (default: the last)."),
    out: Path | None = typer.Option(None, "--out", metavar="FILE",
                                    help="Write the standings here (CSV or Parquet) instead of stdout."),
) -> None:
    """Championship standings of every title of SERIES from a results table."""
    rulebook = load_series(series)
    table = read_results(results)
    ignored = unused_columns(table)
    if ignored:
        typer.echo(f"note: {results}: column(s) not used by the rules: {', '.join(ignored)}", err=True)
    frame = compute_standings(table, rulebook, after=after, source=str(results))
    if out is None:
        frame.to_csv(sys.stdout, index=False, float_format=POINTS_FORMAT)
    elif out.suffix.lower() in (".parquet", ".pq"):
        write_table_atomic(frame, out)
    else:
        with atomic_path(out) as tmp:
            frame.to_csv(tmp, index=False, float_format=POINTS_FORMAT)
    if out is not None:
        output.wrote(out, f"{len(frame)} rows")


def register(app: typer.Typer) -> None:
    app.command("standings", short_help="Standings of a series from a results table.")(standings)
