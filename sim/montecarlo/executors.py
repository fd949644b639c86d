"""Where chunks run: serial, local processes, or a Dask cluster, behind one small interface.

A backend receives the study's job once (the compiled scenario is shipped once per worker, not
once per task) and then runs chunks of season indices, returning `concurrent.futures.Future`s.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import socket
import uuid
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from sim.errors import InputError

EXECUTORS = ("serial", "processes", "dask")


class ChunkJob(Protocol):
    """What a backend runs: picklable, `run(chunk)` returns a picklable outcome."""

    def run(self, chunk: Any) -> Any: ...


class Backend:
    """Common interface: `open(job)`, `submit(chunk) -> Future`, `restart()`, `close()`."""

    name = "serial"
    workers = 1

    @property
    def max_in_flight(self) -> int:
        """Bounded tasks in flight: enough to keep every worker busy, few enough to keep memory flat."""
        return max(1, 2 * self.workers)

    def open(self, job: ChunkJob) -> None:
        raise TypeError("Backend is abstract")

    def submit(self, chunk: Any) -> cf.Future:
        raise TypeError("Backend is abstract")

    def recoverable(self, error: BaseException) -> bool:
        """Whether a failed future means a lost worker (resubmit the chunk) rather than a bug."""
        return False

    def restart(self) -> None:
        """Replace lost workers; chunks in flight are resubmitted by the runner."""

    def close(self) -> None:
        """Release workers; never raises."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SerialBackend(Backend):
    """Runs each chunk in the calling process when it is submitted (no pickling at all)."""

    name = "serial"
    workers = 1

    def __init__(self) -> None:
        self._job: ChunkJob | None = None

    @property
    def max_in_flight(self) -> int:
        return 1

    def open(self, job: ChunkJob) -> None:
        self._job = job

    def submit(self, chunk: Any) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(self._job.run(chunk))
        except BaseException as error:  # KeyboardInterrupt too: the runner checkpoints, then re-raises
            future.set_exception(error)
        return future


# ---- local processes -------------------------------------------------------------------------

_WORKER_JOB: ChunkJob | None = None


def _install_worker_job(job: ChunkJob) -> None:
    """Process-pool initializer: keep the job, and leave Ctrl-C to the parent (it checkpoints)."""
    global _WORKER_JOB
    _WORKER_JOB = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_worker_job(chunk: Any) -> Any:
    return _WORKER_JOB.run(chunk)


def _process_context() -> multiprocessing.context.BaseContext:
    """forkserver where available (thread-safe like spawn, but pandas/numpy are imported once in the
    server, so new and replacement workers start in milliseconds); spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.montecarlo.runner"])
        return context
    return multiprocessing.get_context("spawn")


class ProcessBackend(Backend):
    """A `ProcessPoolExecutor` (forkserver or spawn: never plain fork, which is unsafe with threads)."""

    name = "processes"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._job: ChunkJob | None = None
        self._pool: cf.ProcessPoolExecutor | None = None

    def open(self, job: ChunkJob) -> None:
        self._job = job
        self._start()

    def _start(self) -> None:
        self._pool = cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=_process_context(),
                                            initializer=_install_worker_job, initargs=(self._job,))

    def submit(self, chunk: Any) -> cf.Future:
        return self._pool.submit(_run_worker_job, chunk)

    def recoverable(self, error: BaseException) -> bool:
        return isinstance(error, BrokenProcessPool)

    def restart(self) -> None:
        self.close()
        self._start()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# ---- Dask distributed ------------------------------------------------------------------------
# (dask.distributed is imported inside these functions: a study on local processes never loads it)

def _run_dask_job(key: str, chunk: Any) -> Any:
    from sim.montecarlo.dask_plugin import installed_job

    return installed_job(key).run(chunk)


class DaskBackend(Backend):
    """Chunks as tasks of a Dask cluster via `Client.get_executor()`; lost workers are rescheduled by Dask."""

    name = "dask"

    def __init__(self, address: str, connect_timeout: float = 5.0) -> None:
        self.address = address
        self.connect_timeout = connect_timeout
        self._client = None
        self._executor = None
        self._key = uuid.uuid4().hex
        self.workers = 1

    def connect(self) -> None:
        """Connect now, so an unreachable scheduler fails fast, before any simulation."""
        if self._client is not None:
            return
        from distributed import Client

        _probe_tcp(self.address, min(self.connect_timeout, 2.0))
        try:
            self._client = Client(self.address, timeout=self.connect_timeout, set_as_default=False)
        except Exception as error:  # OSError, TimeoutError, ValueError for a malformed address ...
            raise InputError(None, "scheduler", f"cannot reach Dask scheduler at {self.address!r} "
                             f"within {self.connect_timeout:g} s ({type(error).__name__}: {error})") from None
        self.workers = max(1, sum(self._client.nthreads().values()))

    def open(self, job: ChunkJob) -> None:
        from sim.montecarlo.dask_plugin import InstallJobPlugin

        self.connect()
        self._client.register_plugin(InstallJobPlugin(self._key, job), name=f"sim-montecarlo-{self._key}")
        self._executor = self._client.get_executor(pure=False)

    def submit(self, chunk: Any) -> cf.Future:
        return self._executor.submit(_run_dask_job, self._key, chunk)

    def close(self) -> None:
        if self._client is None:
            return
        try:
            if self._executor is not None:
                self._executor.shutdown(wait=False)
            self._client.unregister_worker_plugin(f"sim-montecarlo-{self._key}")
        except Exception:  # closing must not hide the study's own outcome
            pass
        finally:
            self._client.close()
            self._client = None


class LocalDaskBackend(DaskBackend):
    """`--scheduler local:N`: a dask.distributed LocalCluster of N worker processes (one thread each) started
    for the study and closed with it, so Dask runs without setting up a scheduler and workers by hand."""

    name = "dask-local"

    def __init__(self, n_workers: int, connect_timeout: float = 5.0) -> None:
        super().__init__("local", connect_timeout)
        self.n_workers = n_workers
        self._cluster = None

    def connect(self) -> None:
        if self._client is not None:
            return
        from distributed import LocalCluster

        if self._cluster is None:
            self._cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self.address = self._cluster.scheduler_address
        super().connect()

    def close(self) -> None:
        super().close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def local_cluster_size(scheduler: str | None) -> int | None:
    """N of `local:N` (`local` alone: one worker per core); None for the address of a running scheduler."""
    if scheduler == "local":
        return os.cpu_count() or 1
    if not scheduler or not scheduler.startswith("local:"):
        return None   # tcp://HOST:PORT (or HOST:PORT, localhost:8786 too)
    count = scheduler[len("local:"):]
    if not count.isdigit() or int(count) < 1:
        raise InputError(None, "scheduler", f"{scheduler!r}: expected local:N with N >= 1 workers, or tcp://HOST:PORT")
    return int(count)


def _probe_tcp(address: str, timeout: float) -> None:
    """A plain TCP connect first: a refused or unroutable scheduler fails in at most `timeout` s."""
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return  # tls://, inproc://, ucx:// ...: leave it to the Dask client
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit():
        raise InputError(None, "scheduler", f"{address!r} is not a scheduler address (expected tcp://HOST:PORT)")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as error:
        raise InputError(None, "scheduler", f"cannot reach Dask scheduler at {address!r} "
                         f"({error.strerror or type(error).__name__})") from None


def make_backend(executor: str = "processes", workers: int | None = None, scheduler: str | None = None,
                 connect_timeout: float = 5.0) -> Backend:
    """The backend for the CLI options: `--scheduler` means Dask (`local:N`: a cluster started here),
    `--workers 1` serial, else processes."""
    if executor not in EXECUTORS:
        raise InputError(None, "executor", f"unknown executor {executor!r} (choose from {', '.join(EXECUTORS)})")
    if workers is not None and workers < 1:
        raise InputError(None, "workers", f"must be at least 1, got {workers}")
    if executor == "dask":
        if not scheduler:
            raise InputError(None, "scheduler", "the dask executor needs a scheduler address (tcp://HOST:PORT)")
        local = local_cluster_size(scheduler)
        backend = LocalDaskBackend(local, connect_timeout) if local else DaskBackend(scheduler, connect_timeout)
        try:
            backend.connect()
        except BaseException:
            backend.close()   # a local cluster half started
            raise
        return backend
    if executor == "serial":
        return SerialBackend()
    return ProcessBackend(workers)
