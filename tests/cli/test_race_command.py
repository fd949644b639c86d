"""`sim race`: the race exactly as the season runs it (participation draw, race stream, forced outcomes)."""

from __future__ import annotations

import io

import pandas as pd

from tests.conftest import run_cli


def read(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_a_race_equals_that_race_of_the_season(tmp_path):
    """The default scenario has a participation model: the race of `sim race` must have the cars (and the
    finishing order) of the same race in `sim season` with the same seed and index."""
    code, _, err = run_cli("season", "default", "--seed", "7", "--index", "2", "--out", str(tmp_path), "--quiet")
    assert code == 0, err
    season = pd.read_csv(tmp_path / "results.csv", dtype=str, keep_default_na=False)
    for race in ("R3", "R8"):
        code, out, err = run_cli("race", "default", "--race", race, "--seed", "7", "--index", "2")
        assert code == 0, err
        single = read(out)
        expected = season[season["race"] == race][single.columns].reset_index(drop=True)
        assert single.equals(expected), race


def test_forced_outcomes_apply_and_real_races_are_not_simulated():
    code, out, err = run_cli("race", "asian-lms-changes", "--race", "R3", "--seed", "1")
    assert code == 0, err
    winner = read(out).query("car == '25'")
    assert winner["class_position"].tolist() == ["1"]   # the scenario forces car 25 to win R3
    code, _, err = run_cli("race", "asian-lms-2023-from-r3", "--race", "R1", "--seed", "1")
    assert code == 2 and "--race: R1 is already run in this scenario (results_so_far)" in err
