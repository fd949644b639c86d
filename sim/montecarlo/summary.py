"""A study's tables from its aggregate, text-formatted for byte-identical CSVs: summary, positions,
titles, invitations and points_by_race (the fan-chart quantiles)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from sim.montecarlo.aggregate import Aggregate
from sim.montecarlo.kernel import StudyLayout, TitleLayout
from sim.montecarlo.layout_index import OTHER, LayoutIndex, layout_index
from sim.stats import binomial_se, mean_sd_se

FLOAT_DIGITS = 6


def fmt(value: float) -> str:
    """Fixed-digit text so the CSV is byte-identical; NaN becomes an empty cell."""
    if value is None or not math.isfinite(value):
        return ""
    text = f"{value:.{FLOAT_DIGITS}f}"
    return "0." + "0" * FLOAT_DIGITS if text == "-0." + "0" * FLOAT_DIGITS else text


SUMMARY_COLUMNS = ["title", "class", "category", "kind", "car", "team", "drivers", "runs", "p_title",
                   "se_p_title", "p_top3", "se_p_top3", "mean_points", "sd_points", "se_mean_points",
                   "mean_position", "se_mean_position", "p_invitation", "se_p_invitation", "p_classified"]


def _row_identity(layout: StudyLayout, index: LayoutIndex, t: int, g: int) -> dict[str, str]:
    title: TitleLayout = layout.titles[t]
    local = g - index.offsets[t]
    base = {"title": title.title, "class": title.class_name, "category": title.category, "kind": title.kind}
    if local < len(title.competitors):
        c = title.competitors[local]
        return {**base, "car": c.car, "team": c.team, "drivers": c.drivers}
    return {**base, "car": OTHER, "team": OTHER, "drivers": OTHER}


def _ordered_rows(agg: Aggregate, index: LayoutIndex, t: int) -> list[int]:
    """Rows of title t by title wins, top 3, points (all exact integers), then layout order; other last."""
    rows = list(index.title_rows(t))
    other = rows.pop()
    pc = agg.position_counts
    rows.sort(key=lambda g: (-int(pc[g, 0]), -int(pc[g, :3].sum()), -int(agg.points_sum[g]), g))
    if agg.appearances[other] > 0:
        rows.append(other)
    return rows


def summary_frames(agg: Aggregate, layout: StudyLayout) -> dict[str, pd.DataFrame]:
    """The study's tables, text-formatted for byte-identical CSVs: summary, positions, titles,
    invitations, points_by_race (the fan-chart quantiles)."""
    index = layout_index(layout)
    n = agg.runs
    scale = layout.points_scale
    summary, positions, by_race, invitations = [], [], [], []
    for t, title in enumerate(layout.titles):
        limit_cols = len(title.competitors) + layout.extra_positions
        for g in _ordered_rows(agg, index, t):
            ident = _row_identity(layout, index, t, g)
            is_other = g == index.other_rows[t]
            app = int(agg.appearances[g])
            wins = int(agg.position_counts[g, 0])
            top3 = int(agg.position_counts[g, :3].sum())
            mean_pts, sd_pts, se_pts = mean_sd_se(int(agg.points_sum[g]), int(agg.points_sumsq[g]), n, scale)
            if is_other:  # several unlisted entries per season: no per-season spread
                sd_pts = se_pts = float("nan")
            mean_pos, _, se_pos = mean_sd_se(int(agg.position_sum[g]), int(agg.position_sumsq[g]), app, 1)
            invited = int(agg.invited_seasons[g])
            summary.append({
                **ident, "runs": str(n),
                "p_title": fmt(wins / n), "se_p_title": fmt(binomial_se(wins, n)),
                "p_top3": fmt(top3 / n), "se_p_top3": fmt(binomial_se(top3, n)),
                "mean_points": fmt(mean_pts), "sd_points": fmt(sd_pts), "se_mean_points": fmt(se_pts),
                "mean_position": fmt(mean_pos), "se_mean_position": fmt(se_pos),
                "p_invitation": fmt(invited / n), "se_p_invitation": fmt(binomial_se(invited, n)),
                "p_classified": fmt(app / n),
            })
            row = {**ident}
            for position in range(1, index.positions + 1):
                row[f"P{position}"] = fmt(agg.position_counts[g, position - 1] / n) if position <= limit_cols else ""
            row["not_classified"] = fmt(max(n - app, 0) / n) if not is_other else ""
            positions.append(row)
            for j, race in enumerate(layout.race_ids):
                mean_c, sd_c, _ = mean_sd_se(int(agg.cum_sum[g, j]), int(agg.cum_sumsq[g, j]), app, scale)
                width = index.cum_max_scaled[t, j] / layout.points_bins / scale
                q10, q50, q90 = histogram_quantiles(agg.cum_hist[g, j], width, (0.1, 0.5, 0.9))
                by_race.append({**ident, "race": race, "round": str(layout.rounds[j]), "mean_points": fmt(mean_c),
                                "sd_points": fmt(sd_c), "q10": fmt(q10), "q50": fmt(q50), "q90": fmt(q90)})
            if title.kind == "teams":
                for k, rule in enumerate(layout.award_rules):
                    count = int(agg.invitations[g, k])
                    if count:
                        invitations.append({**ident, "rule": rule, "runs": str(n), "p_invitation": fmt(count / n),
                                            "se_p_invitation": fmt(binomial_se(count, n))})
    titles = []
    for t, title in enumerate(layout.titles):
        gaps = int(agg.gap_seasons[t])
        mean_gap, sd_gap, se_gap = mean_sd_se(int(agg.gap_sum[t]), int(agg.gap_sumsq[t]), gaps, scale)
        titles.append({
            "title": title.title, "class": title.class_name, "category": title.category, "kind": title.kind,
            "runs": str(n), "p_classification": fmt(int(agg.title_seasons[t]) / n),
            "p_open_before_final_round": fmt(int(agg.title_open[t]) / n),
            "se_p_open_before_final_round": fmt(binomial_se(int(agg.title_open[t]), n)),
            "mean_final_gap": fmt(mean_gap), "sd_final_gap": fmt(sd_gap), "se_mean_final_gap": fmt(se_gap),
            "p_countback_tie": fmt(int(agg.countback_ties[t]) / n),
            "se_p_countback_tie": fmt(binomial_se(int(agg.countback_ties[t]), n)),
        })
    ident_cols = ["title", "class", "category", "kind", "car", "team", "drivers"]
    position_cols = ident_cols + [f"P{p}" for p in range(1, index.positions + 1)] + ["not_classified"]
    return {
        "summary": _text_frame(summary, SUMMARY_COLUMNS),
        "positions": _text_frame(positions, position_cols),
        "titles": _text_frame(titles, ["title", "class", "category", "kind", "runs", "p_classification",
                                       "p_open_before_final_round", "se_p_open_before_final_round",
                                       "mean_final_gap", "sd_final_gap", "se_mean_final_gap", "p_countback_tie",
                                       "se_p_countback_tie"]),
        "invitations": _text_frame(invitations, ident_cols + ["rule", "runs", "p_invitation", "se_p_invitation"]),
        "points_by_race": _text_frame(by_race, ident_cols + ["race", "round", "mean_points", "sd_points", "q10",
                                                             "q50", "q90"]),
    }


def _text_frame(rows: list[dict[str, str]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, dtype=str)


def histogram_quantiles(counts: np.ndarray, bin_width: float, quantiles: Iterable[float]) -> list[float]:
    """Quantiles of a fixed-bin histogram starting at 0, linear inside the bin."""
    total = int(counts.sum())
    if total == 0:
        return [float("nan") for _ in quantiles]
    cum = np.cumsum(counts)
    out = []
    for q in quantiles:
        target = q * total
        b = int(np.searchsorted(cum, target, side="left"))
        b = min(b, counts.size - 1)
        while counts[b] == 0 and b < counts.size - 1:  # a quantile lies inside a non-empty bin
            b += 1
        before = cum[b - 1] if b > 0 else 0
        inside = (target - before) / counts[b] if counts[b] else 0.0
        out.append((b + inside) * bin_width)
    return out
