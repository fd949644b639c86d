"""Heat and rain risk by venue and month, and race timing against sunset (day, into darkness, night).

Sunrise and sunset use the NOAA general solar position formulas (fractional-year series for the
equation of time and the declination, zenith 90.833 deg for refraction and the sun's radius);
accurate to a few minutes between the polar circles, which is all a calendar needs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.calendar.geo import Place
from sim.errors import InputError

SUNRISE_ZENITH_DEG = 90.833
MINUTES_PER_DAY = 1440


def sun_times_utc_minutes(latitude: float, longitude: float, date: dt.date) -> tuple[float, float] | None:
    """(sunrise, sunset) in minutes after 00:00 UTC of `date`; None in polar day or night."""
    day_of_year = date.timetuple().tm_yday
    days_in_year = 366 if (date.year % 4 == 0 and (date.year % 100 != 0 or date.year % 400 == 0)) else 365
    gamma = 2 * math.pi / days_in_year * (day_of_year - 1)  # at noon the (hour-12)/24 term is 0
    eqtime = 229.18 * (0.000075 + 0.001868 * math.cos(gamma) - 0.032077 * math.sin(gamma)
                       - 0.014615 * math.cos(2 * gamma) - 0.040849 * math.sin(2 * gamma))
    decl = (0.006918 - 0.399912 * math.cos(gamma) + 0.070257 * math.sin(gamma)
            - 0.006758 * math.cos(2 * gamma) + 0.000907 * math.sin(2 * gamma)
            - 0.002697 * math.cos(3 * gamma) + 0.00148 * math.sin(3 * gamma))
    lat = math.radians(latitude)
    cos_ha = (math.cos(math.radians(SUNRISE_ZENITH_DEG)) / (math.cos(lat) * math.cos(decl))
              - math.tan(lat) * math.tan(decl))
    if not -1.0 <= cos_ha <= 1.0:
        return None
    ha = math.degrees(math.acos(cos_ha))
    sunrise = 720 - 4 * (longitude + ha) - eqtime
    sunset = 720 - 4 * (longitude - ha) - eqtime
    return sunrise, sunset


def sun_times_local(place: Place, date: dt.date) -> tuple[float, float] | None:
    """(sunrise, sunset) in local minutes after midnight at the venue's UTC offset."""
    times = sun_times_utc_minutes(place.latitude, place.longitude, date)
    if times is None:
        return None
    shift = place.utc_offset_h * 60
    return times[0] + shift, times[1] + shift


def _minutes(start_local: str) -> int:
    hours, minutes = start_local.split(":")
    return int(hours) * 60 + int(minutes)


def darkness_hours(place: Place, date: dt.date, start_local: str, hours: float) -> float:
    """Hours of the race run between sunset and sunrise (local clock, race starting on `date`)."""
    start = _minutes(start_local)
    end = start + hours * 60
    dark = 0.0
    for offset in range(-1, math.ceil(end / MINUTES_PER_DAY) + 1):
        tonight = sun_times_local(place, date + dt.timedelta(days=offset))
        tomorrow = sun_times_local(place, date + dt.timedelta(days=offset + 1))
        if tonight is None or tomorrow is None:
            continue
        night_from = tonight[1] + offset * MINUTES_PER_DAY
        night_to = tomorrow[0] + (offset + 1) * MINUTES_PER_DAY
        dark += max(0.0, min(end, night_to) - max(start, night_from))
    return dark / 60


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
