"""Sporting metrics of calendars by Monte Carlo with common random numbers (see docs/calendar.md).

Every scenario runs the same seasons 0..N-1 from the same seed, so season i of every calendar draws
from the `sim.seeds` streams of index i. A chunk of seasons runs all scenarios and reduces each
season to a few integer metric values (fixed units); the chunk returns their counts, sums and sums
of squares, plus those of the per-season differences against the first scenario. Integer sums merge
exactly in any order, so results do not depend on the executor, the worker count or the chunk size.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from sim.config.entries import load_entries
from sim.config.loader import resolve_named
from sim.montecarlo.executors import Backend, make_backend
from sim.montecarlo.manifest import config_hash
from sim.montecarlo.runner import Chunk, ChunkOutcome, execute_job
from sim.rules import award_invitations, compute_standings
from sim.rules.points import _choose_scale  # the rules engine's own scale choice: same max points as scored
from sim.scenario import CompiledScenario, resolve_scenario
from sim.strength.persistence import persistence
from sim.strength.prior import car_strength

# Metric values are stored as integers `round(value * unit)`: sums stay exact and int64 sums of
# squares cannot overflow before ~10^7 seasons (|value| <= 1 at unit 1e6; gaps, grids < 10^4 at 1e3).
UNITS = {"gap": 1_000, "grid": 1_000, "invitations": 1_000}
DEFAULT_UNIT = 1_000_000
TITLE_METRICS = ("open_final_round", "open_final_race", "gap", "countback_tie", "podium_tie", "rank_corr",
                 "rank_corr_full_season")
SUMMARY_METRICS = (  # (metric of the `all` scope, column of the one-row-per-scenario summary)
    ("open_final_round", "p_title_open_final_round"),
    ("open_final_race", "p_title_open_final_race"),
    ("gap", "title_gap_pts"),
    ("countback_tie", "p_countback_tie"),
    ("podium_tie", "p_podium_points_tie"),
    ("rank_corr", "strength_rank_corr"),
    ("rank_corr_full_season", "strength_rank_corr_full_season"),
    ("persistence", "persistence"),
    ("grid", "grid_per_race"),
    ("full_season_share", "full_season_share"),
)
UNKNOWN_REGION = "unknown"

Key = tuple[str, str, str]   # (scope, group, metric): ("title", "LMP2 teams", "gap"), ("region", "Far East", ...)


def unit_of(key: Key) -> int:
    return UNITS.get(key[2], DEFAULT_UNIT)


@dataclass(frozen=True)
class TitlePlan:
    """A teams' classification and the most points one car can still score in the final round / race."""

    title: str
    class_name: str
    category: str
    final_round_points: float
    final_race_points: float


@dataclass(frozen=True)
class ScenarioPlan:
    """What a worker needs to reduce one scenario's seasons to metric values (picklable)."""

    name: str
    compiled: CompiledScenario
    config_files: tuple[str, ...]
    titles: tuple[TitlePlan, ...]
    before_final_round: str | None   # last race before the final round (None: a one-round calendar)
    before_final_race: str | None
    strength: dict[str, float]       # car -> expected lap time, % over the class reference (lower = faster)
    home_region: dict[str, str]
    regions: tuple[str, ...]
    classes: tuple[str, ...]
    rounds: tuple[int, ...]          # round number of each race, calendar order

    @property
    def race_ids(self) -> tuple[str, ...]:
        return tuple(race.race_id for race in self.compiled.races)

    def keys(self) -> list[Key]:
        keys: list[Key] = [("all", "", m) for m in TITLE_METRICS]
        keys += [("all", "", "grid"), ("all", "", "full_season_share"), ("all", "", "invitations"),
                 ("all", "", "persistence")]
        keys += [("title", t.title, m) for t in self.titles for m in TITLE_METRICS]
        for class_name in self.classes:
            keys += [("class", class_name, "grid"), ("class", class_name, "full_season_share"),
                     ("class", class_name, "persistence")]
        keys += [("round", str(number), "grid") for number in dict.fromkeys(self.rounds)]
        keys += [("region", region, "invitations") for region in self.regions]
        keys += [("region", region, "grid") for region in self.regions]
        return keys


def _max_race_points(compiled: CompiledScenario, race_index: int, scale_name: str | None) -> float:
    """The most points one car can score in a race: the win of the race's scale plus its pole point."""
    rulebook = compiled.rulebook
    scales = rulebook.points.scales
    race = compiled.races[race_index]
    if scale_name is not None:
        index = [scale.name for scale in scales].index(scale_name)
    else:
        index = _choose_scale(race.race_id, race.hours, scales, rulebook, compiled.name)
    scale = scales[index]
    return float(max(scale.points[0], scale.beyond) + scale.pole)


def plan_scenario(scenario: str | Path, name: str | None = None) -> ScenarioPlan:
    """Compile a scenario (path or name under scenarios/) and fix everything its metrics need."""
    from sim.montecarlo.scenario_kernel import ScenarioKernel

    path = resolve_scenario(scenario)
    kernel = ScenarioKernel(path)
    compiled = kernel.compiled
    races = compiled.races
    rounds = tuple(race.round for race in races)
    final_round = [j for j, number in enumerate(rounds) if number == rounds[-1]]
    entered = {(e.class_name, e.category) for race in races for e in race.entries}
    entered |= {(e.class_name, "") for race in races for e in race.entries}
    titles = []
    for title in compiled.rulebook.titles:
        if "teams" not in title.kinds or title.championships or (title.class_name, title.category) not in entered:
            continue
        titles.append(TitlePlan(
            title.title_id("teams"), title.class_name, title.category,
            final_round_points=sum(_max_race_points(compiled, j, title.scale) for j in final_round),
            final_race_points=_max_race_points(compiled, len(races) - 1, title.scale)))
    home_region = _home_regions(compiled)
    return ScenarioPlan(
        name=name or path.stem, compiled=compiled, config_files=tuple(str(f) for f in kernel.config_files()),
        titles=tuple(titles),
        before_final_round=races[final_round[0] - 1].race_id if final_round[0] > 0 else None,
        before_final_race=races[-2].race_id if len(races) > 1 else None,
        strength=car_strength(compiled), home_region=home_region,
        regions=tuple(sorted(set(home_region.values()))),
        classes=tuple(sorted({e.class_name for race in races for e in race.entries})), rounds=rounds)


def _home_regions(compiled: CompiledScenario) -> dict[str, str]:
    """Car -> its team's home region: from the compiled entries when they carry it, else the entry list."""
    cars = {e.car: e for race in compiled.races for e in race.entries}
    if cars and all(getattr(e, "home_region", None) for e in cars.values()):
        return {car: e.home_region for car, e in cars.items()}
    entries = load_entries(resolve_named(compiled.scenario.entries, "entries", "entry list"))
    return {entry.car: entry.home_region for entry in entries.entries}


# ---- one chunk of seasons -> metric values ----------------------------------------------------

def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their average rank (as Spearman's rho needs)."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - counts + 1 + ends) / 2.0)[inverse]


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (Pearson on average ranks); NaN if either side has no spread."""
    rx, ry = _average_ranks(np.asarray(x, float)), _average_ranks(np.asarray(y, float))
    rx, ry = rx - rx.mean(), ry - ry.mean()
    denominator = math.sqrt(float((rx * rx).sum()) * float((ry * ry).sum()))
    return float((rx * ry).sum()) / denominator if denominator > 0 else math.nan


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
    from sim.season import simulate_results

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


# ---- aggregation over chunks --------------------------------------------------------------------

@dataclass
class SportingAggregate:
    """Per scenario x metric key: seasons counted, sum, sum of squares; the same for differences vs scenario 0."""

    count: np.ndarray
    total: np.ndarray
    total_sq: np.ndarray
    pair_count: np.ndarray
    pair_total: np.ndarray
    pair_total_sq: np.ndarray
    runs: int = 0

    @classmethod
    def empty(cls, scenarios: int, keys: int) -> SportingAggregate:
        return cls(*(np.zeros((scenarios, keys), dtype=np.int64) for _ in range(6)))

    def merge(self, other: SportingAggregate) -> SportingAggregate:
        for name in ("count", "total", "total_sq", "pair_count", "pair_total", "pair_total_sq"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine.shape != theirs.shape:
                raise ValueError("cannot merge sporting aggregates of different studies")
            mine += theirs
        self.runs += other.runs
        return self

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"count": self.count, "total": self.total, "total_sq": self.total_sq, "pair_count": self.pair_count,
                "pair_total": self.pair_total, "pair_total_sq": self.pair_total_sq, "runs": np.array(self.runs)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> SportingAggregate:
        names = ("count", "total", "total_sq", "pair_count", "pair_total", "pair_total_sq")
        return cls(*(np.array(arrays[name], dtype=np.int64) for name in names), runs=int(arrays["runs"]))


@dataclass(frozen=True)
class SportingJob:
    """All scenarios on the same seasons of a chunk; the runner's job interface (see sim.montecarlo.runner)."""

    plans: tuple[ScenarioPlan, ...]
    keys: tuple[Key, ...]
    seed: int
    kind: str = "calendar-sporting"

    def empty(self) -> SportingAggregate:
        return SportingAggregate.empty(len(self.plans), len(self.keys))

    def load(self, arrays: dict[str, np.ndarray]) -> SportingAggregate:
        return SportingAggregate.from_arrays(arrays)

    def run(self, chunk: Chunk) -> ChunkOutcome:
        seasons = chunk.seasons
        index = {key: k for k, key in enumerate(self.keys)}
        shape = (len(self.plans), len(seasons), len(self.keys))
        values, valid = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=bool)
        for p, plan in enumerate(self.plans):
            keys, plan_values, plan_valid = season_values(plan, self.seed, seasons)
            columns = np.array([index[key] for key in keys], dtype=np.int64)
            values[p][:, columns], valid[p][:, columns] = plan_values, plan_valid
        state = self.empty()
        state.runs = len(seasons)
        state.count += valid.sum(axis=1)
        state.total += np.where(valid, values, 0).sum(axis=1)
        state.total_sq += np.where(valid, values * values, 0).sum(axis=1)
        both = valid & valid[:1]
        diff = np.where(both, values - values[:1], 0)
        state.pair_count += both.sum(axis=1)
        state.pair_total += diff.sum(axis=1)
        state.pair_total_sq += (diff * diff).sum(axis=1)
        return ChunkOutcome(chunk, state, None)

    def layout_digest(self) -> str:
        return config_hash([], repr((self.keys, [p.name for p in self.plans])))

    def config_hash(self) -> str:
        return config_hash([f for p in self.plans for f in p.config_files])


# ---- the study ----------------------------------------------------------------------------------

@dataclass
class SportingStudy:
    """A finished comparison: one summary row per scenario, the detailed table, and how it ran."""

    summary: pd.DataFrame      # scenario + key metrics (means over the class-wide teams' titles)
    detail: pd.DataFrame       # scenario, scope, group, class, category, metric, mean, se, deltas vs the first
    runs: int
    seed: int
    chunk_size: int
    executor: str
    workers: int
    wall_time_s: float
    aggregate: SportingAggregate | None = field(repr=False, default=None)


def _unique_names(plans_input: Sequence[str | Path]) -> list[str]:
    names: list[str] = []
    for scenario in plans_input:
        base = resolve_scenario(scenario).stem
        name, copy = base, 2
        while name in names:
            name, copy = f"{base}#{copy}", copy + 1
        names.append(name)
    return names


def sporting_study(scenarios: Sequence[str | Path], runs: int, seed: int, executor: str = "processes",
                   workers: int | None = None, scheduler: str | None = None, chunk_size: int | None = None,
                   progress: bool = False, backend: Backend | None = None) -> SportingStudy:
    """Run `runs` seasons of every scenario (common random numbers) and summarise the sporting metrics."""
    started = time.perf_counter()
    plans = tuple(plan_scenario(s, name) for s, name in zip(scenarios, _unique_names(scenarios)))
    keys = tuple(dict.fromkeys(key for plan in plans for key in plan.keys()))
    job = SportingJob(plans, keys, int(seed))
    own_backend = backend is None
    backend = backend or make_backend(executor, workers, scheduler)
    if chunk_size is None and isinstance(runs, int) and runs > 0:
        # The rules engine has a fixed cost per call: a few big chunks per worker (the result never depends on it).
        chunk_size = max(1, min(50, math.ceil(runs / (4 * backend.workers))))
    try:
        execution, size, _ = execute_job(job, runs, seed, backend, chunk_size, None, False, progress)
    finally:
        if own_backend:
            backend.close()
    state: SportingAggregate = execution.state
    detail = detail_frame(state, plans, keys)
    return SportingStudy(summary=summary_frame(detail, plans), detail=detail, runs=int(runs), seed=int(seed),
                         chunk_size=size, executor=backend.name, workers=backend.workers,
                         wall_time_s=time.perf_counter() - started, aggregate=state)


def _mean_se(count: int, total: int, total_sq: int, unit: int) -> tuple[float, float]:
    """Mean and its standard error from exact integer sums (Python ints: no overflow in n * sum_sq)."""
    if count == 0:
        return math.nan, math.nan
    mean = total / count / unit
    if count < 2:
        return mean, math.nan
    variance = max(count * total_sq - total * total, 0) / (count * (count - 1))
    return mean, math.sqrt(variance / count) / unit


DETAIL_COLUMNS = ["scenario", "scope", "group", "class", "category", "metric", "mean", "se", "seasons",
                  "delta_vs_first", "se_delta", "paired_seasons"]


def detail_frame(state: SportingAggregate, plans: Sequence[ScenarioPlan], keys: Sequence[Key]) -> pd.DataFrame:
    """One row per scenario x metric key it has: mean, se, and the paired difference vs the first scenario."""
    rows = []
    for p, plan in enumerate(plans):
        title_info = {t.title: t for t in plan.titles}
        for key in plan.keys():
            k = keys.index(key)
            unit = unit_of(key)
            mean, se = _mean_se(int(state.count[p, k]), int(state.total[p, k]), int(state.total_sq[p, k]), unit)
            delta, se_delta = _mean_se(int(state.pair_count[p, k]), int(state.pair_total[p, k]),
                                       int(state.pair_total_sq[p, k]), unit)
            if p == 0:
                se_delta = 0.0 if state.pair_count[p, k] else math.nan
            scope, group, metric = key
            info = title_info.get(group) if scope == "title" else None
            rows.append({
                "scenario": plan.name, "scope": scope, "group": group,
                "class": info.class_name if info else (group if scope == "class" else ""),
                "category": info.category if info else "", "metric": metric,
                "mean": _round(mean), "se": _round(se), "seasons": int(state.count[p, k]),
                "delta_vs_first": _round(delta), "se_delta": _round(se_delta),
                "paired_seasons": int(state.pair_count[p, k])})
    return pd.DataFrame(rows, columns=DETAIL_COLUMNS)


def _round(value: float) -> float:
    return round(value, 6) if math.isfinite(value) else math.nan


def summary_frame(detail: pd.DataFrame, plans: Sequence[ScenarioPlan]) -> pd.DataFrame:
    """One row per scenario: key metrics over the class-wide teams' titles, grid, invitations by region."""
    regions = list(dict.fromkeys(region for plan in plans for region in plan.regions))
    rows = []
    for plan in plans:
        mine = detail[detail["scenario"] == plan.name]
        overall = mine[mine["scope"] == "all"].set_index("metric")
        row: dict = {"scenario": plan.name, "sporting_seasons": int(overall["seasons"].max()) if len(overall) else 0}
        for metric, column in SUMMARY_METRICS:
            row[column] = overall["mean"].get(metric, math.nan)
        by_region = mine[mine["scope"] == "region"]
        for metric in ("invitations", "grid"):
            values = by_region[by_region["metric"] == metric].set_index("group")["mean"]
            for region in regions:
                row[f"{metric}_{region.lower().replace(' ', '_')}"] = values.get(region, 0.0)
        rows.append(row)
    return pd.DataFrame(rows)


def paired_summary(detail: pd.DataFrame) -> pd.DataFrame:
    """Key metrics (scope `all`) per scenario with the difference vs the first scenario and its paired se."""
    names = dict(SUMMARY_METRICS)
    overall = detail[(detail["scope"] == "all") & detail["metric"].isin(list(names))].copy()
    overall["metric"] = overall["metric"].map(names)
    order = {column: i for i, column in enumerate(names.values())}
    overall["order"] = overall["metric"].map(order)
    return overall.sort_values(["order"], kind="stable")[
        ["scenario", "metric", "mean", "se", "delta_vs_first", "se_delta"]].reset_index(drop=True)


def sporting_metrics(scenario_paths, runs: int, seed: int, workers: int | None = None) -> pd.DataFrame | None:
    """The seam of `compare_calendars(..., sporting=...)`: one row per scenario, or None when runs == 0."""
    if runs <= 0:
        return None
    executor = "serial" if workers == 1 else "processes"
    return sporting_study(list(scenario_paths), runs, seed, executor=executor, workers=workers).summary


__all__ = ["ScenarioPlan", "SportingAggregate", "SportingJob", "SportingStudy", "TitlePlan", "car_strength",
           "detail_frame", "paired_summary", "plan_scenario", "season_values", "spearman", "sporting_metrics",
           "sporting_study", "summary_frame"]
