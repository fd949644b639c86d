"""Study plots as PNG files (matplotlib, Agg): title odds, competitor x final-position heatmaps and
cumulative points by race, drawn by sim.report.figures like the HTML report.

They read the text tables of `summary_frames`, so a plot shows exactly what the CSVs say, are written
atomically next to them, and carry at their foot what they are of (scenario, seed, seasons), since a
PNG is often sent on alone.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from sim.io import atomic_path
from sim.report.figures import (
    TOP_BARS,
    contenders,
    draw_points_panels,
    draw_positions_heatmap,
    draw_title_odds,
    plt,
    stamp,
)
from sim.report.frames import crews, titles_of

PLOT_FILES = ("title_probabilities.png", "positions_heatmap.png", "points_fan.png")


def _grid(heights: list[float], width: float, columns: int = 2):
    """A figure of `len(heights)` panels in `columns` columns, each row as tall as its tallest panel."""
    count = len(heights)
    columns = columns if count > 1 else 1
    rows = max(1, math.ceil(count / columns))
    row_heights = [max(heights[r * columns:(r + 1) * columns]) for r in range(rows)]
    fig, axes = plt.subplots(rows, columns, figsize=(width * columns, sum(row_heights) + 0.4), squeeze=False,
                             gridspec_kw={"height_ratios": row_heights}, layout="constrained")
    flat = list(axes.ravel())
    for axis in flat[count:]:
        axis.set_visible(False)
    return fig, flat[:count]


def _save(fig, target: Path, caption: str) -> Path:
    if caption:
        stamp(fig, caption)
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)
    return target


def plot_title_probabilities(summary: pd.DataFrame, target: str | Path, caption: str = "") -> Path:
    """P(title) with 2-SE whiskers, the top competitors of every title (a drivers' crew once)."""
    panels = [crews(summary[summary["title"] == title]) for title in titles_of(summary)]
    fig, axes = _grid([0.3 * min(len(p), TOP_BARS) + 1.0 for p in panels], width=6.5)
    for axis, rows in zip(axes, panels):
        draw_title_odds(axis, rows, rows["title"].iloc[0])
    return _save(fig, Path(target), caption)


def plot_position_heatmap(positions: pd.DataFrame, target: str | Path, caption: str = "") -> Path:
    """Competitor x final-position probabilities, one panel per teams title, scaled to the data."""
    titles = titles_of(positions, "teams") or titles_of(positions)
    panels = [positions[positions["title"] == title] for title in titles]
    fig, axes = _grid([0.28 * len(p) + 1.2 for p in panels], width=7.5)
    for axis, rows, title in zip(axes, panels, titles):
        draw_positions_heatmap(axis, rows, title)
    return _save(fig, Path(target), caption)


def plot_points_fan(points_by_race: pd.DataFrame, summary: pd.DataFrame, target: str | Path,
                    caption: str = "") -> Path:
    """Cumulative points by race of the leading competitors of each teams title: one row of small
    multiples per title (median and 10-90 % band of one contender per panel)."""
    titles = titles_of(summary, "teams") or titles_of(summary)
    fig = plt.figure(figsize=(12, 2.9 * len(titles) + 0.3), layout="constrained")
    rows = fig.subfigures(len(titles), 1, squeeze=False)[:, 0] if len(titles) > 1 else [fig.subfigures(1, 1)]
    for subfigure, title in zip(rows, titles):
        leaders = contenders(summary, title)
        axes = subfigure.subplots(1, max(1, len(leaders)), sharey=True, squeeze=False)[0]
        draw_points_panels(list(axes), points_by_race, leaders, title)
        subfigure.suptitle(f"{title}: cumulative points by race (median and 10-90 % of seasons)", fontsize=10)
    return _save(fig, Path(target), caption)


def write_plots(frames: dict[str, pd.DataFrame], out_dir: str | Path, caption: str = "") -> list[Path]:
    """All study plots into out_dir, each stamped with `caption`; returns the files written."""
    out = Path(out_dir)
    return [
        plot_title_probabilities(frames["summary"], out / PLOT_FILES[0], caption),
        plot_position_heatmap(frames["positions"], out / PLOT_FILES[1], caption),
        plot_points_fan(frames["points_by_race"], frames["summary"], out / PLOT_FILES[2], caption),
    ]
