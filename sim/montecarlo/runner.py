"""Run a study: chunks of season indices through a backend, merged as they arrive.

Bounded tasks in flight and fixed-size aggregates keep memory flat whatever the number of
seasons. A checkpoint (merged state + finished chunk ids + study fingerprint) is written
atomically every few seconds and on Ctrl-C / SIGTERM; `resume=True` finishes the study with
the same result as an uninterrupted run.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import math
import signal
import sys  # noqa: F401  (tests patch runner.sys.stderr)
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.io import write_table_atomic
from sim.montecarlo.aggregate import Aggregate, aggregate_chunk
from sim.montecarlo.checkpoint import check_same_study, fingerprint_of, load_checkpoint, save_checkpoint, study_identity  # noqa: F401  (load_checkpoint, save_checkpoint: API)
from sim.montecarlo.executors import Backend, make_backend
from sim.montecarlo.kernel import SeasonKernel, StudyLayout
from sim.montecarlo.manifest import config_hash
from sim.montecarlo.progress import make_progress, progress_enabled  # noqa: F401  (progress_enabled: API)
from sim.montecarlo.stopping import CHECK_EVERY, FIXED, InOrder, MergeAll, StopRule, make_stop_rule, max_title_se

MAX_POOL_RESTARTS = 3


@dataclass(frozen=True)
class Chunk:
    """Seasons [start, stop) of a study; chunk ids are fixed by (runs, chunk size)."""

    index: int
    start: int
    stop: int

    @property
    def seasons(self) -> range:
        return range(self.start, self.stop)


@dataclass
class ChunkOutcome:
    chunk: Chunk
    state: Any                       # Aggregate (or PairedAggregate): merged by the runner
    standings: pd.DataFrame | None   # per-season standings, only when Parquet drill-down is asked


@dataclass(frozen=True)
class StudyJob:
    """One scenario: kernel tables -> aggregate, per chunk (runs on workers)."""

    kernel: SeasonKernel
    layout: StudyLayout
    seed: int
    keep_standings: bool = False
    kind: str = "study"

    def empty(self) -> Aggregate:
        return Aggregate.empty(self.layout)

    def load(self, arrays: dict[str, np.ndarray]) -> Aggregate:
        return Aggregate.from_arrays(arrays)

    def run(self, chunk: Chunk) -> ChunkOutcome:
        tables = self.kernel.run_chunk(self.seed, chunk.seasons)
        state = aggregate_chunk(tables, self.layout, chunk.seasons)
        return ChunkOutcome(chunk, state, tables.standings if self.keep_standings else None)

    def layout_digest(self) -> str:
        return self.layout.digest()

    def config_hash(self) -> str:
        return config_hash(self.kernel.config_files(), self.kernel.identity())

    def max_title_se(self, state: Aggregate) -> float:
        """The stopping criterion of --target-se: the largest standard error of a title probability."""
        return max_title_se(state)

    variance_bound = 0.25   # of a probability: the worst case of --target-se


@dataclass
class StudyResult:
    """A finished study: the merged aggregate and how it was run (for the manifest)."""

    aggregate: Any
    layout: Any
    seed: int
    runs: int
    chunk_size: int
    chunks: int
    chunks_resumed: int
    executor: str
    workers: int
    wall_time_s: float
    config_hash: str
    fingerprint: str
    checkpoint: str | None = None
    seasons_resumed: int = 0
    stop_reason: str = FIXED                 # "runs", or for --target-se "target reached" / "max runs"
    stop_rule: StopRule | None = None
    seasons: pd.DataFrame | None = None      # per-season standings, when asked (keep_seasons)

    @property
    def seasons_run_here(self) -> int:
        """Seasons simulated by this run (not taken from a resumed checkpoint)."""
        return self.runs - min(self.runs, self.seasons_resumed)

    @property
    def seasons_per_s(self) -> float:
        return self.seasons_run_here / self.wall_time_s if self.wall_time_s > 0 else 0.0


class StudyInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the study; the checkpoint lets `resume=True` finish it."""

    def __init__(self, checkpoint: str | None, seasons_done: int, runs: int):
        self.checkpoint, self.seasons_done, self.runs = checkpoint, seasons_done, runs
        where = f"checkpoint {checkpoint}; resume to finish" if checkpoint else "no checkpoint was asked for"
        super().__init__(f"study interrupted after {seasons_done}/{runs} seasons ({where})")


def plan_chunks(runs: int, chunk_size: int, block: int | None = None) -> list[Chunk]:
    """Seasons 0..runs-1 in chunks of `chunk_size`; with `block`, no chunk straddles a multiple of it."""
    block = block or runs
    chunks: list[Chunk] = []
    for block_start in range(0, runs, block):
        block_stop = min(block_start + block, runs)
        for start in range(block_start, block_stop, chunk_size):
            chunks.append(Chunk(len(chunks), start, min(start + chunk_size, block_stop)))
    return chunks


def default_chunk_size(runs: int, workers: int, block: int | None = None) -> int:
    """About 16 chunks per worker (load balance, progress, cheap checkpoints), 1..100 seasons each; with
    `block`, the largest divisor of it not above that (chunks fill the blocks exactly)."""
    size = max(1, min(100, math.ceil(runs / (16 * max(1, workers)))))
    if block:
        size = max(d for d in range(1, min(size, block) + 1) if block % d == 0)
    return size


def _validate(runs: Any, seed: Any, chunk_size: Any) -> None:
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs <= 0:
        raise InputError(None, "runs", f"must be a whole number > 0, got {runs!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(None, "seed", f"must be a whole number >= 0, got {seed!r}")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer))
                                   or chunk_size <= 0):
        raise InputError(None, "chunk_size", f"must be a whole number > 0, got {chunk_size!r}")


# ---- interruption ------------------------------------------------------------------------------

class _StopRequest:
    """First Ctrl-C / SIGTERM asks for a clean stop (checkpoint); a second one interrupts at once."""

    def __init__(self) -> None:
        self.requested = False

    def _handler(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    @contextlib.contextmanager
    def installed(self) -> Iterator[_StopRequest]:
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        for sig in previous:
            signal.signal(sig, self._handler)
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


# ---- the driver ------------------------------------------------------------------------------

@dataclass
class _Execution:
    state: Any
    finished: set[int] = field(default_factory=set)
    resumed: int = 0              # chunks taken from the checkpoint
    seasons_resumed: int = 0
    seasons: int = 0              # seasons in `state`
    stop_reason: str = FIXED


def _resumed_execution(job: Any, checkpoint: str | Path | None, seed: int, runs: int, chunk_size: int | None,
                       rule: StopRule | None) -> tuple[_Execution, int | None]:
    """The checkpoint's state and finished chunks, after checking it belongs to this very study."""
    if checkpoint is None:
        raise InputError(None, "resume", "resume needs a checkpoint path")
    saved, finished, arrays = load_checkpoint(checkpoint)
    if chunk_size is None:
        chunk_size = int(saved.get("chunk_size", 0)) or None
    check_same_study(checkpoint, saved, study_identity(job, seed, runs, chunk_size or 0, rule))
    try:
        state = job.load(arrays)
        state.merge(job.empty())  # shape check against the current layout
    except (KeyError, ValueError) as error:
        raise InputError(checkpoint, None, f"checkpoint arrays do not fit this study ({error})") from None
    return _Execution(state, finished, len(finished)), chunk_size


def execute_job(job: Any, runs: int, seed: int, backend: Backend, chunk_size: int | None,
                checkpoint: str | Path | None, resume: bool, progress: bool,
                on_outcome: Callable[[ChunkOutcome], None] | None = None,
                checkpoint_interval: float = 5.0, max_chunks: int | None = None,
                stop_rule: StopRule | None = None) -> tuple[_Execution, int, dict]:
    """Run the chunks of `job` until done; returns the merged state, the chunk size and the identity.

    Without `stop_rule` every chunk of `runs` seasons runs; with it, `runs` is the rule's maximum and the
    study stops at the first decision point that meets the target (see sim.montecarlo.stopping).
    `max_chunks` stops (with a checkpoint, raising StudyInterrupted) after that many new chunks.
    """
    _validate(runs, seed, chunk_size)
    block = stop_rule.every if stop_rule is not None else None
    execution = None
    if resume:
        execution, chunk_size = _resumed_execution(job, checkpoint, seed, runs, chunk_size, stop_rule)
    if chunk_size is None:
        chunk_size = default_chunk_size(runs, backend.workers, block)
    identity = study_identity(job, seed, runs, chunk_size, stop_rule)
    execution = execution or _Execution(job.empty())
    chunks = plan_chunks(runs, chunk_size, block)
    unknown = execution.finished - {c.index for c in chunks}
    if unknown:
        raise InputError(checkpoint, "finished", f"checkpoint lists chunks {sorted(unknown)[:5]} not in this study")
    execution.seasons_resumed = sum(len(c.seasons) for c in chunks if c.index in execution.finished)
    if stop_rule is None:
        collector = MergeAll(execution, chunks, on_outcome)
    else:
        collector = InOrder(execution, chunks, on_outcome, stop_rule, job.max_title_se,
                            window=2 * backend.max_in_flight)
    pending = collections.deque(c for c in chunks if c.index not in execution.finished and not collector.done)

    def save() -> None:
        if checkpoint is not None:
            save_checkpoint(checkpoint, identity, execution.finished, execution.state)

    bar = make_progress(progress, collector.total, collector.seasons)
    stop = _StopRequest()
    new_chunks = restarts = 0
    last_save = time.monotonic()
    in_flight: dict[cf.Future, Chunk] = {}
    try:
        with stop.installed():
            if pending:
                backend.open(job)
            while (pending or in_flight) and not stop.requested and not collector.done:
                while (pending and len(in_flight) < backend.max_in_flight and not stop.requested
                       and collector.may_submit(pending[0])):
                    if max_chunks is not None and new_chunks + len(in_flight) >= max_chunks:
                        break
                    chunk = pending.popleft()
                    in_flight[backend.submit(chunk)] = chunk
                if not in_flight:
                    stop.requested = True  # max_chunks reached
                    break
                done, _ = cf.wait(list(in_flight), timeout=0.25, return_when=cf.FIRST_COMPLETED)
                lost: list[Chunk] = []
                for future in sorted(done, key=lambda f: in_flight[f].index):
                    chunk = in_flight.pop(future)
                    error = future.exception()
                    if isinstance(error, KeyboardInterrupt):
                        pending.appendleft(chunk)
                        stop.requested = True
                        continue
                    if error is not None and backend.recoverable(error):
                        lost.append(chunk)
                        continue
                    if error is not None:
                        raise error
                    collector.accept(future.result())
                    new_chunks += 1
                    bar.update(collector.seasons, collector.total, collector.note())
                if lost:
                    restarts += 1
                    if restarts > MAX_POOL_RESTARTS:
                        raise RuntimeError(f"worker processes died {restarts} times; giving up")
                    lost.extend(in_flight.values())
                    in_flight.clear()
                    backend.restart()
                    pending.extendleft(sorted(lost, key=lambda c: c.index, reverse=True))
                if checkpoint is not None and time.monotonic() - last_save >= checkpoint_interval:
                    save()
                    last_save = time.monotonic()
            if collector.done:   # --target-se met: chunks run ahead of the decision are not needed
                for future in in_flight:
                    future.cancel()
                in_flight.clear()
                pending.clear()
            if stop.requested and (pending or in_flight):
                for chunk in in_flight.values():
                    pending.appendleft(chunk)
                in_flight.clear()
                save()
                raise StudyInterrupted(str(checkpoint) if checkpoint is not None else None, collector.seasons,
                                       runs)
            save()
    finally:
        bar.close()
    execution.seasons, execution.stop_reason = collector.seasons, collector.reason
    return execution, chunk_size, identity


def study_result(execution: _Execution, layout: Any, seed: int, chunk_size: int, identity: dict, backend: Backend,
                 started: float, checkpoint: str | Path | None, stop_rule: StopRule | None) -> StudyResult:
    """The StudyResult of a finished execution (single or paired study)."""
    return StudyResult(
        aggregate=execution.state, layout=layout, seed=int(seed), runs=execution.seasons, chunk_size=chunk_size,
        chunks=len(execution.finished), chunks_resumed=execution.resumed, executor=backend.name,
        workers=backend.workers, wall_time_s=time.perf_counter() - started, config_hash=identity["config_hash"],
        fingerprint=fingerprint_of(identity), checkpoint=str(checkpoint) if checkpoint is not None else None,
        seasons_resumed=execution.seasons_resumed, stop_reason=execution.stop_reason, stop_rule=stop_rule)


def stop_rule_for(job: Any, runs: int | None, target_se: float | None, max_runs: int | None,
                  check_every: int | None = None) -> tuple[int, StopRule | None]:
    """(seasons to plan, stop rule): `runs` seasons, or `target_se` with at most `max_runs`."""
    if target_se is None:
        if max_runs is not None:
            raise InputError(None, "--max-runs", "goes with --target-se (with --runs the study runs exactly N)")
        return runs, None
    if runs is not None:
        raise InputError(None, "--runs", "give either --runs or --target-se, not both")
    rule = make_stop_rule(target_se, max_runs, check_every or CHECK_EVERY, job.variance_bound)
    return rule.max_runs, rule


def run_study(kernel: SeasonKernel, runs: int | None, seed: int, executor: str = "processes",
              workers: int | None = None, scheduler: str | None = None, chunk_size: int | None = None,
              checkpoint: str | Path | None = None, resume: bool = False, progress: bool = True,
              parquet_dir: str | Path | None = None, checkpoint_interval: float = 5.0, max_chunks: int | None = None,
              backend: Backend | None = None, target_se: float | None = None, max_runs: int | None = None,
              keep_seasons: bool = False, check_every: int | None = None) -> StudyResult:
    """Run `runs` seasons of `kernel` from root `seed` (or, with `target_se` and runs=None, until every title
    probability's standard error is at most target_se, at most `max_runs`) and return the merged aggregate.

    executor: "serial", "processes" (default: all cores) or "dask" (needs `scheduler`).
    `parquet_dir` writes each chunk's per-season standings to part-<chunk>.parquet there; `keep_seasons`
    returns them all in `StudyResult.seasons` (memory grows with the seasons: for drill-down).
    """
    layout = kernel.layout()
    job = StudyJob(kernel, layout, int(seed), keep_standings=parquet_dir is not None or keep_seasons)
    runs, rule = stop_rule_for(job, runs, target_se, max_runs, check_every)
    _validate(runs, seed, chunk_size)
    started = time.perf_counter()
    own_backend = backend is None
    backend = backend or make_backend(executor, workers, scheduler)
    kept: list[pd.DataFrame] = []

    def on_outcome(outcome: ChunkOutcome) -> None:
        if parquet_dir is not None:
            write_table_atomic(outcome.standings, Path(parquet_dir) / f"part-{outcome.chunk.index:06d}.parquet")
        if keep_seasons:
            kept.append(outcome.standings)
    try:
        execution, size, identity = execute_job(job, runs, seed, backend, chunk_size, checkpoint, resume, progress,
                                                on_outcome, checkpoint_interval, max_chunks, rule)
    finally:
        if own_backend:
            backend.close()
    result = study_result(execution, layout, seed, size, identity, backend, started, checkpoint, rule)
    if keep_seasons:
        result.seasons = (pd.concat(kept, ignore_index=True).sort_values("season", kind="stable", ignore_index=True)
                          if kept else pd.DataFrame())
    return result
