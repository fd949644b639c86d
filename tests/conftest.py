"""Shared test fixtures: paths to the project's configs and to the real data beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
CONFIGS = PROJECT / "configs"
SCENARIOS = PROJECT / "scenarios"
SHARED_DATA = PROJECT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.fail(f"real data folder missing: {SHARED_DATA} (shared/ must sit beside the project)")
    return SHARED_DATA


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `sim` in-process; returns (exit code, stdout, stderr)."""
    import contextlib
    import io

    from sim.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()
