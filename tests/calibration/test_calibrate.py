"""tools/calibrate.py measures what docs/calibration.md and configs/venues.yaml claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config.venues import load_venues
from tools import calibrate

DOC = (Path(__file__).resolve().parents[2] / "docs" / "calibration.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def alms(real_data):
    return calibrate.alms_race_summary(calibrate.load_alms_2023(real_data))


@pytest.fixture(scope="module")
def imsa(real_data):
    return calibrate.load_imsa_laps(real_data)


def row(summary, race, car_class):
    return summary[(summary["race"] == race) & (summary["class"] == car_class)].iloc[0]


def test_parse_time_handles_every_export_format():
    assert calibrate.parse_time("1'49.586") == pytest.approx(109.586)
    assert calibrate.parse_time("4:03'08.373") == pytest.approx(14588.373)
    assert calibrate.parse_time("0:00:53.371") == pytest.approx(53.371)
    assert calibrate.parse_time("12:00:54.520") == pytest.approx(43254.52)
    assert calibrate.parse_time("") != calibrate.parse_time("")  # NaN


def test_alms_2023_distances_match_the_published_results(alms):
    r1 = row(alms, "R1", "LMP2")
    assert (r1["winner_laps"], r1["winner_time_s"], r1["gap_2nd_s"]) == (118, 14588.373, 9.054)
    assert row(alms, "R4", "LMP2")["winner_laps"] == 130
    assert row(alms, "R3", "GT")["winner_laps"] == 94
    assert "| R1 | Dubai | LMP2 | 9 | 118 | 14588.373 |" in DOC


def test_class_ratios_and_classified_share(alms, real_data):
    ratios = calibrate.alms_class_ratios(alms)
    assert round(ratios.loc["mean", "LMP3/LMP2"], 2) == 0.97 and round(ratios.loc["mean", "GT/LMP2"], 2) == 0.94
    assert f"**{ratios.loc['mean', 'LMP3/LMP2']:.4f}**" in DOC and f"**{ratios.loc['mean', 'GT/LMP2']:.4f}**" in DOC
    share = calibrate.load_alms_2023(real_data)["classified"].mean()
    assert f"**{share:.3f}**" in DOC


def test_reference_laps_in_venues_come_from_the_measurement(alms, imsa):
    factors = calibrate.green_over_best(imsa)
    assert factors["LMP2"] > factors["LMP3"] > factors["GTD"] > 1.0
    for name in ["GTP", "LMP2", "LMP3", "GTD"]:
        assert f"| {name} | {factors[name]:.4f} |" in DOC
    venues = load_venues().venues
    for _, ref in calibrate.alms_reference_laps(alms, factors.to_dict()).iterrows():
        assert venues[ref["venue"]].reference_lap_s[ref["class"]] == pytest.approx(ref["reference_lap_s"], abs=0.05)
    imsa_refs = calibrate.imsa_reference_laps(imsa)
    sebring = imsa_refs.loc["05-sebring-international-raceway"]["GTD"].mean()
    sebring = (sebring + imsa_refs.loc["07-sebring-international-raceway"]["GTD"].mean()) / 2
    assert venues["sebring"].reference_lap_s["GTD"] == pytest.approx(sebring, abs=0.1)


def test_neutralisation_and_retirement_figures(imsa):
    fcy = calibrate.fcy_periods(imsa)
    per_hour = fcy["periods"].sum() / fcy["hours"].sum()
    assert f"= {per_hour:.3f} per hour" in DOC
    assert 0.5 < per_hour < 1.5 and len(fcy) == 20
    dnf = calibrate.retirements(imsa)
    assert f"**{dnf.loc['all', 'rate_per_car_hour']:.4f}**" in DOC
    assert int(dnf.loc["all", "starters"]) == 799


def test_bronze_drivers_are_slowest_and_the_gap_is_documented(imsa):
    gaps = calibrate.rating_pace_gap(imsa)
    for car_class in ["LMP2", "LMP3", "GTD"]:
        assert gaps.loc[(car_class, "Bronze"), "gap_s"] > gaps.loc[(car_class, "Silver"), "gap_s"] >= 0
    assert f"**{gaps.loc[('LMP2', 'Bronze'), 'gap_s']:.2f} s / {gaps.loc[('LMP2', 'Bronze'), 'gap_pct']:.2f} %**" in DOC


def test_spread_and_pit_stop_rows_match_the_doc(imsa):
    spread = calibrate.lap_time_spread(imsa)
    lmp2 = spread.loc["LMP2"]
    assert f"| LMP2 | {int(lmp2['stints'])} | {lmp2['sd_within_stint_s']:.3f} | {lmp2['sd_within_stint_pct']:.2f} |" in DOC
    stops = calibrate.pit_stops(imsa)
    # A driver change makes the median stop longer in every class.
    for car_class in ["GTP", "LMP2", "LMP3", "GTDPRO", "GTD"]:
        assert stops.loc[(car_class, True), "median_s"] > stops.loc[(car_class, False), "median_s"]
    assert f"| GTD | yes | {int(stops.loc[('GTD', True), 'stops'])} | {stops.loc[('GTD', True), 'median_s']:.1f} |" in DOC
