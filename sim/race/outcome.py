"""A simulated race's result as numpy arrays (`RaceOutcome`), the fastest laps drawn after the race
(`BestLaps`), and the conversion of many outcomes into the results table (`outcomes_to_results`, the only
place pandas is used).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from sim.race.clock import Period
from sim.race.drive_rules import DriveSpan
from sim.race.field import RaceInput
from sim.race.log import LogEntry, format_detail

if TYPE_CHECKING:   # pandas is imported only when a table is built (never on the race's hot path)
    import pandas as pd

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
    best_laps: BestLaps       # fastest lap per car, computed on first use (`fastest_lap_s`)
    drive_time_s: list[tuple[float, ...]]
    drive_spans: list[tuple[DriveSpan, ...]]   # per car, its stints: driver, pit exit, pit entry (wall s)
    grid: np.ndarray            # overall grid slot (0 = pole)
    wet: bool
    neutralisations: list[Period]   # (procedure or RED, start s, end s)
    drive_time_breaches: np.ndarray   # bool per car
    events: int                 # simpy timeouts scheduled (car wake-ups, incidents, race control)
    log: list[LogEntry]         # empty when run with log=False
    cancelled_events: int = 0   # of those, car wake-ups cancelled before firing (replaced plans)

    @property
    def car_laps(self) -> int:
        return int(self.laps.sum())

    @property
    def fastest_lap_s(self) -> np.ndarray:
        """Best lap per car (NaN: no lap completed)."""
        return self.best_laps.values()


class StintsRun(Protocol):
    """What the fastest laps read of a finished race (`sim.race.classification.RaceEnd`)."""

    stints: Any                  # sim.race.track.StintLog: the stints run, as columns
    noise_sd: list[float]        # lap-to-lap sd per car
    rng: np.random.Generator


class BestLaps:
    """The fastest lap of every car, computed on first use and kept: a Monte Carlo chunk whose rules
    never read it skips the work. The draws come from the race's Generator after the race, once (copies
    of an outcome share this object, so they share the values too)."""
    __slots__ = ("_state", "_laps")

    def __init__(self, state: StintsRun) -> None:
        self._state = state
        self._laps: np.ndarray | None = None

    def values(self) -> np.ndarray:
        if self._laps is None:
            self._laps = fastest_laps(self._state)
            self._state = None
        return self._laps


MAX_STINT_LAPS = 400   # longest stint the fastest-lap table covers (longer stints use its last row)


@functools.cache
def best_lap_offsets(limit: int = MAX_STINT_LAPS) -> tuple[np.ndarray, np.ndarray]:
    """For L = 0..limit independent standard normals: mean and sd of (largest - their mean).

    By numerical integration of the largest one's density L phi Phi^(L-1); for normals the largest
    minus the mean is independent of the mean, so its variance is Var(largest) - 1/L."""
    x = np.linspace(-9.0, 9.0, 7201)
    dx = x[1] - x[0]
    pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    cdf = np.concatenate(([0.0], np.cumsum(0.5 * (pdf[1:] + pdf[:-1]) * dx)))
    cdf /= cdf[-1]
    mean, sd = np.zeros(limit + 1), np.zeros(limit + 1)
    power = np.ones_like(x)   # cdf ** (L - 1)
    for laps in range(1, limit + 1):
        density = laps * pdf * power
        first = float((x * density).sum() * dx)
        second = float((x * x * density).sum() * dx)
        mean[laps] = first
        sd[laps] = math.sqrt(max(second - first * first - 1.0 / laps, 0.0))
        power *= cdf
    return mean, sd


_GUMBEL_MEAN, _GUMBEL_SD = 0.5772156649015329, math.pi / math.sqrt(6.0)


def fastest_laps(state: StintsRun) -> np.ndarray:
    """Best lap per car: over its stints, the stint's mean lap less its best lap's margin under the mean
    (`state`: the race's stints, lap-noise sd per car and Generator, `sim.race.classification.RaceEnd`).

    A stint of L laps runs at its mean lap (the model draws that); its best lap is that mean minus
    sd x (largest of L normals - their mean), drawn here with the exact mean and sd of that margin and
    a Gumbel shape (the limit law of a maximum), from the race's Generator after the race."""
    n = len(state.noise_sd)
    stints = state.stints
    if not len(stints):
        return np.full(n, np.nan)
    cars = np.array(stints.car, dtype=np.int64)
    laps = np.minimum(np.array(stints.laps, dtype=np.int64), MAX_STINT_LAPS)   # every stint has a lap or more
    mean, sd = best_lap_offsets()
    shape = (state.rng.gumbel(size=len(cars)) - _GUMBEL_MEAN) / _GUMBEL_SD
    margin = mean[laps] + sd[laps] * shape
    best = np.full(n, np.inf)
    np.minimum.at(best, cars, np.array(stints.pace, dtype=float) - np.asarray(state.noise_sd)[cars] * margin)
    best[best == np.inf] = np.nan
    return best


_TEXT_COLUMNS = ("car", "team", "class", "category", "drivers", "ratings", "entry", "car_model", "fuel")


def _static_columns(race) -> dict[str, np.ndarray]:
    """The per-car text columns of a race's field (the same for every simulated run of it)."""
    f = race.field
    values = {
        "car": f.cars, "team": f.teams, "class": f.classes, "category": f.categories,
        "drivers": [";".join(d) for d in f.drivers], "ratings": [";".join(r) for r in f.ratings],
        "entry": f.entry_kinds, "car_model": f.car_models, "fuel": f.fuel_types,
    }
    columns = {name: np.array(column, dtype=object) for name, column in values.items()}
    columns["energy_mj_per_l"] = np.array(f.fuel_energy_mj_per_l, dtype=float)
    columns["ghg_factor"] = np.array(f.fuel_ghg_factor, dtype=float)
    return columns


def _drive_time_text(outcome) -> list[str]:
    """`drive_time_s` column text: each driver's seconds, one decimal, `;`-separated."""
    return [_seconds_format(len(d)) % tuple(d) for d in outcome.drive_time_s]


@functools.cache
def _seconds_format(drivers: int) -> str:
    """One %-format for a whole crew ("%.1f;%.1f"): a third cheaper than formatting each time alone."""
    return ";".join(["%.1f"] * drivers)


LEAVABLE_COLUMNS = ("drive_time_s", "fastest_lap_s")   # model columns no rule needs unless configured to


def outcomes_to_results(race_or_races: RaceInput | Sequence[RaceInput], outcomes: RaceOutcome | Sequence[RaceOutcome],
                        season: int | list[int] | None = None, leave_out: tuple[str, ...] = ()) -> pd.DataFrame:
    """Results table (../shared/interfaces.md s.1 + model columns) for one or many outcomes.

    `race_or_races` is one CompiledRace for all outcomes or a list parallel to `outcomes`;
    `season` (an int or a list parallel to `outcomes`) adds the optional `season` column;
    `leave_out` names columns of LEAVABLE_COLUMNS not to build (a Monte Carlo chunk whose rules never read
    them: formatting drive times and drawing fastest laps are a tenth of the race's cost).
    Built once per batch: every column is one numpy concatenation, text columns cached per race.
    """
    import pandas as pd  # only when a table is built: the race model itself never loads pandas

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
    fuel_used = np.concatenate([o.fuel_used_l for o in outcomes])
    # fuel energy (lower heating value of the car's fuel) and its greenhouse weight (Green X)
    energy = fuel_used * np.concatenate([static["energy_mj_per_l"] for static in statics])
    ghg = energy * np.concatenate([static["ghg_factor"] for static in statics])

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
        "fuel_used_l": np.round(fuel_used, 1),
        "energy_mj": np.round(energy, 1),
        "ghg_mj": np.round(ghg, 1),
        "fastest_lap_s": np.round(stack("fastest_lap_s"), 3) if "fastest_lap_s" not in leave_out else None,
        "drive_time_s": (list(itertools.chain.from_iterable(_drive_time_text(o) for o in outcomes))
                         if "drive_time_s" not in leave_out else None),
        "hours": np.repeat([r.hours for r in races], sizes),
        "distance_km": np.round(laps * np.repeat([r.venue.lap_km for r in races], sizes), 3),
        "car_model": text["car_model"],
        "fuel": text["fuel"],
    })
    if leave_out:
        frame = frame.drop(columns=[name for name in LEAVABLE_COLUMNS if name in leave_out])
    if season is not None:
        frame.insert(0, "season", np.repeat(np.array(seasons, dtype=np.int64), sizes))
    return frame


def log_to_frame(race: RaceInput, outcome: RaceOutcome) -> pd.DataFrame:
    """The event log as a DataFrame: race, time_s, car, event, detail (car empty for race-wide events)."""
    import pandas as pd  # not on the race's hot path: only when a log is read

    field = race.field
    rows = sorted(outcome.log, key=lambda row: row.time_s)
    return pd.DataFrame({
        "race": [outcome.race_id] * len(rows),
        "time_s": [round(row.time_s, 3) for row in rows],
        "car": [field.cars[row.car] if row.car >= 0 else "" for row in rows],
        "event": [row.event for row in rows],
        "detail": [format_detail(field.drivers[row.car] if row.car >= 0 else (), row.detail) for row in rows],
    })
