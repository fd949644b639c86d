"""Freight legs: mode choice against the days available, gap violations, hub legs (configs/logistics.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.calendar.freight import available_days
from sim.calendar.metrics import assess_scenario
from sim.config.calendars import load_logistics
from tests.calendar.helpers import scenario


def test_far_east_to_middle_east_in_one_week_is_a_gap_violation():
    # Sepang Sat 6 + Sun 7 Dec, Dubai the next Saturday: 6 days - 1 teardown - 3 set-up = 2 days,
    # while the fastest freight (air, Far East - Middle East) takes 4 days door to door.
    logistics = load_logistics()
    assessment = assess_scenario(scenario([("sepang", "2025-12-06", 2), ("dubai", "2025-12-13", 2)]))
    leg = assessment.round_legs[0]
    assert leg.available_days == 6 - logistics.teardown_days - logistics.setup_days == 2
    assert not leg.fits
    assert leg.mode == "air" and leg.transit_days == logistics.transit_row("Far East", "Middle East").air_days
    assert assessment.row["freight_gap_violations"] == 1
    assert assessment.row["min_slack_days"] == 2 - leg.transit_days


def test_cheapest_mode_that_arrives_in_time_is_chosen():
    logistics = load_logistics()
    sea_days = logistics.transit_row("Far East", "Middle East").sea_days
    two_weeks = assess_scenario(scenario([("sepang", "2025-12-06", 2), ("dubai", "2025-12-20", 2)]))
    assert two_weeks.round_legs[0].mode == "air"  # 9 days available < sea transit
    assert two_weeks.round_legs[0].available_days < sea_days
    six_weeks = assess_scenario(scenario([("sepang", "2025-12-06", 2), ("dubai", "2026-01-17", 2)]))
    leg = six_weeks.round_legs[0]
    assert leg.mode == "sea" and leg.fits and leg.available_days >= sea_days
    assert leg.cost_eur < two_weeks.round_legs[0].cost_eur
    assert six_weeks.row["freight_gap_violations"] == 0


def test_sea_only_calendar_reports_the_violation_air_would_fix():
    only_sea = {"calendar": {"freight_modes": ["sea"]}}
    assessment = assess_scenario(scenario([("sepang", "2025-12-06", 2), ("dubai", "2025-12-20", 2)], only_sea))
    assert assessment.row["freight_gap_violations"] == 1
    assert assessment.round_legs[0].mode == "sea"


def test_hub_legs_and_same_venue_rounds():
    assessment = assess_scenario(scenario([("dubai", "2026-01-31", 2), ("dubai", "2026-02-07", 2)]))
    out, between, back = assessment.legs
    assert (out.origin, back.destination) == ("antwerp", "antwerp")
    assert between.mode == "stay" and between.km == 0 and between.cost_eur == 0
    assert assessment.row["travel_km"] == 0
    assert assessment.row["freight_km"] == pytest.approx(out.km + back.km, abs=0.1)


def test_available_days_counts_teardown_and_setup():
    logistics = load_logistics()
    days = available_days(dt.date(2026, 2, 1), dt.date(2026, 2, 7), logistics)
    assert days == 6 - logistics.teardown_days - logistics.setup_days
