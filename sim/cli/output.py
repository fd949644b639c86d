"""What every command shares for its output, so commands added later look and behave the same.

- `console()`: stdout, as wide as the terminal; piped or redirected, $COLUMNS or 120 columns, no colour.
- `Column`, `fitted_table`: tables that fit that width (optional columns dropped, long names cut).
- `wrote(path, detail)`: the one confirmation line on stderr when a command writes a file or folder
  (stdout stays the command's data: `sim race ... > r3.csv` still works).
- `note(text)`: any other line for the user on stderr.
- `interrupted(stopped)`: the exception that ends a Ctrl-C'd study: exit 130, and a message saying where
  its checkpoint is and that `--resume` finishes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import typer
from rich.console import Console

from sim.report.console import Column, fitted_table, make_console

__all__ = ["Column", "console", "fitted_table", "interrupted", "note", "wrote"]


def console(piped_width: int = 120) -> Console:
    return make_console(piped_width)


def note(text: str) -> None:
    typer.echo(text, err=True)


def wrote(path: str | Path, detail: str = "", files: Iterable[str] = ()) -> None:
    """`wrote out/r3.csv (42 rows)`, or for a folder `wrote out/season/: results.csv, standings.csv`."""
    names = ", ".join(files)
    text = f"wrote {path}" + (f": {names}" if names else "") + (f" ({detail})" if detail else "")
    note(text)


def interrupted(stopped: Exception) -> Exception:
    """The CLI's exception for a stopped study (sim.montecarlo.StudyInterrupted): exit 130 with how to go on."""
    from sim.cli import Interrupted

    done = f"study interrupted after {stopped.seasons_done:,} of {stopped.runs:,} seasons"
    if not stopped.checkpoint:
        return Interrupted(done)
    return Interrupted(f"{done}; checkpoint saved in {stopped.checkpoint}: run the same command with --resume "
                       "to finish it (or --restart to discard it)")
