"""Several championships on shared weekends with a joint classification (f), and a merged series (g)."""

from __future__ import annotations

import pytest

from sim.errors import InputError
from sim.montecarlo.scenario_kernel import ScenarioKernel
from sim.scenario import compile_scenario
from sim.season import simulate_season
from tests.season.helpers import scenario_data, write_scenario


@pytest.fixture(scope="module")
def joint():
    return simulate_season("asian-lms-and-gtwc-asia", seed=4)


def test_each_championship_runs_its_own_races(joint):
    results = joint.results
    gtwc = results[results["championship"] == "gtwc-asia"]
    assert sorted(gtwc["race"].unique(), key=lambda r: int(r[1:])) == ["R3", "R4", "R7", "R8"]
    assert set(gtwc["class"]) == {"GT"} and gtwc.groupby("race").size().eq(10).all()
    alms_gt = joint.standings[joint.standings["title"] == "GT teams"]
    assert alms_gt[["R3", "R4", "R7", "R8"]].isna().all().all()
    own = joint.standings[joint.standings["title"] == "gtwc-asia GT teams"]
    assert set(own["championship"]) == {"gtwc-asia"} and len(own) == 10


def test_joint_classification_sums_both_championships(joint):
    standings = joint.standings.set_index(["title", "car"])
    for car in ("2", "16"):   # the two cars entered in both series
        both = standings.loc[("GT Asia joint teams", car), "points"]
        alms = standings.loc[("GT teams", car), "points"]
        gtwc = standings.loc[("gtwc-asia GT teams", car), "points"]
        assert both == pytest.approx(alms + gtwc)


def test_layout_lists_both_championships():
    compiled = compile_scenario("asian-lms-and-gtwc-asia")
    titles = {t.title: len(t.competitors) for t in ScenarioKernel(compiled).layout().titles}
    assert titles["gtwc-asia GT teams"] == 10
    assert titles["GT Asia joint teams"] == titles["GT teams"] + 8   # the 8 GTWC-only cars join


def test_merged_classes_contain_both_series():
    compiled = compile_scenario("imsa-2014-merged")
    entries = {e.car: e for e in compiled.entries}
    assert entries["5"].class_name == "P" and entries["01"].class_name == "P"      # Grand-Am DP + ALMS P2
    assert {entries[c].class_name for c in ("44", "70", "023")} == {"GTD"}          # GT, GX, GTC
    assert entries["03"].class_name == "GTLM" and entries["052"].class_name == "PC"
    sebring = compiled.races[0].venue
    assert sebring.reference_lap_s["GTLM"] == sebring.reference_lap_s["GTD PRO"]
    assert sebring.reference_lap_s["P"] == sebring.reference_lap_s["P2"]
    assert compiled.races[2].bop["Chevrolet Corvette DP"] == 0.2
    outcome = simulate_season(compiled, seed=1)
    series_of = {row["car"]: ("ALMS" if row["team"].startswith("Example P2") or row["team"].startswith("Example GTC")
                              or row["team"].startswith("Example PC") or "Works" in row["team"] else "Grand-Am")
                 for row in outcome.results.to_dict("records")}
    for title in ("P teams", "GTD teams"):
        cars = outcome.standings.loc[outcome.standings["title"] == title, "car"]
        assert {series_of[c] for c in cars} == {"ALMS", "Grand-Am"}


def test_merge_needs_every_class_mapped(tmp_path):
    data = scenario_data("imsa-2014-merged")
    del data["merge"]["class_map"]["grand-am-2013-illustrative"]["GX"]
    with pytest.raises(InputError, match="class 'GX' is not in merge.class_map"):
        compile_scenario(write_scenario(tmp_path, data))


def test_merged_class_needs_the_pace_at_the_venue(tmp_path):
    data = scenario_data("imsa-2014-merged")
    data["calendar"]["rounds"][0]["venue"] = "dubai"
    with pytest.raises(InputError, match="no reference lap for class '[A-Z0-9 ]+' at Dubai"):
        compile_scenario(write_scenario(tmp_path, data))
