"""Study figures (matplotlib): each `draw_*` fills the axes it is given, so the PNG files (a grid of
titles) and the HTML report (one figure per title, inline SVG) draw the same picture.

What a reader needs to see, whatever the data: odds with their Monte Carlo error; the position
heatmap's colours scaled to the largest probability present and every cell of at least 1 % written
in it; cumulative points as small multiples (one contender per panel, its median and 10-90 % band,
the others' medians in grey) instead of overlapping bands; who a figure is about (labels, title).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from sim.report.frames import OTHER, label, numeric, position_columns  # noqa: E402

TOP_BARS = 12
TOP_CONTENDERS = 4
ACCENT = "#1f5fa8"
CLASS_COLOURS = ("#1f5fa8", "#c25b12", "#2e8b57", "#8a3ea8", "#b8860b", "#5f6b7a")
PERCENT = PercentFormatter(xmax=1.0, decimals=0)


def _odds_limit(values: np.ndarray) -> float:
    """An axis end a little beyond the largest value (odds bars are scaled to the data, not to 1)."""
    top = float(np.nanmax(values)) if values.size else 0.0
    return min(1.0, max(0.05, top * 1.18))


def draw_title_odds(ax: Axes, rows: pd.DataFrame, title: str, top: int = TOP_BARS) -> None:
    """Horizontal bars of P(title) with 2-standard-error whiskers, favourite on top, values written."""
    data = numeric(rows, ["p_title", "se_p_title"]).head(top)
    y = np.arange(len(data))
    p, se = data["p_title"].to_numpy(float), np.nan_to_num(data["se_p_title"].to_numpy(float))
    ax.barh(y, p, xerr=2 * se, color=ACCENT, ecolor="0.45", capsize=2, height=0.7)
    ax.set_yticks(y, [label(r) for _, r in data.iterrows()], fontsize=8)
    ax.invert_yaxis()
    limit = _odds_limit(p + 2 * se)
    ax.set_xlim(0, limit)
    for yi, (pi, si) in enumerate(zip(p, se)):
        ax.text(min(pi + 2 * si + limit * 0.01, limit * 0.99), yi, f"{pi:.1%}", va="center", fontsize=7,
                ha="left" if pi + 2 * si < limit * 0.9 else "right")
    ax.xaxis.set_major_formatter(PERCENT)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"{title}: P(title), whiskers ±2 SE", fontsize=10)


def position_matrix(rows: pd.DataFrame) -> tuple[np.ndarray, list[str], list[str]]:
    """(% of seasons per competitor and final position, column headers, row labels): positions up to the
    last one that occurs, then `NC` (not classified: absent, or no points) when it occurs."""
    columns = position_columns(rows)
    data = numeric(rows, columns + ["not_classified"])
    matrix = np.nan_to_num(100 * data[columns].to_numpy(dtype=float))
    used = np.flatnonzero(matrix.sum(axis=0) > 0)
    width = int(used.max()) + 1 if used.size else 1
    headers = [str(p) for p in range(1, width + 1)]
    matrix = matrix[:, :width]
    absent = np.nan_to_num(100 * data["not_classified"].to_numpy(dtype=float))
    if absent.max(initial=0) > 0:
        matrix = np.column_stack([matrix, absent])
        headers.append("NC")
    return matrix, headers, [label(r) for _, r in data.iterrows()]


def heat_colours(matrix: np.ndarray) -> list[list[str]]:
    """CSS colours of a heatmap's cells: the Blues scale from 0 to the largest value present."""
    top = max(float(matrix.max(initial=0)), 1.0)
    cmap = matplotlib.colormaps["Blues"]
    styles = []
    for row in matrix:
        styles.append([f"background:{matplotlib.colors.to_hex(cmap(value / top))};"
                       f"color:{'#fff' if value > 0.55 * top else '#1d2430'}" for value in row])
    return styles


def draw_positions_heatmap(ax: Axes, rows: pd.DataFrame, title: str, colorbar: bool = True) -> None:
    """Competitor x final position (%), colours scaled to the largest cell, cells >= 1 % annotated."""
    shown, headers, labels = position_matrix(rows)
    top = max(float(shown.max()), 1.0)
    image = ax.imshow(shown, aspect="auto", cmap="Blues", vmin=0, vmax=top, interpolation="nearest")
    size = 7 if shown.shape[1] <= 14 else (6 if shown.shape[1] <= 22 else 5)
    for (i, j), value in np.ndenumerate(shown):
        if value >= 1:
            ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=size,
                    color="white" if value > 0.55 * top else "#1d2430")
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xticks(range(len(headers)), headers, fontsize=7)
    ax.set_xlabel("final position (NC: not classified)" if headers[-1] == "NC" else "final position")
    ax.set_title(f"{title}: chance of each final position (%)", fontsize=10)
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
        bar.set_label("% of seasons", fontsize=8)
        bar.ax.tick_params(labelsize=7)


def contenders(summary: pd.DataFrame, title: str, top: int = TOP_CONTENDERS) -> pd.DataFrame:
    """The leading competitors of a title (by title odds, as the summary orders them)."""
    rows = summary[(summary["title"] == title) & (summary["car"] != OTHER)]
    return rows.head(top)


def _series(points_by_race: pd.DataFrame, title: str, row) -> pd.DataFrame:
    match = ((points_by_race["title"] == title) & (points_by_race["car"] == row["car"])
             & (points_by_race["team"] == row["team"]) & (points_by_race["drivers"] == row["drivers"]))
    return numeric(points_by_race[match], ["q10", "q50", "q90", "mean_points"])


def draw_points_panels(axes: Sequence[Axes], points_by_race: pd.DataFrame, leaders: pd.DataFrame, title: str) -> None:
    """Small multiples of cumulative points by race: one contender per panel (median and 10-90 % band),
    the other contenders' medians in grey for reference; axes share the y scale."""
    series = [(label(row), _series(points_by_race, title, row)) for _, row in leaders.iterrows()]
    for k, (ax, (name, mine)) in enumerate(zip(axes, series)):
        x = np.arange(len(mine))
        for other_name, other in series:
            if other_name != name:
                ax.plot(x, other["q50"], color="0.78", linewidth=1)
        colour = CLASS_COLOURS[k % len(CLASS_COLOURS)]
        ax.fill_between(x, mine["q10"], mine["q90"], color=colour, alpha=0.22, linewidth=0)
        ax.plot(x, mine["q50"], color=colour, linewidth=2)
        ax.set_title(name, fontsize=8)
        ax.set_xticks(x, list(mine["race"]), fontsize=6)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
    if len(axes):
        axes[0].set_ylabel("cumulative points", fontsize=8)
    for ax in axes[len(series):]:
        ax.set_visible(False)


def points_figure(points_by_race: pd.DataFrame, summary: pd.DataFrame, title: str) -> Figure:
    leaders = contenders(summary, title)
    count = max(1, len(leaders))
    fig, axes = plt.subplots(1, count, figsize=(2.6 * count + 0.6, 2.6), sharey=True, squeeze=False)
    draw_points_panels(list(axes[0]), points_by_race, leaders, title)
    return fig


def title_odds_figure(rows: pd.DataFrame, title: str) -> Figure:
    count = min(len(rows), TOP_BARS)
    fig, ax = plt.subplots(figsize=(5.0, 0.3 * count + 0.9))
    draw_title_odds(ax, rows, title)
    return fig


def draw_invitation_odds(ax: Axes, cars: pd.DataFrame, top: int = 15) -> None:
    """P(Le Mans invitation) per car, from any title, with 2-SE whiskers; colour by class."""
    data = cars.head(top)
    classes = list(dict.fromkeys(cars["class"]))
    y = np.arange(len(data))
    p, se = data["p_invitation"].to_numpy(float), np.nan_to_num(data["se_p_invitation"].to_numpy(float))
    colours = [CLASS_COLOURS[classes.index(c) % len(CLASS_COLOURS)] for c in data["class"]]
    ax.barh(y, p, xerr=2 * se, color=colours, ecolor="0.45", capsize=2, height=0.7)
    names = [f"#{r['car']} {r['team']} ({r['class']}{' ' + r['category'] if r['category'] else ''})"
             for _, r in data.iterrows()]
    ax.set_yticks(y, names, fontsize=8)
    ax.invert_yaxis()
    limit = _odds_limit(p + 2 * se)
    ax.set_xlim(0, limit)
    for yi, (pi, si) in enumerate(zip(p, se)):
        ax.text(min(pi + 2 * si + limit * 0.01, limit * 0.99), yi, f"{pi:.1%}", va="center", fontsize=7,
                ha="left" if pi + 2 * si < limit * 0.9 else "right")
    ax.xaxis.set_major_formatter(PERCENT)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("P(Le Mans invitation), any title, whiskers ±2 SE", fontsize=10)


def invitation_figure(cars: pd.DataFrame, top: int = 15) -> Figure:
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * min(len(cars), top) + 0.9))
    draw_invitation_odds(ax, cars, top)
    return fig


def draw_paired_change(ax: Axes, cars: pd.DataFrame, metric: str, what: str) -> None:
    """Change B - A of a per-car probability with ±2 paired SE, cars as given (most significant first)."""
    change = -cars[f"delta_{metric}"].to_numpy(float)   # delta columns are A - B
    se = np.nan_to_num(cars[f"se_delta_{metric}"].to_numpy(float))
    y = np.arange(len(cars))
    colours = np.where(np.abs(change) > 2 * se, ACCENT, "0.6")
    ax.errorbar(change, y, xerr=2 * se, fmt="none", ecolor="0.55", capsize=2)
    ax.scatter(change, y, color=colours, zorder=3, s=18)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_yticks(y, [f"#{r['car']} {r['team_b']}" for _, r in cars.iterrows()], fontsize=8)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=1))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"{what}: B - A, ±2 paired SE", fontsize=9)


def paired_figure(cars: pd.DataFrame) -> Figure:
    """Own-title and invitation changes of the cars whose odds move most (blue: beyond 2 SE)."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.32 * len(cars) + 1.0), sharey=True)
    draw_paired_change(axes[0], cars, "p_own_title", "P(own title)")
    draw_paired_change(axes[1], cars, "p_invitation", "P(Le Mans invitation)")
    axes[0].invert_yaxis()   # once: the axes share y, the most significant car on top
    return fig


def stamp(fig: Figure, text: str) -> None:
    """What the figure is of (scenario, seed, seasons, version), above it: a PNG travels alone."""
    fig.suptitle(text, fontsize=9, color="0.3", x=0.01, ha="left")
