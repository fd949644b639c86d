"""Reports for calendar planning: terminal tables (rich), CSV, and a PNG chart (timeline + metric bars)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from sim.calendar.figures import draw_metric_bars, draw_other_events, draw_timeline, season_label, timeline_rows
from sim.calendar.search_problem import Candidate, SearchProblem, SearchResult
from sim.io import atomic_path, write_csv_atomic
from sim.report.console import Column, fitted_table, make_console, side_by_side

KEY_METRICS = (
    ("freight_km", "freight km"),
    ("freight_cost_eur", "freight EUR / car"),
    ("freight_gap_violations", "freight gap violations"),
    ("clashes", "clashes"),
    ("clash_people", "teams+drivers in clashes"),
    ("heat_excess_c", "heat excess (C)"),
    ("expected_wet_races", "expected wet races"),
    ("unlit_dark_hours", "race hours dark, unlit"),
)
LONG_TEXT = ("clash_events",)   # listed in their own table on the terminal


def cell(value: object) -> str:
    """A metric as the terminal and the report show it: thousands separated, no trailing zeros."""
    if isinstance(value, float):
        if value != value:
            return ""
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return "" if value is None else str(value)


def metric_rows(table: pd.DataFrame, columns: Sequence[str] | None = None) -> list[list[str]]:
    """Metrics down, calendars across: [metric, value per calendar] for `columns` (default: all but long text)."""
    names = [c for c in (columns or table.columns) if c != "scenario" and c not in LONG_TEXT]
    return [[name, *(cell(value) for value in table[name].tolist())] for name in names]


def print_comparison(table: pd.DataFrame, assessments: Sequence = (), console: Console | None = None) -> None:
    """The calendar metrics side by side (as many calendars per table as fit), then the clashes, if any."""
    console = console or make_console()
    columns = [Column(str(name), right=True) for name in table["scenario"]]
    for part in side_by_side(console, "Calendar comparison", Column("metric"), columns, metric_rows(table)):
        console.print(part)
    clashes = clash_rows(assessments)
    if clashes:
        console.print(fitted_table(console, "Clashes with other championships", [
            Column("calendar"), Column("round"), Column("event"), Column("days apart", True, optional=2),
            Column("people", True, optional=1)], clashes))


def clash_rows(assessments: Sequence) -> list[list[str]]:
    """[calendar, round, championship: event, days apart (<= 0: shared days), teams + drivers] per clash."""
    return [[a.name, c.round_name, f"{c.championship}: {c.event}", str(c.days_apart), str(c.people)]
            for a in assessments for c in a.clashes]


def write_comparison_csv(table: pd.DataFrame, path: str | Path) -> None:
    write_csv_atomic(table, path)


def comparison_chart(assessments: Sequence, table: pd.DataFrame, path: str | Path,
                     extra_metrics: Sequence[tuple[str, str, Sequence[float] | None]] = ()) -> None:
    """The other championships' events (labelled), the calendars' timeline, and bars of key metrics.

    `extra_metrics` adds bar panels after the logistics ones: (column, title, standard errors or None),
    e.g. the Monte Carlo sporting metrics with their error bars.
    """
    import matplotlib.pyplot as plt

    names = list(table["scenario"])
    extra = [metric for metric in extra_metrics if metric[0] in table.columns]
    seasons, lanes = timeline_rows(assessments, 14)
    panels = [(column, title, None, "#4a6fa5") for column, title in KEY_METRICS]
    panels += [(column, title, errors, "#b5562c") for column, title, errors in extra]
    bar_rows = -(-len(panels) // 4)
    heights = [0.22 * n + 0.5 for n in lanes] + [0.9 * len(assessments) + 1.5] + [2.4] * bar_rows
    figure = plt.figure(figsize=(14, sum(heights) + 0.6 * len(heights)))
    grid = figure.add_gridspec(len(heights), 4, height_ratios=heights, hspace=0.6, wspace=0.35)
    for row, (origin, events) in enumerate(seasons):
        draw_other_events(figure.add_subplot(grid[row, :]), events, origin, season_label(origin))
    draw_timeline(figure.add_subplot(grid[len(seasons), :]), assessments)
    for index, (column, title, errors, colour) in enumerate(panels):
        axis = figure.add_subplot(grid[len(seasons) + 1 + index // 4, index % 4])
        draw_metric_bars(axis, names, pd.to_numeric(table[column], errors="coerce").fillna(0), title, errors, colour)
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)


def print_search(result: SearchResult, problem: SearchProblem, console: Console | None = None) -> None:
    """Top candidates with their metric breakdown, why #1 wins, and what the constraints excluded."""
    console = console or make_console()
    title = (f"Best calendars ({problem.rounds} rounds, {len(problem.venues)} venues, {result.saturdays} Saturdays, "
             f"{result.elapsed_s:.1f} s)")
    columns = [Column("rank", True), Column("score", True), Column("freight km", True), Column("clashes", True),
               Column("heat C", True, optional=2), Column("wet races", True), Column("modes", optional=1)]
    rows = [[str(c.rank), f"{c.score:.2f}", f"{c.row['freight_km']:,.0f}", str(c.row["clashes"]),
             f"{c.row['heat_excess_c']:.1f}", f"{c.row['expected_wet_races']:.2f}", c.row["freight_modes"]]
            for c in result.candidates]
    console.print(fitted_table(console, title, columns, rows))
    for c in result.candidates:
        console.print(f"#{c.rank}: {c.describe()}", highlight=False)
    if result.candidates:
        for part in explain_winner(result.candidates, console):
            console.print(part)
    console.print(exclusions_table(result, console))


def explain_winner(candidates: Sequence[Candidate], console: Console) -> list[Table]:
    """Objective contributions per metric for the top candidates: why the first one wins."""
    rows = []
    for metric in candidates[0].contributions:
        cells = [f"{c.contributions[metric]:.2f}" for c in candidates]
        if len(candidates) > 1:
            cells.append(f"{candidates[0].contributions[metric] - candidates[1].contributions[metric]:+.2f}")
        rows.append([metric, *cells])
    totals = [f"{c.score:.2f}" for c in candidates]
    if len(candidates) > 1:
        totals.append(f"{candidates[0].score - candidates[1].score:+.2f}")
    rows.append(["total", *totals])
    columns = [Column(f"#{c.rank}", True) for c in candidates] + ([Column("#1 vs #2", True)] if len(candidates) > 1
                                                                   else [])
    return side_by_side(console, "Why the top candidates rank where they do (objective contributions, lower is "
                                 "better)", Column("metric"), columns, rows)


def exclusions_table(result: SearchResult, console: Console) -> Table:
    rows = [[entry.constraint, "venue-date options", str(entry.count), entry.example]
            for entry in result.option_exclusions.values()]
    rows += [[entry.constraint, "partial calendars", str(entry.count), entry.example]
             for entry in sorted(result.exclusions.values(), key=lambda e: -e.count)]
    return fitted_table(console, f"Excluded by hard constraints ({result.nodes} partial calendars expanded, "
                                 f"{result.dominated} cut by the bound)",
                        [Column("constraint"), Column("what"), Column("count", True), Column("example")],
                        rows)


def search_frame(result: SearchResult) -> pd.DataFrame:
    rows = []
    for c in result.candidates:
        rows.append({"rank": c.rank, "score": round(c.score, 4), "calendar": c.describe(),
                     **{f"contrib_{k}": round(v, 4) for k, v in c.contributions.items()},
                     **{k: v for k, v in c.row.items() if k != "scenario"}})
    return pd.DataFrame(rows)
