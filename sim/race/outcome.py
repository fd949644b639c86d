"""A simulated race's result as numpy arrays (`RaceOutcome`), the end-of-race classification
(flag, classification distance, drive-time penalties), and the conversion of many outcomes into the
results table (`outcomes_to_results`, the only place pandas is used).
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np

STATUS_NAMES = ("classified", "not_classified", "dnf", "dsq")
CLASSIFIED, NOT_CLASSIFIED, DNF, DSQ = range(4)


@dataclasses.dataclass
class RaceOutcome:
    race_id: str
    round: int
    laps: np.ndarray            # int, after penalties
    time_s: np.ndarray          # finish time (running cars) or retirement time
    status: np.ndarray          # index into STATUS_NAMES
    class_position: np.ndarray
    overall_position: np.ndarray
    category_position: np.ndarray   # 0 when the car has no sub-category
    pole: np.ndarray
    pit_stops: np.ndarray
    fuel_used_l: np.ndarray
    fastest_lap_s: np.ndarray
    drive_time_s: list[tuple[float, ...]]
    grid: np.ndarray            # overall grid slot (0 = pole)
    wet: bool
    neutralisations: list[tuple[str, float, float]]   # (procedure, start s, end s)
    drive_time_breaches: np.ndarray   # bool per car
    events: int                 # simpy timeouts scheduled (car wake-ups, incidents, race control)
    log: list[tuple[float, int, str, object]]   # empty when run with log=False
    cancelled_events: int = 0   # of those, car wake-ups cancelled before firing (replaced plans)

    @property
    def car_laps(self) -> int:
        return int(self.laps.sum())


def _fastest_laps(state) -> np.ndarray:
    """Best lap per car: the minimum over its stints of stint pace + that stint's lap noise."""
    n, width = state.n, state.f.max_laps
    best = np.full(n, np.inf)
    if not state.stints:
        return np.full(n, np.nan)
    stints = np.array(state.stints, dtype=float)     # (car, first lap index, laps, pace)
    stints = stints[stints[:, 2] > 0]
    cars = stints[:, 0].astype(np.int64)
    start = cars * width + stints[:, 1].astype(np.int64)
    end = np.minimum(start + stints[:, 2].astype(np.int64), cars * width + width)
    bounds = np.empty(2 * len(start), dtype=np.int64)
    bounds[0::2] = start
    bounds[1::2] = end
    flat = np.append(state.noise.ravel(), 0.0)      # the sentinel lets a bound equal the last index
    mins = np.minimum.reduceat(flat, bounds)[0::2]   # odd slices (between stints) are discarded
    np.minimum.at(best, cars, mins + stints[:, 3])
    best[np.isinf(best)] = np.nan
    return best


def _rank_within(order: np.ndarray, group: np.ndarray) -> np.ndarray:
    """1-based position of each car inside its group, following the overall `order`; 0 for group -1."""
    n = len(order)
    g = group[order]
    by_group = np.argsort(g, kind="stable")          # grouped, overall order kept inside each group
    sorted_groups = g[by_group]
    index = np.arange(n)
    first = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
    rank = index - np.maximum.accumulate(np.where(first, index, 0)) + 1
    out = np.zeros(n, dtype=np.int64)
    out[order[by_group]] = rank
    out[group < 0] = 0
    return out


def classify(state) -> RaceOutcome:
    """Apply the race-end rules (sporting.race_end, drive-time penalty) and order every class."""
    f = state.f
    race = state.race
    n = f.n
    end_rules = race.sporting.race_end
    penalty = race.sporting.drive_time_penalty
    done = np.array(state.done)
    missed = np.array(state.missed_flag)
    laps = np.array(state.final_laps, dtype=np.int64)
    time_s = np.where(done, np.array(state.retire_t), np.array(state.finish_t))
    class_idx, category_group = f.position_groups

    # A red flag stops the drive-time clocks; the minimums shrink in proportion or are waived (sporting rules).
    red = state._red_time(0.0, state.T)
    scale = (state.T - red) / state.T
    if red and race.sporting.drive_time_minimums_after_red_flag == "waived":
        scale = 0.0
    mins, maxs, starts = f.drive_limits_flat
    drive = np.fromiter(itertools.chain.from_iterable(state.drive), dtype=float, count=len(mins))
    bad = (drive < mins * scale - 1e-6) | (drive > maxs + 1e-6)
    breaches = np.logical_or.reduceat(bad, starts) & ~done & ~missed
    if state.log_on:
        for c in np.flatnonzero(breaches).tolist():
            i = int(np.argmax(bad[starts[c]:starts[c] + len(state.drive[c])]))
            t = state.drive[c][i]
            state.log.append((float(time_s[c]), c, "drive_time_penalty",
                              f"{f.drivers[c][i]} drove {t / 60:.1f} min "
                              f"(rules: {f.min_drive_s[c][i] * scale / 60:.0f}-{f.max_drive_s[c][i] / 60:.0f} min); "
                              f"penalty: {penalty.kind}"))
    if penalty.kind == "time":
        time_s = np.where(breaches, time_s + penalty.seconds, time_s)
    elif penalty.kind == "laps":
        laps = np.where(breaches, np.maximum(laps - penalty.laps, 0), laps)

    status = np.full(n, DNF, dtype=np.int64)
    n_classes = len(f.class_order)
    eligible = ~done if end_rules.chequered_flag_required else np.ones(n, dtype=bool)
    winner = np.zeros(n_classes, dtype=np.int64)
    np.maximum.at(winner, class_idx[eligible], laps[eligible])
    enough = laps >= np.ceil(end_rules.min_distance_fraction * winner[class_idx] - 1e-9)
    status[~done] = np.where(enough[~done], CLASSIFIED, NOT_CLASSIFIED)
    if end_rules.chequered_flag_required:
        status[missed] = NOT_CLASSIFIED
    if not end_rules.chequered_flag_required:
        status[done & enough] = CLASSIFIED
    if penalty.kind == "not_classified":
        status[breaches & (status == CLASSIFIED)] = NOT_CLASSIFIED
    elif penalty.kind == "dsq":
        status[breaches] = DSQ

    # order: classified, not classified, retired, disqualified; then laps, then time
    # (retired cars: the later retirement ranks higher)
    sort_time = np.where(status == DNF, -time_s, time_s)
    order = np.lexsort((sort_time, -laps, status))
    overall = np.empty(n, dtype=np.int64)
    overall[order] = np.arange(1, n + 1)
    class_position = _rank_within(order, class_idx)
    category_position = _rank_within(order, category_group)

    # class pole: the best qualifying time of each class (first car on ties)
    quali = state.quali
    by_time = np.lexsort((quali, class_idx))
    first = np.r_[True, class_idx[by_time][1:] != class_idx[by_time][:-1]]
    pole = np.zeros(n, dtype=np.int64)
    pole[by_time[first]] = 1

    return RaceOutcome(
        race_id=race.race_id, round=race.round, laps=laps, time_s=time_s, status=status,
        class_position=class_position, overall_position=overall, category_position=category_position,
        pole=pole, pit_stops=np.array(state.pit_stops, dtype=np.int64),
        fuel_used_l=np.array(state.fuel_used), fastest_lap_s=_fastest_laps(state),
        drive_time_s=[tuple(d) for d in state.drive], grid=np.array(state.grid_slot, dtype=np.int64),
        wet=state.wet,
        neutralisations=list(zip(state.p_kind, state.p_start, [min(e, state.T) for e in state.p_end])),
        drive_time_breaches=breaches, events=state.n_events, log=state.log,
        cancelled_events=state.n_cancelled)


_TEXT_COLUMNS = ("car", "team", "class", "category", "drivers", "ratings", "entry", "car_model")


def _static_columns(race) -> dict[str, np.ndarray]:
    """The per-car text columns of a race's field (the same for every simulated run of it)."""
    f = race.field
    values = {
        "car": f.cars, "team": f.teams, "class": f.classes, "category": f.categories,
        "drivers": [";".join(d) for d in f.drivers], "ratings": [";".join(r) for r in f.ratings],
        "entry": f.entry_kinds, "car_model": f.car_models,
    }
    return {name: np.array(column, dtype=object) for name, column in values.items()}


def _drive_time_text(outcome) -> list[str]:
    """`drive_time_s` column text: each driver's seconds, one decimal, `;`-separated."""
    return [";".join([f"{t:.1f}" for t in d]) for d in outcome.drive_time_s]


def outcomes_to_results(race_or_races, outcomes, season: int | list[int] | None = None):
    """Results table (../shared/interfaces.md s.1 + model columns) for one or many outcomes.

    `race_or_races` is one CompiledRace for all outcomes or a list parallel to `outcomes`;
    `season` (an int or a list parallel to `outcomes`) adds the optional `season` column.
    Built once per batch: every column is one numpy concatenation, text columns cached per race.
    """
    import pandas as pd

    if isinstance(outcomes, RaceOutcome):
        outcomes = [outcomes]
    races = list(race_or_races) if isinstance(race_or_races, (list, tuple)) else [race_or_races] * len(outcomes)
    seasons = list(season) if isinstance(season, (list, tuple)) else [season] * len(outcomes)
    sizes = np.array([len(o.laps) for o in outcomes])
    cache: dict[int, dict[str, np.ndarray]] = {}
    statics = []
    for race in races:
        static = cache.get(id(race))
        if static is None:
            static = cache[id(race)] = _static_columns(race)
        statics.append(static)
    text = {name: np.concatenate([static[name] for static in statics]) for name in _TEXT_COLUMNS}
    drive_time = list(itertools.chain.from_iterable(_drive_time_text(o) for o in outcomes))

    def stack(attr: str) -> np.ndarray:
        return np.concatenate([getattr(o, attr) for o in outcomes])

    laps = stack("laps")
    frame = pd.DataFrame({
        "race": np.repeat([o.race_id for o in outcomes], sizes),
        "round": np.repeat([o.round for o in outcomes], sizes),
        "car": text["car"], "team": text["team"], "class": text["class"], "category": text["category"],
        "drivers": text["drivers"], "ratings": text["ratings"], "entry": text["entry"],
        "class_position": stack("class_position"),
        "status": np.array(STATUS_NAMES, dtype=object)[stack("status")],
        "laps": laps,
        "time_s": np.round(stack("time_s"), 3),
        "pole": stack("pole"),
        "category_position": stack("category_position"),
        "overall_position": stack("overall_position"),
        "pit_stops": stack("pit_stops"),
        "fuel_used_l": np.round(stack("fuel_used_l"), 1),
        "fastest_lap_s": np.round(stack("fastest_lap_s"), 3),
        "drive_time_s": drive_time,
        "hours": np.repeat([r.hours for r in races], sizes),
        "distance_km": np.round(laps * np.repeat([r.venue.lap_km for r in races], sizes), 3),
        "car_model": text["car_model"],
    })
    if season is not None:
        frame.insert(0, "season", np.repeat(np.array(seasons, dtype=np.int64), sizes))
    return frame
