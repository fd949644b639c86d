"""The 2012 American Le Mans Series season end to end: the real calendar, five classes' standings, the
Petit Le Mans and Green X invitations with their reasons, energy in the results, and a Monte Carlo run."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sim.scenario import compile_scenario
from tests.conftest import run_cli

CALENDAR = [  # venue, date, hours (docs/american-lms.md: race reports and the 2012 calendar)
    ("sebring", "2012-03-17", 12), ("long-beach", "2012-04-14", 2), ("laguna-seca", "2012-05-12", 6),
    ("lime-rock-2012", "2012-07-07", 2.75), ("mosport", "2012-07-22", 2.75), ("mid-ohio", "2012-08-04", 2.75),
    ("road-america", "2012-08-18", 4), ("baltimore", "2012-09-01", 2), ("vir", "2012-09-15", 4),
    ("road-atlanta", "2012-10-20", 10),
]
CLASSES = ["P1", "P2", "PC", "GT", "GTC"]


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    folder = tmp_path_factory.mktemp("alms2012")
    code, out, err = run_cli("season", "american-lms-2012", "--seed", "1", "--out", str(folder))
    assert code == 0, err
    tables = {name: pd.read_csv(folder / f"{name}.csv", dtype={"car": str}, keep_default_na=False)
              for name in ("results", "standings", "awards")}
    return out, tables


def test_the_scenario_is_the_real_2012_calendar_with_the_five_classes():
    compiled = compile_scenario("american-lms-2012")
    assert [(r.venue.key, r.date, r.hours) for r in compiled.races] == [
        (venue, dt.date.fromisoformat(day), hours) for venue, day, hours in CALENDAR]
    assert sorted({entry.class_name for entry in compiled.entries}) == sorted(CLASSES)
    petit = compiled.races[9]
    assert {"12", "6"} <= {entry.car for entry in petit.entries}            # Rebellion's guest entry
    assert len(next(e for e in petit.entries if e.car == "6").drivers) == 3  # third drivers at Petit


def test_season_prints_five_classes_standings_and_the_invitations(season):
    out, tables = season
    for name in CLASSES:
        assert f"{name} teams" in out
    assert "Le Mans 24 Hours invitations" in out
    assert "winner of Petit Le Mans" in out and "winner of Green X" in out   # the invitations' reasons
    standings = tables["standings"]
    assert sorted(set(standings["class"])) == sorted(CLASSES)
    assert set(standings["title"]) >= {f"{name} {kind}" for name in CLASSES for kind in ("teams", "drivers")}


def test_petit_le_mans_and_green_x_invitations_carry_their_reasons(season):
    _, tables = season
    awards = tables["awards"].set_index("rule")
    results = tables["results"]
    petit = results[(results["race"] == "R10") & (results["class_position"] == 1)]
    for rule, klass in (("petit-le-mans-p1", "P1"), ("petit-le-mans-p2", "P2"), ("petit-le-mans-gt", "GT")):
        winner = petit[petit["class"] == klass].iloc[0]
        row = awards.loc[rule]
        assert row["reason"] == f"winner of Petit Le Mans {klass}"
        if row["status"] == "awarded":
            assert row["recipient"] == winner["team"]
    for rule, title in (("green-x-prototype", "Green X prototype"), ("green-x-gt", "Green X GT")):
        assert awards.loc[rule, "reason"].startswith(f"winner of {title} (score ")
    # no Le Mans class for PC and GTC: no invitation goes there
    assert not set(tables["awards"].query("status == 'awarded'")["class"]) & {"PC", "GTC"}


def test_results_carry_fuel_energy_and_greenhouse_columns(season):
    _, tables = season
    results = tables["results"]
    assert {"fuel_used_l", "energy_mj", "ghg_mj", "fuel"} <= set(results.columns)
    corvettes = results[results["car"].isin(["3", "4"])]
    assert set(corvettes["fuel"]) == {"e85r"}
    burnt = results[results["fuel_used_l"] > 0]
    assert (burnt["ghg_mj"] <= burnt["energy_mj"]).all()


def test_montecarlo_of_the_season_runs(tmp_path):
    code, out, err = run_cli("montecarlo", "american-lms-2012", "--runs", "2", "--seed", "1", "--workers", "1",
                             "--out", str(tmp_path), "--no-plots", "--no-progress")
    assert code == 0, err
    summary = pd.read_csv(tmp_path / "summary.csv", dtype={"car": str})
    assert {f"{name} teams" for name in CLASSES} <= set(summary["title"])


def test_the_2014_merged_series_runs_the_american_lms_classes():
    model = compile_scenario("imsa-2014-merged").races[0].model
    for merged, own in (("P", "P2"), ("PC", "PC"), ("GTLM", "GTE")):
        assert model.classes[merged] == model.classes[own]
    assert model.classes["GTD"] == model.classes["GT"]   # GT3-based, as the race model's GT
