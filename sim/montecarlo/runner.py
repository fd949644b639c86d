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
import hashlib
import json
import math
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.io import atomic_path, write_table_atomic
from sim.montecarlo.aggregate import Aggregate, aggregate_chunk
from sim.montecarlo.executors import Backend, make_backend
from sim.montecarlo.kernel import SeasonKernel, StudyLayout
from sim.montecarlo.manifest import config_hash

CHECKPOINT_FORMAT = 1
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

    @property
    def seasons_run_here(self) -> int:
        """Seasons simulated by this run (not taken from a resumed checkpoint)."""
        return self.runs - min(self.runs, self.chunks_resumed * self.chunk_size)

    @property
    def seasons_per_s(self) -> float:
        return self.seasons_run_here / self.wall_time_s if self.wall_time_s > 0 else 0.0


class StudyInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the study; the checkpoint lets `resume=True` finish it."""

    def __init__(self, checkpoint: str | None, seasons_done: int, runs: int):
        self.checkpoint, self.seasons_done, self.runs = checkpoint, seasons_done, runs
        where = f"checkpoint {checkpoint}; resume to finish" if checkpoint else "no checkpoint was asked for"
        super().__init__(f"study interrupted after {seasons_done}/{runs} seasons ({where})")


def plan_chunks(runs: int, chunk_size: int) -> list[Chunk]:
    return [Chunk(i, start, min(start + chunk_size, runs)) for i, start in enumerate(range(0, runs, chunk_size))]


def default_chunk_size(runs: int, workers: int) -> int:
    """About 16 chunks per worker (load balance, progress, cheap checkpoints), 1..100 seasons each."""
    return max(1, min(100, math.ceil(runs / (16 * max(1, workers)))))


def _validate(runs: Any, seed: Any, chunk_size: Any) -> None:
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs <= 0:
        raise InputError(None, "runs", f"must be a whole number > 0, got {runs!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(None, "seed", f"must be a whole number >= 0, got {seed!r}")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer))
                                   or chunk_size <= 0):
        raise InputError(None, "chunk_size", f"must be a whole number > 0, got {chunk_size!r}")


def study_identity(job: Any, seed: int, runs: int, chunk_size: int) -> dict[str, Any]:
    return {"kind": job.kind, "seed": int(seed), "runs": int(runs), "chunk_size": int(chunk_size),
            "config_hash": job.config_hash(), "layout": job.layout_digest(), "format": CHECKPOINT_FORMAT}


def fingerprint_of(identity: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode("utf-8")).hexdigest()


# ---- checkpoints -----------------------------------------------------------------------------

def save_checkpoint(path: str | Path, identity: dict[str, Any], finished: set[int], state: Any) -> None:
    """State arrays + metadata in one .npz (no pickle), replaced atomically."""
    meta = {"identity": identity, "fingerprint": fingerprint_of(identity), "finished": sorted(finished)}
    arrays = {f"state__{name}": value for name, value in state.to_arrays().items()}
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            np.savez(handle, meta=np.array(json.dumps(meta)), **arrays)


def load_checkpoint(path: str | Path) -> tuple[dict[str, Any], set[int], dict[str, np.ndarray]]:
    path = Path(path)
    if not path.exists():
        raise InputError(path, None, "no checkpoint to resume from (run without resume first)")
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            arrays = {name[len("state__"):]: data[name] for name in data.files if name.startswith("state__")}
    except (OSError, ValueError, KeyError) as error:
        raise InputError(path, None, f"not a readable study checkpoint ({error})") from None
    return meta["identity"], set(int(i) for i in meta["finished"]), arrays


def _check_same_study(path: str | Path, saved: dict[str, Any], current: dict[str, Any]) -> None:
    for name in ("format", "kind", "seed", "runs", "chunk_size", "config_hash", "layout"):
        if saved.get(name) != current.get(name):
            raise InputError(path, name, f"the checkpoint belongs to a different study ({name} "
                             f"{saved.get(name)!r} in the checkpoint, {current.get(name)!r} now)")


# ---- interruption and progress ---------------------------------------------------------------

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


def progress_enabled(progress: bool) -> bool:
    """On only when asked, stderr is a terminal and not under CI."""
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return bool(progress) and sys.stderr.isatty() and not ci


class _Progress:
    """A rich progress bar with seasons/s and ETA, or nothing."""

    def __init__(self, enabled: bool, total: int, done: int) -> None:
        self._bar = None
        self._started = time.perf_counter()
        self._done_at_start = done
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(TextColumn("seasons"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
                             console=Console(stderr=True), transient=False)
        self._task = self._bar.add_task("seasons", total=total, completed=done, rate="")
        self._bar.start()

    def update(self, done: int) -> None:
        if self._bar is None:
            return
        elapsed = max(time.perf_counter() - self._started, 1e-9)
        rate = (done - self._done_at_start) / elapsed
        self._bar.update(self._task, completed=done, rate=f"{rate:,.1f} seasons/s")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


# ---- the driver ------------------------------------------------------------------------------

@dataclass
class _Execution:
    state: Any
    finished: set[int] = field(default_factory=set)
    resumed: int = 0


def execute_job(job: Any, runs: int, seed: int, backend: Backend, chunk_size: int | None,
                checkpoint: str | Path | None, resume: bool, progress: bool,
                on_outcome: Callable[[ChunkOutcome], None] | None = None,
                checkpoint_interval: float = 5.0, max_chunks: int | None = None) -> tuple[_Execution, int, dict]:
    """Run every unfinished chunk of `job`; returns the merged state, the chunk size and the identity.

    `max_chunks` stops (with a checkpoint, raising StudyInterrupted) after that many new chunks.
    """
    _validate(runs, seed, chunk_size)
    execution = None
    if resume:
        if checkpoint is None:
            raise InputError(None, "resume", "resume needs a checkpoint path")
        saved, finished, arrays = load_checkpoint(checkpoint)
        if chunk_size is None:
            chunk_size = int(saved.get("chunk_size", 0)) or None
        identity = study_identity(job, seed, runs, chunk_size or 0)
        _check_same_study(checkpoint, saved, identity)
        try:
            state = job.load(arrays)
            state.merge(job.empty())  # shape check against the current layout
        except (KeyError, ValueError) as error:
            raise InputError(checkpoint, None, f"checkpoint arrays do not fit this study ({error})") from None
        execution = _Execution(state, finished, len(finished))
    if chunk_size is None:
        chunk_size = default_chunk_size(runs, backend.workers)
    identity = study_identity(job, seed, runs, chunk_size)
    if execution is None:
        execution = _Execution(job.empty())
    chunks = plan_chunks(runs, chunk_size)
    unknown = execution.finished - {c.index for c in chunks}
    if unknown:
        raise InputError(checkpoint, "finished", f"checkpoint lists chunks {sorted(unknown)[:5]} not in this study")
    pending = collections.deque(c for c in chunks if c.index not in execution.finished)
    seasons_done = sum(len(c.seasons) for c in chunks if c.index in execution.finished)

    def save() -> None:
        if checkpoint is not None:
            save_checkpoint(checkpoint, identity, execution.finished, execution.state)

    bar = _Progress(progress_enabled(progress), runs, seasons_done)
    stop = _StopRequest()
    new_chunks = restarts = 0
    last_save = time.monotonic()
    in_flight: dict[cf.Future, Chunk] = {}
    try:
        with stop.installed():
            if pending:
                backend.open(job)
            while (pending or in_flight) and not stop.requested:
                while pending and len(in_flight) < backend.max_in_flight and not stop.requested:
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
                    outcome = future.result()
                    if chunk.index in execution.finished:
                        continue
                    if on_outcome is not None:
                        on_outcome(outcome)
                    execution.state.merge(outcome.state)
                    execution.finished.add(chunk.index)
                    new_chunks += 1
                    seasons_done += len(chunk.seasons)
                    bar.update(seasons_done)
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
            if stop.requested and (pending or in_flight):
                for chunk in in_flight.values():
                    pending.appendleft(chunk)
                in_flight.clear()
                save()
                raise StudyInterrupted(str(checkpoint) if checkpoint is not None else None, seasons_done, runs)
            save()
    finally:
        bar.close()
    return execution, chunk_size, identity


def run_study(kernel: SeasonKernel, runs: int, seed: int, executor: str = "processes", workers: int | None = None,
              scheduler: str | None = None, chunk_size: int | None = None, checkpoint: str | Path | None = None,
              resume: bool = False, progress: bool = True, parquet_dir: str | Path | None = None,
              checkpoint_interval: float = 5.0, max_chunks: int | None = None,
              backend: Backend | None = None) -> StudyResult:
    """Run `runs` seasons of `kernel` from root `seed` and return the merged aggregate.

    executor: "serial", "processes" (default: all cores) or "dask" (needs `scheduler`).
    `parquet_dir` writes each chunk's per-season standings to part-<chunk>.parquet there.
    """
    _validate(runs, seed, chunk_size)
    layout = kernel.layout()
    job = StudyJob(kernel, layout, int(seed), keep_standings=parquet_dir is not None)
    started = time.perf_counter()
    own_backend = backend is None
    backend = backend or make_backend(executor, workers, scheduler)
    on_outcome = None
    if parquet_dir is not None:
        folder = Path(parquet_dir)

        def on_outcome(outcome: ChunkOutcome) -> None:
            write_table_atomic(outcome.standings, folder / f"part-{outcome.chunk.index:06d}.parquet")
    try:
        execution, size, identity = execute_job(job, runs, seed, backend, chunk_size, checkpoint, resume, progress,
                                                on_outcome, checkpoint_interval, max_chunks)
    finally:
        if own_backend:
            backend.close()
    return StudyResult(
        aggregate=execution.state, layout=layout, seed=int(seed), runs=int(runs), chunk_size=size,
        chunks=len(plan_chunks(runs, size)), chunks_resumed=execution.resumed, executor=backend.name,
        workers=backend.workers, wall_time_s=time.perf_counter() - started, config_hash=identity["config_hash"],
        fingerprint=fingerprint_of(identity), checkpoint=str(checkpoint) if checkpoint is not None else None)
