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
from sim.rules.points import SEASON, race_order, score_races
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
    points, <race ids>, wins`; `position_text` shows shared places as `1=`.
    """
    results = races_up_to(results, after, source)
    order = race_order(results)
    scored = score_races(results, rulebook, source)
    if rulebook.scoring.additional_entries != "score":
        scored = scored[scored["entry"] != "additional"].reset_index(drop=True)
    names = Names.of(scored)
    long = _competitor_rows(scored, rulebook, names)
    return _rank(long, rulebook, names, order, has_season=SEASON in results.columns)


@dataclass(frozen=True)
class Names:
    """Sorted distinct cars, teams and drivers; rows carry their codes (code order = name order)."""

    cars: np.ndarray
    teams: np.ndarray
    drivers: np.ndarray
    car_code: np.ndarray
    team_code: np.ndarray
    crew_code: np.ndarray
    crews: list[np.ndarray]  # per crew code, its driver codes

    @classmethod
    def of(cls, scored: pd.DataFrame) -> "Names":
        car_code, cars = pd.factorize(scored["car"].astype(str).to_numpy(), sort=True)
        team_code, teams = pd.factorize(scored["team"].astype(str).to_numpy(), sort=True)
        crew_code, crew_texts = pd.factorize(scored["drivers"].astype(str).to_numpy())
        split = [[name.strip() for name in text.split(";") if name.strip()] for text in crew_texts]
        drivers = np.array(sorted({name for crew in split for name in crew}), dtype=object)
        index = {name: code for code, name in enumerate(drivers)}
        crews = [np.array([index[name] for name in crew], dtype=np.int64) for crew in split]
        return cls(np.asarray(cars, dtype=object), np.asarray(teams, dtype=object), drivers,
                   car_code, team_code, crew_code, crews)


def _title_lookup(rulebook: SeriesRulebook, scope_labels: list[str]) -> tuple[list[tuple], np.ndarray]:
    """Titles in rulebook order as (id, class, category, kind), and table[scope, kind] -> title index (-1: none)."""
    titles, table = [], np.full((len(scope_labels), len(KINDS)), -1, dtype=np.int64)
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


def _short_drive_times(scored: pd.DataFrame, rows: np.ndarray, min_drive_time_s: float) -> np.ndarray:
    """True where the driver's known drive time (column `drive_time_s`) is below the minimum."""
    if min_drive_time_s <= 0 or "drive_time_s" not in scored.columns or not len(rows):
        return np.zeros(len(rows), dtype=bool)
    names = scored["drivers"].astype(str).str.split(";")
    times = scored["drive_time_s"].fillna("").astype(str).str.split(";")
    aligned = (times.str.len() == names.str.len()).to_numpy()
    offset = np.arange(len(rows)) - np.searchsorted(rows, rows)  # index of the driver inside its crew
    flat_times = np.array([t for row_times in times for t in row_times], dtype=object)
    time_start = np.r_[0, np.cumsum(times.str.len().to_numpy())[:-1]]
    seconds = pd.to_numeric(pd.Series(flat_times[np.minimum(time_start[rows] + offset, len(flat_times) - 1)]),
                            errors="coerce").to_numpy()
    return aligned[rows] & (seconds < min_drive_time_s)  # NaN (unknown) is never short


def _competitor_rows(scored: pd.DataFrame, rulebook: SeriesRulebook, names: Names) -> pd.DataFrame:
    """Integer table, one row per competitor-race per title: title, key (competitor), race, points, place."""
    scope_labels = list(scored["scope"].cat.categories)
    titles, lookup = _title_lookup(rulebook, scope_labels)
    scope = scored["scope"].cat.codes.to_numpy()
    season = scored[SEASON].to_numpy() if SEASON in scored.columns else np.zeros(len(scored), dtype=np.int64)
    base = {"race_index": scored["race_index"].to_numpy(), "points": scored["points"].to_numpy(),
            "position": scored["position"].to_numpy(), "countback": scored["countback"].to_numpy()}
    parts = []
    team_title = lookup[scope, 0]
    rows = np.flatnonzero(team_title >= 0)
    if len(rows):
        if rulebook.scoring.team_scoring == "best_car":
            key = names.team_code[rows]
        else:
            key = names.car_code[rows].astype(np.int64) * len(names.teams) + names.team_code[rows]
        parts.append(pd.DataFrame({"season": season[rows], "title": team_title[rows], "key": key,
                                   **{k: v[rows] for k, v in base.items()}, "car": names.car_code[rows],
                                   "team": names.team_code[rows], "crew": names.crew_code[rows]}))
    driver_title = lookup[scope, 1]
    with_drivers = np.flatnonzero(driver_title >= 0)
    if len(with_drivers):
        rows, driver = _explode_crews(names.crew_code[with_drivers], names.crews)
        rows = with_drivers[rows]
        short = _short_drive_times(scored, rows, rulebook.scoring.driver_min_drive_time_s)
        part = pd.DataFrame({"season": season[rows], "title": driver_title[rows], "key": driver,
                             **{k: v[rows] for k, v in base.items()}, "car": names.car_code[rows],
                             "team": names.team_code[rows], "crew": names.crew_code[rows]})
        part.loc[short, ["points", "position"]] = 0
        parts.append(part)
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    long.attrs["titles"] = titles
    return long


def _joined(comp: np.ndarray, code: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """Per competitor id (0..count-1), its distinct `labels[code]` values, sorted and `;`-joined.

    Thousands of simulated seasons repeat the same few sets, so each distinct set is joined once.
    """
    out = np.full(count, "", dtype=object)
    if not len(comp):
        return out
    width = int(code.max()) + 1
    pairs = np.sort(comp.astype(np.int64) * width + code)  # by competitor, then code
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    pair_comp, pair_code = pairs // width, pairs % width
    first = np.r_[True, pair_comp[1:] != pair_comp[:-1]]
    slot = np.arange(len(pairs)) - np.maximum.accumulate(np.where(first, np.arange(len(pairs)), 0))
    sets = np.full((count, int(slot.max()) + 1), -1, dtype=np.int64)
    sets[pair_comp, slot] = pair_code
    distinct, inverse = _distinct_rows(sets)
    text = np.array([";".join(labels[row[row >= 0]]) for row in distinct], dtype=object)
    return text[inverse]


def _distinct_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows, index of each row's distinct row): np.unique(axis=0) without its slow void sort."""
    order = np.lexsort(matrix.T[::-1])
    ordered = matrix[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    inverse = np.empty(len(matrix), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def _rank(long: pd.DataFrame, rulebook: SeriesRulebook, names: Names, order: list[str],
          has_season: bool) -> pd.DataFrame:
    season_cols = [SEASON] if has_season else []
    columns = season_cols + ["title", "class", "category", "kind", "position", "position_text", "car", "team",
                             "drivers", "points"] + order + ["wins"]
    if long.empty:
        return pd.DataFrame(columns=columns)
    titles = long.attrs["titles"]
    long["comp"] = long.groupby(["season", "title", "key"], sort=True).ngroup().to_numpy()
    n = int(long["comp"].max()) + 1

    # One score per competitor and race: a team scoring its best car takes that car's points and place.
    place = np.where(long["position"].to_numpy() > 0, long["position"].to_numpy(), np.iinfo(np.int64).max)
    per_race = long.assign(place=place).groupby(["comp", "race_index"], sort=False).agg(
        points=("points", "max"), place=("place", "min"), countback=("countback", "first")).reset_index()
    per_race["place"] = np.where(per_race["place"] == np.iinfo(np.int64).max, 0, per_race["place"])
    comp = per_race["comp"].to_numpy()
    race_points = np.full((n, len(order)), np.nan)
    race_points[comp, per_race["race_index"].to_numpy()] = per_race["points"].to_numpy()
    totals = _totals(per_race, n, rulebook.scoring.best_results)
    countback = per_race["countback"].to_numpy()
    counts = position_counts(comp[countback], per_race["place"].to_numpy()[countback], n)

    first = long.drop_duplicates("comp").sort_values("comp")
    season, title, key = (first[c].to_numpy() for c in ("season", "title", "key"))
    group = season.astype(np.int64) * len(titles) + title
    kind = np.array([titles[t][3] for t in range(len(titles))], dtype=object)[title]
    sort_order, positions = order_competitors(group, totals, counts, race_points, key, rulebook.tie_break,
                                              share_identical=kind == "drivers")
    sorted_group = group[sort_order]
    same_prev = np.r_[False, (positions[1:] == positions[:-1]) & (sorted_group[1:] == sorted_group[:-1])]
    shared = same_prev | np.r_[same_prev[1:], False]

    per_car = (kind == "teams") & (rulebook.scoring.team_scoring == "per_car")
    best_car = (kind == "teams") & ~per_car
    comp_all = long["comp"].to_numpy()
    cars = _joined(comp_all, long["car"].to_numpy(), names.cars, n)
    teams = _joined(comp_all, long["team"].to_numpy(), names.teams, n)
    crew_pairs = long[["comp", "crew"]].drop_duplicates()
    crew_rows, crew_driver = _explode_crews(crew_pairs["crew"].to_numpy(), names.crews)
    crew = _joined(crew_pairs["comp"].to_numpy()[crew_rows], crew_driver, names.drivers, n)
    n_teams = len(names.teams)
    car_label = np.where(per_car, names.cars[np.where(per_car, key // n_teams, 0)], cars)
    team_label = np.where(per_car, names.teams[np.where(per_car, key % n_teams, 0)], teams)
    team_label = np.where(best_car, names.teams[np.where(best_car, key, 0)], team_label)
    drivers_label = np.where(kind == "drivers", names.drivers[np.where(kind == "drivers", key, 0)], crew)

    out = {}
    if has_season:
        out[SEASON] = season[sort_order]
    out["title"] = np.array([t[0] for t in titles], dtype=object)[title][sort_order]
    out["class"] = np.array([t[1] for t in titles], dtype=object)[title][sort_order]
    out["category"] = np.array([t[2] for t in titles], dtype=object)[title][sort_order]
    out["kind"] = kind[sort_order]
    out["position"] = positions
    text = positions.astype(str).astype(object)
    out["position_text"] = np.where(shared, text + "=", text)
    out["car"] = car_label[sort_order]
    out["team"] = team_label[sort_order]
    out["drivers"] = drivers_label[sort_order]
    out["points"] = totals[sort_order]
    table = pd.concat([pd.DataFrame(out), pd.DataFrame(race_points[sort_order], columns=order)], axis=1)
    table["wins"] = counts[sort_order, 0] if counts.shape[1] else 0
    return table[columns]


def _totals(per_race: pd.DataFrame, n: int, best_results: int | None) -> np.ndarray:
    """Season points per competitor; with drop scores only the best `best_results` race scores count."""
    frame = per_race
    if best_results is not None:
        frame = per_race.sort_values(["comp", "points"], ascending=[True, False], kind="stable")
        frame = frame[frame.groupby("comp", sort=False).cumcount() < best_results]
    totals = np.zeros(n)
    np.add.at(totals, frame["comp"].to_numpy(), frame["points"].to_numpy())
    return totals
