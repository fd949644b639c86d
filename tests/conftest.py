"""Shared test fixtures: paths to the project's configs and to the real data it carries (data/real)."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
CONFIGS = PROJECT / "configs"
SCENARIOS = PROJECT / "scenarios"
# The real data the tests read, copied into the repository by tools/vendor_real_data.py (same layout
# as ../shared/data, the IMSA lap exports as one compact table), so a bare clone tests itself.
REAL_DATA = PROJECT / "data" / "real"


@pytest.fixture(scope="session")
def real_data() -> Path:
    return REAL_DATA


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `sim` in-process; returns (exit code, stdout, stderr)."""
    import contextlib
    import io

    from sim.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()
