"""The American LMS 2012 rulebook on hand-built results: points by race length and the 50 % distance of
the Challenge classes (PC, GTC) against 70 % elsewhere (cs.frwiki.wiki "American Le Mans Series 2012")."""

from __future__ import annotations

import pandas as pd

from sim.config.series import load_series
from sim.results import validate_results
from sim.rules import compute_standings


def race(hours: float, rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    """One race R1 of `hours`: rows of (car, class, laps, status); class positions by laps."""
    frame = pd.DataFrame(rows, columns=["car", "class", "laps", "status"])
    frame["class_position"] = frame.groupby("class")["laps"].rank(ascending=False, method="first").astype(int)
    frame = frame.assign(race="R1", round=1, team="Team " + frame["car"], category="", drivers="A;B",
                         ratings="Gold;Silver", entry="season", time_s=hours * 3600, pole=0, hours=hours)
    return validate_results(frame)


def points(results: pd.DataFrame) -> dict[str, float]:
    standings = compute_standings(results, load_series("american-lms-2012"))
    teams = standings[standings["kind"] == "teams"]
    return dict(zip(teams["car"], teams["points"]))


def test_challenge_classes_score_from_half_the_winners_distance():
    results = race(2.75, [
        ("1", "P2", 100, "classified"), ("2", "P2", 60, "dnf"),            # 60 % in P2: not classified
        ("5", "PC", 100, "classified"), ("6", "PC", 60, "dnf"),            # 60 % in PC: classified, 2nd
        ("7", "PC", 55, "not_classified"),                                 # running, short of 70 %: 3rd
        ("8", "PC", 40, "dnf"),                                            # 40 %: nothing
        ("20", "GTC", 90, "classified"), ("21", "GTC", 50, "dnf"),         # 56 % in GTC: classified
    ])
    assert points(results) == {"1": 20, "2": 0, "5": 20, "6": 16, "7": 13, "8": 0, "20": 20, "21": 16}


def test_points_scale_by_race_length():
    for hours, winner in ((2.0, 20), (2.75, 20), (4.0, 22), (6.0, 22), (10.0, 24), (12.0, 24)):
        assert points(race(hours, [("1", "GT", 100, "classified")]))["1"] == winner
