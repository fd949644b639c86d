"""Classification: the state of a race at the flag -> its outcome (`RaceOutcome`).

The sporting rules of the race end (`sporting.race_end`) and of the drive times: every car running at
the flag is checked against its drivers' limits (`sim.race.drive_rules`) and a breach gets the series'
penalty (`not_classified`, `dsq`, a time or a lap penalty). Class winner = most laps among the cars taking
the flag; a running car is classified when it covers `min_distance_fraction` of its class winner's laps;
retired cars are `dnf` (or classified by distance when the flag is not required). Class, overall and
sub-category positions count every starter: classified, then not classified, then retired (later
retirement first), then disqualified, each by laps then time. Class pole: the best qualifying time.

Plain Python over the ~40 cars: a few dozen small numpy calls cost more than the loops.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from sim.race.clock import Period
from sim.race.drive_rules import DriveSpan, first_breach, minimum_scale, spell_breach
from sim.race.field import RaceInput
from sim.race.log import LogEntry
from sim.race.outcome import CLASSIFIED, DNF, DSQ, NOT_CLASSIFIED, BestLaps, RaceOutcome
from sim.race.track import StintLog


@dataclasses.dataclass
class RaceEnd:
    """What a race leaves at the flag, per car (lists in field order) and race-wide."""

    done: list[bool]                 # retired
    missed_flag: list[bool]          # running, but in the garage when the flag fell
    final_laps: list[int]
    retire_t: list[float]
    finish_t: list[float]
    drive: list[list[float]]         # drive time of each crew member (s, red flag excluded)
    spans: list[list[DriveSpan]]     # each car's stints: driver, pit exit, pit entry (wall s)
    pit_stops: list[int]
    fuel_used: list[float]
    grid_slot: list[int]
    qualifying_s: np.ndarray
    red_s: float                     # seconds under red flag
    wet: bool
    neutralisations: list[Period]
    stints: StintLog                 # the stints run, in race order (for the fastest laps)
    noise_sd: list[float]
    rng: np.random.Generator
    log: list[LogEntry] | None
    events: int
    cancelled_events: int


def classify(race: RaceInput, end: RaceEnd) -> RaceOutcome:
    """Apply the race-end rules (sporting.race_end, drive-time penalty) and order every class."""
    f = race.field
    n = f.n
    sporting = race.sporting
    end_rules = sporting.race_end
    penalty = sporting.drive_time_penalty
    done, missed = end.done, end.missed_flag
    laps = list(end.final_laps)    # a lap penalty changes it
    time_s = [r if d else t for d, r, t in zip(done, end.retire_t, end.finish_t)]
    class_idx = f.class_idx

    scale = minimum_scale(end.red_s, f.race_seconds, sporting.drive_time_minimums_after_red_flag)
    breaches = [False] * n
    first_bad = {}                                   # car -> index of its first driver out of the limits
    for c, (drive, mins, maxs) in enumerate(zip(end.drive, f.min_drive_s, f.max_drive_s)):
        if done[c] or missed[c]:
            continue
        bad = first_breach(drive, mins, maxs, scale)
        spell = f.spell_limits[c]
        if bad is None and spell is not None:
            bad = spell_breach(end.spans[c], spell, len(drive))
        if bad is not None:
            breaches[c] = True
            first_bad[c] = bad
    if end.log is not None:
        for c, i in first_bad.items():
            t = end.drive[c][i]
            end.log.append(LogEntry(time_s[c], c, "drive_time_penalty",
                                    f"{f.drivers[c][i]} drove {t / 60:.1f} min "
                                    f"(rules: {f.min_drive_s[c][i] * scale / 60:.0f}-{f.max_drive_s[c][i] / 60:.0f} min"
                                    f"{'' if f.spell_limits[c] is None else ', window and spell limits'}); "
                                    f"penalty: {penalty.kind}"))
    if first_bad and penalty.kind == "time":
        for c in first_bad:
            time_s[c] += penalty.seconds
    elif first_bad and penalty.kind == "laps":
        for c in first_bad:
            laps[c] = max(laps[c] - penalty.laps, 0)

    status = _status(f, end_rules, done, missed, laps)
    if penalty.kind == "not_classified":
        for c in first_bad:
            if status[c] == CLASSIFIED:
                status[c] = NOT_CLASSIFIED
    elif penalty.kind == "dsq":
        for c in first_bad:
            status[c] = DSQ
    overall, class_position, category_position = _positions(f, status, laps, time_s)

    return RaceOutcome(
        race_id=race.race_id, round=race.round, laps=np.array(laps, dtype=np.int64),
        time_s=np.array(time_s, dtype=float), status=np.array(status, dtype=np.int64),
        class_position=np.array(class_position, dtype=np.int64),
        overall_position=np.array(overall, dtype=np.int64),
        category_position=np.array(category_position, dtype=np.int64),
        pole=np.array(_poles(class_idx, end.qualifying_s), dtype=np.int64),
        pit_stops=np.array(end.pit_stops, dtype=np.int64),
        fuel_used_l=np.array(end.fuel_used), best_laps=BestLaps(end),
        drive_time_s=[tuple(d) for d in end.drive], drive_spans=[tuple(s) for s in end.spans], grid=np.array(end.grid_slot, dtype=np.int64),
        wet=end.wet, neutralisations=end.neutralisations,
        drive_time_breaches=np.array(breaches, dtype=bool), events=end.events,
        log=end.log if end.log is not None else [], cancelled_events=end.cancelled_events)


def _status(f, end_rules, done: list[bool], missed: list[bool], laps: list[int]) -> list[int]:
    """Classified, not classified or retired, by the classification distance and the flag rule."""
    class_idx = f.class_idx
    flag_required = end_rules.chequered_flag_required
    winner = [0] * len(f.class_order)
    for c in range(f.n):
        if (not flag_required or not done[c]) and laps[c] > winner[class_idx[c]]:
            winner[class_idx[c]] = laps[c]
    needed = [math.ceil(end_rules.min_distance_fraction * w - 1e-9) for w in winner]
    status = [DNF] * f.n
    for c in range(f.n):
        enough = laps[c] >= needed[class_idx[c]]
        if not done[c]:
            status[c] = NOT_CLASSIFIED if (flag_required and missed[c]) or not enough else CLASSIFIED
        elif enough and not flag_required:
            status[c] = CLASSIFIED
    return status


def _positions(f, status: list[int], laps: list[int], time_s: list[float]) -> tuple[list[int], list[int], list[int]]:
    """Overall, class and sub-category positions (0: no sub-category): classified, not classified,
    retired (the later retirement ranks higher; an unknown time sorts last, as numpy sorts NaN),
    disqualified; then laps, then time."""
    keys = []
    for c, (s, k, t) in enumerate(zip(status, laps, time_s)):
        if s == DNF:
            t = -t
        keys.append((s, -k, t != t, t if t == t else 0.0, c))   # c last: ties keep car order (stable)
    keys.sort()
    overall = [0] * f.n
    class_position = [0] * f.n
    category_position = [0] * f.n
    seen: dict = {}
    categories, class_idx = f.categories, f.class_idx
    for place, key in enumerate(keys, 1):
        c = key[-1]
        overall[c] = place
        k = class_idx[c]
        class_position[c] = seen[k] = seen.get(k, 0) + 1
        if categories[c]:
            category = (k, categories[c])
            category_position[c] = seen[category] = seen.get(category, 0) + 1
    return overall, class_position, category_position


def _poles(class_idx, qualifying_s) -> list[int]:
    """Class pole: the best qualifying time of each class (first car on ties; NaN never beats a time)."""
    quali = qualifying_s.tolist() if isinstance(qualifying_s, np.ndarray) else list(qualifying_s)
    best: dict[int, int] = {}
    for c, q in enumerate(quali):
        b = best.get(class_idx[c])
        if b is None or q < quali[b] or (quali[b] != quali[b] and q == q):
            best[class_idx[c]] = c
    pole = [0] * len(quali)
    for c in best.values():
        pole[c] = 1
    return pole
