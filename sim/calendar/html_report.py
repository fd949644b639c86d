"""report.html of `sim calendar compare`: the calendars side by side, one self-contained page (the shared
report module sim.report.html: inline SVG, no external resource).

At the top the calendars (scenario files), the seed, the seasons per calendar, the Monte Carlo error and
the version; then the calendars on a timeline (other championships' events labelled) and a route map,
freight, clashes, climate and race timing, the sporting metrics with their standard errors and paired
differences, and how the comparison ran. Built from the same table that comparison.csv holds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.calendar.figures import draw_metric_bars, route_map_figure, timeline_figure
from sim.calendar.metrics import CalendarAssessment
from sim.calendar.report import clash_rows, metric_rows
from sim.calendar.sporting import SportingStudy
from sim.calendar.sporting_report import LABELS, chart_metrics, key_metric_rows, key_metrics, persistence_rows
from sim.config.loader import shown_path
from sim.montecarlo.manifest import versions
from sim.report.html import Report, Section, Table, Text, figure_block, write_report

FREIGHT = ("freight_km", "travel_km", "freight_cost_eur", "freight_modes", "legs_by_air", "min_gap_days",
           "min_slack_days", "freight_gap_violations")
CLASHES = ("clashes", "clash_people", "clash_teams", "clash_drivers")
CLIMATE = ("max_temp_c", "mean_temp_c", "heat_excess_c", "max_rain_probability", "expected_wet_races",
           "dark_hours", "unlit_dark_hours", "races_into_darkness")
OVERVIEW = ("rounds", "races", "first_race", "last_race", "span_days", "regions", "freight_hub")
PROBABILITY_UNITS = ("p_", "strength_rank_corr", "persistence", "full_season_share")


def _side_by_side(table: pd.DataFrame, columns: Sequence[str], caption: str = "") -> Table:
    rows = metric_rows(table, [c for c in columns if c in table.columns])
    names = list(table["scenario"])
    return Table(["metric", *names], rows, caption, numeric=frozenset(range(1, len(names) + 1)))


def _bars(table: pd.DataFrame, panels: Sequence[tuple[str, str, Sequence[float] | None]], colour: str):
    """A row of bar panels (one metric each, one bar per calendar), as one figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(2.6 * len(panels) + 0.4, 2.6), squeeze=False)
    for ax, (column, title, errors) in zip(axes[0], panels):
        draw_metric_bars(ax, list(table["scenario"]), pd.to_numeric(table[column], errors="coerce").fillna(0),
                         title, errors, colour)
    fig.tight_layout()
    return fig


def calendars_section(assessments: Sequence, table: pd.DataFrame, paths: Sequence[Path]) -> Section:
    rows = [[a.name, shown_path(path), " > ".join(f"{r.venue} {r.first_race_day:%d %b}" for r in a.rounds),
             str(a.row["races"]), a.row["regions"]] for a, path in zip(assessments, paths)]
    return Section("calendars", "The calendars", [
        Table(["calendar", "scenario file", "rounds (first race day)", "races", "rounds by region"], rows,
              numeric=frozenset({3})),
        figure_block(timeline_figure(assessments), "Each calendar on its season (1 October to 30 April): rounds "
                     "coloured by the venue's region, a red x where a round clashes with another championship's "
                     "event; above, every event of the other championships the calendars are checked against."),
        figure_block(route_map_figure(assessments), "Routes on longitude / latitude: rounds in order, freight legs "
                     "between them, the legs from and back to the freight hub dashed."),
        _side_by_side(table, OVERVIEW)],
        intro="Rounds, dates and regions of every calendar compared.")


def freight_section(assessments: Sequence, table: pd.DataFrame) -> Section:
    legs = [[a.name, f"{leg.origin} -> {leg.destination}", f"{leg.km:,.0f}", leg.mode, str(leg.transit_days),
             "" if leg.available_days is None else str(leg.available_days),
             "" if leg.slack_days is None else str(leg.slack_days), f"{leg.cost_eur:,.0f}",
             "" if leg.fits else "does not fit"] for a in assessments for leg in a.legs]
    return Section("freight", "Freight and travel", [
        _side_by_side(table, FREIGHT),
        figure_block(_bars(table, [("freight_km", "freight km", None), ("freight_cost_eur", "freight EUR / car", None),
                                   ("freight_gap_violations", "freight gap violations", None)], "#4a6fa5")),
        Table(["calendar", "leg", "km", "mode", "transit days", "days available", "slack", "EUR / car", ""], legs,
              caption="Every freight leg: the cheapest allowed mode that arrives in time (hub legs have no deadline)",
              numeric=frozenset({2, 4, 5, 6, 7}))],
        intro="Great-circle kilometres (hub legs included), the mode and cost of every leg, and whether each leg "
              "between rounds fits in the days between them.")


def clashes_section(assessments: Sequence, table: pd.DataFrame) -> Section:
    rows = clash_rows(assessments)
    blocks = [_side_by_side(table, CLASHES)]
    blocks.append(Table(["calendar", "round", "event", "days apart", "teams + drivers"], rows,
                        caption="Every clash (days apart <= 0: the two share days)", numeric=frozenset({3, 4}))
                  if rows else Text("No round of any calendar clashes with another championship's event.",
                                    tone="note"))
    return Section("clashes", "Clashes with other championships", blocks, intro=(
        "A round clashes with another championship's event when they share a paddock day or are closer than the "
        "clash buffer; people counts the teams and drivers who race in both (the calendar files' paddock overlap)."))


def climate_section(assessments: Sequence, table: pd.DataFrame) -> Section:
    return Section("climate", "Climate and race timing", [
        _side_by_side(table, CLIMATE),
        figure_block(_bars(table, [("heat_excess_c", "heat excess (C)", None),
                                   ("expected_wet_races", "expected wet races", None),
                                   ("unlit_dark_hours", "race hours dark, unlit", None)], "#4a6fa5"))],
        intro="Average daily maximum and wet-day probability of each venue's month; race hours after sunset (NOAA "
              "solar formulas), at venues without floodlights counted apart.")


def sporting_section(study: SportingStudy | None, table: pd.DataFrame) -> Section:
    if study is None:
        return Section("sporting", "Sporting metrics", [Text(
            "Not simulated (--runs 0): the comparison covers logistics, clashes and climate only.", tone="note")])
    names, rows = key_metric_rows(study)
    first = names[0]
    key = Table(["metric", *names], rows, numeric=frozenset(range(1, len(names) + 1)),
                emphasis=frozenset(i for i, row in enumerate(rows) if not row[0].startswith("  ")),
                caption=f"mean ± standard error over {study.runs} seasons; below each metric the difference vs "
                        f"{first} ± its paired standard error (common random numbers)")
    names, persistence = persistence_rows(study)
    panels = chart_metrics(study, table)
    rows_of_bars = [panels[i:i + 4] for i in range(0, len(panels), 4)]   # four panels a row, readable at any count
    blocks = [key] + [figure_block(_bars(table, row, "#b5562c"), "" if k < len(rows_of_bars) - 1 else
                                   "Bars: the mean over the seasons; whiskers: ±1 standard error.")
                      for k, row in enumerate(rows_of_bars)]
    blocks.append(Table(["class", *names], persistence, numeric=frozenset(range(1, len(names) + 1)),
                        caption="Persistence of class positions per class (mean Spearman rho over a season's race "
                                "pairs; 0 = every race a lottery)"))
    return Section("sporting", "Sporting metrics", blocks, intro=(
        f"Every calendar runs the same {study.runs} seasons (seed {study.seed}: season i of every calendar draws "
        "from the same random streams), so the differences are paired. Title metrics are the mean over the "
        "class-wide teams' titles; see docs/calendar.md for the definitions."))


def monte_carlo_error(study: SportingStudy | None) -> str:
    """The largest standard error of a probability-scale key metric, and of its paired difference."""
    if study is None:
        return "none (no seasons simulated)"
    frame = key_metrics(study)
    probability = [label for column, label in LABELS.items() if column.startswith(PROBABILITY_UNITS)]
    rows = frame[frame["label"].isin(probability)]
    se = pd.to_numeric(rows["se"], errors="coerce").max()
    paired = pd.to_numeric(rows["se_delta"], errors="coerce").max()
    text = f"largest SE of a probability or correlation: {se:.4f}"
    return text + (f"; of a paired difference: {paired:.4f}" if math.isfinite(paired) and paired > 0 else "")


def about_section(study: SportingStudy | None, paths: Sequence[Path]) -> Section:
    rows = [("calendars", ", ".join(shown_path(p) for p in paths))]
    if study is not None:
        rows += [("seasons", f"{study.runs:,} per calendar, seeds 0..{study.runs - 1} of root seed {study.seed}"),
                 ("executor", f"{study.executor}, {study.workers} worker(s), chunks of {study.chunk_size} seasons"),
                 ("wall time", f"{study.wall_time_s:,.1f} s for the sporting metrics")]
    rows.append(("files", "comparison.csv (one row per calendar), sporting_by_class.csv (every sporting metric "
                          "per title, class, round and region), comparison.png, report.html"))
    rows.append(("versions", ", ".join(f"{name} {version}" for name, version in versions().items())))
    return Section("about", "About this comparison", [Table([], rows), Text(
        "The same calendars and seed give the same tables whatever the executor, the number of workers or the "
        "chunk size.", tone="note")])


def calendar_report(assessments: Sequence[CalendarAssessment], table: pd.DataFrame, study: SportingStudy | None,
                    paths: Sequence[Path]) -> Report:
    versions_found = versions()
    runs = f"{study.runs:,} per calendar (common random numbers)" if study is not None else "0 (logistics only)"
    report = Report(
        f"Calendar comparison: {', '.join(a.name for a in assessments)}",
        subtitle="Freight, clashes, climate and sporting metrics of each calendar, side by side",
        facts=[("calendars", ", ".join(a.name for a in assessments)),
               ("seed", str(study.seed) if study is not None else "-"), ("seasons", runs),
               ("Monte Carlo error", monte_carlo_error(study)),
               ("version", f"endurance-sim {versions_found.get('endurance-sim', '?')}, "
                           f"Python {versions_found.get('python', '?')}")],
        footer=(f"sim calendar compare · seed {study.seed if study is not None else '-'} · "
                f"endurance-sim {versions_found.get('endurance-sim', '?')}"))
    report.add(calendars_section(assessments, table, paths))
    for build in (freight_section, clashes_section, climate_section):
        report.add(build(assessments, table))
    report.add(sporting_section(study, table))
    report.add(about_section(study, paths))
    return report


def write_calendar_report(assessments: Sequence[CalendarAssessment], table: pd.DataFrame, study: SportingStudy | None,
                          paths: Sequence[Path],
                          target: Path) -> Path:
    """Write report.html of a comparison; returns its path."""
    return write_report(calendar_report(assessments, table, study, paths), target)

