"""`sim ingest FILE... --out RESULTS [--rounds 1,1,2,2] [--qualifying FILE...] [--entries-out ENTRIES.yaml]`:
official timing exports (Al Kamel Systems classification CSVs) to a results table."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer

from sim.errors import InputError
from sim.io import atomic_path, check_output_file
from sim.results import write_results


def _numbers(text: str | None, option: str, kind=int) -> list | None:
    if text is None:
        return None
    try:
        return [kind(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(None, option, f"'{text}' is not a comma-separated list of numbers (e.g. 1,1,2,2)") from None


def ingest(
    files: list[Path] = typer.Argument(..., help="Race classification exports in race order (R1, R2, ...); "
                                                 "qualifying exports among them are recognised by their columns."),
    out: Path = typer.Option(..., "--out", help="The results table to write (CSV, or Parquet by suffix)."),
    rounds: str | None = typer.Option(None, "--rounds", help="Round of each race, e.g. 1,1,2,2 for two "
                                                             "double-headers (default: each race its own round)."),
    qualifying: list[Path] = typer.Option([], "--qualifying", help="Qualifying classification exports, in round "
                                                                   "order: class P1 = the pole of the round's first "
                                                                   "race; drivers' FIA ratings."),
    qualifying_rounds: str | None = typer.Option(None, "--qualifying-rounds", help="Round of each qualifying "
                                                 "export (default: by file order; a file ranking a class already "
                                                 "ranked starts the next round)."),
    pole: list[str] = typer.Option([], "--pole", help="A class pole known from elsewhere, RACE:CLASS=CAR "
                                                      "(e.g. R2:LMP2=43); repeat or separate with commas."),
    hours: str | None = typer.Option(None, "--hours", help="Scheduled race length in hours: one for all, or one "
                                                           "per race (written as the `hours` column)."),
    additional: bool = typer.Option(True, "--additional/--no-additional", help="Cars absent from the first round "
                                    "are `additional` entries (the ACO practice); --no-additional: all `season`."),
    entries_out: Path | None = typer.Option(None, "--entries-out", help="Also write an entry list "
                                            "(configs/entries format) of the season's cars."),
    series: str | None = typer.Option(None, "--series", help="Rulebook (name or path): its classes are checked, "
                                                             "and assumed ratings meet its crew rules."),
) -> None:
    """Official timing exports to a results table: Al Kamel race (and qualifying) classification CSVs of ACO
    series and IMSA; bad exports are refused with one line, and nothing is written."""
    from sim.cli import output
    from sim.ingest import ingest_exports

    inputs = {path.resolve() for path in [*files, *qualifying]}
    for option, target in (("--out", out), ("--entries-out", entries_out)):
        if target is not None:
            check_output_file(target)
            if target.resolve() in inputs:
                raise InputError(target, option, "is one of the exports read: it would be overwritten")
    if entries_out is not None and entries_out.resolve() == out.resolve():
        raise InputError(entries_out, None, "--entries-out and --out name the same file")
    rulebook = _rulebook(series)
    ingested = ingest_exports(
        files, rounds=_numbers(rounds, "--rounds"), qualifying=qualifying,
        qualifying_rounds=_numbers(qualifying_rounds, "--qualifying-rounds"),
        poles=[part for text in pole for part in text.split(",") if part.strip()],
        hours=_numbers(hours, "--hours", float), additional_entries=additional, rulebook=rulebook)
    results = ingested.results
    entries_text = _entries_text(ingested, rulebook, entries_out.stem) if entries_out is not None else None
    for note in ingested.notes:
        output.note(f"note: {note}")
    with contextlib.ExitStack() as stack:   # both files or neither
        if entries_out is not None:
            stack.enter_context(atomic_path(entries_out)).write_text(entries_text, encoding="utf-8")
        write_results(results, out)
    races = results["race"].nunique()
    output.wrote(out, f"{len(results)} rows: {races} race{'s' if races > 1 else ''}, "
                      f"{results.drop_duplicates(['class', 'car']).shape[0]} cars")
    if entries_out is not None:
        output.wrote(entries_out, "entry list")


def _rulebook(series: str | None):
    if series is None:
        return None
    from sim.config.series import load_series

    return load_series(series)


def _entries_text(ingested, rulebook, name: str) -> str:
    from sim.config.race_model import load_race_model
    from sim.ingest.entry_list import entry_list_from_results, entry_list_yaml

    races = ", ".join(path.name for path in ingested.race_files)
    draft = entry_list_from_results(ingested.results, rulebook=rulebook, race_model=load_race_model(),
                                    name=name, source=f"Al Kamel timing exports: {races}")
    header = [f"Entry list written by `sim ingest` from the race classifications {races}"]
    if ingested.qualifying_files:
        header.append(f"and the qualifying classifications {', '.join(p.name for p in ingested.qualifying_files)}")
    return entry_list_yaml(draft, header="\n".join(header) + ".")


def register(app: typer.Typer) -> None:
    app.command("ingest", short_help="Official timing exports (Al Kamel CSVs) to a results table.")(ingest)
