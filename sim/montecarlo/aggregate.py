"""Mergeable study aggregates: fixed-size integer arrays built from each chunk's tables.

Every number is an int64 count or a sum of integer-scaled points (points x points_scale), so
merging is exact and order-free: any executor, worker count or chunk size gives the same bytes.
The arrays' size depends only on the layout, never on the number of seasons (memory stays flat).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sim.montecarlo.kernel import ChunkTables, StudyLayout
from sim.montecarlo.layout_index import LayoutIndex, layout_index
from sim.montecarlo.mergeable import MergeableArrays
from sim.montecarlo.rows import RowFacts, resolve_rows, text_column


@dataclass
class Aggregate(MergeableArrays):
    """Count and sum arrays of a set of seasons; `merge` adds another set exactly."""

    seasons: np.ndarray             # () seasons simulated
    appearances: np.ndarray         # (G,) standings rows seen
    position_counts: np.ndarray     # (G, P) final position 1..P (last column: P or worse)
    position_sum: np.ndarray        # (G,)
    position_sumsq: np.ndarray      # (G,)
    points_sum: np.ndarray          # (G,) scaled points
    points_sumsq: np.ndarray        # (G,)
    points_hist: np.ndarray         # (G, B) season points, bins over [0, max season points]
    cum_sum: np.ndarray             # (G, R) cumulative scaled points after race j
    cum_sumsq: np.ndarray           # (G, R)
    cum_hist: np.ndarray            # (G, R, B) bins over [0, most points possible after race j]
    invited_seasons: np.ndarray     # (G,) seasons with at least one invitation for the competitor's car
    invitations: np.ndarray         # (G, K) invitations per award rule
    awards_given: np.ndarray        # (K,) invitations given per rule (any recipient)
    title_seasons: np.ndarray       # (T,) seasons in which the title had a classification
    title_open: np.ndarray          # (T,) seasons with the title still open before the final round
    gap_seasons: np.ndarray         # (T,) seasons with a runner-up
    gap_sum: np.ndarray             # (T,) scaled champion - runner-up points
    gap_sumsq: np.ndarray           # (T,)
    countback_ties: np.ndarray      # (T,) seasons where champion and runner-up were level on points

    @classmethod
    def empty(cls, layout: StudyLayout) -> Aggregate:
        index = layout_index(layout)
        g, p, b = index.rows, index.positions, layout.points_bins
        r, k, t = len(layout.race_ids), len(layout.award_rules), len(layout.titles)
        shapes = {
            "seasons": (), "appearances": (g,), "position_counts": (g, p), "position_sum": (g,),
            "position_sumsq": (g,), "points_sum": (g,), "points_sumsq": (g,), "points_hist": (g, b),
            "cum_sum": (g, r), "cum_sumsq": (g, r), "cum_hist": (g, r, b), "invited_seasons": (g,),
            "invitations": (g, k), "awards_given": (k,), "title_seasons": (t,), "title_open": (t,),
            "gap_seasons": (t,), "gap_sum": (t,), "gap_sumsq": (t,), "countback_ties": (t,),
        }
        return cls(**{name: np.zeros(shape, dtype=np.int64) for name, shape in shapes.items()})

    @property
    def runs(self) -> int:
        return int(self.seasons)


def aggregate_chunk(tables: ChunkTables, layout: StudyLayout, season_indices: range) -> Aggregate:
    """The aggregate of one chunk of seasons (every season counts, even one with no standings)."""
    index = layout_index(layout)
    agg = Aggregate.empty(layout)
    agg.seasons[...] = len(season_indices)
    facts = resolve_rows(tables, layout)
    g, p, b = index.rows, index.positions, layout.points_bins
    r = len(layout.race_ids)
    rows, pos, pts = facts.row, facts.position, facts.points
    agg.appearances += np.bincount(rows, minlength=g)
    agg.position_counts += np.bincount(rows * p + (pos - 1), minlength=g * p).reshape(g, p)
    np.add.at(agg.position_sum, rows, pos)
    np.add.at(agg.position_sumsq, rows, pos * pos)
    np.add.at(agg.points_sum, rows, pts)
    np.add.at(agg.points_sumsq, rows, pts * pts)
    season_max = index.cum_max_scaled[facts.title, -1] if r else np.ones_like(rows)
    points_bin = np.clip((pts * b) // np.maximum(season_max, 1), 0, b - 1)
    agg.points_hist += np.bincount(rows * b + points_bin, minlength=g * b).reshape(g, b)
    if r and rows.size:
        cum = facts.cumulative
        np.add.at(agg.cum_sum, rows, cum)
        np.add.at(agg.cum_sumsq, rows, cum * cum)
        cum_bins = np.clip((cum * b) // index.cum_max_scaled[facts.title], 0, b - 1)
        flat = (rows[:, None] * r + np.arange(r)[None, :]) * b + cum_bins
        agg.cum_hist += np.bincount(flat.ravel(), minlength=g * r * b).reshape(g, r, b)
    if facts.invitations.size:
        np.add.at(agg.invitations, rows, facts.invitations)
    np.add.at(agg.invited_seasons, rows, (facts.invitations.sum(axis=1) > 0).astype(np.int64))
    awards = tables.awards
    if awards is not None and len(awards) and layout.award_rules:
        rule_idx = np.array([index.rule_to_index[rule] for rule in text_column(awards, "rule")], dtype=np.int64)
        agg.awards_given += np.bincount(rule_idx, minlength=len(layout.award_rules))
    _title_facts(agg, facts, index, season_indices)
    return agg


def _title_facts(agg: Aggregate, facts: RowFacts, index: LayoutIndex, season_indices: range) -> None:
    """Per season and title: classification present, open before the final round, gap, countback tie."""
    layout = index.layout
    if facts.row.size == 0:
        return
    t_count = len(layout.titles)
    local = facts.season - season_indices.start
    if local.min() < 0 or local.max() >= len(season_indices):
        raise ValueError("standings hold a season outside the chunk's season indices")
    cell = local * t_count + facts.title
    cells = len(season_indices) * t_count
    present = np.bincount(cell, minlength=cells) > 0
    agg.title_seasons += present.reshape(-1, t_count).sum(axis=0)
    # The runner-up is the best competitor placed behind the champion: co-drivers share the champion's
    # place (`1=`, the next crew is 4th in a drivers' title), so "second" is the best row at a place
    # beyond 1, not place 2; two crews level on points are split by countback (1 and 2, gap 0).
    first = np.full(cells, -1, dtype=np.int64)
    second = np.full(cells, -1, dtype=np.int64)
    has_first = np.zeros(cells, dtype=bool)
    p1, behind = facts.position == 1, facts.position > 1
    first[cell[p1]] = facts.points[p1]
    has_first[cell[p1]] = True
    np.maximum.at(second, cell[behind], facts.points[behind])
    both = has_first & (second >= 0)
    gap = np.where(both, first - second, 0)
    titles_of_cell = np.tile(np.arange(t_count), len(season_indices))
    agg.gap_seasons += np.bincount(titles_of_cell[both], minlength=t_count)
    agg.gap_sum += _int_bincount(titles_of_cell, gap, t_count)
    agg.gap_sumsq += _int_bincount(titles_of_cell, gap * gap, t_count)
    agg.countback_ties += np.bincount(titles_of_cell[both & (gap == 0)], minlength=t_count)
    # Open before the final round: the best competitor outside the leader's crew on points before it
    # can still reach the leader. A crew is the rows sharing one final place (co-drivers, `1=`), so the
    # leader's own co-drivers, level with him all season, do not keep every drivers' title "open".
    final_races = layout.final_round_races
    if not layout.race_ids:
        return
    before = (facts.cumulative[:, final_races[0] - 1] if final_races and final_races[0] > 0
              else np.zeros(facts.row.size, dtype=np.int64))
    order = np.lexsort((facts.position, -before, cell))
    sorted_cell, sorted_before, sorted_position = cell[order], before[order], facts.position[order]
    starts = np.flatnonzero(np.r_[True, sorted_cell[1:] != sorted_cell[:-1]])
    counts = np.diff(np.r_[starts, sorted_cell.size])
    leader_position = np.repeat(sorted_position[starts], counts)
    # first row of each cell outside the leader's crew (size: none)
    candidate = np.where(sorted_position != leader_position, np.arange(sorted_cell.size), sorted_cell.size)
    rival = np.minimum.reduceat(candidate, starts)
    has_rival = rival < sorted_cell.size
    lead_gap = sorted_before[starts[has_rival]] - sorted_before[rival[has_rival]]
    leader_cells = sorted_cell[starts[has_rival]]
    open_cells = leader_cells[lead_gap <= index.final_round_max_scaled[titles_of_cell[leader_cells]]]
    agg.title_open += np.bincount(titles_of_cell[open_cells], minlength=t_count)


def _int_bincount(labels: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact integer bincount with weights (np.bincount weights would go through float64)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, labels, values.astype(np.int64))
    return out


def merge_all(aggregates: Iterable[Aggregate], layout: StudyLayout) -> Aggregate:
    total = Aggregate.empty(layout)
    for one in aggregates:
        total.merge(one)
    return total
