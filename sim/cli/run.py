"""`sim run` (and `sim` alone): the embedded default.

For now the default applies the Asian Le Mans Series rules to the real 2023 results shipped in
data/asian-lms-2023-results.csv and prints per-class standings, champions and Le Mans invitations.
"""

from __future__ import annotations

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from sim.config.loader import ROOT
from sim.config.series import load_series
from sim.results import read_results
from sim.rules import compute_standings

DEFAULT_RESULTS = ROOT / "data" / "asian-lms-2023-results.csv"
DEFAULT_SERIES = "asian-lms"
TOP = 5


def run_default() -> None:
    """Standings (top 5 per title), champions and invitations of the default season."""
    rulebook = load_series(DEFAULT_SERIES)
    results = read_results(DEFAULT_RESULTS)
    standings = compute_standings(results, rulebook, source=str(DEFAULT_RESULTS))
    console = Console()
    console.print(f"[bold]{rulebook.description}[/bold]: real 2023 results ({DEFAULT_RESULTS.name}, "
                  f"{results['race'].nunique()} races)")
    print_standings(console, standings)
    print_invitations(console, standings, results, rulebook)


def print_standings(console: Console, standings: pd.DataFrame, top: int = TOP) -> None:
    races = [c for c in standings.columns if c not in _FIXED and c != "wins"]
    for title, table in standings.groupby("title", sort=False):
        view = Table(title=f"{title} (top {top})", title_justify="left")
        for column in ("pos", "car", "team" if table["kind"].iloc[0] == "teams" else "driver", "points", *races):
            view.add_column(column, justify="right" if column not in ("team", "driver") else "left")
        for row in table.head(top).itertuples(index=False):
            row = row._asdict()
            name = row["team"] if row["kind"] == "teams" else row["drivers"]
            view.add_row(str(row["position_text"]), str(row["car"]), name, _number(row["points"]),
                         *(_number(row[race]) for race in races))
        console.print(view)
    for title, table in standings.groupby("title", sort=False):
        leader = table.iloc[0]
        # Co-drivers of the champion car with the same points share the drivers' title.
        same = table[(table["points"] == leader["points"]) & (table["car"] == leader["car"])]
        who = leader["team"] if leader["kind"] == "teams" else ", ".join(same["drivers"])
        console.print(f"[bold]{title} champion[/bold]: {who} (car {leader['car']}), {_number(leader['points'])} points")

_FIXED = {"season", "title", "class", "category", "kind", "position", "position_text", "car", "team",
          "drivers", "points"}


def print_invitations(console: Console, standings: pd.DataFrame, results: pd.DataFrame, rulebook) -> None:
    try:
        from sim.rules import award_invitations
    except ImportError:
        return
    awards = award_invitations(standings, results, rulebook)
    if awards.empty:
        console.print("Le Mans invitations: none in this rulebook")
        return
    console.print("[bold]Le Mans 24 Hours invitations[/bold]")
    for row in awards.to_dict("records"):
        console.print(f"  {row.get('title', '')}: {row.get('recipient', '') or '-'} "
                      f"(car {row.get('car', '') or '-'}; {row.get('reason', '')})")


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{value:g}"


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run() -> None:
        """Run the embedded default and print standings, champions and Le Mans invitations."""
        run_default()
