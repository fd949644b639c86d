"""`sim season SCENARIO --seed N [--index I] [--out DIR]`: one simulated championship season."""

from __future__ import annotations

from pathlib import Path

import typer

from sim.cli import output
from sim.errors import InputError
from sim.io import POINTS_FORMAT, make_output_folder, write_csv_atomic
from sim.season import SeasonOutcome


def write_season(outcome: SeasonOutcome, out_dir: Path) -> list[Path]:
    """results.csv, standings.csv (final), standings_by_race.csv, awards.csv, events.csv; atomic each."""
    from sim.results import write_results

    out_dir = Path(out_dir)
    paths = [out_dir / name for name in ("results.csv", "standings.csv", "standings_by_race.csv",
                                          "awards.csv", "events.csv")]
    make_output_folder(out_dir)
    write_results(outcome.results, paths[0])
    # standings written as `sim standings` writes them (points 76, not 76.0)
    write_csv_atomic(outcome.standings, paths[1], float_format=POINTS_FORMAT)
    write_csv_atomic(outcome.standings_by_race, paths[2], float_format=POINTS_FORMAT)
    for frame, path in zip((outcome.awards, outcome.events), paths[3:]):
        write_csv_atomic(frame, path)
    return paths


def register(app: typer.Typer) -> None:
    @app.command("season", short_help="One simulated season: results, standings, awards.")
    def season(
        scenario: str = typer.Argument(..., metavar="SCENARIO",
                                       help="Scenario file, or a name under scenarios/ (e.g. default)."),
        seed: int = typer.Option(..., "--seed", metavar="N", help="Root seed of the study."),
        index: int = typer.Option(0, "--index", min=0, metavar="I",
                                  help="Season index: replays season I of a Monte Carlo run."),
        out: Path | None = typer.Option(None, "--out", metavar="DIR",
                                           help="Folder for results/standings/awards/events CSVs."),
        quiet: bool = typer.Option(False, "--quiet", help="Do not print the season summary."),
    ) -> None:
        """Simulate one season: every race, standings after each race, champions, Le Mans invitations."""
        from sim.season import simulate_season

        if seed < 0:
            raise InputError(None, "--seed", f"must be a whole number >= 0, got {seed}")
        outcome = simulate_season(scenario, seed, index)
        written = write_season(outcome, out) if out is not None else []
        if not quiet:
            from sim.report.console import print_season

            header = (f"[bold]{outcome.scenario}[/bold]: season {index} of seed {seed}, "
                      f"{outcome.results['race'].nunique()} races, {outcome.results['car'].nunique()} cars")
            print_season(output.console(), outcome, header)
        if out is not None:
            output.wrote(out, files=[path.name for path in written])
