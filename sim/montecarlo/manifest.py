"""manifest.json: what a study ran (seed, runs, config hash, versions, executor, speed).

Everything that varies between otherwise identical runs (wall time, executor, workers) lives
here, never in summary.csv, so the summary stays byte-identical.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.io import write_text_atomic

PACKAGE = "endurance-sim"
VERSIONED = ("numpy", "pandas", "simpy", "pydantic", "pyarrow", "dask", "distributed")


def config_hash(paths: Iterable[str | Path], identity: str = "") -> str:
    """sha256 over the contents of every config file (in the kernel's order) and the identity text."""
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise InputError(path, None, f"cannot read config file: {error.strerror or error}") from None
        digest.update(len(content).to_bytes(8, "little"))
        digest.update(content)
    digest.update(identity.encode("utf-8"))
    return digest.hexdigest()


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in (PACKAGE, *VERSIONED):
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def build_manifest(result: Any, kernel: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The manifest of a finished StudyResult (or PairedResult) of `kernel`."""
    files = [str(Path(p)) for p in kernel.config_files()]
    manifest = {
        "seed": result.seed,
        "runs": result.runs,
        "config_hash": result.config_hash,
        "config_files": files,
        "kernel": kernel.identity(),
        "fingerprint": result.fingerprint,
        "versions": versions(),
        "executor": result.executor,
        "workers": result.workers,
        "chunk_size": result.chunk_size,
        "chunks": result.chunks,
        "chunks_resumed": result.chunks_resumed,
        "wall_time_s": round(result.wall_time_s, 3),
        "seasons_per_s": round(result.seasons_per_s, 3),
        "platform": platform.platform(),
    }
    manifest.update(extra or {})
    return manifest


def write_manifest(manifest: dict[str, Any], target: str | Path) -> None:
    write_text_atomic(target, json.dumps(manifest, indent=2, sort_keys=False) + "\n")
