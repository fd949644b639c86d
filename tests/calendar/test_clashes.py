"""Date clashes with other championships: detected inside the buffer, not one day outside it."""

from __future__ import annotations

import datetime as dt

from sim.calendar.clashes import days_apart
from sim.calendar.metrics import assess_scenario
from sim.config.calendars import load_championships, load_logistics
from tests.calendar.helpers import scenario


def _wec_only(buffer_days):
    return {"calendar": {"championships": ["wec"], "clash_buffer_days": buffer_days}}


def test_clash_inside_buffer_detected_and_one_day_outside_not():
    # WEC 8 Hours of Bahrain 2025 ends Sat 8 Nov 2025 (configs/calendars/wec.yaml). A round racing
    # Sat 15 Nov opens its paddock event_days_before_race days earlier (Thu 13 Nov): 5 days apart.
    wec = load_championships()["wec"]
    bahrain = next(e for e in wec.events if e.name == "8 Hours of Bahrain 2025")
    assert bahrain.last_day == dt.date(2025, 11, 8)
    paddock_opens = dt.date(2025, 11, 15) - dt.timedelta(days=load_logistics().event_days_before_race)
    apart = (paddock_opens - bahrain.last_day).days
    rounds = [("sepang", "2025-11-15", 2)]
    inside = assess_scenario(scenario(rounds, _wec_only(apart)))
    outside = assess_scenario(scenario(rounds, _wec_only(apart - 1)))
    assert [c.event for c in inside.clashes] == ["8 Hours of Bahrain 2025"]
    assert inside.clashes[0].days_apart == apart
    assert outside.clashes == []
    people = len(wec.paddock_overlap.teams) + len(wec.paddock_overlap.drivers)
    assert inside.row["clashes"] == 1 and inside.row["clash_people"] == people
    assert outside.row["clashes"] == 0 and outside.row["clash_people"] == 0


def test_shared_weekend_of_2024_25_sepang_and_super_gt_suzuka():
    # Real: the postponed SUPER GT Suzuka finale ran on 7-8 Dec 2024, the Asian LMS Sepang weekend.
    row = assess_scenario("scenarios/calendar-2024-25.yaml").row
    assert "super-gt: SUPER GT Suzuka Grand Final 2024 (postponed Rd 5)" in row["clash_events"]
    assert row["clash_teams"] >= 1 and row["clash_drivers"] >= 1


def test_scenario_overlaps_override_the_calendar_file():
    options = _wec_only(3) | {}
    options["calendar"]["overlaps"] = {"wec": {"teams": ["AF Corse"], "drivers": ["Davide RIGON", "Alessio ROVERA"]}}
    row = assess_scenario(scenario([("bahrain", "2025-11-08", 1)], options)).row
    assert (row["clashes"], row["clash_teams"], row["clash_drivers"], row["clash_people"]) == (1, 1, 2, 3)


def test_days_apart_is_symmetric_and_non_positive_when_sharing_days():
    a = (dt.date(2025, 12, 4), dt.date(2025, 12, 7))
    assert days_apart(*a, dt.date(2025, 12, 7), dt.date(2025, 12, 9)) == 0
    assert days_apart(*a, dt.date(2025, 12, 1), dt.date(2025, 12, 2)) == 2
    assert days_apart(dt.date(2025, 12, 1), dt.date(2025, 12, 2), *a) == 2
    assert days_apart(*a, dt.date(2025, 12, 5), dt.date(2025, 12, 5)) < 0
