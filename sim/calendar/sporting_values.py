"""One chunk of seasons of a scenario -> every sporting metric of every season, as integer units: titles
open before the final round and race, gaps and ties, the rank correlation between the cars' strength and
their standings, persistence of class positions, grids and full-season shares, invitations by region."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.calendar.sporting_plan import UNKNOWN_REGION, Key, ScenarioPlan, unit_of
from sim.rules import award_invitations, compute_standings
from sim.season import simulate_results
from sim.stats import spearman
from sim.strength.persistence import persistence


def _top_points(standings: pd.DataFrame, titles: dict[str, int], seasons: range) -> tuple[np.ndarray, np.ndarray]:
    """(points of places 1-3, NaN when absent) per season x title, and the number of competitors."""
    top = np.full((len(seasons), len(titles), 3), np.nan)
    counts = np.zeros((len(seasons), len(titles)), dtype=np.int64)
    rows = standings[standings["title"].isin(list(titles))]
    if rows.empty:
        return top, counts
    s = rows["season"].to_numpy(dtype=np.int64) - seasons.start
    t = rows["title"].map(titles).to_numpy(dtype=np.int64)
    place = rows.groupby(["season", "title"], sort=False).cumcount().to_numpy()  # rows are in position order
    np.add.at(counts, (s, t), 1)
    keep = place < 3
    top[s[keep], t[keep], place[keep]] = rows["points"].to_numpy(dtype=float)[keep]
    return top, counts


def _top_points_so_far(final: pd.DataFrame, race_ids: Sequence[str], titles: dict[str, int],
                       seasons: range) -> np.ndarray:
    """Best two points totals over the races `race_ids`, per season x title, from the final standings' race columns."""
    top = np.full((len(seasons), len(titles), 3), np.nan)
    rows = final[final["title"].isin(list(titles))]
    if rows.empty:
        return top
    points = rows[[race for race in race_ids if race in rows.columns]].fillna(0.0).to_numpy(dtype=float).sum(axis=1)
    s = rows["season"].to_numpy(dtype=np.int64) - seasons.start
    t = rows["title"].map(titles).to_numpy(dtype=np.int64)
    order = np.lexsort((-points, t, s))
    s, t, points = s[order], t[order], points[order]
    group = s * len(titles) + t
    first = np.r_[True, group[1:] != group[:-1]]
    place = np.arange(len(group)) - np.maximum.accumulate(np.where(first, np.arange(len(group)), 0))
    keep = place < 3
    top[s[keep], t[keep], place[keep]] = points[keep]
    return top


def _open(top_before: np.ndarray, available: np.ndarray) -> np.ndarray:
    """Leader's margin over the second (0 points when nobody else has scored) <= points still available."""
    leader = np.nan_to_num(top_before[:, :, 0])
    second = np.nan_to_num(top_before[:, :, 1])
    return (leader - second <= available[None, :] + 1e-9).astype(float)


def season_values(plan: ScenarioPlan, seed: int, seasons: range) -> tuple[list[Key], np.ndarray, np.ndarray]:
    """Simulate these seasons; per season, every metric of the plan as integer units, and its validity."""
    compiled, rulebook = plan.compiled, plan.compiled.rulebook
    results, _ = simulate_results(compiled, seed, seasons)
    strengths = _season_strengths(plan, seed, seasons)
    final = compute_standings(results, rulebook)
    awards = award_invitations(final, results, rulebook)
    n = len(seasons)
    titles = {t.title: i for i, t in enumerate(plan.titles)}
    top, competitors = _top_points(final, titles, seasons)
    contested = competitors >= 2
    values: dict[Key, np.ndarray] = {}
    valid: dict[Key, np.ndarray] = {}

    def put(key: Key, value: np.ndarray, ok: np.ndarray) -> None:
        values[key], valid[key] = np.where(ok, value, 0.0), ok.astype(bool)

    def standings_before(race_id: str | None) -> np.ndarray:
        if race_id is None:
            return np.zeros_like(top)  # nothing raced yet: everybody on 0
        if rulebook.scoring.best_results is None:  # no drop scores: the points so far are the races' points summed
            return _top_points_so_far(final, plan.race_ids[:plan.race_ids.index(race_id) + 1], titles, seasons)
        return _top_points(compute_standings(results, rulebook, after=race_id), titles, seasons)[0]

    per_title = {
        "open_final_round": _open(standings_before(plan.before_final_round),
                                  np.array([t.final_round_points for t in plan.titles])),
        "open_final_race": _open(standings_before(plan.before_final_race),
                                 np.array([t.final_race_points for t in plan.titles])),
        "gap": np.nan_to_num(top[:, :, 0] - top[:, :, 1]),
        "countback_tie": (np.round(top[:, :, 0], 6) == np.round(top[:, :, 1], 6)).astype(float),
        "podium_tie": ((np.round(top[:, :, 0], 6) == np.round(top[:, :, 1], 6))
                       | (np.round(top[:, :, 1], 6) == np.round(top[:, :, 2], 6))).astype(float),
        "rank_corr": _rank_correlations(final, strengths, titles, seasons),
        "rank_corr_full_season": _rank_correlations(final, strengths, titles, seasons, _full_season_cars(results, plan)),
    }
    class_wide = np.array([t.category == "" for t in plan.titles], dtype=bool)
    for metric, matrix in per_title.items():
        ok = contested & ~np.isnan(matrix)
        for title, i in titles.items():
            put(("title", title, metric), matrix[:, i], ok[:, i])
        chosen = ok & class_wide[None, :]
        count = chosen.sum(axis=1)
        mean = np.where(chosen, np.nan_to_num(matrix), 0.0).sum(axis=1) / np.maximum(count, 1)
        put(("all", "", metric), mean, count > 0)
    _persistence(results, plan, seasons, put)
    _participation(results, plan, seasons, put)
    _invitations(awards, plan, seasons, put)
    keys = plan.keys()
    value_matrix = np.zeros((n, len(keys)), dtype=np.int64)
    valid_matrix = np.zeros((n, len(keys)), dtype=bool)
    for k, key in enumerate(keys):
        if key in values:
            value_matrix[:, k] = np.round(values[key] * unit_of(key)).astype(np.int64)
            valid_matrix[:, k] = valid[key]
    return keys, value_matrix, valid_matrix


def _full_season_cars(results: pd.DataFrame, plan: ScenarioPlan) -> set[tuple[int, str]]:
    """(season, car) of the cars that started every race of the season."""
    started = results[results["status"] != "dns"].groupby(["season", "car"], sort=False)["race"].nunique()
    return {(int(season), str(car)) for (season, car), races in started.items() if races == len(plan.race_ids)}


def _season_strengths(plan: ScenarioPlan, seed: int, seasons: range) -> list[dict[str, float]]:
    """Per season, each car's strength that season: its prior pace (`plan.strength`) + its season-long
    effect drawn from the season stream (sim.strength.season), % over the class reference."""
    season_plan = plan.compiled.plan
    out = []
    for season in seasons:
        drawn = season_plan.draw_strength(seed, season) if season_plan is not None else None
        effect = dict(zip(season_plan.strength.cars, drawn)) if drawn is not None else {}
        out.append({car: value + float(effect.get(car, 0.0)) for car, value in plan.strength.items()})
    return out


def _persistence(results: pd.DataFrame, plan: ScenarioPlan, seasons: range, put) -> None:
    """Persistence of class positions (sim.strength.persistence) per class, and its mean over the classes."""
    table = persistence(results[results["class"].isin(plan.classes)])
    value = np.full((len(seasons), len(plan.classes)), np.nan)
    for row in table.dropna(subset=["persistence"]).itertuples():
        value[int(row.season) - seasons.start, plan.classes.index(row._2)] = row.persistence
    for i, name in enumerate(plan.classes):
        put(("class", name, "persistence"), np.nan_to_num(value[:, i]), ~np.isnan(value[:, i]))
    known = ~np.isnan(value)
    mean = np.where(known, np.nan_to_num(value), 0.0).sum(axis=1) / np.maximum(known.sum(axis=1), 1)
    put(("all", "", "persistence"), mean, known.any(axis=1))


def _rank_correlations(final: pd.DataFrame, strengths: list[dict[str, float]], titles: dict[str, int],
                       seasons: range, only: set[tuple[int, str]] | None = None) -> np.ndarray:
    """Spearman's rho between strength rank (1 = fastest car that season) and final position, per season x title.

    `only`: restrict to these (season, car), e.g. the full-season cars (part-timers finish low whatever their pace).
    """
    rho = np.full((len(seasons), len(titles)), np.nan)
    rows = final[final["title"].isin(list(titles))]
    for (season, title), group in rows.groupby(["season", "title"], sort=False):
        # best-car team scoring lists several cars: the team is as strong as its fastest car
        season_strength = strengths[int(season) - seasons.start]
        strength = np.array([min((season_strength.get(car, math.nan) for car in str(cars).split(";")), default=math.nan)
                             for cars in group["car"]], dtype=float)
        known = ~np.isnan(strength)
        if only is not None:
            known &= np.array([all((int(season), car) in only for car in str(cars).split(";"))
                               for cars in group["car"]], dtype=bool)
        if known.sum() >= 3:
            rho[int(season) - seasons.start, titles[title]] = spearman(
                strength[known], group["position"].to_numpy(dtype=float)[known])
    return rho


def _participation(results: pd.DataFrame, plan: ScenarioPlan, seasons: range, put) -> None:
    """Grid (cars that started) per race, round and class, and the share of cars that started every race."""
    n, race_ids = len(seasons), plan.race_ids
    started = results[results["status"] != "dns"]
    s = started["season"].to_numpy(dtype=np.int64) - seasons.start
    r = started["race"].map({race: j for j, race in enumerate(race_ids)}).to_numpy(dtype=np.int64)
    c = started["class"].map({name: i for i, name in enumerate(plan.classes)}).fillna(-1).to_numpy(dtype=np.int64)
    known = c >= 0
    grid = np.zeros((n, len(plan.classes), len(race_ids)))
    np.add.at(grid, (s[known], c[known], r[known]), 1)
    ok = np.ones(n, dtype=bool)
    put(("all", "", "grid"), grid.sum(axis=1).mean(axis=1), ok)
    for i, name in enumerate(plan.classes):
        put(("class", name, "grid"), grid[:, i, :].mean(axis=1), ok)
    rounds = np.array(plan.rounds)
    for number in dict.fromkeys(plan.rounds):
        put(("round", str(number), "grid"), grid.sum(axis=1)[:, rounds == number].mean(axis=1), ok)
    # Cars per race by the home region of their team: how the calendar draws each region's teams.
    regions = list(plan.regions)
    g = started["car"].map(lambda car: regions.index(plan.home_region[car]) if plan.home_region.get(car) in regions
                           else -1).to_numpy(dtype=np.int64)
    by_region = np.zeros((n, len(regions)))
    np.add.at(by_region, (s[g >= 0], g[g >= 0]), 1)
    for i, region in enumerate(regions):
        put(("region", region, "grid"), by_region[:, i] / len(race_ids), ok)
    races_started = started.groupby(["season", "car", "class"], sort=False)["race"].nunique().reset_index()
    full = (races_started["race"] == len(race_ids)).to_numpy()
    cs = races_started["season"].to_numpy(dtype=np.int64) - seasons.start
    cc = races_started["class"].map({name: i for i, name in enumerate(plan.classes)}).fillna(-1).to_numpy(dtype=np.int64)
    entrants = np.zeros((n, len(plan.classes) + 1))
    full_season = np.zeros((n, len(plan.classes) + 1))
    np.add.at(entrants, (cs, cc), 1)   # unknown classes land in the extra last column
    np.add.at(full_season, (cs, cc), full)
    for i, name in enumerate(plan.classes):
        put(("class", name, "full_season_share"), full_season[:, i] / np.maximum(entrants[:, i], 1), entrants[:, i] > 0)
    total = entrants.sum(axis=1)
    put(("all", "", "full_season_share"), full_season.sum(axis=1) / np.maximum(total, 1), total > 0)


def _invitations(awards: pd.DataFrame, plan: ScenarioPlan, seasons: range, put) -> None:
    """Le Mans invitations awarded per season, by the home region of the invited car's team."""
    n = len(seasons)
    if "status" in awards.columns:
        awards = awards[awards["status"] == "awarded"]
    regions = list(plan.regions)
    counts = np.zeros((n, len(regions) + 1))
    if not awards.empty:
        home = [plan.home_region.get(str(car).split(";")[0], UNKNOWN_REGION) for car in awards["car"]]
        column = np.array([regions.index(region) if region in regions else len(regions) for region in home])
        np.add.at(counts, (awards["season"].to_numpy(dtype=np.int64) - seasons.start, column), 1)
    ok = np.ones(n, dtype=bool)
    put(("all", "", "invitations"), counts.sum(axis=1), ok)
    for i, region in enumerate(regions):
        put(("region", region, "invitations"), counts[:, i], ok)
