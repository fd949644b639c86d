"""Calendar figures (matplotlib): each `draw_*` fills the axes it is given, so comparison.png and the
calendar report.html (inline SVG) draw the same pictures.

- the timeline: one row per calendar on its season (1 October to 30 April), rounds coloured by the
  venue's region, other championships' events as faint bars behind, a red x where a round clashes;
- the other championships' events of each season in their own lane, every event labelled with its
  series and name (stacked so no two labels overlap);
- a route map: venues and freight legs on longitude / latitude (the hub legs dashed);
- bars of one metric per calendar, with error bars for the Monte Carlo ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402

if TYPE_CHECKING:  # annotations only: the calendar metrics do not need matplotlib's classes at run time
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sim.calendar.metrics import CalendarAssessment

REGION_COLOURS = {"Middle East": "#d98c1f", "Far East": "#2a7fbf", "Europe": "#5a9e4b",
                  "North America": "#9b59b6", "Oceania": "#c0392b", "South America": "#7f8c8d"}
SERIES_COLOURS = ("#8c8c8c", "#a6761d", "#7570b3", "#1b9e77", "#d95f02", "#e7298a", "#66a61e", "#e6ab02",
                  "#386cb0", "#bf5b17")
SEASON_DAYS = 212               # 1 October .. 30 April
LABEL_POINTS = 6.5              # font size of the other championships' labels
CHAR_WIDTH = 0.62               # a character's mean width, in font sizes (DejaVu Sans, mixed case)


def season_origin(day: dt.date) -> dt.date:
    """1 October of the season that `day` belongs to (a winter season spans two years)."""
    year = day.year if day.month >= 7 else day.year - 1
    return dt.date(year, 10, 1)


@dataclass(frozen=True)
class OtherEvent:
    """Another championship's event inside a season window, with the series' readable name."""

    series: str
    name: str
    start: dt.date
    last_day: dt.date

    @property
    def label(self) -> str:
        return f"{self.series}: {self.name}"


def other_events(assessments: Sequence) -> dict[dt.date, list[OtherEvent]]:
    """Per season (its 1 October), the events of the championships the calendars check, once each."""
    seasons: dict[dt.date, dict[tuple, OtherEvent]] = {}
    for assessment in assessments:
        origin = season_origin(assessment.rounds[0].first_race_day)
        end = origin + dt.timedelta(days=SEASON_DAYS)
        found = seasons.setdefault(origin, {})
        for calendar in (getattr(assessment, "championships", {}) or {}).values():
            for event in calendar.events:
                if origin <= event.start <= end:
                    item = OtherEvent(calendar.championship, event.name, event.start, event.last_day)
                    found[(item.series, item.name, item.start)] = item
    return {origin: sorted(found.values(), key=lambda e: (e.start, e.label)) for origin, found in seasons.items()}


def days_per_char(axis_width_in: float) -> float:
    """How many days of the season axis one label character covers on an axis this wide (inches)."""
    return SEASON_DAYS / axis_width_in * CHAR_WIDTH * LABEL_POINTS / 72


def axis_width(figure_width_in: float) -> float:
    """The width of a full-width axis of a figure this wide (matplotlib's default margins)."""
    return figure_width_in * (plt.rcParams["figure.subplot.right"] - plt.rcParams["figure.subplot.left"])


def stack_labels(events: Sequence[OtherEvent], chars_to_days: float) -> list[int]:
    """A lane per event so that no bar + label overlaps another in its lane (first fit, by start day)."""
    lane_ends: list[int] = []
    lanes = []
    for event in events:
        start = event.start.toordinal()
        end = max(event.last_day.toordinal() + 1, start + int(len(event.label) * chars_to_days) + 2)
        lane = next((i for i, busy_until in enumerate(lane_ends) if busy_until <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        lanes.append(lane)
    return lanes


def series_colours(events: Sequence[OtherEvent]) -> dict[str, str]:
    names = sorted({event.series for event in events})
    return {name: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, name in enumerate(names)}


def draw_other_events(ax: Axes, events: Sequence[OtherEvent], origin: dt.date, season_name: str = "") -> None:
    """The other championships' events of one season, each bar labelled `series: event`."""
    lanes = stack_labels(events, days_per_char(ax.get_position().width * ax.figure.get_figwidth()))
    colours = series_colours(events)
    for event, lane in zip(events, lanes):
        x = (event.start - origin).days
        ax.barh(lane, (event.last_day - event.start).days + 1, left=x, height=0.55, color=colours[event.series],
                alpha=0.75)
        ax.text(x + (event.last_day - event.start).days + 1.5, lane, event.label, va="center", fontsize=LABEL_POINTS)
    ax.set_ylim(max(lanes, default=0) + 0.7, -0.7)
    ax.set_yticks([])
    _month_axis(ax)
    ax.set_title(f"Other championships' events{f' ({season_name})' if season_name else ''}", fontsize=9,
                 loc="left")


def _month_axis(ax) -> None:
    months = [dt.date(2000 + (m > 12), (m - 1) % 12 + 1, 1) for m in range(10, 17)]
    ticks = [(month - dt.date(2000, 10, 1)).days for month in months]
    ax.set_xticks(ticks, [month.strftime("%b") for month in months])
    ax.set_xlim(0, SEASON_DAYS)
    ax.grid(axis="x", alpha=0.25)


def draw_timeline(ax: Axes, assessments: Sequence[CalendarAssessment]) -> None:
    """One row per calendar: rounds by region and venue, other series' events faint behind, x = a clash."""
    seen_regions = set()
    for y, assessment in enumerate(assessments):
        origin = season_origin(assessment.rounds[0].first_race_day)
        for event in other_events([assessment]).get(origin, []):
            ax.barh(y, (event.last_day - event.start).days + 1, left=(event.start - origin).days, height=0.8,
                    color="#cccccc", alpha=0.6, zorder=1)
        for r, place in zip(assessment.rounds, assessment.places):
            x = (r.first_race_day - origin).days
            label = place.region if place.region not in seen_regions else None
            seen_regions.add(place.region)
            ax.barh(y, len(r.races), left=x, height=0.5, color=REGION_COLOURS.get(place.region, "black"), zorder=3,
                    label=label)
            ax.annotate(r.venue, (x, y + 0.32), fontsize=7, rotation=30, zorder=4)
        for clash in assessment.clashes:
            r = assessment.rounds[clash.round_index]
            ax.plot((r.first_race_day - origin).days, y - 0.35, marker="x", color="red", zorder=5)
    ax.set_yticks(range(len(assessments)), [a.name for a in assessments])
    ax.set_ylim(len(assessments) - 0.4, -0.6)
    _month_axis(ax)
    ax.set_title("Calendars (grey: other championships' events, named above; x: clash)", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)


def timeline_rows(assessments: Sequence, figure_width_in: float) -> tuple[list[tuple[dt.date, list[OtherEvent]]],
                                                                          list[int]]:
    """The seasons' event lanes to draw above the timeline (full width of a figure this wide), and each one's
    number of label rows."""
    seasons = sorted(other_events(assessments).items())
    per_char = days_per_char(axis_width(figure_width_in))
    return seasons, [max(stack_labels(events, per_char), default=0) + 1 for _, events in seasons]


def season_label(origin: dt.date) -> str:
    return f"{origin.year}-{(origin.year + 1) % 100:02d}"


def timeline_figure(assessments: Sequence[CalendarAssessment]) -> Figure:
    """The other championships' lanes (one per season) above the calendars' timeline, one figure."""
    width = 11
    seasons, rows = timeline_rows(assessments, width)
    heights = [0.22 * n + 0.5 for n in rows] + [0.55 * len(assessments) + 0.9]
    fig, axes = plt.subplots(len(heights), 1, figsize=(width, sum(heights) + 0.4), squeeze=False,
                             gridspec_kw={"height_ratios": heights, "hspace": 0.45})
    for ax, (origin, events) in zip(axes[:, 0], seasons):
        draw_other_events(ax, events, origin, season_label(origin))
    draw_timeline(axes[-1, 0], assessments)
    return fig


def draw_route_map(ax: Axes, assessment: CalendarAssessment) -> None:
    """Venues in calendar order on longitude / latitude, legs between rounds solid, hub legs dashed."""
    places, hub = list(assessment.places), getattr(assessment, "hub", None)
    lons = [p.longitude for p in places]
    lats = [p.latitude for p in places]
    if hub is not None:
        ax.plot([hub.longitude, lons[0]], [hub.latitude, lats[0]], linestyle="--", color="0.6", linewidth=0.8)
        ax.plot([lons[-1], hub.longitude], [lats[-1], hub.latitude], linestyle="--", color="0.6", linewidth=0.8)
        ax.scatter([hub.longitude], [hub.latitude], marker="s", color="0.3", s=18, zorder=3)
        ax.annotate(f"hub: {hub.key}", (hub.longitude, hub.latitude), fontsize=6.5, xytext=(4, 3),
                    textcoords="offset points")
    ax.plot(lons, lats, color="0.35", linewidth=1.0, zorder=2)
    anchors: list[tuple[float, float]] = []   # venues a few degrees apart share a label column
    for number, place in enumerate(places, start=1):
        ax.scatter([place.longitude], [place.latitude], color=REGION_COLOURS.get(place.region, "black"), s=28,
                   zorder=4)
        near = [a for a in anchors if abs(a[0] - place.longitude) < 8 and abs(a[1] - place.latitude) < 5]
        anchor = near[0] if near else (place.longitude, place.latitude)
        ax.annotate(f"{number} {place.key}", anchor, fontsize=6.5, xytext=(4, -9 - 8 * len(near)),
                    textcoords="offset points")
        anchors.append(anchor)
    ax.set_title(assessment.name, fontsize=9)
    ax.set_xlim(-15, 150)
    ax.set_ylim(-15, 60)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=6)
    ax.grid(alpha=0.25)


def route_map_figure(assessments: Sequence[CalendarAssessment]) -> Figure:
    """Small multiples of the route maps, three per row."""
    count = len(assessments)
    columns = min(3, count)
    rows = -(-count // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.6 * columns, 2.0 * rows + 0.3), squeeze=False)
    for ax, assessment in zip(axes.flat, assessments):
        draw_route_map(ax, assessment)
    for ax in list(axes.flat)[count:]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def draw_metric_bars(ax: Axes, names: Sequence[str], values: Sequence[float], title: str,
                     errors: Sequence[float] | None = None, colour: str = "#4a6fa5") -> None:
    """One bar per calendar; `errors` (one standard error each) as whiskers when given."""
    values = np.nan_to_num(np.asarray(values, dtype=float))
    ax.bar(range(len(names)), values, color=colour, yerr=errors, capsize=3 if errors is not None else 0)
    top = float(values.max(initial=0)) + (max(errors) if errors is not None and len(errors) else 0.0)
    ax.set_ylim(min(0.0, float(values.min(initial=0)) * 1.15), max(1.0, top * 1.15))
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=7)
    ax.set_title(title, fontsize=9)
