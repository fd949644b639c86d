"""Championship standings: every title of a rulebook (class x category x kind), after any race.

One row per competitor per classification, ordered `[season], title, position`. Everything is
computed for all seasons and titles at once on integer codes (names are factorised once and only
turned back into text for the output): the Monte Carlo hot path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config.series import SeriesRulebook
from sim.errors import InputError
from sim.rules.competitors import follow_entries
from sim.rules.points import SEASON, ScoredRows, race_order, score_rows
from sim.rules.tiebreak import order_competitors, position_counts

KINDS = ("teams", "drivers")


def races_up_to(results: pd.DataFrame, after: str | None, source: str = "<results>") -> pd.DataFrame:
    """The results of the races up to and including `after` (all races when None)."""
    if after is None:
        return results
    order = race_order(results)
    if after not in order:
        raise InputError(None, "--after", f"unknown race '{after}' in {source} (races: {', '.join(order)})")
    keep = order[: order.index(after) + 1]
    return results[results["race"].isin(keep)]


def compute_standings(results: pd.DataFrame, rulebook: SeriesRulebook, after: str | None = None,
                      source: str = "<results>") -> pd.DataFrame:
    """Standings of every title after race `after` (default: the last race).

    `results` is a schema-valid results table (`sim.results.read_results` / `validate_results`, or
    the race model's output); an optional `season` column holds many seasons, scored separately.
    Columns: `[season], title, class, category, kind, position, position_text, car, team, drivers,
    points, <race ids>, wins`; `position_text` shows shared places as `1=`. A competitor is an entry
    (`sim.rules.competitors`): a renamed car shows its latest team name and the union of its crews.
    """
    results = follow_entries(races_up_to(results, after, source))
    scored = score_rows(results, rulebook, source)
    if rulebook.scoring.additional_entries != "score":
        scored = scored.subset((scored.frame["entry"] != "additional").to_numpy()[scored.row])
    names = Names.of(scored.frame)
    rows = _competitor_rows(scored, rulebook, names)
    return _rank(rows, rulebook, names, scored.order, has_season=SEASON in results.columns)


@dataclass(frozen=True)
class Names:
    """Sorted distinct cars, teams and drivers of a results table; each row's codes (code order = name order)."""

    cars: np.ndarray
    teams: np.ndarray
    drivers: np.ndarray
    car_code: np.ndarray
    team_code: np.ndarray
    crew_code: np.ndarray
    crews: list[np.ndarray]  # per crew code, its driver codes

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Names:
        car_code, cars = pd.factorize(frame["car"].astype(str).to_numpy(), sort=True)
        team_code, teams = pd.factorize(frame["team"].astype(str).to_numpy(), sort=True)
        crew_code, crew_texts = pd.factorize(frame["drivers"].astype(str).to_numpy())
        split = [[name.strip() for name in text.split(";") if name.strip()] for text in crew_texts]
        drivers = np.array(sorted({name for crew in split for name in crew}), dtype=object)
        index = {name: code for code, name in enumerate(drivers)}
        crews = [np.array([index[name] for name in crew], dtype=np.int64) for crew in split]
        return cls(np.asarray(cars, dtype=object), np.asarray(teams, dtype=object), drivers,
                   car_code, team_code, crew_code, crews)


def _title_lookup(rulebook: SeriesRulebook, scope_labels: list[str]) -> tuple[list[tuple], np.ndarray]:
    """Titles in rulebook order as (id, class, category, kind), and table[scope, kind] -> title index (-1: none)."""
    titles: list[tuple] = []
    table = np.full((len(scope_labels), len(KINDS)), -1, dtype=np.int64)
    for title in rulebook.titles:
        for kind in title.kinds:
            table[scope_labels.index(title.label), KINDS.index(kind)] = len(titles)
            titles.append((title.title_id(kind), title.class_name, title.category, kind))
    return titles, table


def _explode_crews(crew_code: np.ndarray, crews: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(row index, driver code) for every driver of every row's crew, without splitting text per row."""
    counts = np.array([len(crew) for crew in crews], dtype=np.int64)
    flat = np.concatenate(crews) if crews else np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.cumsum(counts)[:-1]] if len(counts) else np.zeros(0, dtype=np.int64)
    repeat = counts[crew_code] if len(crew_code) else np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(len(crew_code)), repeat)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return rows, flat[starts[crew_code[rows]] + offset] if len(rows) else np.zeros(0, dtype=np.int64)


def _short_drive_times(frame: pd.DataFrame, rows: np.ndarray, offset: np.ndarray,
                       min_drive_time_s: float) -> np.ndarray:
    """True where the driver (number `offset` of the crew of results row `rows`) has a known drive time
    (column `drive_time_s`) below the minimum."""
    if min_drive_time_s <= 0 or "drive_time_s" not in frame.columns or not len(rows):
        return np.zeros(len(rows), dtype=bool)
    names = frame["drivers"].astype(str).str.split(";")
    times = frame["drive_time_s"].fillna("").astype(str).str.split(";")
    aligned = (times.str.len() == names.str.len()).to_numpy()
    flat_times = np.array([t for row_times in times for t in row_times], dtype=object)
    time_start = np.r_[0, np.cumsum(times.str.len().to_numpy())[:-1]]
    seconds = pd.to_numeric(pd.Series(flat_times[np.minimum(time_start[rows] + offset, len(flat_times) - 1)]),
                            errors="coerce").to_numpy()
    return aligned[rows] & (seconds < min_drive_time_s)  # NaN (unknown) is never short


@dataclass(frozen=True)
class CompetitorRows:
    """One row per competitor-race per title, as parallel integer arrays (the hot path builds no DataFrame).

    `season` holds codes into `seasons` (the sorted distinct season values); `key` names the competitor
    within its title: a team code (best car), car code x teams + team code (per car) or a driver code.
    """

    titles: list[tuple]
    seasons: np.ndarray
    season: np.ndarray
    title: np.ndarray
    key: np.ndarray
    race_index: np.ndarray
    points: np.ndarray
    position: np.ndarray
    countback: np.ndarray
    car: np.ndarray
    team: np.ndarray
    crew: np.ndarray


def _competitor_rows(scored: ScoredRows, rulebook: SeriesRulebook, names: Names) -> CompetitorRows:
    """Every scored entry once per title it counts for: once for the teams title, once per driver of its crew."""
    titles, lookup = _title_lookup(rulebook, scored.scope_labels)
    frame, row = scored.frame, scored.row
    if SEASON in frame.columns:
        season, seasons = pd.factorize(frame[SEASON].to_numpy()[row], sort=True)
    else:
        season, seasons = np.zeros(len(row), dtype=np.int64), np.zeros(1, dtype=np.int64)
    car_code, team_code, crew_code = names.car_code[row], names.team_code[row], names.crew_code[row]
    team_title = lookup[scored.scope, 0]
    team_entries = np.flatnonzero(team_title >= 0)
    if rulebook.scoring.team_scoring == "best_car":
        team_key = team_code[team_entries].astype(np.int64)
    else:
        team_key = car_code[team_entries].astype(np.int64) * len(names.teams) + team_code[team_entries]
    driver_title = lookup[scored.scope, 1]
    with_drivers = np.flatnonzero(driver_title >= 0)
    driver_entries, driver = _explode_crews(crew_code[with_drivers], names.crews)
    driver_entries = with_drivers[driver_entries]
    entries = np.concatenate([team_entries, driver_entries])
    points, position = scored.points[entries], scored.position[entries]
    # A driver under the minimum drive time scores nothing and holds no place in that race.
    offset = np.arange(len(driver_entries)) - np.searchsorted(driver_entries, driver_entries)  # place in the crew
    short = _short_drive_times(frame, row[driver_entries], offset, rulebook.scoring.driver_min_drive_time_s)
    if short.any():
        short = np.r_[np.zeros(len(team_entries), dtype=bool), short]
        points, position = np.where(short, 0.0, points), np.where(short, 0, position)
    return CompetitorRows(
        titles=titles, seasons=np.asarray(seasons), season=season[entries],
        title=np.concatenate([team_title[team_entries], driver_title[driver_entries]]),
        key=np.concatenate([team_key, driver.astype(np.int64)]),
        race_index=frame["race_index"].to_numpy()[row[entries]], points=points, position=position,
        countback=scored.countback[entries], car=car_code[entries], team=team_code[entries],
        crew=crew_code[entries])


# Above this many possible values, codes come from a sort (np.unique) instead of a presence table.
_DENSE_LIMIT = 1 << 22


def _dense_codes(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, code of each value) for non-negative ints below `size`: a groupby
    ngroup without a sort when the range is small enough for a presence table."""
    if size > _DENSE_LIMIT:
        return np.unique(values, return_inverse=True)
    present = np.zeros(size, dtype=bool)
    present[values] = True
    distinct = np.flatnonzero(present)
    code_of = np.empty(size, dtype=np.int64)
    code_of[distinct] = np.arange(len(distinct))
    return distinct, code_of[values]


def _distinct_pairs(first: np.ndarray, second: np.ndarray, second_count: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (first, second) pairs of non-negative codes, sorted by first then second."""
    combined = first.astype(np.int64) * second_count + second
    distinct, _ = _dense_codes(combined, (int(first.max()) + 1) * second_count if len(first) else 0)
    return distinct // second_count, distinct % second_count


def _joined(comp: np.ndarray, code: np.ndarray, labels: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per competitor id (0..count-1), its distinct `labels[code]` values, sorted and `;`-joined, as
    (distinct texts, index of each competitor's text); "" for a competitor without rows.

    Thousands of simulated seasons repeat the same few sets, so each distinct set is joined once.
    """
    if not len(comp):
        return np.array([""], dtype=object), np.zeros(count, dtype=np.int64)
    pair_comp, pair_code = _distinct_pairs(comp, code, int(code.max()) + 1)
    first = np.r_[True, pair_comp[1:] != pair_comp[:-1]]
    slot = np.arange(len(pair_comp)) - np.maximum.accumulate(np.where(first, np.arange(len(pair_comp)), 0))
    sets = np.full((count, int(slot.max()) + 1), -1, dtype=np.int64)
    sets[pair_comp, slot] = pair_code
    distinct, inverse = _distinct_rows(sets)
    return np.array([";".join(labels[row[row >= 0]]) for row in distinct], dtype=object), inverse


def _text_column(labels, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The text column `labels[codes]`, converted to the string dtype once per distinct label, not per row."""
    return pd.array(np.asarray(labels, dtype=object), dtype="str").take(codes)


def _distinct_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows, index of each row's distinct row): np.unique(axis=0) without its slow void sort."""
    order = np.lexsort(matrix.T[::-1])
    ordered = matrix[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    inverse = np.empty(len(matrix), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def _rank(rows: CompetitorRows, rulebook: SeriesRulebook, names: Names, order: list[str],
          has_season: bool) -> pd.DataFrame:
    """The standings table: one row per competitor (season x title x key), ranked within its title."""
    season_cols = [SEASON] if has_season else []
    columns = season_cols + ["title", "class", "category", "kind", "position", "position_text", "car", "team",
                             "drivers", "points"] + order + ["wins"]
    if not len(rows.key):
        return pd.DataFrame(columns=columns)
    titles = rows.titles
    # Competitor ids in (season, title, key) order, as a sorted groupby would number them.
    key_values, key_code = _dense_codes(rows.key, int(rows.key.max()) + 1)
    per_season = len(titles) * len(key_values)
    competitors, comp = _dense_codes((rows.season * len(titles) + rows.title) * len(key_values) + key_code,
                                     len(rows.seasons) * per_season)
    n = len(competitors)
    season_code = competitors // per_season
    title = competitors % per_season // len(key_values)
    key = key_values[competitors % len(key_values)]

    # One score per competitor and race: a team scoring its best car takes that car's points and place.
    n_races = len(order)
    cell = comp * n_races + rows.race_index
    seen = np.zeros(n * n_races, dtype=bool)
    seen[cell] = True
    best_points = np.full(n * n_races, -np.inf)
    np.maximum.at(best_points, cell, rows.points)
    no_place = np.iinfo(np.int64).max
    best_place = np.full(n * n_races, no_place, dtype=np.int64)
    np.minimum.at(best_place, cell, np.where(rows.position > 0, rows.position, no_place))
    present = seen.reshape(n, n_races)
    race_points = np.where(present, best_points.reshape(n, n_races), np.nan)
    place = np.where(best_place == no_place, 0, best_place).reshape(n, n_races)
    totals = _totals(race_points, rulebook.scoring.best_results)
    countback_race = np.zeros(n_races, dtype=bool)
    countback_race[rows.race_index] = rows.countback  # one value per race: intermediate classifications say False
    counted_comp, counted_race = np.nonzero(present & countback_race)
    counts = position_counts(counted_comp, place[counted_comp, counted_race], n)

    group = season_code * len(titles) + title
    kind = np.array([titles[t][3] for t in range(len(titles))], dtype=object)[title]
    sort_order, positions = order_competitors(group, totals, counts, race_points, key, rulebook.tie_break,
                                              share_identical=kind == "drivers")
    sorted_group = group[sort_order]
    same_prev = np.r_[False, (positions[1:] == positions[:-1]) & (sorted_group[1:] == sorted_group[:-1])]
    shared = same_prev | np.r_[same_prev[1:], False]

    # Labels are codes into small tables of texts until the output: names of the key (a per-car team's
    # car and team, a best-car team's team, a driver) or the `;`-joined sets of everything it raced with.
    is_driver = kind == "drivers"
    per_car = (kind == "teams") & (rulebook.scoring.team_scoring == "per_car")
    best_car = (kind == "teams") & ~per_car
    n_teams = len(names.teams)
    joined_cars, car_set = _joined(*_rows_of(~per_car, comp, rows.car), names.cars, n)
    car_label = np.r_[names.cars, joined_cars]
    car_code = np.where(per_car, key // n_teams, len(names.cars) + car_set)
    joined_teams, team_set = _joined(*_rows_of(is_driver, comp, rows.team), names.teams, n)
    team_label = np.r_[names.teams, joined_teams]
    team_code = np.where(per_car, key % n_teams, np.where(best_car, key, len(names.teams) + team_set))
    crew_comp, crew_code = _rows_of(~is_driver, comp, rows.crew)
    crew_comp, crew_code = _distinct_pairs(crew_comp, crew_code, len(names.crews))
    crew_rows, crew_driver = _explode_crews(crew_code, names.crews)
    joined_crews, crew_set = _joined(crew_comp[crew_rows], crew_driver, names.drivers, n)
    drivers_label = np.r_[names.drivers, joined_crews]
    drivers_code = np.where(is_driver, key, len(names.drivers) + crew_set)

    title_sorted = title[sort_order]
    out = {}
    if has_season:
        out[SEASON] = rows.seasons[season_code[sort_order]]
    for column, field in (("title", 0), ("class", 1), ("category", 2), ("kind", 3)):
        out[column] = _text_column([t[field] for t in titles], title_sorted)
    out["position"] = positions
    place_values, place_code = _dense_codes(positions * 2 + shared, 2 * int(positions.max()) + 2)
    out["position_text"] = _text_column([f"{value // 2}{'=' if value % 2 else ''}" for value in place_values],
                                        place_code)
    out["car"] = _text_column(car_label, car_code[sort_order])
    out["team"] = _text_column(team_label, team_code[sort_order])
    out["drivers"] = _text_column(drivers_label, drivers_code[sort_order])
    out["points"] = totals[sort_order]
    sorted_points = race_points[sort_order]
    for index, race in enumerate(order):
        out[race] = sorted_points[:, index]
    out["wins"] = counts[sort_order, 0] if counts.shape[1] else 0
    return pd.DataFrame(out, columns=columns)


def _rows_of(selected: np.ndarray, comp: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(competitor, code) of the rows whose competitor is selected: labels are joined only where shown."""
    keep = selected[comp]
    return comp[keep], code[keep]


def _totals(race_points: np.ndarray, best_results: int | None) -> np.ndarray:
    """Season points per competitor: race scores added in calendar order; with drop scores only the best
    `best_results` count, added best first (a fixed addition order keeps the float totals reproducible)."""
    scores = race_points
    if best_results is not None:
        scores = -np.sort(-np.where(np.isnan(race_points), -np.inf, race_points), axis=1)[:, :best_results]
    totals = np.zeros(len(race_points))
    for column in scores.T:
        totals += np.where(np.isfinite(column), column, 0.0)
    return totals
