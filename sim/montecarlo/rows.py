"""A chunk's standings rows resolved against the study layout: each row's layout row, position, scaled
points (season and after each race) and the invitations its car earned; shared by the study aggregate
and the paired studies."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.montecarlo.kernel import ChunkTables, StudyLayout, title_match_key
from sim.montecarlo.layout_index import LayoutIndex, car_key, layout_index


def scale_points(values: np.ndarray, scale: int, what: str) -> np.ndarray:
    """Points as exact integers `value x scale` (ValueError when they are not)."""
    scaled = np.rint(values * scale)
    if values.size and np.max(np.abs(scaled - values * scale)) > 1e-6:
        raise ValueError(f"{what}: points are not multiples of 1/{scale} (raise StudyLayout.points_scale)")
    return scaled.astype(np.int64)


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
    position = number_column(standings, "position")
    position = np.where(np.isnan(position), limit, position).astype(np.int64)
    position = np.clip(position, 1, limit)
    scale = layout.points_scale
    points = scale_points(np.nan_to_num(number_column(standings, "points")), scale, "points")
    race_points = np.nan_to_num(np.column_stack([number_column(standings, race) for race in race_ids])
                                if race_ids else np.zeros((n, 0)))
    cumulative = np.cumsum(scale_points(race_points, scale, "race points"), axis=1)
    season = number_column(standings, "season").astype(np.int64)
    invitations = _row_invitations(tables.awards, layout, season, codes, labels)
    return RowFacts(season, rows, title_idx, position, points, cumulative, invitations)


def _layout_row(index: LayoutIndex, title: str, kind: str, car: str, team: str, drivers: str) -> int:
    """The layout row of a standings row (-1: not in the layout)."""
    row = index.key_to_row.get(title_match_key(title, kind, car, team, drivers))
    if row is None and kind == "teams":
        row = index.car_to_row.get(car_key(title, car))
    return -1 if row is None else row


def text_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype=object, na_value="").astype(str)


def number_column(frame: pd.DataFrame, column: str) -> np.ndarray:
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
    rules = text_column(awards, "rule")
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
    award_seasons = number_column(awards, "season").astype(np.int64)
    for one_season, class_name, one_car, rule in zip(award_seasons, text_column(awards, "class"),
                                                     text_column(awards, "car"), rules):
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
