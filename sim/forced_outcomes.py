"""Forced outcomes ("car 25 wins R3", "car 7 retires at half distance") imposed on a simulated race's
outcome arrays: the other cars' positions shift, poles stay as drawn."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from sim.config.scenario import ForcedOutcome
from sim.race.field import RaceInput
from sim.race.outcome import CLASSIFIED, DNF, RaceOutcome


def apply_forced(race: RaceInput, outcome: RaceOutcome, forced: Sequence[ForcedOutcome]) -> RaceOutcome:
    """The outcome with these results imposed; the other cars' positions shift, poles stay as drawn."""
    field = race.field
    cars = list(field.cars)
    laps = outcome.laps.astype(np.int64).copy()
    time_s = outcome.time_s.astype(float).copy()
    status = outcome.status.astype(np.int64).copy()
    class_idx = np.asarray(field.class_idx)
    categories = list(field.categories)
    for rule in forced:
        if rule.car not in cars:
            continue   # the car did not enter this round in this season
        c = cars.index(rule.car)
        if rule.outcome == "retire":
            _retire(c, rule, race.hours * 3600.0, laps, time_s, status, class_idx)
            continue
        order = _class_order(c, laps, time_s, status, class_idx)
        classified = [i for i in order if status[i] == CLASSIFIED]
        if rule.outcome == "win":
            target = 0
        elif rule.outcome == "class_position":
            target = min(rule.position - 1, len(classified))
        else:
            same = [i for i in classified if categories[i] == categories[c]]
            if rule.position - 1 < len(same):
                target = classified.index(same[rule.position - 1])
            elif same:
                target = classified.index(same[-1]) + 1
            else:
                target = len(classified)
        _place(c, target, classified, laps, time_s, status, race.hours * 3600.0)
    return _rerank(outcome, field, laps, time_s, status)


def _class_order(c: int, laps, time_s, status, class_idx) -> list[int]:
    """The other cars of car c's class in finishing order."""
    members = np.flatnonzero((class_idx == class_idx[c]) & (np.arange(len(laps)) != c))
    sort_time = np.where(status[members] == DNF, -time_s[members], time_s[members])
    return [int(members[i]) for i in np.lexsort((sort_time, -laps[members], status[members]))]


def _place(c: int, target: int, classified: list[int], laps, time_s, status, race_seconds: float) -> None:
    """Give car c the laps and time that put it between the classified cars target-1 and target."""
    ahead = classified[target - 1] if target > 0 else None
    behind = classified[target] if target < len(classified) else None
    status[c] = CLASSIFIED
    if behind is not None and ahead is not None and laps[ahead] == laps[behind]:
        laps[c], time_s[c] = laps[behind], (time_s[ahead] + time_s[behind]) / 2
    elif behind is not None:
        laps[c], time_s[c] = laps[behind], time_s[behind] - 1.0
    elif ahead is not None:
        laps[c], time_s[c] = laps[ahead], time_s[ahead] + 1.0
    else:
        laps[c], time_s[c] = max(int(laps[c]), 1), max(float(time_s[c]), race_seconds)


def _retire(c: int, rule: ForcedOutcome, race_seconds: float, laps, time_s, status, class_idx) -> None:
    """Car c stops at the given time (default half distance), with the laps its pace covers by then."""
    at = rule.at_hours * 3600.0 if rule.at_hours is not None else race_seconds * (
        0.5 if rule.at_fraction is None else rule.at_fraction)
    at = min(at, race_seconds)
    if laps[c] > 0 and time_s[c] > 0:
        lap_time = time_s[c] / laps[c]
    else:
        mates = np.flatnonzero((class_idx == class_idx[c]) & (laps > 0))
        lead = mates[np.argmax(laps[mates])] if mates.size else None
        lap_time = time_s[lead] / laps[lead] if lead is not None else math.inf
    laps[c] = int(at // lap_time) if math.isfinite(lap_time) else 0
    time_s[c] = at
    status[c] = DNF


def _rerank(outcome: RaceOutcome, field, laps, time_s, status) -> RaceOutcome:
    """Overall, class and category positions from laps, time and status (the race model's order)."""
    n = len(laps)
    sort_time = np.where(status == DNF, -time_s, time_s)
    order = np.lexsort((sort_time, -laps, status))
    overall = np.empty(n, dtype=np.int64)
    overall[order] = np.arange(1, n + 1)
    class_position = np.zeros(n, dtype=np.int64)
    category_position = np.zeros(n, dtype=np.int64)
    seen_class: dict[int, int] = {}
    seen_category: dict[tuple[int, str], int] = {}
    for c in order:
        k = field.class_idx[c]
        seen_class[k] = seen_class.get(k, 0) + 1
        class_position[c] = seen_class[k]
        if field.categories[c]:
            key = (k, field.categories[c])
            seen_category[key] = seen_category.get(key, 0) + 1
            category_position[c] = seen_category[key]
    return dataclasses.replace(outcome, laps=laps, time_s=time_s, status=status, class_position=class_position,
                               overall_position=overall, category_position=category_position)
