"""`sim` with a wrong command line: one line naming the problem and where the usage is, exit code 2,
never an internal error."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize(("args", "problem"), [
    (("race", "default", "--seed", "1"), "--race"),             # a required option left out
    (("montecarlo", "default", "--runs", "3"), "--seed"),
    (("no-such-command",), "no-such-command"),                 # an unknown command
    (("race", "default", "--race", "R1", "--seed", "abc"), "--seed"),   # a value of the wrong type
    (("season", "default", "--seed", "1", "--index", "-1"), "--index"),
    (("calendar", "compare", "default", "--runs", "-1"), "--runs"),   # a sub-command's option
])
def test_usage_errors_exit_2_with_the_problem(args, problem):
    code, out, err = run_cli(*args)
    assert code == 2
    assert "internal error" not in err
    assert err.count("\n") == 1 and err.startswith("error: ") and problem in err, err
    assert "--help`)" in err
