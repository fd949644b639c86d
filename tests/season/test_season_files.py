"""`sim season --out`: the files read like the other commands' outputs (same standings bytes as
`sim standings` on the season's results, race columns in calendar order)."""

from __future__ import annotations

import pandas as pd

from tests.conftest import run_cli


def test_season_standings_are_those_of_sim_standings_on_its_results(tmp_path):
    code, _, err = run_cli("season", "default", "--seed", "7", "--out", str(tmp_path / "season"), "--quiet")
    assert code == 0, err
    season = tmp_path / "season"
    code, _, err = run_cli("standings", str(season / "results.csv"), "--series", "asian-lms-cups",
                           "--out", str(tmp_path / "standings.csv"))
    assert code == 0, err
    assert (tmp_path / "standings.csv").read_bytes() == (season / "standings.csv").read_bytes()
    by_race = pd.read_csv(season / "standings_by_race.csv", dtype=str, keep_default_na=False)
    races = [f"R{i}" for i in range(1, 9)]
    assert [c for c in by_race.columns if c.startswith("R")] == races
    assert list(by_race.columns).index("wins") > list(by_race.columns).index("R8")
    final = by_race[by_race["after"] == "R8"].drop(columns="after").reset_index(drop=True)
    standings = pd.read_csv(season / "standings.csv", dtype=str, keep_default_na=False)
    assert final.equals(standings[final.columns])
