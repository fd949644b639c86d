"""Atomic file output: write to a temporary file beside the target, then rename.

A crash or Ctrl-C mid-write never leaves a half-written output behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sim.errors import InputError

if TYPE_CHECKING:   # pandas only for the tables' type: sim.io is imported by everything
    import pandas as pd


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces `target`, on error it is deleted."""
    target = check_output_file(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:   # a parent that is a file, no permission, read-only disk
        raise InputError(target, None, f"cannot write here ({error.strerror or error})") from None
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


# points as published: 76 rather than 76.0, and 0.5 stays 0.5
POINTS_FORMAT = "%.10g"


def check_output_folder(folder: str | Path) -> Path:
    """Bad input, before any work, when `folder` or one of its parents exists as a file."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, None, "the output path exists and is not a folder")
    for parent in folder.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(folder, None, f"cannot create the output folder: {parent} is a file")
            break
    return folder


def check_output_file(target: str | Path) -> Path:
    """Bad input, before any work, when `target` is a folder or cannot be created under its parents."""
    target = Path(target)
    if target.is_dir():
        raise InputError(target, None, "is a directory, expected a file to write")
    check_output_folder(target.parent)
    return target


def make_output_folder(folder: str | Path) -> Path:
    """Create an output folder (and its parents); a path that is a file, or cannot be made, is bad input."""
    folder = check_output_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(folder, None, f"cannot create the output folder ({error.strerror or error})") from None
    return folder


def write_csv_atomic(frame: pd.DataFrame, target: str | Path, float_format: str | None = None) -> None:
    """Write a pandas DataFrame as CSV (no index) atomically."""
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False, float_format=float_format)


def write_table_atomic(frame: pd.DataFrame, target: str | Path) -> None:
    """CSV or Parquet by the target's suffix, atomically."""
    target = Path(target)
    if target.suffix.lower() in (".parquet", ".pq"):
        with atomic_path(target) as tmp:
            frame.to_parquet(tmp, index=False)
    else:
        write_csv_atomic(frame, target)
