"""Study checkpoints: the merged state, the finished chunk ids and the study's identity in one .npz.

A checkpoint is resumed only by the very same study (seed, runs, stop rule, chunk size, configs,
layout): anything else is an InputError naming the field that differs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError
from sim.io import atomic_path

CHECKPOINT_FORMAT = 2   # 2: --target-se studies (the stop rule is part of the identity)


def study_identity(job: Any, seed: int, runs: int, chunk_size: int, rule: Any = None) -> dict[str, Any]:
    """What a checkpoint must match to be resumed (`runs` is the maximum with a stop rule)."""
    return {"kind": job.kind, "seed": int(seed), "runs": int(runs), "chunk_size": int(chunk_size),
            "config_hash": job.config_hash(), "layout": job.layout_digest(), "format": CHECKPOINT_FORMAT,
            **(rule.identity() if rule is not None else {"target_se": None, "check_every": None})}


def fingerprint_of(identity: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode("utf-8")).hexdigest()


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


def check_same_study(path: str | Path, saved: dict[str, Any], current: dict[str, Any]) -> None:
    for name in ("format", "kind", "seed", "target_se", "check_every", "runs", "chunk_size", "config_hash",
                 "layout"):
        if saved.get(name) != current.get(name):
            raise InputError(path, name, f"the checkpoint belongs to a different study ({name} "
                             f"{saved.get(name)!r} in the checkpoint, {current.get(name)!r} now)")
