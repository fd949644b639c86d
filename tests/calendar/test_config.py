"""The shipped planning configs: other championships' calendars and logistics."""

from __future__ import annotations

import itertools

import pytest

from sim.config.calendars import Logistics, load_championships, load_logistics
from sim.config.loader import CONFIGS, parse_model, read_yaml
from sim.config.venues import load_venues
from sim.errors import InputError


def test_every_calendar_event_is_sourced_and_venue_keys_exist():
    venues = load_venues().venues
    calendars = load_championships()
    assert {"wec", "imsa", "24h-series", "igtc", "super-gt", "super-formula", "macau-gp", "elms",
            "gtwc-europe", "gtwc-asia"} <= set(calendars)
    for key, calendar in calendars.items():
        for event in calendar.events:
            assert event.source, f"{key}: {event.name} has no source"
            looks_like_key = event.venue == event.venue.lower() and " " not in event.venue
            assert not looks_like_key or event.venue in venues, f"{key}: {event.venue} not in venues.yaml"


def test_both_winter_windows_are_covered():
    events = [e for c in load_championships().values() for e in c.events]
    for first, last in (("2024-11-01", "2025-03-31"), ("2025-11-01", "2026-03-31")):
        inside = [e for e in events if first <= e.start.isoformat() <= last]
        assert sum(e.status == "confirmed" for e in inside) >= 5


def test_known_real_dates():
    calendars = load_championships()
    wec = {e.name: e for e in calendars["wec"].events}
    assert wec["8 Hours of Bahrain 2025"].last_day.isoformat() == "2025-11-08"
    daytona = {e.name: e for e in calendars["imsa"].events}["Rolex 24 at Daytona 2026"]
    assert daytona.last_day.isoformat() == "2026-01-25"


def test_logistics_covers_every_region_pair_of_the_venue_book():
    logistics = load_logistics()
    regions = sorted({v.region for v in load_venues().venues.values()})
    for a, b in itertools.combinations_with_replacement(regions, 2):
        row = logistics.transit_row(a, b)
        assert row.air_days is not None and row.sea_days is not None
        assert row.air_days < row.sea_days


def test_logistics_contradictions_are_refused():
    data = read_yaml(CONFIGS / "logistics.yaml")
    with pytest.raises(InputError, match="default_hub"):
        parse_model(Logistics, data | {"default_hub": "rotterdam"}, "logistics.yaml")
    repeated = data | {"transit": data["transit"] + [data["transit"][0]]}
    with pytest.raises(InputError, match="repeats the region pair"):
        parse_model(Logistics, repeated, "logistics.yaml")
