"""Sunrise, sunset and the hours of a race run in darkness, at a place and date.

The NOAA general solar position formulas (fractional-year series for the equation of time and the
declination, zenith 90.833 deg for refraction and the sun's radius); accurate to a few minutes between
the polar circles. Local clock times follow the place's IANA time zone when it has one (daylight-saving
time included: the Sebring 12 Hours starts at 10:10 EDT, UTC-4, not EST), else a fixed standard offset.

A low layer (standard library only): the scenario compiler gives each race its darkness intervals from
here, and calendar planning (`sim.calendar.climate`) counts the hours of darkness of a round with it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple
from zoneinfo import ZoneInfo

SUNRISE_ZENITH_DEG = 90.833
MINUTES_PER_DAY = 1440


class Clock(NamedTuple):
    """Where the sun is reckoned from and how its local clock reads."""

    latitude: float
    longitude: float
    standard_offset_h: float = 0.0   # used when there is no time zone name
    timezone: str | None = None      # IANA name (daylight-saving time from the tz database)


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


def utc_offset_h(clock: Clock, date: dt.date) -> float:
    """The local clock's offset from UTC at noon of `date` (daylight-saving time included)."""
    if clock.timezone is None:
        return clock.standard_offset_h
    offset = dt.datetime(date.year, date.month, date.day, 12, tzinfo=ZoneInfo(clock.timezone)).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


def sun_times_local(clock: Clock, date: dt.date) -> tuple[float, float] | None:
    """(sunrise, sunset) in local clock minutes after midnight of `date`; None in polar day or night."""
    times = sun_times_utc_minutes(clock.latitude, clock.longitude, date)
    if times is None:
        return None
    shift = utc_offset_h(clock, date) * 60
    return times[0] + shift, times[1] + shift


def clock_minutes(start_local: str) -> int:
    """'HH:MM' as minutes after midnight."""
    hours, minutes = start_local.split(":")
    return int(hours) * 60 + int(minutes)


def darkness_intervals(clock: Clock, date: dt.date, start_local: str, hours: float) -> tuple[tuple[float, float], ...]:
    """The stretches of a race run between sunset and sunrise, as (from, to) seconds after the start
    (race starting at `start_local` on `date`, lasting `hours`), in race order."""
    start = clock_minutes(start_local)
    end = start + hours * 60
    spans = []
    for offset in range(-1, math.ceil(end / MINUTES_PER_DAY) + 1):
        tonight = sun_times_local(clock, date + dt.timedelta(days=offset))
        tomorrow = sun_times_local(clock, date + dt.timedelta(days=offset + 1))
        if tonight is None or tomorrow is None:
            continue
        night_from = max(start, tonight[1] + offset * MINUTES_PER_DAY)
        night_to = min(end, tomorrow[0] + (offset + 1) * MINUTES_PER_DAY)
        if night_to > night_from:
            spans.append(((night_from - start) * 60.0, (night_to - start) * 60.0))
    return tuple(spans)


def darkness_hours(clock: Clock, date: dt.date, start_local: str, hours: float) -> float:
    """Hours of the race run between sunset and sunrise."""
    return sum(to - since for since, to in darkness_intervals(clock, date, start_local, hours)) / 3600
