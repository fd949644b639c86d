"""Readable terminal reports (rich): a season's standings, champions and Le Mans invitations,
and a Monte Carlo study's title odds. Pure presentation over the rules engine's tables."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

TOP = 5
_FIXED = {"after", "season", "title", "class", "category", "kind", "position", "position_text", "car", "team",
          "drivers", "points", "wins"}


def number(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def race_columns(standings: pd.DataFrame) -> list[str]:
    return [c for c in standings.columns if c not in _FIXED]


def print_standings(console: Console, standings: pd.DataFrame, top: int = TOP, kinds=("teams",)) -> None:
    """Top `top` of every title (teams only by default: drivers mirror their car), per-race points."""
    races = race_columns(standings)
    for title, table in standings.groupby("title", sort=False):
        kind = table["kind"].iloc[0]
        if kind not in kinds:
            continue
        view = Table(title=f"{title} (top {min(top, len(table))} of {len(table)})", title_justify="left")
        for column in ("pos", "car", "team" if kind == "teams" else "driver", "pts", *races):
            view.add_column(column, justify="left" if column in ("team", "driver") else "right")
        for row in table.head(top).to_dict("records"):
            name = row["team"] if kind == "teams" else row["drivers"]
            view.add_row(str(row.get("position_text", row["position"])), str(row["car"]), name,
                         number(row["points"]), *(number(row[race]) for race in races))
        console.print(view)


def champions(standings: pd.DataFrame) -> pd.DataFrame:
    """One row per title: the champion, points, margin over the runner-up and how a tie was settled."""
    rows = []
    for title, table in standings.groupby("title", sort=False):
        leader = table.iloc[0]
        # Co-drivers of the champion car share the drivers' title: the margin is to the next rival.
        same_car = table[(table["points"] == leader["points"]) & (table["car"] == leader["car"])]
        rivals = table.drop(index=same_car.index)
        second = rivals.iloc[0] if len(rivals) else None
        margin = float(leader["points"] - second["points"]) if second is not None else float("nan")
        who = leader["team"] if leader["kind"] == "teams" else ", ".join(same_car["drivers"])
        note = ""
        if second is not None and margin == 0:
            note = "tie on points, settled on countback" if leader.get("position_text", "1") == "1" else "shared"
        rows.append({"title": title, "kind": leader["kind"], "champion": who, "car": leader["car"],
                     "points": leader["points"], "margin": margin, "note": note})
    return pd.DataFrame(rows)


def print_champions(console: Console, standings: pd.DataFrame) -> None:
    view = Table(title="Champions", title_justify="left")
    for column in ("title", "champion", "car", "pts", "margin"):
        view.add_column(column, justify="right" if column in ("car", "pts", "margin") else "left")
    for row in champions(standings).to_dict("records"):
        margin = number(row["margin"]) + (f" ({row['note']})" if row["note"] else "")
        view.add_row(row["title"], row["champion"], str(row["car"]), number(row["points"]), margin)
    console.print(view)


def print_invitations(console: Console, awards: pd.DataFrame) -> None:
    """Le Mans invitations with the rule that gave each; passed-over candidates with the reason."""
    if awards is None or awards.empty:
        console.print("Le Mans 24 Hours invitations: none in this rulebook")
        return
    view = Table(title="Le Mans 24 Hours invitations", title_justify="left")
    for column in ("recipient", "car", "title", "rule", "reason"):
        view.add_column(column, justify="right" if column == "car" else "left")
    given = awards[awards["status"] == "awarded"] if "status" in awards.columns else awards
    for row in given.to_dict("records"):
        view.add_row(str(row["recipient"]), str(row["car"]), str(row["title"]), str(row["rule"]), str(row["reason"]))
    console.print(view)
    if "status" in awards.columns:
        for row in awards[awards["status"] != "awarded"].to_dict("records"):
            console.print(f"  not awarded ({row['rule']}): {row['recipient'] or '-'}: {row['reason']}")


class OutputConsole(Console):
    """rich Console for a command's printed output. A reader that closes the pipe early (`| head`) raises
    BrokenPipeError, which the CLI ends with exit 0, instead of rich's own exit 1."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def make_console(width: int = 120) -> Console:
    """A console at least `width` wide, so tables keep their layout when output is piped to a file."""
    import shutil

    return OutputConsole(width=max(shutil.get_terminal_size((width, 40)).columns, width))


def print_season(console: Console, outcome, header: str) -> None:
    console.print(header)
    print_standings(console, outcome.standings)
    print_champions(console, outcome.standings)
    print_invitations(console, outcome.awards)


def print_study(console: Console, summary: pd.DataFrame, top: int = 3) -> None:
    """The title favourites of every teams' classification and the invitation odds."""
    frame = summary.copy()
    frame = frame[frame["kind"] == "teams"]
    for column in ("p_title", "se_p_title", "p_top3", "mean_points", "mean_position", "p_invitation"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    view = Table(title="Title odds (teams)", title_justify="left")
    for column in ("title", "car", "team", "P(title)", "P(top 3)", "mean pts", "mean pos", "P(Le Mans)"):
        view.add_column(column, justify="left" if column in ("title", "team") else "right")
    for title, group in frame.groupby("title", sort=False):
        for row in group.sort_values("p_title", ascending=False, kind="stable").head(top).to_dict("records"):
            view.add_row(title, str(row["car"]), str(row["team"]),
                         f"{row['p_title']:.3f} ± {row['se_p_title']:.3f}", f"{row['p_top3']:.3f}",
                         f"{row['mean_points']:.1f}", f"{row['mean_position']:.2f}", f"{row['p_invitation']:.3f}")
    console.print(view)
