"""Readable terminal reports (rich): a season's standings, champions and Le Mans invitations, a Monte
Carlo study's title odds and a paired study's changes. Pure presentation over the rules engine's tables.

Tables fit the console: on a terminal its width, piped to a file a fixed width (or $COLUMNS). Each
table lists its columns with a drop order (`Column.optional`): the least needed go first when the
width is short, then long names are cut with an ellipsis (never wrapped over several lines).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

import pandas as pd
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from sim.report.frames import answer, car_titles, categories, change_text, pct, pct_se, significant
from sim.season import SeasonOutcome

TOP = 5
_FIXED = {"after", "season", "title", "class", "category", "kind", "position", "position_text", "car", "team",
          "drivers", "points", "wins"}


def number(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def race_columns(standings: pd.DataFrame) -> list[str]:
    return [c for c in standings.columns if c not in _FIXED]


@dataclass(frozen=True)
class Column:
    """A table column: `numeric` ones are right-aligned and never cut; `optional` > 0 may be dropped when the
    console is narrow (the highest first); text columns are then cut with an ellipsis, never wrapped."""

    header: str
    numeric: bool = False
    optional: int = 0
    right: bool = False


def _text_widths(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[str]],
                 keep: list[int]) -> tuple[int, dict[int, int]]:
    """The table's natural width, and the widths that fit the console (text columns shortened evenly)."""
    natural = {i: max([cell_len(columns[i].header)] + [cell_len(row[i]) for row in rows]) for i in keep}
    frame = 3 * len(keep) + 1                     # rich's box: a rule and a space of padding each side
    room = console.width - frame - sum(natural[i] for i in keep if columns[i].numeric)
    flexible = sorted((i for i in keep if not columns[i].numeric), key=lambda i: natural[i])
    widths = {}
    for k, i in enumerate(flexible):
        widths[i] = max(min(natural[i], room // (len(flexible) - k)), min(natural[i], 4))
        room -= widths[i]
    return sum(natural.values()) + frame, widths


def fitted_table(console: Console, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> Table:
    """A rich Table of `rows` that fits `console.width`: optional columns dropped first, then text cut."""
    keep = list(range(len(columns)))
    natural, widths = _text_widths(console, columns, rows, keep)
    while natural > console.width and any(columns[i].optional > 0 for i in keep):
        keep.remove(max((i for i in keep if columns[i].optional > 0), key=lambda i: (columns[i].optional, i)))
        natural, widths = _text_widths(console, columns, rows, keep)
    table = Table(title=title, title_justify="left")
    for i in keep:
        column = columns[i]
        table.add_column(column.header, justify="right" if column.numeric or column.right else "left",
                         no_wrap=True, overflow="ellipsis", max_width=widths.get(i))
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    return table


def side_by_side(console: Console, title: str, key: Column, columns: Sequence[Column],
                 rows: Sequence[Sequence[str]]) -> list[Table]:
    """Tables of many value columns side by side (calendars, scenarios), the key column first in each: as
    many value columns per table as fit the console, the next ones in a further table (never cut)."""
    widths = [max([cell_len(column.header)] + [cell_len(row[i + 1]) for row in rows]) + 3
              for i, column in enumerate(columns)]
    room = console.width - (max([cell_len(key.header)] + [cell_len(row[0]) for row in rows]) + 4)
    groups: list[list[int]] = [[]]
    used = 0
    for i, width in enumerate(widths):
        if groups[-1] and used + width > room:
            groups.append([])
            used = 0
        groups[-1].append(i)
        used += width
    tables = []
    for number, group in enumerate(groups, start=1):
        part = f" ({number}/{len(groups)})" if len(groups) > 1 else ""
        tables.append(fitted_table(console, title + part, [key] + [columns[i] for i in group],
                                   [[row[0]] + [row[i + 1] for i in group] for row in rows]))
    return tables


def print_standings(console: Console, standings: pd.DataFrame, top: int = TOP,
                    kinds: tuple[str, ...] = ("teams",)) -> None:
    """Top `top` of every title (teams only by default: drivers mirror their car), per-race points (the
    latest races kept when the console is narrow)."""
    races = race_columns(standings)
    for title, table in standings.groupby("title", sort=False):
        kind = table["kind"].iloc[0]
        if kind not in kinds:
            continue
        columns = [Column("pos", True), Column("car", True), Column("team" if kind == "teams" else "driver"),
                   Column("pts", True)] + [Column(race, True, optional=len(races) - j) for j, race in enumerate(races)]
        rows = [[str(row.get("position_text", row["position"])), str(row["car"]),
                 row["team"] if kind == "teams" else row["drivers"], number(row["points"]),
                 *(number(row[race]) for race in races)] for row in table.head(top).to_dict("records")]
        console.print(fitted_table(console, f"{title} (top {min(top, len(table))} of {len(table)})", columns, rows))


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
    columns = [Column("title"), Column("champion"), Column("car", True), Column("pts", True),
               Column("margin", right=True)]
    rows = [[row["title"], row["champion"], str(row["car"]), number(row["points"]),
             number(row["margin"]) + (f" ({row['note']})" if row["note"] else "")]
            for row in champions(standings).to_dict("records")]
    console.print(fitted_table(console, "Champions", columns, rows))


def print_invitations(console: Console, awards: pd.DataFrame) -> None:
    """Le Mans invitations with the rule that gave each; passed-over candidates with the reason."""
    if awards is None or awards.empty:
        console.print("Le Mans 24 Hours invitations: none in this rulebook")
        return
    given = awards[awards["status"] == "awarded"] if "status" in awards.columns else awards
    # the reason names the title ("winner of Petit Le Mans P1"): on a narrow console the title column goes
    # first, then the rule id, and the reason stays
    columns = [Column("recipient"), Column("car", True), Column("title", optional=3), Column("rule", optional=2),
               Column("reason", optional=1)]
    rows = [[str(row[name]) for name in ("recipient", "car", "title", "rule", "reason")]
            for row in given.to_dict("records")]
    console.print(fitted_table(console, "Le Mans 24 Hours invitations", columns, rows))
    if "status" in awards.columns:
        for row in awards[awards["status"] != "awarded"].to_dict("records"):
            console.print(f"  not awarded ({row['rule']}): {row['recipient'] or '-'}: {row['reason']}")


class OutputConsole(Console):
    """rich Console for a command's printed output. A reader that closes the pipe early (`| head`) raises
    BrokenPipeError, which the CLI ends with exit 0, instead of rich's own exit 1."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def console_width(piped_width: int = 120, stream: TextIO | None = None) -> int:
    """The terminal's width on a terminal; piped or redirected, $COLUMNS if set, else `piped_width` (a
    file or a pager is not limited to the 80 columns rich would assume)."""
    stream = stream or sys.stdout
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        pass
    return piped_width


def make_console(width: int = 120, stderr: bool = False) -> Console:
    """The console a command prints to (stdout, or stderr), as wide as the terminal (see console_width)."""
    return OutputConsole(width=console_width(width, sys.stderr if stderr else sys.stdout), stderr=stderr)


def print_season(console: Console, outcome: SeasonOutcome, header: str) -> None:
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
    columns = [Column("title"), Column("car", True), Column("team"), Column("P(title)", True),
               Column("P(top 3)", True, optional=3), Column("mean pts", True, optional=2),
               Column("mean pos", True, optional=4), Column("P(Le Mans)", True, optional=1)]
    rows = []
    for title, group in frame.groupby("title", sort=False):
        for row in group.sort_values("p_title", ascending=False, kind="stable").head(top).to_dict("records"):
            rows.append([title, str(row["car"]), str(row["team"]), f"{row['p_title']:.3f} ± {row['se_p_title']:.3f}",
                         f"{row['p_top3']:.3f}", f"{row['mean_points']:.1f}", f"{row['mean_position']:.2f}",
                         f"{row['p_invitation']:.3f}"])
    console.print(fitted_table(console, "Title odds (teams)", columns, rows))


def print_paired_changes(console: Console, cars: pd.DataFrame, runs: int, top: int = 10) -> None:
    """The cars whose odds B vs A move most (paired.cars, most significant first): own title, Le Mans."""
    moving = int(significant(cars).sum())
    console.print(f"B vs A on the same {runs:,} seasons: {moving} of {len(cars)} cars change beyond 2 paired SE "
                  "(changes B-A in percentage points ± SE; own title: the car's cup, or its class)")
    # narrow terminals drop |z| first, then the own title's A and B (its change stays), then the names
    columns = [Column("car", True), Column("team", optional=2), Column("category", optional=3),
               Column("own title A", True, optional=5), Column("own title B", True, optional=4),
               Column("own title B-A", True), Column("Le Mans A", True), Column("Le Mans B", True),
               Column("Le Mans B-A", True), Column("|z|", True, optional=6)]
    rows = [[f"#{r['car']}", r["team_b"], categories(r), pct(r["a_p_own_title"]), pct(r["b_p_own_title"]),
             change_text(r["delta_p_own_title"], r["se_delta_p_own_title"]), pct(r["a_p_invitation"]),
             pct(r["b_p_invitation"]), change_text(r["delta_p_invitation"], r["se_delta_p_invitation"]),
             f"{float(r['max_abs_z']):.1f}"] for _, r in cars.head(top).iterrows()]
    console.print(fitted_table(console, f"Changes that matter (top {len(rows)} of {len(cars)})", columns, rows))


def print_paired_focus(console: Console, car: str, frames: dict[str, pd.DataFrame]) -> None:
    """One car's question answered: invitation and title odds in A and B, every title it is in."""
    mine = frames["paired_cars"][frames["paired_cars"]["car"] == car]
    if mine.empty:
        console.print(f"car {car} is not in both scenarios")
        return
    row = mine.iloc[0]
    console.print(f"#{car} {row['team_b']} ({row['class']}, {categories(row)}): {answer(row)}")
    titles = car_titles(frames["paired"], frames["summary_a"], frames["summary_b"], car)
    rows = [[t["title"], pct(t["a_p_title"]), pct(t["b_p_title"]),
             change_text(t["delta_p_title"], t["se_delta_p_title"])] for _, t in titles.iterrows()]
    rows.append(["Le Mans invitation (any title)", pct(row["a_p_invitation"]), pct(row["b_p_invitation"]),
                 change_text(row["delta_p_invitation"], row["se_delta_p_invitation"])])
    console.print(fitted_table(console, f"Car #{car}: A vs B", [Column("odds of"), Column("A", True),
                                                               Column("B", True), Column("B-A", True)], rows))


def print_study_focus(console: Console, car: str, summary: pd.DataFrame, invitations: pd.DataFrame) -> None:
    """One car in a single study: its odds in every teams title it is in, and its invitations by rule."""
    rows = summary[(summary["car"] == car) & (summary["kind"] == "teams")]
    if rows.empty:
        console.print(f"car {car} is in no teams title of this study")
        return
    first = rows.iloc[0]
    table = [[r["title"], pct_se(r["p_title"], r["se_p_title"]), pct(r["p_top3"]), number(r["mean_position"])]
             for _, r in rows.iterrows()]
    mine = invitations[(invitations["car"] == car) & (invitations["kind"] == "teams")].drop_duplicates("rule")
    table += [[f"Le Mans: {r['rule']}", pct_se(r["p_invitation"], r["se_p_invitation"]), "", ""]
              for _, r in mine.iterrows()]
    table.append(["Le Mans invitation (any title)", pct_se(first["p_invitation"], first["se_p_invitation"]), "", ""])
    console.print(fitted_table(console, f"Car #{car} {first['team']}", [
        Column("odds of"), Column("P ± SE", True), Column("P(top 3)", True, optional=2),
        Column("mean pos", True, optional=1)], table))
