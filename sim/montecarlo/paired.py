"""Common-random-number comparison of two scenarios: the same seed and season indices for A and B.

Per chunk, both kernels run the same seasons; per competitor matched by title + key, the
per-season differences (title, top 3, points, invitation) are summed with their squares, so
the standard errors are those of paired differences, and memory stays flat like a single study.

Per car (class + car number, in both scenarios), the same is done for what a team asks about
whatever title the car is in (`sim.montecarlo.cars`): its class title, its own title (its
sub-category's, so a car moved from Pro-Am to Gold Cup is paired across the two cups, or the class
title without one) and a Le Mans invitation from any rule.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.montecarlo.aggregate import Aggregate, aggregate_chunk
from sim.montecarlo.cars import CAR_METRICS, CarMatching, car_season_values
from sim.montecarlo.executors import Backend, make_backend
from sim.montecarlo.kernel import ChunkTables, SeasonKernel, StudyLayout
from sim.montecarlo.layout_index import layout_index
from sim.montecarlo.manifest import config_hash
from sim.montecarlo.mergeable import MergeableArrays
from sim.montecarlo.rows import resolve_rows
from sim.montecarlo.runner import Chunk, ChunkOutcome, StudyResult, execute_job, stop_rule_for, study_result
from sim.montecarlo.stopping import max_title_se
from sim.montecarlo.summary import fmt
from sim.stats import mean_sd_se, paired_se

METRICS = ("title", "top3", "points", "invitation")


@dataclass(frozen=True)
class Matching:
    """Competitors present in both layouts: (title index, A row, B row), in A's order."""

    titles: np.ndarray
    rows_a: np.ndarray
    rows_b: np.ndarray

    @classmethod
    def of(cls, layout_a: StudyLayout, layout_b: StudyLayout) -> Matching:
        index_a, index_b = layout_index(layout_a), layout_index(layout_b)
        keys = sorted(index_a.key_to_row.items(), key=lambda item: item[1])
        matched = [(row, index_b.key_to_row[key]) for key, row in keys if key in index_b.key_to_row]
        # a car whose team name differs between the scenarios (a rename) is matched by title + car
        paired_a, paired_b = {a for a, _ in matched}, {b for _, b in matched}
        for key, row in sorted(index_a.car_to_row.items(), key=lambda item: item[1]):
            other = index_b.car_to_row.get(key)
            if row not in paired_a and other is not None and other not in paired_b:
                matched.append((row, other))
        matched.sort()
        rows_a = np.array([a for a, _ in matched], dtype=np.int64)
        rows_b = np.array([b for _, b in matched], dtype=np.int64)
        return cls(index_a.row_title[rows_a] if rows_a.size else rows_a, rows_a, rows_b)

    @property
    def size(self) -> int:
        return int(self.rows_a.size)


def _season_values(tables: ChunkTables, layout: StudyLayout, rows: np.ndarray, seasons: range) -> np.ndarray:
    """(seasons, matched, metrics) per-season values of the matched rows; absent = 0."""
    facts = resolve_rows(tables, layout)
    values = np.zeros((len(seasons), rows.size, len(METRICS)), dtype=np.int64)
    lookup = np.full(layout_index(layout).rows, -1, dtype=np.int64)
    lookup[rows] = np.arange(rows.size)
    m = lookup[facts.row]
    keep = m >= 0
    s = facts.season[keep] - seasons.start
    m = m[keep]
    values[s, m, 0] = facts.position[keep] == 1
    values[s, m, 1] = facts.position[keep] <= 3
    values[s, m, 2] = facts.points[keep]
    values[s, m, 3] = facts.invitations[keep].sum(axis=1) > 0
    return values


@dataclass
class PairedAggregate(MergeableArrays):
    """Both studies' aggregates plus sums of paired differences per matched competitor."""

    a: Aggregate
    b: Aggregate
    diff_sum: np.ndarray       # (M, metrics)
    diff_sumsq: np.ndarray     # (M, metrics)
    car_sum_a: np.ndarray      # (C, car metrics) seasons with the event in A
    car_sum_b: np.ndarray      # (C, car metrics)
    car_diff_sum: np.ndarray   # (C, car metrics) sums of A - B
    car_diff_sumsq: np.ndarray

    @classmethod
    def empty(cls, layout_a: StudyLayout, layout_b: StudyLayout) -> PairedAggregate:
        size = Matching.of(layout_a, layout_b).size
        cars = CarMatching.of(layout_a, layout_b).size
        rows = (np.zeros((size, len(METRICS)), dtype=np.int64),) * 2
        car_rows = (np.zeros((cars, len(CAR_METRICS)), dtype=np.int64),) * 4
        return cls(Aggregate.empty(layout_a), Aggregate.empty(layout_b), *(a.copy() for a in rows + car_rows))

    @property
    def runs(self) -> int:
        return self.a.runs


@dataclass(frozen=True)
class PairedJob:
    """Scenario A and B on the same seasons (common random numbers), per chunk."""

    kernel_a: SeasonKernel
    kernel_b: SeasonKernel
    layout_a: StudyLayout
    layout_b: StudyLayout
    seed: int
    kind: str = "paired"
    variance_bound = 1.0   # of a paired difference of two indicators: the worst case of --target-se

    def empty(self) -> PairedAggregate:
        return PairedAggregate.empty(self.layout_a, self.layout_b)

    def load(self, arrays: dict[str, np.ndarray]) -> PairedAggregate:
        return PairedAggregate.from_arrays(arrays)

    def run(self, chunk: Chunk) -> ChunkOutcome:
        seasons = chunk.seasons
        matching = Matching.of(self.layout_a, self.layout_b)
        cars = CarMatching.of(self.layout_a, self.layout_b)
        tables_a = self.kernel_a.run_chunk(self.seed, seasons)
        tables_b = self.kernel_b.run_chunk(self.seed, seasons)
        state = PairedAggregate.empty(self.layout_a, self.layout_b)
        state.a.merge(aggregate_chunk(tables_a, self.layout_a, seasons))
        state.b.merge(aggregate_chunk(tables_b, self.layout_b, seasons))
        diff = (_season_values(tables_a, self.layout_a, matching.rows_a, seasons)
                - _season_values(tables_b, self.layout_b, matching.rows_b, seasons))
        state.diff_sum += diff.sum(axis=0)
        state.diff_sumsq += (diff * diff).sum(axis=0)
        car_a = car_season_values(tables_a, cars.index, seasons)
        car_b = car_season_values(tables_b, cars.index, seasons)
        car_diff = car_a - car_b
        state.car_sum_a += car_a.sum(axis=0)
        state.car_sum_b += car_b.sum(axis=0)
        state.car_diff_sum += car_diff.sum(axis=0)
        state.car_diff_sumsq += (car_diff * car_diff).sum(axis=0)
        return ChunkOutcome(chunk, state, None)

    def max_title_se(self, state: PairedAggregate) -> float:
        return paired_max_title_se(state)

    def layout_digest(self) -> str:
        return hashlib.sha256((self.layout_a.digest() + self.layout_b.digest()).encode()).hexdigest()

    def config_hash(self) -> str:
        return hashlib.sha256((config_hash(self.kernel_a.config_files(), self.kernel_a.identity()) + "|"
                               + config_hash(self.kernel_b.config_files(), self.kernel_b.identity())).encode()
                              ).hexdigest()


def paired_max_title_se(state: PairedAggregate) -> float:
    """--target-se of a paired study: title probabilities of A and B, and the paired differences of title
    odds (matched competitors, and each car's class and own title)."""
    title_columns = [CAR_METRICS.index("class_title"), CAR_METRICS.index("own_title")]
    deltas = np.concatenate([paired_se(state.diff_sum[:, 0], state.diff_sumsq[:, 0], state.runs),
                             paired_se(state.car_diff_sum[:, title_columns],
                                       state.car_diff_sumsq[:, title_columns], state.runs).ravel()])
    return max(max_title_se(state.a), max_title_se(state.b), float(np.nan_to_num(deltas, nan=np.inf).max()) if deltas.size else 0.0)


def run_paired_study(kernel_a: SeasonKernel, kernel_b: SeasonKernel, runs: int | None, seed: int,
                     executor: str = "processes", workers: int | None = None, scheduler: str | None = None,
                     chunk_size: int | None = None, checkpoint: str | Path | None = None, resume: bool = False,
                     progress: bool = True, checkpoint_interval: float = 5.0,
                     backend: Backend | None = None, target_se: float | None = None,
                     max_runs: int | None = None, max_chunks: int | None = None) -> StudyResult:
    """Run A and B on the same seeds and season indices; `aggregate` is a PairedAggregate.

    With `target_se` (and runs=None): until the title odds of A and B and their paired differences all
    have a standard error of at most target_se (at most `max_runs` seasons)."""
    layout_a, layout_b = kernel_a.layout(), kernel_b.layout()
    job = PairedJob(kernel_a, kernel_b, layout_a, layout_b, int(seed))
    if Matching.of(layout_a, layout_b).size == 0:
        raise InputError(None, "paired", "the two scenarios share no competitor (title + car + team)")
    runs, rule = stop_rule_for(job, runs, target_se, max_runs)
    started = time.perf_counter()
    own_backend = backend is None
    backend = backend or make_backend(executor, workers, scheduler)
    try:
        execution, size, identity = execute_job(job, runs, seed, backend, chunk_size, checkpoint, resume, progress,
                                                None, checkpoint_interval, max_chunks, rule)
    finally:
        if own_backend:
            backend.close()
    return study_result(execution, (layout_a, layout_b), seed, size, identity, backend, started, checkpoint, rule)


PAIRED_COLUMNS = ["title", "class", "category", "kind", "car", "team", "drivers", "runs"] + [
    f"{stat}_{metric}" for metric in ("p_title", "p_top3", "mean_points", "p_invitation")
    for stat in ("a", "b", "delta", "se_delta")]


def paired_frame(paired: PairedAggregate, layout_a: StudyLayout, layout_b: StudyLayout) -> pd.DataFrame:
    """Per matched competitor: A, B, delta = A - B and the paired standard error of the delta."""
    matching = Matching.of(layout_a, layout_b)
    index_a = layout_index(layout_a)
    n = paired.runs
    scale = layout_a.points_scale
    if layout_b.points_scale != scale:
        raise ValueError("paired layouts must use the same points_scale")
    rows = []
    for m in range(matching.size):
        row_a, row_b = int(matching.rows_a[m]), int(matching.rows_b[m])
        t = int(matching.titles[m])
        title = layout_a.titles[t]
        competitor = title.competitors[row_a - index_a.offsets[t]]
        row = {"title": title.title, "class": title.class_name, "category": title.category, "kind": title.kind,
               "car": competitor.car, "team": competitor.team, "drivers": competitor.drivers, "runs": str(n)}
        a_values = _side_means(paired.a, row_a, n, scale)
        b_values = _side_means(paired.b, row_b, n, scale)
        for v, metric in enumerate(("p_title", "p_top3", "mean_points", "p_invitation")):
            unit = scale if metric == "mean_points" else 1
            delta, _, se = mean_sd_se(int(paired.diff_sum[m, v]), int(paired.diff_sumsq[m, v]), n, unit)
            row[f"a_{metric}"], row[f"b_{metric}"] = fmt(a_values[v]), fmt(b_values[v])
            row[f"delta_{metric}"], row[f"se_delta_{metric}"] = fmt(delta), fmt(se)
        rows.append(row)
    return pd.DataFrame(rows, columns=PAIRED_COLUMNS, dtype=str)


def _side_means(agg: Aggregate, row: int, n: int, scale: int) -> tuple[float, float, float, float]:
    counts = agg.position_counts[row]
    return (int(counts[0]) / n, int(counts[:3].sum()) / n, int(agg.points_sum[row]) / n / scale,
            int(agg.invited_seasons[row]) / n)
