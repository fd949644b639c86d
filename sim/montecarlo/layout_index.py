"""Flat row numbering of a study layout: each title's competitors, then its "other" row; the lookups
from a standings row's names to its row, and the most points possible after each race (scaled)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sim.montecarlo.kernel import StudyLayout

OTHER = "(other)"
SEP = "\x1f"


@dataclass(frozen=True)
class LayoutIndex:
    """Flat row numbering of a layout: each title's competitors, then its "other" row."""

    layout: StudyLayout
    offsets: tuple[int, ...]            # first global row of each title
    other_rows: np.ndarray              # global row of each title's "other" row
    row_title: np.ndarray               # title index of every global row
    row_position_limit: np.ndarray      # positions beyond this are counted in the last column
    key_to_row: dict[str, int]
    car_to_row: dict[str, int]          # teams rows by title + car alone (`car_key`), where unambiguous
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
    """The row numbering of a layout (cached: a study asks for it at every chunk)."""
    offsets, other_rows, row_title, limits = [], [], [], []
    key_to_row: dict[str, int] = {}
    car_to_row: dict[str, int | None] = {}
    row = 0
    for t, title in enumerate(layout.titles):
        offsets.append(row)
        for competitor in title.competitors:
            key_to_row[competitor.match_key(title.title)] = row
            if competitor.kind == "teams":
                key = car_key(title.title, competitor.car)
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
        scaled = np.array([scale_value(p, scale, f"max_race_points of {title.title}") for p in title.max_race_points],
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


def car_key(title: str, car: str) -> str:
    """A teams row by its car alone: a competitor is its entry (car number in its class), so a car whose
    team name in a season differs from the layout's (a sponsor rename, the season's latest name being an
    older one when the car skipped the later rounds) is still its own row, not "other"."""
    return f"{title}{SEP}{car}"


def scale_value(value: float, scale: int, what: str) -> int:
    """Points as an exact integer `value x scale` (ValueError when it is not one)."""
    scaled = round(float(value) * scale)
    if abs(scaled - float(value) * scale) > 1e-6:
        raise ValueError(f"{what}: {value} is not a multiple of 1/{scale} (raise StudyLayout.points_scale)")
    return int(scaled)


def _scale_points(values: np.ndarray, scale: int, what: str) -> np.ndarray:
    scaled = np.rint(values * scale)
    if values.size and np.max(np.abs(scaled - values * scale)) > 1e-6:
        raise ValueError(f"{what}: points are not multiples of 1/{scale} (raise StudyLayout.points_scale)")
    return scaled.astype(np.int64)
