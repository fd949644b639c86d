"""Reports of the sporting calendar metrics: the paired-difference table and the chart's bar panels."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from rich.table import Table

from sim.calendar.sporting import SportingStudy, paired_summary
from sim.report.console import make_console

CHART_METRICS = (  # (summary column, panel title)
    ("p_title_open_final_race", "P(title open at the final race)"),
    ("title_gap_pts", "champion - runner-up (pts)"),
    ("p_countback_tie", "P(countback tie at the top)"),
    ("strength_rank_corr", "strength vs position (Spearman)"),
    ("strength_rank_corr_full_season", "same, full-season cars only"),
    ("persistence", "persistence of class positions"),
    ("grid_per_race", "cars per race"),
    ("full_season_share", "full-season share"),
)


def _number(value: float, digits: int = 3) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def paired_table(study: SportingStudy) -> Table:
    """Key metrics per scenario, mean ± se, and the paired difference vs the first scenario ± its se."""
    frame = paired_summary(study.detail)
    names = list(dict.fromkeys(frame["scenario"]))
    out = Table(title=f"Sporting metrics, {study.runs} seasons per calendar (seed {study.seed}, common random "
                      f"numbers): mean ± se, and difference vs {names[0]} ± paired se")
    out.add_column("metric", style="bold")
    for name in names:
        out.add_column(name, overflow="fold")
    for metric, rows in frame.groupby("metric", sort=False):
        cells = []
        for name in names:
            row = rows[rows["scenario"] == name]
            if row.empty:
                cells.append("")
                continue
            row = row.iloc[0]
            cell = f"{_number(row['mean'])} ± {_number(row['se'])}"
            if name != names[0]:
                cell += f"\nΔ {row['delta_vs_first']:+.3f} ± {_number(row['se_delta'])}"
            cells.append(cell)
        out.add_row(metric, *cells)
    return out


def persistence_table(study: SportingStudy) -> Table:
    """Persistence of class positions per class (sim.strength.persistence): mean over the seasons ± se."""
    rows = study.detail[(study.detail["scope"] == "class") & (study.detail["metric"] == "persistence")]
    names = list(dict.fromkeys(study.detail["scenario"]))
    out = Table(title="Persistence of class positions (mean Spearman rho over race pairs, per season): "
                      "0 = every race a lottery")
    out.add_column("class", style="bold")
    for name in names:
        out.add_column(name)
    for group, cells in rows.groupby("group", sort=True):
        by = cells.set_index("scenario")
        out.add_row(str(group), *(f"{_number(by.loc[n, 'mean'])} ± {_number(by.loc[n, 'se'])}" if n in by.index else ""
                                  for n in names))
    return out


def print_sporting(study: SportingStudy, console: Console | None = None) -> None:
    console = console or make_console(160)
    console.print(paired_table(study))
    console.print(persistence_table(study))


def chart_metrics(study: SportingStudy, table: pd.DataFrame) -> list[tuple[str, str, list[float] | None]]:
    """Bar panels for `comparison_chart`: (column, title, se per scenario of `table`) of the key metrics."""
    frame = paired_summary(study.detail)
    panels = []
    for column, title in CHART_METRICS:
        se = frame[frame["metric"] == column].set_index("scenario")["se"]
        errors = [float(se.get(name, 0.0)) for name in table["scenario"]]
        panels.append((column, title, [e if math.isfinite(e) else 0.0 for e in errors]))
    region_columns = [c for c in table.columns
                      if c.startswith("invitations_") and pd.to_numeric(table[c], errors="coerce").fillna(0).any()]
    regions = {f"invitations_{name.lower().replace(' ', '_')}": name
               for name in study.detail.loc[study.detail["scope"] == "region", "group"]}
    detail = study.detail
    for column in region_columns:
        region = regions.get(column, column[len("invitations_"):].replace("_", " "))
        rows = detail[(detail["scope"] == "region") & (detail["group"] == region) & (detail["metric"] == "invitations")]
        se = rows.set_index("scenario")["se"]
        errors = [float(se.get(name, 0.0)) for name in table["scenario"]]
        panels.append((column, f"Le Mans invitations: {region} teams",
                       [e if math.isfinite(e) else 0.0 for e in errors]))
    return panels
