"""Race points: every car's scoring position and points in every race, per classification scope.

A scope is what a title is scored over: a class (class position), a sub-category (position
among the cars of that category) or a joint classification across championships. Vectorised over
all seasons, races and scopes at once (the Monte Carlo hot path): no Python loop per season or race.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config.series import SEGMENT_SEPARATOR, Classification, PointsScale, SeriesRulebook, Title
from sim.errors import InputError

SEASON = "season"


@dataclass(frozen=True)
class Scope:
    """The rows one or more titles are scored over."""

    label: str
    class_name: str
    category: str
    championships: tuple[str, ...]
    scale: str | None


def scope_of(title: Title) -> Scope:
    return Scope(title.label, title.class_name, title.category, tuple(title.championships), title.scale)


def race_order(results: pd.DataFrame) -> list[str]:
    """Race ids in calendar order: by round, then by first appearance in the table."""
    first = results.drop_duplicates("race")[["race", "round"]].reset_index(drop=True)
    first["appearance"] = np.arange(len(first))
    return first.sort_values(["round", "appearance"], kind="stable")["race"].tolist()


def check_results(results: pd.DataFrame, rulebook: SeriesRulebook, source: str = "<results>") -> None:
    """Rulebook-level checks of a (schema-valid) results table: known classes and categories."""
    home = _home_rows(results, rulebook)
    combos = results.loc[home, ["class", "category"]].drop_duplicates()
    for car_class, category in zip(combos["class"], combos["category"]):
        rule = rulebook.classes.get(car_class)
        if rule is not None and (category == "" or category in rule.categories):
            continue
        index = (home & (results["class"] == car_class) & (results["category"] == category)).idxmax()
        if rule is None:
            raise InputError(source, f"row {_row(results, index)}, column class",
                             f"unknown class '{car_class}' (series {rulebook.name} has: {', '.join(rulebook.classes)})")
        raise InputError(source, f"row {_row(results, index)}, column category",
                         f"unknown category '{category}' for class {car_class} in series {rulebook.name}")


def _row(results: pd.DataFrame, index) -> int:
    # read_results resets the index, so index + 2 is the CSV line (the header is line 1).
    return int(index) + 2 if isinstance(index, (int, np.integer)) else index


def _home_rows(results: pd.DataFrame, rulebook: SeriesRulebook) -> pd.Series:
    if "championship" not in results.columns:
        return pd.Series(True, index=results.index)
    championship = results["championship"].fillna("").astype(str)
    return (championship == "") | (championship == rulebook.name)


_SCORING_COLUMNS = (SEASON, "race", "race_index", "round", "class", "category", "car", "team", "drivers", "entry",
                    "status", "class_position", "pole", "classified", "factor", "drive_time_s")


def score_races(results: pd.DataFrame, rulebook: SeriesRulebook, source: str = "<results>") -> pd.DataFrame:
    """Points per car, race and scope: columns `[season], scope, race, race_index, class, category, car, team,
    drivers, entry, status, position, points, pole_points, countback` (`position` 0 = did not score;
    `countback` is False for intermediate classifications such as `R3@6h`)."""
    scored = score_rows(results, rulebook, source)
    table = scored.frame.take(scored.row).reset_index(drop=True)
    table["scope"] = pd.Categorical.from_codes(scored.scope, categories=scored.scope_labels)
    table["position"] = scored.position
    table["pole_points"] = scored.pole_points
    table["points"] = scored.points
    table["countback"] = scored.countback
    keep = ([SEASON] if SEASON in table.columns else []) + [
        "scope", "race", "race_index", "round", "class", "category", "car", "team", "drivers", "entry", "status",
        "class_position", "position", "points", "pole_points", "countback"]
    keep += [c for c in ("drive_time_s",) if c in table.columns]
    return table[keep]


@dataclass(frozen=True)
class ScoredRows:
    """Race points as arrays, one entry per results row and scope it is scored in.

    `row` indexes `frame` (the results' scoring columns plus `race_index`); entries are ordered by
    season, scope, race and class position. Kept as arrays so the standings build no per-scope tables.
    """

    frame: pd.DataFrame
    order: list[str]
    scope_labels: list[str]
    row: np.ndarray
    scope: np.ndarray
    position: np.ndarray
    points: np.ndarray
    pole_points: np.ndarray

    @property
    def countback(self) -> np.ndarray:
        """False for an intermediate classification (`R3@6h`): it counts for points, not for countback."""
        by_race = np.array([SEGMENT_SEPARATOR not in race for race in self.order], dtype=bool)
        return by_race[self.frame["race_index"].to_numpy()[self.row]]

    def subset(self, keep: np.ndarray) -> ScoredRows:
        """The entries where `keep` is True, in the same order."""
        return ScoredRows(self.frame, self.order, self.scope_labels, self.row[keep], self.scope[keep],
                          self.position[keep], self.points[keep], self.pole_points[keep])


def score_rows(results: pd.DataFrame, rulebook: SeriesRulebook, source: str = "<results>") -> ScoredRows:
    """`score_races` as arrays over the results rows (see ScoredRows)."""
    check_results(results, rulebook, source)
    order = race_order(results)
    frame = results.copy()
    frame["race_index"] = _race_index(frame["race"], order)
    frame["classified"] = _classified(frame, rulebook)
    frame["factor"] = _race_factor(frame, rulebook)
    scale_index = _scale_index(frame, rulebook, source)
    scopes = list(dict.fromkeys(scope_of(title) for title in rulebook.titles))
    home = _home_rows(frame, rulebook).to_numpy()
    championship = frame["championship"].fillna("").astype(str) if "championship" in frame.columns else None
    # Only the columns scoring reads or returns are kept.
    frame = frame[[column for column in _SCORING_COLUMNS if column in frame.columns]]
    rows, scope_ids, scales = [], [], []
    for index, scope in enumerate(scopes):
        mask = (frame["class"] == scope.class_name).to_numpy()
        if scope.category:
            mask = mask & (frame["category"] == scope.category).to_numpy()
        if scope.championships and championship is not None:
            names = {"" if name == rulebook.name else name for name in scope.championships}
            mask = mask & championship.replace(rulebook.name, "").isin(names).to_numpy()
        else:
            mask = mask & home
        rows.append(np.flatnonzero(mask))
        scope_ids.append(np.full(int(mask.sum()), index, dtype=np.int64))
        scales.append(_override(scale_index[mask], scope, rulebook))
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    scope_id = np.concatenate(scope_ids) if rows else np.zeros(0, dtype=np.int64)
    scale = np.concatenate(scales) if rows else np.zeros(0, dtype=np.int64)
    rank_within = np.array([bool(scope.category) for scope in scopes], dtype=bool)[scope_id]
    # Race by race in class-position order (stable: equal positions keep the table's order).
    keys = [frame["class_position"].to_numpy()[row], frame["race_index"].to_numpy()[row], scope_id]
    if SEASON in frame.columns:
        keys.append(frame[SEASON].to_numpy()[row])
    sort = np.lexsort(keys)
    row, scope_id, scale, rank_within = row[sort], scope_id[sort], scale[sort], rank_within[sort]
    position, points, pole_points = _positions_and_points(frame, row, scope_id, scale, rank_within, rulebook)
    return ScoredRows(frame, order, [scope.label for scope in scopes], row, scope_id, position, points, pole_points)


def _race_index(race: pd.Series, order: list[str]) -> np.ndarray:
    """Calendar index of each row's race (via the few distinct ids, not a text lookup per row)."""
    codes, uniques = pd.factorize(race)
    if (codes < 0).any():   # a missing race id: fail as the plain lookup does
        return race.map({r: index for index, r in enumerate(order)}).astype("int64").to_numpy()
    position = {r: index for index, r in enumerate(order)}
    return np.array([position[r] for r in uniques], dtype=np.int64)[codes]


def _override(scale_index: np.ndarray, scope: Scope, rulebook: SeriesRulebook) -> np.ndarray:
    if scope.scale is None:
        return scale_index
    names = [scale.name for scale in rulebook.points.scales]
    return np.full(len(scale_index), names.index(scope.scale), dtype=np.int64)


def _classified(frame: pd.DataFrame, rulebook: SeriesRulebook) -> pd.Series:
    """Classified cars: status `classified`, or `dnf` far enough when the rulebook classifies retired cars."""
    rule = rulebook.classification
    classified = frame["status"] == "classified"
    if rule.retired_cars_classified and rule.min_distance_fraction is not None:
        race_keys = ([SEASON] if SEASON in frame.columns else []) + ["race", "class"]
        winner_laps = frame.groupby(race_keys, sort=False)["laps"].transform("max")
        far_enough = frame["laps"] >= rule.min_distance_fraction * winner_laps
        classified |= (frame["status"] == "dnf") & far_enough & (frame["laps"] > 0)
    if rule.min_distance_fraction_by_class:
        classified |= _classified_by_class_distance(frame, rule)
    return classified


def _classified_by_class_distance(frame: pd.DataFrame, rule: Classification) -> pd.Series:
    """Cars of a class with its own classification distance that cover it (retired or running at the flag)."""
    race_keys = ([SEASON] if SEASON in frame.columns else []) + ["race", "class"]
    winner_laps = frame.groupby(race_keys, sort=False)["laps"].transform("max")
    fraction = frame["class"].map(rule.min_distance_fraction_by_class)
    statuses = ["not_classified"] + (["dnf"] if rule.retired_cars_classified else [])
    return (fraction.notna() & frame["status"].isin(statuses) & (frame["laps"] > 0)
            & (frame["laps"] >= fraction * winner_laps))


def _race_factor(frame: pd.DataFrame, rulebook: SeriesRulebook) -> np.ndarray:
    """Points multiplier per row from the shortened-race rule (1 when the results cannot tell)."""
    rule = rulebook.shortened_races
    factor = np.ones(len(frame))
    if not rule.bands and not rule.min_green_laps:
        return factor
    race_keys = ([SEASON] if SEASON in frame.columns else []) + ["race"]
    if rule.bands and "hours" in frame.columns:
        laps_max = frame.groupby(race_keys, sort=False)["laps"].transform("max")
        leader_time = frame["time_s"].where(frame["laps"] == laps_max)
        leader_time = leader_time.groupby([frame[k] for k in race_keys], sort=False).transform("min")
        fraction = (leader_time / (frame["hours"] * 3600.0)).to_numpy()
        # An intermediate classification (`R3@6h`) is short by design, never a shortened race.
        segment = frame["race"].str.contains(SEGMENT_SEPARATOR, regex=False).to_numpy(dtype=bool)
        known = ~np.isnan(fraction) & ~segment
        # The lowest band that holds the fraction wins (bands may be listed in any order).
        for band in sorted(rule.bands, key=lambda b: -b.below_fraction):
            factor = np.where(known & (fraction < band.below_fraction), band.factor, factor)
    if rule.min_green_laps and "green_laps" in frame.columns:
        green = frame["green_laps"].to_numpy(dtype=float)
        factor = np.where(~np.isnan(green) & (green < rule.min_green_laps), 0.0, factor)
    return factor


def _scale_index(frame: pd.DataFrame, rulebook: SeriesRulebook, source: str) -> np.ndarray:
    """Index of the points scale of each row's race: by race id, segment, race length, then default."""
    scales = rulebook.points.scales
    keys = ["race"] + (["hours"] if "hours" in frame.columns else [])
    groups = frame.groupby(keys, sort=False, dropna=False)
    codes = groups.ngroup().to_numpy()
    firsts = groups.head(1)  # one row per group, in group order
    hours = firsts["hours"] if "hours" in firsts.columns else pd.Series(np.nan, index=firsts.index)
    chosen = np.array([choose_scale(race, float(h), scales, rulebook, source)
                       for race, h in zip(firsts["race"], hours)], dtype=np.int64)
    return chosen[codes] if len(chosen) else np.zeros(0, dtype=np.int64)


def choose_scale(race: str, hours: float, scales: Sequence[PointsScale], rulebook: SeriesRulebook, source: str) -> int:
    segment = race.split(SEGMENT_SEPARATOR, 1)[1] if SEGMENT_SEPARATOR in race else None
    for index, scale in enumerate(scales):
        if race in scale.races:
            return index
    if segment is not None:
        for index, scale in enumerate(scales):
            if segment in scale.segments:
                return index
        raise InputError(source, f"race {race}", f"no points scale of series {rulebook.name} lists segment '{segment}'")
    if hours == hours:  # not NaN
        for index, scale in enumerate(scales):
            if scale.hours is not None and not scale.segments and scale.hours.contains(float(hours)):
                return index
    for index, scale in enumerate(scales):
        if scale.is_default:
            return index
    need = "an `hours` column (scheduled race length)" if hours != hours else f"a scale for {hours} h races"
    raise InputError(source, f"race {race}", f"series {rulebook.name} chooses points scales by race; "
                                             f"no scale fits this race (needs {need})")


def points_table(rulebook: SeriesRulebook) -> tuple[np.ndarray, np.ndarray]:
    """(points[scale, position], pole[scale]): column 0 = no score, the last column = beyond the list."""
    scales = rulebook.points.scales
    width = max(len(scale.points) for scale in scales) + 2
    table = np.zeros((len(scales), width))
    for index, scale in enumerate(scales):
        table[index, 1:len(scale.points) + 1] = scale.points
        table[index, len(scale.points) + 1:] = scale.beyond
    return table, np.array([scale.pole for scale in scales])


def _positions_and_points(frame: pd.DataFrame, row: np.ndarray, scope: np.ndarray, scale: np.ndarray,
                          rank_within: np.ndarray, rulebook: SeriesRulebook) -> tuple[np.ndarray, ...]:
    """(position, points, pole points) of each entry: cars that cannot score are skipped (those behind
    move up). Entries come grouped by season, scope and race, in class-position order."""
    scoring = rulebook.scoring
    race_index = frame["race_index"].to_numpy()[row]
    new_group = np.ones(len(row), dtype=bool)
    new_group[1:] = (scope[1:] != scope[:-1]) | (race_index[1:] != race_index[:-1])
    if SEASON in frame.columns:
        season = frame[SEASON].to_numpy()[row]
        new_group[1:] |= season[1:] != season[:-1]
    index = np.arange(len(row))
    group_start = np.maximum.accumulate(np.where(new_group, index, 0)) if len(row) else index
    additional = (frame["entry"] == "additional").to_numpy()[row]
    classified = frame["classified"].to_numpy()[row]
    entrant_scores = ~additional if scoring.additional_entries != "score" else np.ones(len(row), bool)
    eligible = classified & entrant_scores
    # A car that holds its place without scoring (additional entry under `hold_position`) is not skipped.
    holds = additional & (scoring.additional_entries == "hold_position") & classified
    skipped = ~eligible & ~holds
    skipped_before = np.cumsum(skipped) - skipped  # over all entries; minus the count at the group start
    skipped_ahead = skipped_before - skipped_before[group_start]
    place = np.where(rank_within, index - group_start + 1, frame["class_position"].to_numpy()[row])
    position = np.where(eligible, place - skipped_ahead, 0)
    table, pole = points_table(rulebook)
    column = np.minimum(position, table.shape[1] - 1)
    # Positions past the list take the `beyond` value (the last column); 0 stays 0.
    column = np.where(position > table.shape[1] - 2, table.shape[1] - 1, column)
    base = table[scale, column] * frame["factor"].to_numpy()[row]
    may_take_pole = eligible if scoring.pole_requires_classification else entrant_scores
    pole_ok = may_take_pole & (~rank_within | scoring.pole_in_categories)
    pole_points = np.where(pole_ok & (frame["pole"].to_numpy()[row] == 1), pole[scale], 0.0)
    return position.astype(np.int64), base + pole_points, pole_points
