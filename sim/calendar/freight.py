"""Freight legs between rounds and from/to a freight hub: distance, mode, transit days, cost, gap check.

A leg's available days run from the end of the teardown after the last race of one round to the
start of the set-up before race 1 of the next; the cheapest allowed mode whose door-to-door transit
fits in them is chosen; if none fits the leg is a gap violation (reported with the fastest mode).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.calendar.geo import Place, haversine_km
from sim.config.calendars import MODES, Logistics

SAME_PLACE_KM = 1.0  # consecutive rounds at one venue: the kit stays put


@dataclass(frozen=True)
class Leg:
    origin: str
    destination: str
    km: float
    mode: str               # road, sea, air, or stay (same venue)
    transit_days: int
    available_days: int | None  # None for hub legs (no deadline)
    cost_eur: float
    fits: bool

    @property
    def slack_days(self) -> int | None:
        return None if self.available_days is None else self.available_days - self.transit_days


def mode_transit_days(mode: str, km: float, region_a: str, region_b: str, logistics: Logistics) -> int | None:
    """Door-to-door days for `mode` on this leg, or None when the mode cannot serve it."""
    if mode == "road":
        routed = km * logistics.costs["road"].detour_factor
        if region_a != region_b or routed > logistics.road.max_km:
            return None
        return logistics.road.handling_days + math.ceil(routed / logistics.road.km_per_day)
    row = logistics.transit_row(region_a, region_b)
    return row.sea_days if mode == "sea" else row.air_days


def mode_cost_eur(mode: str, km: float, logistics: Logistics) -> float:
    cost = logistics.costs[mode]
    return cost.per_leg_eur + cost.per_km_eur * km * cost.detour_factor


def plan_leg(origin: Place, destination: Place, available_days: int | None, logistics: Logistics,
             modes: Sequence[str] = MODES, slack_days: int = 0) -> Leg:
    """Cheapest allowed mode that arrives in time (`available_days - slack_days`); None = no deadline.

    `origin` and `destination` are `sim.calendar.geo.Place`s.
    """
    km = haversine_km(origin.latitude, origin.longitude, destination.latitude, destination.longitude)
    if km < SAME_PLACE_KM:
        return Leg(origin.key, destination.key, 0.0, "stay", 0, available_days, 0.0,
                   available_days is None or available_days >= slack_days)
    options = []
    for mode in modes:
        days = mode_transit_days(mode, km, origin.region, destination.region, logistics)
        if days is not None:
            options.append((mode_cost_eur(mode, km, logistics), days, mode))
    if not options:
        return Leg(origin.key, destination.key, km, "none", 0, available_days, math.inf, False)
    budget = math.inf if available_days is None else available_days - slack_days
    in_time = [option for option in options if option[1] <= budget]
    if in_time:
        cost, days, mode = min(in_time)
        return Leg(origin.key, destination.key, km, mode, days, available_days, cost, True)
    cost, days, mode = min(options, key=lambda option: (option[1], option[0]))
    return Leg(origin.key, destination.key, km, mode, days, available_days, cost, False)


def available_days(last_race_day: dt.date, next_first_race_day: dt.date, logistics: Logistics) -> int:
    """Days the kit has to travel between two rounds, after teardown and before set-up."""
    return (next_first_race_day - last_race_day).days - logistics.teardown_days - logistics.setup_days
