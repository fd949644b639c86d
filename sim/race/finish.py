"""The finish: the chequered flag and every running car's last crossing.

Time expires at the race's scheduled end; the overall leader takes the flag at his next crossing (or a
car that completes that lap first, passing him in the pit lane), every other running car at its first
crossing after that. A car still in the garage two slow laps (60 km/h)
after time expired does not take the flag. When time runs out under a red flag, the race ends there:
the cars are classified where they stopped. A race with a distance limit as well ("10 hours or 1,000
miles") ends at whichever comes first: once the leader is on the lap that completes the distance
(`flag_lap`), the flag falls as if time had expired then (`leader_on_flag_lap`).
"""

from __future__ import annotations

import math

from sim.race.car import Car
from sim.race.clock import RED, NeutralisationClock
from sim.race.log import LogEntry

EPS = 1e-6
FLAG_WINDOW_KMH = 60   # the two slow laps after time expires in which a car can still take the flag


def take_flag(cars: list[Car], clock: NeutralisationClock, now: float, race_s: float, lap_km: float,
              log: list[LogEntry] | None) -> None:
    """Close every running car's race at the flag (its last stint, laps, finish time)."""
    running = [car for car in cars if not car.done]
    if not running:
        return
    if clock.running(now) and clock.kind == RED:
        _end_under_red_flag(running, now, log)
        return
    leader = _leader(running, now)[1]
    k, _ = leader.laps_done(now)
    t_flag = leader.crossing(k + 1)
    # a car that completes that lap before him (he is in the pit lane and it passes him there) is the one
    # the flag is shown to: nobody runs a lap more than the leader's
    lap = leader.laps_before + k + 1
    for car in running:
        j = lap - car.laps_before
        if 0 < j <= car.stint_laps:
            t = car.crossing(j)
            if now <= t < t_flag:
                t_flag, leader = t, car
    deadline = race_s + 2 * 3600 * lap_km / FLAG_WINDOW_KMH
    for car in running:
        k, frac = car.laps_done(t_flag)
        # a car a hundredth of a lap past its last crossing crossed it well before the flag (wall time runs
        # at least as fast as green running), so only a car at the line needs the check
        t = car.crossing(k) if k and frac * car.pace <= 0.01 else 0.0
        if k == 0 or t < t_flag - EPS:
            k += 1  # the first crossing after the leader's flag
            t = car.crossing(k)
        if t > deadline:
            # still in the garage when the flag falls: does not take the flag
            car.missed_flag = True
            car.final_laps = car.laps_before
            car.finish_t = now
            if log is not None:
                log.append(LogEntry(now, car.c, "no_flag", "in the garage at the finish"))
            continue
        car.close_stint(t, k)
        car.final_laps = car.laps_before
        car.finish_t = t
    if log is not None:
        log.append(LogEntry(t_flag, leader.c, "chequered_flag", f"{leader.final_laps} laps"))


def flag_lap(distance_km: float, lap_km: float) -> int:
    """The lap that completes the distance: the first lap at or beyond it (1,000 miles at Road Atlanta's
    4.088 km: lap 394)."""
    return math.ceil(distance_km / lap_km - EPS)


def leader_on_flag_lap(cars: list[Car], now: float, laps: int) -> bool:
    """Whether the overall leader has started his `laps`-th lap (any car of the field has completed
    laps - 1): the distance is done when he next crosses the line."""
    running = [car for car in cars if not car.done]
    return bool(running) and _leader(running, now)[0] >= laps - 1


def _leader(running: list[Car], now: float) -> tuple[float, Car]:
    """The overall leader on the road at `now` (laps and the fraction of the current one), and his car."""
    best, leader = -1.0, running[0]
    for car in running:
        k, frac = car.laps_done(now)
        position = car.laps_before + k + frac
        if position > best:
            best, leader = position, car
    return best, leader


def _end_under_red_flag(running: list[Car], now: float, log: list[LogEntry] | None) -> None:
    """Time runs out under the red flag: each car's laps where it stopped (its reserve laps included)."""
    for car in running:
        k, _ = car.laps_done(now)
        car.close_stint(now, min(k, car.stint_laps + car.pit.reserve_laps))
        car.final_laps = car.laps_before
        car.finish_t = now
    if log is not None:
        log.append(LogEntry(now, -1, "chequered_flag", "race ends under the red flag"))
