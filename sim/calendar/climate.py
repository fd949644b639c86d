"""Heat and rain risk by venue and month, and race timing against sunset (day, into darkness, night).

Sunrise, sunset and the hours of darkness come from `sim.sun` (NOAA formulas, the venue's time zone with
daylight-saving time), which the scenario compiler uses too for each race's darkness.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sim.sun as sun
from sim.calendar.geo import Place
from sim.errors import InputError


def place_clock(place: Place) -> sun.Clock:
    return sun.Clock(place.latitude, place.longitude, place.utc_offset_h, place.timezone)


def sun_times_local(place: Place, date: dt.date) -> tuple[float, float] | None:
    """(sunrise, sunset) in local clock minutes after midnight at the venue."""
    return sun.sun_times_local(place_clock(place), date)


def darkness_hours(place: Place, date: dt.date, start_local: str, hours: float) -> float:
    """Hours of the race run between sunset and sunrise (local clock, race starting on `date`)."""
    return sun.darkness_hours(place_clock(place), date, start_local, hours)


def timing_label(dark_hours: float, hours: float) -> str:
    if dark_hours <= 1e-9:
        return "day"
    if dark_hours >= hours - 1e-9:
        return "night"
    return "into darkness"


@dataclass(frozen=True)
class RoundClimate:
    month: int
    temp_max_c: float
    rain_probability: float
    heat_excess_c: float       # monthly max temperature above the heat threshold (0 if below)
    expected_wet_races: float  # rain probability x races in the round
    dark_hours: float          # race hours in darkness, all races of the round
    unlit_dark_hours: float    # the same, at a venue without floodlights
    timings: tuple[str, ...]   # per race: day / into darkness / night


def round_climate(place: Place, first_race_day: dt.date, races: Sequence[tuple[float, str]], heat_threshold_c: float) -> RoundClimate:
    """Climate and timing of one round; `races` are (hours, start_local) pairs, one race per day."""
    month = first_race_day.month
    if len(place.temp_max_c) != 12 or len(place.rain_probability) != 12:
        raise InputError("configs/venues.yaml", f"venues.{place.key}.climate", "venue has no monthly climate")
    temp = place.temp_max_c[month - 1]
    rain = place.rain_probability[month - 1]
    dark_each = [darkness_hours(place, first_race_day + dt.timedelta(days=day), start, hours)
                 for day, (hours, start) in enumerate(races)]
    dark = sum(dark_each)
    return RoundClimate(
        month=month, temp_max_c=temp, rain_probability=rain,
        heat_excess_c=max(0.0, temp - heat_threshold_c),
        expected_wet_races=rain * len(races),
        dark_hours=dark, unlit_dark_hours=0.0 if place.floodlit else dark,
        timings=tuple(timing_label(d, hours) for d, (hours, _) in zip(dark_each, races)),
    )
