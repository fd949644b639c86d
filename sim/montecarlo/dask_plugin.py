"""The Dask worker plugin that installs a study's job on every worker (imported only for Dask).

A plugin runs on every worker that joins, so a worker that dies and is replaced gets the job
again and its chunks are rescheduled transparently.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

_JOBS: dict[str, Any] = {}


def installed_job(key: str) -> Any:
    return _JOBS[key]


class InstallJobPlugin(WorkerPlugin):
    """Keeps the study's job (kernel + layout + seed) in the worker process under `key`."""

    def __init__(self, key: str, job: Any) -> None:
        self.key, self.job = key, job
        self.name = f"sim-montecarlo-{key}"

    def setup(self, worker: Any) -> None:
        _JOBS[self.key] = self.job

    def teardown(self, worker: Any) -> None:
        _JOBS.pop(self.key, None)
