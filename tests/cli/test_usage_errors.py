"""`sim` with a wrong command line: click's usage message and exit code 2, never an internal error."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize(("args", "problem"), [
    (("race", "default", "--seed", "1"), "--race"),             # a required option left out
    (("montecarlo", "default", "--runs", "3"), "--seed"),
    (("no-such-command",), "no-such-command"),                 # an unknown command
    (("race", "default", "--race", "R1", "--seed", "abc"), "--seed"),   # a value of the wrong type
])
def test_usage_errors_exit_2_with_the_problem(args, problem):
    code, out, err = run_cli(*args)
    assert code == 2
    assert "internal error" not in err
    assert "Usage: sim " in err and problem in err
