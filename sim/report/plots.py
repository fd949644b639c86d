"""Study plots (matplotlib, Agg): title probabilities, car x final-position heatmap, points fan charts.

They read the text tables of `summary_frames`, so a plot shows exactly what the CSVs say, and
are written atomically next to them.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.io import atomic_path  # noqa: E402

TOP_BARS = 12
TOP_FANS = 4
PLOT_FILES = ("title_probabilities.png", "positions_heatmap.png", "points_fan.png")


def _label(row: pd.Series) -> str:
    if row["car"] == "(other)":
        return "other entries"
    if row["kind"] == "drivers":
        return str(row["drivers"])
    return f"#{row['car']} {row['team']}"


def _numbers(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_numeric(out[column].replace("", np.nan))
    return out


def _grid(count: int, width: float = 6.0, height: float = 3.2) -> tuple[plt.Figure, list[plt.Axes]]:
    cols = 2 if count > 1 else 1
    rows = max(1, math.ceil(count / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    flat = list(axes.ravel())
    for axis in flat[count:]:
        axis.set_visible(False)
    return fig, flat[:count]


def _save(fig: plt.Figure, target: Path) -> Path:
    fig.tight_layout()
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)
    return target


def plot_title_probabilities(summary: pd.DataFrame, target: str | Path) -> Path:
    """Horizontal bars of p_title (with 2-SE whiskers), the top competitors of every title."""
    data = _numbers(summary, ["p_title", "se_p_title"])
    titles = list(dict.fromkeys(data["title"]))
    fig, axes = _grid(len(titles))
    for axis, title in zip(axes, titles):
        rows = data[data["title"] == title].head(TOP_BARS).iloc[::-1]
        axis.barh([_label(r) for _, r in rows.iterrows()], rows["p_title"], xerr=2 * rows["se_p_title"],
                  color="tab:blue", ecolor="grey")
        axis.set_xlim(0, 1)
        axis.set_title(f"{title}: P(title)")
        axis.tick_params(axis="y", labelsize=7)
    return _save(fig, Path(target))


def plot_position_heatmap(positions: pd.DataFrame, target: str | Path) -> Path:
    """Competitor x final-position probabilities, one panel per teams title."""
    columns = [c for c in positions.columns if c.startswith("P") and c[1:].isdigit()]
    data = _numbers(positions, columns)
    teams = data[data["kind"] == "teams"]
    titles = list(dict.fromkeys(teams["title"])) or list(dict.fromkeys(data["title"]))
    fig, axes = _grid(len(titles), width=6.5, height=4.0)
    for axis, title in zip(axes, titles):
        rows = data[data["title"] == title]
        matrix = rows[columns].to_numpy(dtype=float)
        used = max(1, int(np.max(np.nonzero(np.nan_to_num(matrix).sum(axis=0))[0], initial=0)) + 1)
        image = axis.imshow(np.nan_to_num(matrix[:, :used]), aspect="auto", cmap="viridis", vmin=0, vmax=1)
        axis.set_yticks(range(len(rows)), [_label(r) for _, r in rows.iterrows()], fontsize=7)
        axis.set_xticks(range(used), [str(p) for p in range(1, used + 1)], fontsize=7)
        axis.set_xlabel("final position")
        axis.set_title(title)
        fig.colorbar(image, ax=axis, fraction=0.04)
    return _save(fig, Path(target))


def plot_points_fan(points_by_race: pd.DataFrame, summary: pd.DataFrame, target: str | Path) -> Path:
    """Cumulative points by race: median and 10-90 % band of the leading competitors of each teams title."""
    data = _numbers(points_by_race, ["q10", "q50", "q90"])
    teams = summary[summary["kind"] == "teams"]
    titles = list(dict.fromkeys(teams["title"])) or list(dict.fromkeys(summary["title"]))
    fig, axes = _grid(len(titles))
    for axis, title in zip(axes, titles):
        leaders = summary[(summary["title"] == title) & (summary["car"] != "(other)")].head(TOP_FANS)
        for _, leader in leaders.iterrows():
            rows = data[(data["title"] == title) & (data["car"] == leader["car"]) & (data["team"] == leader["team"])
                        & (data["drivers"] == leader["drivers"])]
            x = np.arange(len(rows))
            line = axis.plot(x, rows["q50"], label=_label(leader))[0]
            axis.fill_between(x, rows["q10"], rows["q90"], color=line.get_color(), alpha=0.2)
            axis.set_xticks(x, [f"{race}\n(rd {rnd})" for race, rnd in zip(rows["race"], rows["round"])], fontsize=7)
        axis.set_ylabel("cumulative points")
        axis.set_title(title)
        axis.legend(fontsize=7, loc="upper left")
    return _save(fig, Path(target))


def write_plots(frames: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """All study plots into out_dir; returns the files written."""
    out = Path(out_dir)
    return [
        plot_title_probabilities(frames["summary"], out / PLOT_FILES[0]),
        plot_position_heatmap(frames["positions"], out / PLOT_FILES[1]),
        plot_points_fan(frames["points_by_race"], frames["summary"], out / PLOT_FILES[2]),
    ]
