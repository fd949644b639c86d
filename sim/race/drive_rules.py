"""Drive-time rules per car: the minimum and maximum each crew member may drive, what is left of a
driver's allowance in his stint, and the check after the flag.

The sporting rules (`configs/sporting/<name>.yaml`, `drive_time`) are compiled per car and driver by
`driver_limits` (seconds; inf: no maximum). Where they act in a race: `sim.race.planner` plans the
stints that meet them, `sim.race.car` calls a driver in before a neutralisation-stretched stint takes
him past his maximum or past the end the plan gave his stint (`stint_time_left`), and `first_breach`
finds the driver out of the limits for the sporting penalty (`sim.race.classification`). A red flag
stops the drive-time clocks; the minimums shrink in proportion or are waived (`minimum_scale`).

A new rule (a maximum in any window, a maximum continuous stint, a class's own limits) is a limit
compiled here, a term of `stint_time_left` and of `first_breach`, and a cap in the planner.
"""

from __future__ import annotations

import math

from sim.config.sporting import Sporting


def driver_limits(sporting: Sporting, class_name: str, ratings: tuple[str, ...], hours: float) -> tuple[
        tuple[float, ...], tuple[float, ...]]:
    """(minimums, maximums) in seconds per driver of a crew with these FIA ratings, in a race of `hours`."""
    rules = sporting.drive_rules(class_name, len(ratings), hours)
    mins, maxs = [], []
    for rating in ratings:
        applicable = [rule for rule in rules if not rule.ratings or rating in rule.ratings]
        mins.append(60 * max((rule.min_minutes for rule in applicable), default=0.0))
        limits = [rule.max_minutes for rule in applicable if rule.max_minutes is not None]
        maxs.append(60 * min(limits) if limits else math.inf)
    return tuple(mins), tuple(maxs)


def stint_time_left(maximum_s: float, driven_s: float, margin_s: float, t_on: float, deadline: float) -> float:
    """Wall seconds from t_on the driver in the car may run in this stint: what his maximum leaves less
    the margin, and no later than the end the drive-time plan gave the stint (`deadline`, inf: none)."""
    left = maximum_s - driven_s - margin_s
    planned = deadline - t_on
    return planned if planned < left else left


def minimum_scale(red_s: float, race_s: float, after_red_flag: str) -> float:
    """The share of each minimum still due after `red_s` seconds of red flag (1 without one)."""
    scale = (race_s - red_s) / race_s
    if red_s and after_red_flag == "waived":
        return 0.0
    return scale


def first_breach(drive: list[float], mins: tuple[float, ...], maxs: tuple[float, ...], scale: float) -> int | None:
    """Index of the first driver outside his limits (None: every driver within them)."""
    for i, (t, low, high) in enumerate(zip(drive, mins, maxs)):
        if t < low * scale - 1e-6 or t > high + 1e-6:
            return i
    return None
