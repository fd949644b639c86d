"""Reports for calendar planning: terminal tables (rich), CSV, and a PNG chart (timeline + metric bars)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

import pandas as pd
from rich.console import Console
from rich.table import Table

from sim.calendar.search_problem import Candidate, SearchProblem, SearchResult
from sim.io import atomic_path, write_csv_atomic
from sim.report.console import make_console

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
REGION_COLOURS = {"Middle East": "#d98c1f", "Far East": "#2a7fbf", "Europe": "#5a9e4b",
                  "North America": "#9b59b6", "Oceania": "#c0392b", "South America": "#7f8c8d"}


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return "" if value is None else str(value)


def comparison_table(table: pd.DataFrame) -> Table:
    """Metrics down, scenarios across: the side-by-side view an organiser reads."""
    out = Table(title="Calendar comparison", show_lines=False)
    out.add_column("metric", style="bold")
    for name in table["scenario"]:
        out.add_column(str(name), overflow="fold")
    for column in table.columns:
        if column == "scenario":
            continue
        out.add_row(column, *(_cell(value) for value in table[column].tolist()))
    return out


def print_comparison(table: pd.DataFrame, console: Console | None = None) -> None:
    (console or make_console(160)).print(comparison_table(table))


def write_comparison_csv(table: pd.DataFrame, path: str | Path) -> None:
    write_csv_atomic(table, path)


def _season_origin(day: dt.date) -> dt.date:
    """1 October of the season that `day` belongs to (a winter season spans two years)."""
    year = day.year if day.month >= 7 else day.year - 1
    return dt.date(year, 10, 1)


def comparison_chart(assessments: Sequence, table: pd.DataFrame, path: str | Path,
                     extra_metrics: Sequence[tuple[str, str, Sequence[float] | None]] = ()) -> None:
    """Timeline of each calendar (rounds by region, other series' events shaded) and bars of key metrics.

    `extra_metrics` adds bar panels after the logistics ones: (column, title, standard errors or None),
    e.g. the Monte Carlo sporting metrics with their error bars.
    """
    import matplotlib   # only when the chart is drawn (the comparison tables never load it)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = len(assessments)
    extra = [metric for metric in extra_metrics if metric[0] in table.columns]
    extra_rows = -(-len(extra) // 4)
    figure = plt.figure(figsize=(14, 3 + 0.9 * rows + 5 + 2.5 * extra_rows))
    grid = figure.add_gridspec(3 + extra_rows, 4, height_ratios=[0.9 * rows + 1.5] + [2.4] * (2 + extra_rows),
                               hspace=0.6, wspace=0.35)
    timeline = figure.add_subplot(grid[0, :])
    seen_regions = set()
    for y, assessment in enumerate(assessments):
        origin = _season_origin(assessment.rounds[0].first_race_day)
        season_end = dt.date(origin.year + 1, 4, 30)
        busy = {}
        for calendar_key, calendar in _championships_of(assessment).items():
            for event in calendar.events:
                if origin <= event.start <= season_end:
                    busy.setdefault(calendar_key, []).append(event)
        for events in busy.values():
            for event in events:
                x0 = (event.start - origin).days
                timeline.barh(y, (event.last_day - event.start).days + 1, left=x0, height=0.8,
                              color="#cccccc", alpha=0.6, zorder=1)
        for r, place in zip(assessment.rounds, assessment.places):
            x = (r.first_race_day - origin).days
            colour = REGION_COLOURS.get(place.region, "black")
            label = place.region if place.region not in seen_regions else None
            seen_regions.add(place.region)
            timeline.barh(y, len(r.races), left=x, height=0.5, color=colour, zorder=3, label=label)
            timeline.annotate(r.venue, (x, y + 0.32), fontsize=7, rotation=30, zorder=4)
    for clash_y, assessment in enumerate(assessments):
        origin = _season_origin(assessment.rounds[0].first_race_day)
        for clash in assessment.clashes:
            r = assessment.rounds[clash.round_index]
            timeline.plot((r.first_race_day - origin).days, clash_y - 0.35, marker="x", color="red", zorder=5)
    timeline.set_yticks(range(rows), [a.name for a in assessments])
    timeline.invert_yaxis()
    months = [dt.date(2000 + (m > 12), (m - 1) % 12 + 1, 1) for m in range(10, 17)]
    ticks = [(month - dt.date(2000, 10, 1)).days for month in months]
    timeline.set_xticks(ticks, [month.strftime("%b") for month in months])
    timeline.set_xlim(0, ticks[-1] + 30)
    timeline.set_title("Calendars (grey: other championships' events, x: clash)")
    timeline.legend(loc="lower right", fontsize=8)
    for index, (column, title) in enumerate(KEY_METRICS):
        axis = figure.add_subplot(grid[1 + index // 4, index % 4])
        values = pd.to_numeric(table[column], errors="coerce").fillna(0)
        axis.bar(range(rows), values, color="#4a6fa5")
        axis.set_ylim(0, max(1.0, float(values.max()) * 1.15))
        axis.set_xticks(range(rows), table["scenario"], rotation=30, ha="right", fontsize=7)
        axis.set_title(title, fontsize=9)
    for index, (column, title, errors) in enumerate(extra):
        axis = figure.add_subplot(grid[3 + index // 4, index % 4])
        values = pd.to_numeric(table[column], errors="coerce").fillna(0)
        axis.bar(range(rows), values, color="#b5562c", yerr=errors, capsize=3 if errors is not None else 0)
        top = float(values.max()) + (max(errors) if errors is not None and len(errors) else 0.0)
        axis.set_ylim(min(0.0, float(values.min()) * 1.15), max(1.0, top * 1.15))
        axis.set_xticks(range(rows), table["scenario"], rotation=30, ha="right", fontsize=7)
        axis.set_title(title, fontsize=9)
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)


def _championships_of(assessment) -> dict:
    return getattr(assessment, "championships", {}) or {}


def print_search(result: SearchResult, problem: SearchProblem, console: Console | None = None) -> None:
    """Top candidates with their metric breakdown, why #1 wins, and what the constraints excluded."""
    console = console or make_console(160)
    table = Table(title=f"Best calendars ({problem.rounds} rounds, {len(problem.venues)} venues, "
                        f"{result.saturdays} Saturdays, {result.elapsed_s:.1f} s)")
    for column in ("rank", "score", "calendar", "freight km", "clashes", "heat C", "wet races", "modes"):
        table.add_column(column)
    for c in result.candidates:
        table.add_row(str(c.rank), f"{c.score:.2f}", c.describe(), f"{c.row['freight_km']:,.0f}",
                      str(c.row["clashes"]), f"{c.row['heat_excess_c']:.1f}", f"{c.row['expected_wet_races']:.2f}",
                      c.row["freight_modes"])
    console.print(table)
    if result.candidates:
        console.print(explain_winner(result.candidates))
    console.print(exclusions_table(result))


def explain_winner(candidates: Sequence[Candidate]) -> Table:
    """Objective contributions per metric for the top candidates: why the first one wins."""
    out = Table(title="Why the top candidates rank where they do (objective contributions, lower is better)")
    out.add_column("metric")
    for c in candidates:
        out.add_column(f"#{c.rank}")
    if len(candidates) > 1:
        out.add_column("#1 vs #2")
    for metric in candidates[0].contributions:
        cells = [f"{c.contributions[metric]:.2f}" for c in candidates]
        if len(candidates) > 1:
            cells.append(f"{candidates[0].contributions[metric] - candidates[1].contributions[metric]:+.2f}")
        out.add_row(metric, *cells)
    totals = [f"{c.score:.2f}" for c in candidates]
    if len(candidates) > 1:
        totals.append(f"{candidates[0].score - candidates[1].score:+.2f}")
    out.add_row("total", *totals, style="bold")
    return out


def exclusions_table(result: SearchResult) -> Table:
    out = Table(title=f"Excluded by hard constraints ({result.nodes} partial calendars expanded, "
                      f"{result.dominated} cut by the bound)")
    for column in ("constraint", "what", "count", "example"):
        out.add_column(column, overflow="fold")
    for entry in result.option_exclusions.values():
        out.add_row(entry.constraint, "venue-date options", str(entry.count), entry.example)
    for entry in sorted(result.exclusions.values(), key=lambda e: -e.count):
        out.add_row(entry.constraint, "partial calendars", str(entry.count), entry.example)
    return out


def search_frame(result: SearchResult) -> pd.DataFrame:
    rows = []
    for c in result.candidates:
        rows.append({"rank": c.rank, "score": round(c.score, 4), "calendar": c.describe(),
                     **{f"contrib_{k}": round(v, 4) for k, v in c.contributions.items()},
                     **{k: v for k, v in c.row.items() if k != "scenario"}})
    return pd.DataFrame(rows)
