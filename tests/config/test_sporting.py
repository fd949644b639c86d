"""Drive-time rules of the sporting configs: selection by race length (ranges that do not overlap), by
crew composition, the Asian LMS 2023 rules as the qualifying exports give them, and bad rules refused."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from sim.config.sporting import DriveTimeRule, load_sporting
from sim.race.drive_rules import driver_limits, stint_limits


def test_race_length_ranges_do_not_overlap():
    six, eight = DriveTimeRule(race_hours=(4.5, 7)), DriveTimeRule(race_hours=(7, 9))
    crew = ("Gold", "Silver")
    assert [six.applies(crew, h) for h in (4.5, 6, 7, 8)] == [False, True, True, False]
    assert [eight.applies(crew, h) for h in (7, 8, 9, 9.5)] == [False, True, True, False]
    assert DriveTimeRule(race_hours=4).applies(crew, 4.0) and not DriveTimeRule(race_hours=4).applies(crew, 6.0)


def test_crew_counts_select_crews():
    rule = DriveTimeRule(ratings=["Gold", "Platinum"], crew_counts={"Bronze": 2}, max_minutes=60)
    assert rule.applies(("Bronze", "Bronze", "Platinum"), 4) and not rule.applies(("Bronze", "Silver", "Gold"), 4)


@pytest.mark.parametrize(("fields", "message"), [
    ({"race_hours": (7, 4.5)}, "range ends before it starts"),
    ({"crew_counts": {"Amateur": 1}}, "unknown rating 'Amateur'"),
    ({"min_minutes": 90, "max_minutes": 60}, "max_minutes is below min_minutes"),
    ({"window": {"hours": 6, "max_minutes": 0}}, "greater than 0"),
])
def test_bad_rules_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        DriveTimeRule(**fields)


@pytest.mark.parametrize(("cls", "crew", "mins", "maxs"), [
    ("GT", ("Bronze", "Silver", "Gold"), (90, 45, 0), (math.inf, math.inf, 75)),       # "Min 01:30", "Min 00:45", "Max 01:15"
    ("GT", ("Bronze", "Bronze", "Platinum"), (45, 45, 0), (math.inf, math.inf, 60)),   # two Bronzes; "Max 01:00:00"
    ("GT", ("Bronze", "Silver"), (90, 0), (math.inf, 75)),                             # the Silver "Max 01:15:00"
    ("LMP2", ("Bronze", "Silver", "Platinum"), (60, 60, 60), (math.inf,) * 3),         # every driver "Min 01:00:00"
    ("LMP3", ("Bronze", "Silver", "Silver"), (105, 0, 0), (math.inf,) * 3),            # a single Bronze "Min 01:45:00"
    ("LMP3", ("Bronze", "Bronze", "Silver"), (50, 50, 0), (math.inf,) * 3),            # two Bronzes "Min 00:50:00"
    ("LMP3", ("Bronze", "Silver"), (105, 50), (math.inf,) * 2),
])
def test_asian_lms_2023_rules_as_the_qualifying_exports_give_them(cls, crew, mins, maxs):
    got_mins, got_maxs = driver_limits(load_sporting("asian-lms"), cls, crew, 4.0)
    assert got_mins == tuple(60.0 * m for m in mins) and got_maxs == tuple(60.0 * m for m in maxs)


def test_long_races_do_not_fall_through_the_four_hour_rules():
    """A 12-hour race under the Asian LMS rules: every driver limited (the ACO window; the WEC maxima)."""
    sporting = load_sporting("asian-lms")
    _, maxs = driver_limits(sporting, "GT", ("Bronze", "Silver", "Platinum"), 12.0)
    limits = stint_limits(sporting, "GT", ("Bronze", "Silver", "Platinum"), 12.0)
    assert maxs[2] == 420 * 60 and limits.window_max_s == (240 * 60,) * 3 and limits.window_s == (6 * 3600,) * 3
    le_mans = load_sporting("wec")
    assert driver_limits(le_mans, "LMP2", ("Bronze", "Gold", "Platinum"), 24.0) == ((21600.0,) * 3, (50400.0,) * 3)


@pytest.mark.parametrize(("hours", "cls", "mins", "maxs"), [
    (4.0, "GT", (90, 0, 0), (160, 160, 160)),         # the series' 4 h (ELMS 2018, confirmed minimums)
    (6.0, "GT", (105, 105, 45), (210, 210, 210)),     # WEC LMGTE Am 6 h (assumed for the ELMS)
    (8.0, "GT", (140, 140, 60), (280, 280, 280)),
    (6.0, "LMP2", (75, 75, 75), (210, 210, 210)),     # WEC LMP2 6 h
    (8.0, "LMP3", (100, 100, 100), (280, 280, 280)),  # as LMP2
    (24.0, "LMP2", (360, 360, 360), (840, 840, 840)),  # Le Mans
])
def test_elms_rules_by_race_length(hours, cls, mins, maxs):
    """An ELMS round longer than the series' 4 h gets the WEC rules of its length (assumed) and, beyond
    4 h 30, the ACO's 4 h in any 6 h, instead of no rule at all."""
    sporting = load_sporting("elms")
    crew = ("Bronze", "Silver", "Platinum")
    got_mins, got_maxs = driver_limits(sporting, cls, crew, hours)
    assert got_mins == tuple(60.0 * m for m in mins) and got_maxs == tuple(60.0 * m for m in maxs)
    window = stint_limits(sporting, cls, crew, hours).window_max_s
    assert window == ((240 * 60,) * 3 if hours > 4.5 else (math.inf,) * 3)
