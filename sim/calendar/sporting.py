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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calendar.sporting_plan import SUMMARY_METRICS, Key, ScenarioPlan, plan_scenario, unit_of
from sim.calendar.sporting_values import season_values
from sim.montecarlo.executors import Backend, make_backend
from sim.montecarlo.manifest import config_hash
from sim.montecarlo.mergeable import MergeableArrays
from sim.montecarlo.runner import Chunk, ChunkOutcome, execute_job
from sim.scenario import resolve_scenario
from sim.stats import mean_sd_se


@dataclass
class SportingAggregate(MergeableArrays):
    """Per scenario x metric key: seasons counted, sum, sum of squares; the same for differences vs scenario 0."""

    count: np.ndarray
    total: np.ndarray
    total_sq: np.ndarray
    pair_count: np.ndarray
    pair_total: np.ndarray
    pair_total_sq: np.ndarray
    seasons: np.ndarray   # () seasons simulated

    @classmethod
    def empty(cls, scenarios: int, keys: int) -> SportingAggregate:
        return cls(*(np.zeros((scenarios, keys), dtype=np.int64) for _ in range(6)), np.zeros((), dtype=np.int64))

    @property
    def runs(self) -> int:
        return int(self.seasons)


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
        state.seasons[...] = len(seasons)
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
            mean, _, se = mean_sd_se(int(state.total[p, k]), int(state.total_sq[p, k]), int(state.count[p, k]), unit)
            delta, _, se_delta = mean_sd_se(int(state.pair_total[p, k]), int(state.pair_total_sq[p, k]),
                                            int(state.pair_count[p, k]), unit)
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


def sporting_metrics(scenario_paths: Sequence[str | Path], runs: int, seed: int, workers: int | None = None) -> pd.DataFrame | None:
    """The seam of `compare_calendars(..., sporting=...)`: one row per scenario, or None when runs == 0."""
    if runs <= 0:
        return None
    executor = "serial" if workers == 1 else "processes"
    return sporting_study(list(scenario_paths), runs, seed, executor=executor, workers=workers).summary
