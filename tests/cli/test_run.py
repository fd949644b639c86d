"""`sim` / `sim run`: the embedded default season, printed for a reader."""

from __future__ import annotations

import pandas as pd

from tests.conftest import run_cli

TITLES = ("LMP2 teams", "LMP3 teams", "GT teams", "GT Pro-Am teams", "GT Gold Cup teams")


def test_sim_run_prints_standings_champions_and_invitations(tmp_path):
    code, out, err = run_cli("run", "--seed", "11", "--out", str(tmp_path))
    assert code == 0, err
    for title in TITLES:
        assert title in out
    assert "Champions" in out and "Le Mans 24 Hours invitations" in out
    standings = pd.read_csv(tmp_path / "standings.csv", dtype=str, keep_default_na=False)
    awards = pd.read_csv(tmp_path / "awards.csv", dtype=str, keep_default_na=False)
    # Every champion team printed is the leader of its classification in the written standings.
    for title in TITLES:
        leader = standings[(standings["title"] == title) & (standings["position"] == "1")].iloc[0]
        assert leader["team"] in out
    # The default rulebook gives LMP2, GT and both GT cups an invitation rule each.
    assert set(awards["rule"]) == {"lmp2-champion", "gt-champion", "gt-pro-am-champion", "gt-gold-cup-champion"}


def test_bare_sim_runs_the_default():
    code, out, err = run_cli()
    assert code == 0, err
    assert "scenarios/default.yaml" in out and "Champions" in out
