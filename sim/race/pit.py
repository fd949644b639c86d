"""Pit-stop service: the fuel a stop adds and the time the car stands still.

Pit time = the venue's pit-lane loss + stationary time + repairs and penalties carried to the stop.
Stationary time: refuelling (`fuel / refuel_rate`, at least the series' `min_refuel_s`), tyres every
`tyre_stints` stints, a driver change when the driver changes; refuelling and tyres overlap or not by the
series' pit rules (`refuel_tyres_overlap`), then a log-normal spread (`pit_time_sigma`). The fuel tops up
to the flag (plus the reserve) or the tank, or for a short stint of the drive-time plan only that stint.
A class behaviour of the stop (another service order, a tyre allocation, a fixed stop time) goes here,
with its per-class constant in `sim.race.field.PitConstants`.
"""

from __future__ import annotations

from sim.race.field import PitConstants


def service(pit: PitConstants, tank: float, time_left_s: float, lap_s: float, planned_laps: int, tyres_s: float,
            change_s: float, min_refuel_s: float, overlap: bool) -> tuple[float, float]:
    """(litres added, stationary seconds before the spread) of a stop: the fuel (`fuel_to_add`), its time
    (`refuel_seconds`), with the tyres and the driver change (`stationary_seconds`)."""
    litres = fuel_to_add(pit, tank, time_left_s, lap_s, planned_laps)
    return litres, stationary_seconds(refuel_seconds(pit, litres, min_refuel_s), tyres_s, change_s, overlap)


def fuel_to_add(pit: PitConstants, tank: float, time_left_s: float, lap_s: float, planned_laps: int) -> float:
    """Litres added: enough for the laps to the flag (+1, + the reserve), at most a full tank; for a
    planned short stint only its laps (+ the reserve and half a lap)."""
    fpl = pit.fuel_per_lap
    need = (time_left_s / lap_s + 1 + pit.reserve_laps) * fpl
    if need > pit.capacity:
        need = pit.capacity
    if planned_laps:
        short = (planned_laps + pit.reserve_laps + 0.5) * fpl
        if short < need:
            need = short
    add = need - tank
    return add if add > 0.0 else 0.0


def refuel_seconds(pit: PitConstants, litres: float, min_refuel_s: float) -> float:
    """Time to put `litres` in (0 when nothing is added)."""
    if litres <= 0.0:
        return 0.0
    seconds = litres / pit.refuel_rate
    return seconds if seconds >= min_refuel_s else min_refuel_s


def stationary_seconds(refuel_s: float, tyres_s: float, change_s: float, overlap: bool) -> float:
    """Time stationary before the spread: refuel and tyres together (`overlap`) or one after the other;
    the driver change alongside the refuel."""
    if overlap:
        stationary = refuel_s if refuel_s > tyres_s else tyres_s
        return change_s if change_s > stationary else stationary
    return (refuel_s if refuel_s > change_s else change_s) + tyres_s
