"""Mergeable study aggregates: fixed-size integer arrays built from each chunk's tables.

Every number is an int64 count or a sum of integer-scaled points (points x points_scale), so
merging is exact and order-free: any executor, worker count or chunk size gives the same bytes.
The arrays' size depends only on the layout, never on the number of seasons (memory stays flat).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, fields
from typing import Iterable

import numpy as np
import pandas as pd

from sim.montecarlo.kernel import ChunkTables, StudyLayout, TitleLayout, title_match_key

OTHER = "(other)"
_SEP = "\x1f"


@dataclass(frozen=True)
class LayoutIndex:
    """Flat row numbering of a layout: each title's competitors, then its "other" row."""

    layout: StudyLayout
    offsets: tuple[int, ...]            # first global row of each title
    other_rows: np.ndarray              # global row of each title's "other" row
    row_title: np.ndarray               # title index of every global row
    row_position_limit: np.ndarray      # positions beyond this are counted in the last column
    key_to_row: dict[str, int]
    car_to_row: dict[str, int]          # teams rows by title + car alone (`_car_key`), where unambiguous
    title_to_index: dict[str, int]
    cum_max_scaled: np.ndarray          # (titles, races) most scaled points after race j
    final_round_max_scaled: np.ndarray  # (titles,) most scaled points in the final round
    rule_to_index: dict[str, int]

    @property
    def rows(self) -> int:
        return int(self.row_title.size)

    @property
    def positions(self) -> int:
        return int(self.row_position_limit.max()) if self.rows else 1

    def title_rows(self, title_index: int) -> range:
        start = self.offsets[title_index]
        return range(start, int(self.other_rows[title_index]) + 1)


@functools.lru_cache(maxsize=8)
def layout_index(layout: StudyLayout) -> LayoutIndex:
    offsets, other_rows, row_title, limits = [], [], [], []
    key_to_row: dict[str, int] = {}
    car_to_row: dict[str, int | None] = {}
    row = 0
    for t, title in enumerate(layout.titles):
        offsets.append(row)
        for competitor in title.competitors:
            key_to_row[competitor.match_key(title.title)] = row
            if competitor.kind == "teams":
                key = _car_key(title.title, competitor.car)
                car_to_row[key] = None if key in car_to_row else row   # a number twice: no fallback
            row_title.append(t)
            row += 1
        other_rows.append(row)
        row_title.append(t)
        row += 1
        limit = max(1, len(title.competitors) + layout.extra_positions)
        limits.extend([limit] * (len(title.competitors) + 1))
    scale = layout.points_scale
    race_count = len(layout.race_ids)
    cum_max = np.zeros((len(layout.titles), race_count), dtype=np.int64)
    final_max = np.zeros(len(layout.titles), dtype=np.int64)
    final_races = layout.final_round_races
    for t, title in enumerate(layout.titles):
        scaled = np.array([_scale_value(p, scale, f"max_race_points of {title.title}") for p in title.max_race_points],
                          dtype=np.int64)
        cum_max[t] = np.maximum(np.cumsum(scaled), 1) if race_count else cum_max[t]
        final_max[t] = scaled[final_races].sum() if final_races else 0
    return LayoutIndex(
        layout=layout, offsets=tuple(offsets), other_rows=np.array(other_rows, dtype=np.int64),
        row_title=np.array(row_title, dtype=np.int64), row_position_limit=np.array(limits, dtype=np.int64),
        key_to_row=key_to_row, car_to_row={key: row for key, row in car_to_row.items() if row is not None},
        title_to_index={t.title: i for i, t in enumerate(layout.titles)},
        cum_max_scaled=cum_max, final_round_max_scaled=final_max,
        rule_to_index={rule: k for k, rule in enumerate(layout.award_rules)})


def _car_key(title: str, car: str) -> str:
    """A teams row by its car alone: a competitor is its entry (car number in its class), so a car whose
    team name in a season differs from the layout's (a sponsor rename, the season's latest name being an
    older one when the car skipped the later rounds) is still its own row, not "other"."""
    return f"{title}{_SEP}{car}"


def _scale_value(value: float, scale: int, what: str) -> int:
    scaled = round(float(value) * scale)
    if abs(scaled - float(value) * scale) > 1e-6:
        raise ValueError(f"{what}: {value} is not a multiple of 1/{scale} (raise StudyLayout.points_scale)")
    return int(scaled)


def _scale_points(values: np.ndarray, scale: int, what: str) -> np.ndarray:
    scaled = np.rint(values * scale)
    if values.size and np.max(np.abs(scaled - values * scale)) > 1e-6:
        raise ValueError(f"{what}: points are not multiples of 1/{scale} (raise StudyLayout.points_scale)")
    return scaled.astype(np.int64)


@dataclass
class Aggregate:
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

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def merge(self, other: Aggregate) -> Aggregate:
        """Add `other` into self (exact integer addition) and return self."""
        for name in self.field_names():
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine.shape != theirs.shape:
                raise ValueError(f"cannot merge aggregates of different layouts ({name} {mine.shape} vs {theirs.shape})")
            mine += theirs
        return self

    @property
    def runs(self) -> int:
        return int(self.seasons)

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in self.field_names())

    def to_arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        return {prefix + name: getattr(self, name) for name in self.field_names()}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str = "") -> Aggregate:
        return cls(**{name: np.array(arrays[prefix + name], dtype=np.int64) for name in cls.field_names()})

    def equals(self, other: Aggregate) -> bool:
        return all(np.array_equal(getattr(self, n), getattr(other, n)) for n in self.field_names())


@dataclass
class RowFacts:
    """Standings rows of a chunk resolved against the layout (shared by Aggregate and paired studies)."""

    season: np.ndarray       # (n,) season index
    row: np.ndarray          # (n,) global layout row
    title: np.ndarray        # (n,) title index
    position: np.ndarray     # (n,) 1-based final position, clipped to the row's limit
    points: np.ndarray       # (n,) scaled season points
    cumulative: np.ndarray   # (n, R) scaled cumulative points after each race
    invitations: np.ndarray  # (n, K) invitations per rule for this competitor's car(s)


def resolve_rows(tables: ChunkTables, layout: StudyLayout) -> RowFacts:
    """Map each standings row to its layout row and scaled numbers; join the awards by car."""
    index = layout_index(layout)
    standings = tables.standings
    n = len(standings)
    race_ids = list(layout.race_ids)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return RowFacts(empty, empty, empty, empty, empty, np.zeros((0, len(race_ids)), dtype=np.int64),
                        np.zeros((0, len(layout.award_rules)), dtype=np.int64))
    missing = [c for c in ("season", "title", "kind", "position", "car", "team", "drivers", "points", *race_ids)
               if c not in standings.columns]
    if missing:
        raise ValueError(f"standings table lacks columns {missing}")
    # Names are matched once per distinct combination, not once per row (thousands of seasons repeat them).
    codes, labels = {}, {}
    for column in ("title", "kind", "car", "team", "drivers", "class"):
        codes[column], labels[column] = _coded_column(standings, column)
    title_of_code = np.array([index.title_to_index.get(t, -1) for t in labels["title"]], dtype=np.int64)
    title_idx = title_of_code[codes["title"]]
    if (title_idx < 0).any():
        unknown = sorted({labels["title"][c] for c in codes["title"][title_idx < 0]})
        raise ValueError(f"standings titles {unknown} are not in the study layout")
    key_columns = ("title", "kind", "car", "team", "drivers")
    combo, first = _combinations([codes[c] for c in key_columns])
    row_of_combo = np.array([_layout_row(index, *(labels[c][codes[c][i]] for c in key_columns))
                             for i in first.tolist()], dtype=np.int64)
    rows = row_of_combo[combo]
    unknown_rows = rows < 0
    rows[unknown_rows] = index.other_rows[title_idx[unknown_rows]]
    limit = index.row_position_limit[rows]
    position = _number_column(standings, "position")
    position = np.where(np.isnan(position), limit, position).astype(np.int64)
    position = np.clip(position, 1, limit)
    scale = layout.points_scale
    points = _scale_points(np.nan_to_num(_number_column(standings, "points")), scale, "points")
    race_points = np.nan_to_num(np.column_stack([_number_column(standings, race) for race in race_ids])
                                if race_ids else np.zeros((n, 0)))
    cumulative = np.cumsum(_scale_points(race_points, scale, "race points"), axis=1)
    season = _number_column(standings, "season").astype(np.int64)
    invitations = _row_invitations(tables.awards, layout, season, codes, labels)
    return RowFacts(season, rows, title_idx, position, points, cumulative, invitations)


def _layout_row(index: LayoutIndex, title: str, kind: str, car: str, team: str, drivers: str) -> int:
    """The layout row of a standings row (-1: not in the layout)."""
    row = index.key_to_row.get(title_match_key(title, kind, car, team, drivers))
    if row is None and kind == "teams":
        row = index.car_to_row.get(_car_key(title, car))
    return -1 if row is None else row


def _text_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype=object, na_value="").astype(str)


def _number_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _coded_column(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str]]:
    """Integer code per row and the text of each code, as `_text_column` reads it (missing -> "")."""
    codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object, na_value=""))
    return codes.astype(np.int64), [str(value) for value in uniques]


def _combinations(code_columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Code of each row's combination of the columns' codes, and the first row of each combination."""
    combo = code_columns[0]
    for codes in code_columns[1:]:
        # re-factorised after every column, so the mixed-radix number never grows past rows x codes
        combo = pd.factorize(combo * (int(codes.max()) + 1 if len(codes) else 1) + codes)[0]
    first = np.full(int(combo.max()) + 1 if len(combo) else 0, -1, dtype=np.int64)
    first[combo[::-1]] = np.arange(len(combo) - 1, -1, -1)
    return combo, first


def _row_invitations(awards: pd.DataFrame, layout: StudyLayout, season: np.ndarray,
                     codes: dict[str, np.ndarray], labels: dict[str, list[str]]) -> np.ndarray:
    """(n, K) invitations per rule earned by each standings row's car (a driver: any car raced)."""
    index = layout_index(layout)
    n, k = season.size, len(layout.award_rules)
    result = np.zeros((n, k), dtype=np.int64)
    if awards is None or len(awards) == 0 or k == 0:
        return result
    rules = _text_column(awards, "rule")
    unknown = sorted(set(rules) - set(index.rule_to_index))
    if unknown:
        raise ValueError(f"award rules {unknown} are not in the study layout")
    # The (class, car) pairs each distinct (class, car, kind) of the rows stands for: a drivers row
    # holds every car its driver raced.
    combo, first = _combinations([codes["class"], codes["car"], codes["kind"]])
    pair_of: dict[tuple[str, str], int] = {}
    combo_pairs = []
    for i in first.tolist():
        class_name, car = labels["class"][codes["class"][i]], labels["car"][codes["car"][i]]
        cars = car.split(";") if labels["kind"][codes["kind"][i]] == "drivers" else [car]
        combo_pairs.append([pair_of.setdefault((class_name, one_car), len(pair_of)) for one_car in cars])
    # Invitations per (season, pair, rule), then summed over each row's pairs.
    seasons, season_of_row = np.unique(season, return_inverse=True)
    hits = np.zeros((len(seasons), len(pair_of), k), dtype=np.int64)
    award_seasons = _number_column(awards, "season").astype(np.int64)
    for one_season, class_name, one_car, rule in zip(award_seasons, _text_column(awards, "class"),
                                                     _text_column(awards, "car"), rules):
        pair = pair_of.get((class_name, one_car))
        at = int(np.searchsorted(seasons, one_season))
        if pair is not None and at < len(seasons) and seasons[at] == one_season:
            hits[at, pair, index.rule_to_index[rule]] += 1
    sizes = np.array([len(pairs) for pairs in combo_pairs], dtype=np.int64)
    flat_pairs = np.array([p for pairs in combo_pairs for p in pairs], dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    per_row = sizes[combo]
    row = np.repeat(np.arange(n), per_row)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    pair = flat_pairs[starts[combo[row]] + offset]
    np.add.at(result, row, hits[season_of_row[row], pair])
    return result


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
        rule_idx = np.array([index.rule_to_index[rule] for rule in _text_column(awards, "rule")], dtype=np.int64)
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


# ----------------------------------------------------------------------------------------------
# Summaries

FLOAT_DIGITS = 6


def _fmt(value: float) -> str:
    """Fixed-digit text so the CSV is byte-identical; NaN becomes an empty cell."""
    if value is None or not math.isfinite(value):
        return ""
    text = f"{value:.{FLOAT_DIGITS}f}"
    return "0." + "0" * FLOAT_DIGITS if text == "-0." + "0" * FLOAT_DIGITS else text


def _binomial_se(count: int, n: int) -> float:
    if n <= 0:
        return float("nan")
    p = count / n
    return math.sqrt(max(p * (1 - p), 0.0) / n)


def paired_se(total: np.ndarray, total_sq: np.ndarray, n: int) -> np.ndarray:
    """Standard error of the mean per-season difference of a paired metric, from its sums (0/1/-1 values:
    the float numerator is exact far beyond any study's size)."""
    total, total_sq = np.asarray(total, dtype=float), np.asarray(total_sq, dtype=float)
    if n < 2:
        return np.full(total.shape, np.nan)
    return np.sqrt(np.maximum((n * total_sq - total * total) / (n * (n - 1)), 0.0) / n)


def _mean_sd_se(total: int, total_sq: int, n: int, scale: int) -> tuple[float, float, float]:
    """Mean, sample sd and standard error of the mean from integer sums of scaled values."""
    if n <= 0:
        return float("nan"), float("nan"), float("nan")
    mean = total / n
    if n < 2:
        return mean / scale, float("nan"), float("nan")
    # Exact integer numerator n*sumsq - sum^2 avoids cancellation before the one division.
    var = (n * int(total_sq) - int(total) ** 2) / (n * (n - 1))
    sd = math.sqrt(max(var, 0.0))
    return mean / scale, sd / scale, sd / scale / math.sqrt(n)


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
            mean_pts, sd_pts, se_pts = _mean_sd_se(int(agg.points_sum[g]), int(agg.points_sumsq[g]), n, scale)
            if is_other:  # several unlisted entries per season: no per-season spread
                sd_pts = se_pts = float("nan")
            mean_pos, _, se_pos = _mean_sd_se(int(agg.position_sum[g]), int(agg.position_sumsq[g]), app, 1)
            invited = int(agg.invited_seasons[g])
            summary.append({
                **ident, "runs": str(n),
                "p_title": _fmt(wins / n), "se_p_title": _fmt(_binomial_se(wins, n)),
                "p_top3": _fmt(top3 / n), "se_p_top3": _fmt(_binomial_se(top3, n)),
                "mean_points": _fmt(mean_pts), "sd_points": _fmt(sd_pts), "se_mean_points": _fmt(se_pts),
                "mean_position": _fmt(mean_pos), "se_mean_position": _fmt(se_pos),
                "p_invitation": _fmt(invited / n), "se_p_invitation": _fmt(_binomial_se(invited, n)),
                "p_classified": _fmt(app / n),
            })
            row = {**ident}
            for position in range(1, index.positions + 1):
                row[f"P{position}"] = _fmt(agg.position_counts[g, position - 1] / n) if position <= limit_cols else ""
            row["not_classified"] = _fmt(max(n - app, 0) / n) if not is_other else ""
            positions.append(row)
            for j, race in enumerate(layout.race_ids):
                mean_c, sd_c, _ = _mean_sd_se(int(agg.cum_sum[g, j]), int(agg.cum_sumsq[g, j]), app, scale)
                width = index.cum_max_scaled[t, j] / layout.points_bins / scale
                q10, q50, q90 = histogram_quantiles(agg.cum_hist[g, j], width, (0.1, 0.5, 0.9))
                by_race.append({**ident, "race": race, "round": str(layout.rounds[j]), "mean_points": _fmt(mean_c),
                                "sd_points": _fmt(sd_c), "q10": _fmt(q10), "q50": _fmt(q50), "q90": _fmt(q90)})
            if title.kind == "teams":
                for k, rule in enumerate(layout.award_rules):
                    count = int(agg.invitations[g, k])
                    if count:
                        invitations.append({**ident, "rule": rule, "runs": str(n), "p_invitation": _fmt(count / n),
                                            "se_p_invitation": _fmt(_binomial_se(count, n))})
    titles = []
    for t, title in enumerate(layout.titles):
        gaps = int(agg.gap_seasons[t])
        mean_gap, sd_gap, se_gap = _mean_sd_se(int(agg.gap_sum[t]), int(agg.gap_sumsq[t]), gaps, scale)
        titles.append({
            "title": title.title, "class": title.class_name, "category": title.category, "kind": title.kind,
            "runs": str(n), "p_classification": _fmt(int(agg.title_seasons[t]) / n),
            "p_open_before_final_round": _fmt(int(agg.title_open[t]) / n),
            "se_p_open_before_final_round": _fmt(_binomial_se(int(agg.title_open[t]), n)),
            "mean_final_gap": _fmt(mean_gap), "sd_final_gap": _fmt(sd_gap), "se_mean_final_gap": _fmt(se_gap),
            "p_countback_tie": _fmt(int(agg.countback_ties[t]) / n),
            "se_p_countback_tie": _fmt(_binomial_se(int(agg.countback_ties[t]), n)),
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
