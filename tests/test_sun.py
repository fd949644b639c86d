"""Sun times (NOAA formulas, sim.sun) against published sunsets, daylight-saving time from the venue's time
zone, and the darkness a race of the real IMSA calendar runs into."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from sim.config.venues import load_venues
from sim.sun import Clock, darkness_hours, darkness_intervals, sun_times_local

LITTLE_ROCK = Clock(34.746, -92.290, -6, "America/Chicago")


def test_sunsets_either_side_of_the_2023_us_clock_change():
    """Published (KARK, Little Rock): sunset 6:08 PM on Sunday 5 March 2023 (CST), 7:14 PM a week later
    once the clocks went forward (CDT)."""
    _, before = sun_times_local(LITTLE_ROCK, dt.date(2023, 3, 5))
    _, after = sun_times_local(LITTLE_ROCK, dt.date(2023, 3, 12))
    assert before == pytest.approx(18 * 60 + 8, abs=2)
    assert after == pytest.approx(19 * 60 + 14, abs=2)


def test_yas_marina_sunset_of_the_first_abu_dhabi_grand_prix():
    """Published (BBC, 2009): the sun sets at about 17:45 local on 1 November 2009 at Yas Marina."""
    venue = load_venues().venues["yas-marina"]
    clock = Clock(venue.latitude, venue.longitude, venue.timezone_utc_offset_h, venue.timezone)
    _, sunset = sun_times_local(clock, dt.date(2009, 11, 1))
    assert sunset == pytest.approx(17 * 60 + 45, abs=4)


def test_sebring_12_hours_2023_runs_its_last_two_and_a_half_hours_in_darkness():
    """Start 10:10 EDT on 18 March 2023; sunset about 19:35 EDT: dark from 9.4 h to the flag."""
    venue = load_venues().venues["sebring"]
    clock = Clock(venue.latitude, venue.longitude, venue.timezone_utc_offset_h, venue.timezone)
    (since, to), = darkness_intervals(clock, dt.date(2023, 3, 18), "10:10", 12)
    assert since / 3600 == pytest.approx(9.42, abs=0.05)
    assert to == 12 * 3600
    # without daylight-saving time the sun would set an hour earlier on the clock
    standard = clock._replace(timezone=None)
    assert darkness_hours(standard, dt.date(2023, 3, 18), "10:10", 12) == pytest.approx(2.58 + 1, abs=0.05)


def test_a_24_hour_race_has_one_night_with_sunrise_before_the_flag():
    clock = Clock(29.185, -81.070, -5, "America/New_York")   # Daytona, late January
    spans = darkness_intervals(clock, dt.date(2024, 1, 27), "13:40", 24)
    assert len(spans) == 1
    since, to = spans[0]
    assert 4 < since / 3600 < 5 and 17 < to / 3600 < 18


def test_a_time_zone_must_agree_with_the_standard_offset():
    data = load_venues().venues["sebring"].model_dump()
    with pytest.raises(ValidationError, match="UTC-5 in standard time"):
        type(load_venues().venues["sebring"]).model_validate(data | {"timezone_utc_offset_h": -4})
    with pytest.raises(ValidationError, match="unknown time zone"):
        type(load_venues().venues["sebring"]).model_validate(data | {"timezone": "Florida/Sebring"})
