"""`sim run` (and `sim` alone): one season of the embedded default scenario, printed for a reader.

The default is `scenarios/default.yaml`: an Asian-Le-Mans-style season on a 2 Far East + 2 Middle
East calendar of 4-hour double-headers, LMP2, LMP3 and GT3 with Pro-Am and Gold Cup.
"""

from __future__ import annotations

from pathlib import Path

import typer

from sim.config.loader import SCENARIOS

DEFAULT_SCENARIO = SCENARIOS / "default.yaml"
DEFAULT_SEED = 2025


def run_default(seed: int = DEFAULT_SEED, out: Path | None = None) -> None:
    """Simulate one season of the default scenario; print standings, champions and invitations."""
    from sim.cli import output
    from sim.cli.season import write_season
    from sim.report.console import print_season
    from sim.season import simulate_season

    outcome = simulate_season(DEFAULT_SCENARIO, seed)
    results = outcome.results
    console = output.console()
    header = (f"[bold]{outcome.scenario}[/bold] (scenarios/default.yaml, seed {seed}): "
              f"{results['race'].nunique()} races, {results['car'].nunique()} cars, "
              f"{(results['status'] == 'classified').mean():.0%} of starts classified")
    print_season(console, outcome, header)
    if out is not None:
        output.wrote(out, files=[path.name for path in write_season(outcome, out)])
    console.print("Next: `sim montecarlo default --runs 1000 --seed 1` for title and invitation odds; "
                  "`sim calendar compare default four-middle-east three-plus-one` for the calendar.")


def register(app: typer.Typer) -> None:
    @app.command("run", short_help="One season of the default scenario, printed.")
    def run(
        seed: int = typer.Option(DEFAULT_SEED, "--seed", min=0, metavar="N", help="Seed of the season."),
        out: Path | None = typer.Option(None, "--out", metavar="DIR",
                                           help="Also write the season's CSVs to this folder."),
    ) -> None:
        """Simulate one season of the embedded default scenario and print the outcome."""
        run_default(seed, out)
