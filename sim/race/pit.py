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
    """(litres added, stationary seconds before the spread) of a stop.

    Fuel: enough for the laps to the flag (+1, + the reserve) at the last stint's lap `lap_s`, at most a
    full tank; for a planned short stint only its laps (+ the reserve and half a lap). Refuelling takes
    litres / rate, at least `min_refuel_s`. Refuelling and tyres (`tyres_s`, 0 when they stay on) together
    (`overlap`) or one after the other; the driver change (`change_s`, 0 when he stays in) alongside."""
    fpl = pit.fuel_per_lap
    need = (time_left_s / lap_s + 1 + pit.reserve_laps) * fpl
    if need > pit.capacity:
        need = pit.capacity
    if planned_laps:
        short = (planned_laps + pit.reserve_laps + 0.5) * fpl
        if short < need:
            need = short
    litres = need - tank
    if litres > 0.0:
        refuel = litres / pit.refuel_rate
        if refuel < min_refuel_s:
            refuel = min_refuel_s
    else:
        litres = refuel = 0.0
    if overlap:
        stationary = refuel if refuel > tyres_s else tyres_s
        if change_s > stationary:
            stationary = change_s
    else:
        stationary = (refuel if refuel > change_s else change_s) + tyres_s
    return litres, stationary
