"""Reports of the sporting calendar metrics: the key metrics side by side (mean ± se, and the paired
difference vs the first calendar ± its se), persistence per class, and the chart's bar panels. The same
rows feed the terminal and the calendar report.html.
"""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console

from sim.calendar.sporting import SportingStudy, paired_summary
from sim.report.console import Column, make_console, side_by_side

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
LABELS = {  # summary column -> what a reader calls it
    "p_title_open_final_round": "P(title open before the final round)",
    "p_title_open_final_race": "P(title open before the final race)",
    "title_gap_pts": "champion - runner-up (pts)",
    "p_countback_tie": "P(countback tie at the top)",
    "p_podium_points_tie": "P(points tie on the podium)",
    "strength_rank_corr": "strength rank correlation, all cars",
    "strength_rank_corr_full_season": "the same, full-season cars",
    "persistence": "persistence of class positions",
    "grid_per_race": "cars per race",
    "full_season_share": "full-season share",
}
DIGITS = {"title_gap_pts": 1, "grid_per_race": 1}


def _number(value: float, digits: int = 3) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def key_metrics(study: SportingStudy) -> pd.DataFrame:
    """The key sporting metrics, one row per calendar and metric: `label`, `digits`, mean, se, the paired
    difference vs the first calendar and its se. The class-wide titles' means first, then Le Mans invitations
    per season (all, then by the home region of the team) and cars per race by home region."""
    frame = paired_summary(study.detail)
    frame = frame.assign(label=frame["metric"].map(LABELS), digits=frame["metric"].map(DIGITS).fillna(3))
    detail = study.detail
    extra = [detail[(detail["scope"] == "all") & (detail["metric"] == "invitations")].assign(
        label="invitations / season, all", digits=2)]
    for metric, label in (("invitations", "invitations / season, {} teams"), ("grid", "{} teams' cars per race")):
        rows = detail[(detail["scope"] == "region") & (detail["metric"] == metric)]
        extra.append(rows.assign(label=[label.format(group) for group in rows["group"]], digits=2))
    columns = ["scenario", "label", "digits", "mean", "se", "delta_vs_first", "se_delta"]
    regional = pd.concat([part[columns] for part in extra], ignore_index=True)
    happened = regional.groupby("label", sort=False)["mean"].transform(lambda m: (m.abs() > 0).any())
    return pd.concat([frame[columns], regional[happened.astype(bool)]], ignore_index=True)   # no all-zero rows


def key_metric_rows(study: SportingStudy) -> tuple[list[str], list[list[str]]]:
    """(calendars, rows): per metric a row `mean ± se` per calendar, then a row of the paired difference vs the
    first calendar `± paired se` (blank for the first)."""
    frame = key_metrics(study)
    names = list(dict.fromkeys(frame["scenario"]))
    rows = []
    for label, group in frame.groupby("label", sort=False):
        by = group.set_index("scenario")
        digits = int(group["digits"].iloc[0])
        rows.append([label] + [f"{_number(by.loc[n, 'mean'], digits)} ± {_number(by.loc[n, 'se'], digits)}"
                               if n in by.index else "" for n in names])
        if len(names) > 1:
            rows.append([f"  difference vs {names[0]}"] + [""] + [
                f"{by.loc[n, 'delta_vs_first']:+.{digits}f} ± {_number(by.loc[n, 'se_delta'], digits)}"
                if n in by.index and math.isfinite(by.loc[n, "delta_vs_first"]) else "" for n in names[1:]])
    return names, rows


def persistence_rows(study: SportingStudy) -> tuple[list[str], list[list[str]]]:
    """(calendars, rows): persistence of class positions per class, mean over the seasons ± se."""
    rows = study.detail[(study.detail["scope"] == "class") & (study.detail["metric"] == "persistence")]
    names = list(dict.fromkeys(study.detail["scenario"]))
    out = []
    for group, cells in rows.groupby("group", sort=True):
        by = cells.set_index("scenario")
        out.append([str(group)] + [f"{_number(by.loc[n, 'mean'])} ± {_number(by.loc[n, 'se'])}" if n in by.index
                                   else "" for n in names])
    return names, out


def print_sporting(study: SportingStudy, console: Console | None = None) -> None:
    console = console or make_console()
    names, rows = key_metric_rows(study)
    title = (f"Sporting metrics, {study.runs} seasons per calendar (seed {study.seed}, common random numbers): "
             f"mean ± se, and the difference vs {names[0]} ± paired se")
    for part in side_by_side(console, title, Column("metric"), [Column(n, right=True) for n in names], rows):
        console.print(part)
    names, rows = persistence_rows(study)
    title = "Persistence of class positions (mean Spearman rho over race pairs, per season): 0 = every race a lottery"
    for part in side_by_side(console, title, Column("class"), [Column(n, right=True) for n in names], rows):
        console.print(part)


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
