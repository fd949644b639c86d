"""Sunset by the NOAA formula against known sunsets, race darkness, heat and rain by month."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calendar.climate import darkness_hours, round_climate, sun_times_local, timing_label
from sim.calendar.geo import Place, venue_place
from sim.calendar.metrics import assess_scenario
from sim.config.venues import load_venues

LONDON = Place("london", "London", "Europe", 51.5074, -0.1278, utc_offset_h=1)  # BST in June


def test_london_solstice_sunrise_and_sunset():
    # Published (HM Nautical Almanac Office): sunrise 04:43, sunset 21:21 BST on 21 June.
    sunrise, sunset = sun_times_local(LONDON, dt.date(2025, 6, 21))
    assert sunrise == pytest.approx(4 * 60 + 43, abs=4)
    assert sunset == pytest.approx(21 * 60 + 21, abs=4)


def test_equator_day_is_about_twelve_hours_and_seven_minutes_at_equinox():
    sunrise, sunset = sun_times_local(Place("x", "x", "Far East", 0.0, 0.0), dt.date(2025, 3, 20))
    assert sunset - sunrise == pytest.approx(12 * 60 + 7, abs=3)


def test_yas_marina_december_sunset_before_half_past_five():
    # Abu Dhabi F1 GP (early December) starts 17:00 at sunset, about 17:30 local.
    yas = venue_place("yas-marina", load_venues())
    _, sunset = sun_times_local(yas, dt.date(2025, 12, 7))
    assert 17 * 60 + 25 <= sunset <= 17 * 60 + 40


def test_dubai_four_hour_race_from_three_runs_into_darkness_for_about_an_hour():
    dubai = venue_place("dubai", load_venues())
    _, sunset = sun_times_local(dubai, dt.date(2026, 1, 31))
    dark = darkness_hours(dubai, dt.date(2026, 1, 31), "15:00", 4)
    assert dark == pytest.approx((19 * 60 - sunset) / 60, abs=1e-9)
    assert 0.8 < dark < 1.2
    assert timing_label(dark, 4) == "into darkness"
    assert darkness_hours(dubai, dt.date(2026, 1, 31), "10:00", 4) == 0


@settings(max_examples=60, deadline=None)   # timing belongs in benchmarks: a busy CI machine must not fail it
@given(st.floats(-60, 60), st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), st.integers(0, 23),
       st.floats(0.5, 24))
def test_darkness_within_race_length(latitude, date, hour, hours):
    place = Place("x", "x", "Far East", latitude, 100.0, utc_offset_h=7)
    dark = darkness_hours(place, date, f"{hour:02d}:00", hours)
    assert -1e-9 <= dark <= hours + 1e-9


def test_monthly_heat_and_rain_from_the_venue_book():
    venues = load_venues()
    sepang = venue_place("sepang", venues)
    climate = round_climate(sepang, dt.date(2025, 11, 29), [(4, "13:00"), (4, "13:00")], heat_threshold_c=30)
    november = venues.venues["sepang"].climate
    assert climate.temp_max_c == november.temp_max_c[10]
    assert climate.rain_probability == november.rain_probability[10]
    assert climate.expected_wet_races == pytest.approx(2 * november.rain_probability[10])
    assert climate.heat_excess_c == pytest.approx(max(0, november.temp_max_c[10] - 30))
    assert climate.unlit_dark_hours == climate.dark_hours  # Sepang has no floodlights


def test_floodlit_venues_count_no_unlit_darkness():
    """Yas Marina is floodlit, Dubai lights only its pit straight: their darkness after sunset counts as
    unlit at Dubai only (both rounds start at 15:00, a week apart)."""
    row = assess_scenario("scenarios/all-middle-east.yaml").row
    venues = load_venues()
    dubai = 2 * darkness_hours(venue_place("dubai", venues), dt.date(2026, 1, 31), "15:00", 4)
    assert row["dark_hours"] > row["unlit_dark_hours"] > 0
    assert row["unlit_dark_hours"] == pytest.approx(dubai, abs=0.02)
