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


class CommandRun:
    """A `sim` command run in-process: its output folder, stdout and stderr."""

    def __init__(self, folder: Path, code: int, out: str, err: str) -> None:
        self.folder, self.code, self.out, self.err = folder, code, out, err


@pytest.fixture(scope="session")
def study_run(tmp_path_factory) -> CommandRun:
    """`sim montecarlo default` (8 seasons, serial): a study folder with its report.html."""
    folder = tmp_path_factory.mktemp("study")
    code, out, err = run_cli("montecarlo", "default", "--runs", "8", "--seed", "4", "--workers", "1", "--out",
                             str(folder), "--no-plots", "--no-progress")
    assert code == 0, err
    return CommandRun(folder, code, out, err)


@pytest.fixture(scope="session")
def paired_run(tmp_path_factory) -> CommandRun:
    """The team's question in one command: car 10 from Pro-Am to Gold Cup, paired, with --focus 10."""
    folder = tmp_path_factory.mktemp("paired")
    code, out, err = run_cli("montecarlo", "default", "default-car10-gold-cup", "--paired", "--focus", "10",
                             "--runs", "4", "--seed", "3", "--workers", "1", "--out", str(folder), "--no-progress")
    assert code == 0, err
    return CommandRun(folder, code, out, err)


@pytest.fixture(scope="session")
def calendar_run(tmp_path_factory) -> CommandRun:
    """`sim calendar compare` of two like-for-like calendars (4 seasons, serial): comparison folder and report.html."""
    folder = tmp_path_factory.mktemp("calendar")
    code, out, err = run_cli("calendar", "compare", "default", "four-middle-east", "--runs", "4", "--seed", "2",
                             "--workers", "1", "--out", str(folder))
    assert code == 0, err
    return CommandRun(folder, code, out, err)


@pytest.fixture(scope="session")
def backtest_run(tmp_path_factory) -> CommandRun:
    """`sim backtest` of the real 2023 Asian LMS season after each race (6 seasons per forecast, serial)."""
    folder = tmp_path_factory.mktemp("backtest")
    code, out, err = run_cli("backtest", "asian-lms-2023", "--results", str(PROJECT / "data" / "seasons" /
                                                                            "asian-lms-2023.csv"),
                             "--runs", "6", "--seed", "3", "--workers", "1", "--after", "race", "--out", str(folder))
    assert code == 0, err
    return CommandRun(folder, code, out, err)
