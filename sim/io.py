"""Atomic file output: write to a temporary file beside the target, then rename.

A crash or Ctrl-C mid-write never leaves a half-written output behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces `target`, on error it is deleted."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp creates 0600 files; outputs get the usual permissions of the user's umask.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_text_atomic(target: str | Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_csv_atomic(frame, target: str | Path) -> None:
    """Write a pandas DataFrame as CSV (no index) atomically."""
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False)


def write_table_atomic(frame, target: str | Path) -> None:
    """CSV or Parquet by the target's suffix, atomically."""
    target = Path(target)
    if target.suffix.lower() in (".parquet", ".pq"):
        with atomic_path(target) as tmp:
            frame.to_parquet(tmp, index=False)
    else:
        write_csv_atomic(frame, target)
