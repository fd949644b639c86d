"""Drive-time rules per car: the minimum and maximum each crew member may drive, what is left of a
driver's allowance in his stint, and the check after the flag.

The sporting rules (`configs/sporting/<name>.yaml`, `drive_time`) are compiled per car and driver by
`driver_limits` (seconds; inf: no maximum). Where they act in a race: `sim.race.planner` plans the
stints that meet them, `sim.race.car` calls a driver in before a neutralisation-stretched stint takes
him past his maximum or past the end the plan gave his stint (`stint_time_left`), and `first_breach`
finds the driver out of the limits for the sporting penalty (`sim.race.classification`). A red flag
stops the drive-time clocks; the minimums shrink in proportion or are waived (`minimum_scale`).

Two rules bound a spell rather than the race: at most so much driving in any window of N hours, and at
most so long without leaving the car (`StintLimits`, compiled by `stint_limits`). The car records each
stint as a `DriveSpan` (driver, wall start, wall end); `stint_cap` is what the two rules leave a driver
for his next stint (the planner's cap, the car's deadline), `spell_breach` checks them after the flag.
Window time is wall time on track: a red flag inside a stint counts (conservative: the planner and the
check read the same spans, so a plan that keeps to the cap never breaks the rule).

A new rule is a limit compiled here, a term of `stint_time_left` or `stint_cap` and of `first_breach`
or `spell_breach`, and a cap in the planner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from sim.config.sporting import Sporting


class DriveSpan(NamedTuple):
    """A driver's stint on track, wall time (s): pit exit (or the start) to pit entry (or the flag)."""

    driver: int
    start: float
    end: float


class StintLimits(NamedTuple):
    """Per driver of a crew (s; inf: no rule): the window length and the most driving in any such window,
    and the longest continuous spell in the car. Several windows bind as the strictest: the longest
    window with the smallest allowance."""

    window_s: tuple[float, ...]
    window_max_s: tuple[float, ...]
    continuous_max_s: tuple[float, ...]

    @property
    def binding(self) -> bool:
        return any(m < math.inf for m in self.window_max_s) or any(m < math.inf for m in self.continuous_max_s)


def driver_limits(sporting: Sporting, class_name: str, ratings: tuple[str, ...], hours: float) -> tuple[
        tuple[float, ...], tuple[float, ...]]:
    """(minimums, maximums) in seconds per driver of a crew with these FIA ratings, in a race of `hours`."""
    rules = sporting.drive_rules(class_name, ratings, hours)
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


def stint_limits(sporting: Sporting, class_name: str, ratings: tuple[str, ...], hours: float) -> StintLimits:
    """The window and continuous-driving limits per driver of a crew with these ratings (s)."""
    rules = sporting.drive_rules(class_name, ratings, hours)
    window_s, window_max, continuous = [], [], []
    for rating in ratings:
        applicable = [rule for rule in rules if not rule.ratings or rating in rule.ratings]
        windows = [rule.window for rule in applicable if rule.window is not None]
        window_s.append(3600 * max((w.hours for w in windows), default=math.inf))
        window_max.append(60 * min((w.max_minutes for w in windows), default=math.inf))
        spells = [rule.max_continuous_minutes for rule in applicable if rule.max_continuous_minutes is not None]
        continuous.append(60 * min(spells) if spells else math.inf)
    return StintLimits(tuple(window_s), tuple(window_max), tuple(continuous))


def driven_between(spans: Sequence[DriveSpan], driver: int, start: float, end: float) -> float:
    """Seconds the driver drove between wall times start and end."""
    total = 0.0
    for d, a, b in spans:
        if d == driver and b > start and a < end:
            total += (b if b < end else end) - (a if a > start else start)
    return total


def stint_cap(limits: StintLimits, spans: Sequence[DriveSpan], driver: int, t_on: float,
              in_car_since: float | None) -> float:
    """Wall seconds the driver may drive from t_on under the window and continuous rules (inf: no rule).
    The window allowance less what he drove in the window before t_on bounds every window that reaches
    into the stint; `in_car_since`: when his current spell began if he stays in the car (None: he gets in)."""
    cap = math.inf
    window_max = limits.window_max_s[driver]
    if window_max < math.inf:
        cap = window_max - driven_between(spans, driver, t_on - limits.window_s[driver], t_on)
    continuous = limits.continuous_max_s[driver]
    if continuous < math.inf:
        left = continuous - (t_on - in_car_since if in_car_since is not None else 0.0)
        cap = left if left < cap else cap
    return cap


def spell_caps(limits: StintLimits | None, spans: Sequence[DriveSpan], crew_size: int, t_exit: float,
               current: int, in_since: float) -> list[float] | None:
    """Per driver, what the window and continuous-driving rules leave him from `t_exit` (the current
    driver's spell, begun at `in_since`, goes on if he stays in; nan: none yet); None: no such rule."""
    if limits is None:
        return None
    since = in_since if in_since == in_since else None
    return [stint_cap(limits, spans, i, t_exit, since if i == current else None) for i in range(crew_size)]


def most_in_window(spans: Sequence[DriveSpan], driver: int, window_s: float) -> float:
    """The driver's most driving in any window of window_s (the worst window starts at the start of one of
    his stints or ends at the end of one)."""
    edges = [(a, a + window_s) for d, a, _ in spans if d == driver]
    edges += [(b - window_s, b) for d, _, b in spans if d == driver]
    return max((driven_between(spans, driver, a, b) for a, b in edges), default=0.0)


def longest_spell(spans: Sequence[DriveSpan], driver: int) -> float:
    """The driver's longest time in the car without getting out: consecutive stints of his, stops between
    them included (spans in race order)."""
    longest, since, last = 0.0, None, None
    for d, a, b in spans:
        if d != driver:
            since = None
            continue
        if since is None:
            since = a
        last = b
        longest = max(longest, last - since)
    return longest


def spell_breach(spans: Sequence[DriveSpan], limits: StintLimits, crew_size: int) -> int | None:
    """Index of the first driver over a window or continuous-driving limit (None: none)."""
    for i in range(crew_size):
        if limits.window_max_s[i] < math.inf and \
                most_in_window(spans, i, limits.window_s[i]) > limits.window_max_s[i] + 1e-6:
            return i
        if limits.continuous_max_s[i] < math.inf and longest_spell(spans, i) > limits.continuous_max_s[i] + 1e-6:
            return i
    return None
