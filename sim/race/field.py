"""The numeric view of one race's field: per-car pace, pit, fuel, hazard and drive-time constants.

Built once per CompiledRace (venue x entries x race model x sporting rules) and reused by every
simulated run of that race; tuples where the hot path indexes single cars (faster than numpy scalars),
numpy arrays where whole-field draws are scaled.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import operator
from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol

import numpy as np

from sim.config.race_model import RaceModel
from sim.config.sporting import Sporting
from sim.race.drive_rules import StintLimits, driver_limits, stint_limits
from sim.race.traffic import ClassTraffic, class_traffic, incident_factor, reference_traffic


class PitConstants(NamedTuple):
    """What a pit stop of one car reads (`sim.race.pit`)."""

    fuel_per_lap: float
    capacity: float
    reserve_laps: int
    refuel_rate: float
    tyre_stints: int            # stints on one set of tyres
    tyre_change_s: float
    driver_change_s: float
    sigma: float                # log-normal spread of the stationary time
    neutral_saving: float       # 1 - fuel burnt under neutralisation as a share of green running


class StintConstants(NamedTuple):
    """Per car: the laps of a full-tank stint, and what a stop with a driver change costs (pit-lane
    loss + driver change), for the drive-time plan."""

    full_laps: list[int]
    stop_cost: list[float]


class RaceArrays(NamedTuple):
    """The per-car values a race's set-up combines with its draws (`sim.race.draws`), as numpy arrays."""

    base_lap: np.ndarray
    traffic_s: np.ndarray
    class_idx: np.ndarray
    failure_column: np.ndarray   # failure rate as a column, never 0
    rows: np.ndarray             # 0..n-1
    qualifying_driver: np.ndarray


@dataclasses.dataclass(frozen=True)
class RaceField:
    n: int
    # identity (for results)
    cars: tuple[str, ...]
    teams: tuple[str, ...]
    classes: tuple[str, ...]
    categories: tuple[str, ...]
    drivers: tuple[tuple[str, ...], ...]
    ratings: tuple[tuple[str, ...], ...]
    entry_kinds: tuple[str, ...]
    car_models: tuple[str, ...]
    class_order: tuple[str, ...]          # fastest class first (grid order)
    class_idx: tuple[int, ...]            # index into class_order
    # pace (seconds)
    base_lap: tuple[float, ...]           # class reference x BoP + team offset, dry
    driver_pace: tuple[tuple[float, ...], ...]
    driver_pace_matrix: np.ndarray        # (n, 4) the same, +inf past the crew (for argmin)
    traffic_s: tuple[float, ...]
    noise_sd: np.ndarray                  # lap-to-lap sd per car
    form_sd: np.ndarray                   # race-day car form (sd), on top of the season effect
    pct_s: np.ndarray                     # seconds per lap of 1 % of the car's class reference lap
    driver_form_sd: np.ndarray            # (n, 4) per-race driver pace spread (sd), 0 past the crew
    qualifying_gain_s: np.ndarray
    qualifying_sd: np.ndarray
    qualifying_driver: tuple[int, ...]
    # pit and fuel
    pit_lane_loss_s: float
    pit_closed_s: float                   # how long a Safety Car can keep the pit entry closed (0: never)
    fuel_per_lap: tuple[float, ...]
    fuel_capacity: tuple[float, ...]
    neutral_fuel_factor: tuple[float, ...]
    refuel_rate: tuple[float, ...]
    reserve_laps: tuple[int, ...]
    fuel_types: tuple[str, ...]               # key of the race model's `fuels` table (results `fuel`)
    fuel_energy_mj_per_l: tuple[float, ...]   # the car's fuel (results `energy_mj`; no race draw reads it)
    fuel_ghg_factor: tuple[float, ...]        # its well-to-wheel greenhouse factor (results `ghg_mj`)
    tyre_change_s: tuple[float, ...]
    tyre_stints: tuple[int, ...]
    driver_change_s: tuple[float, ...]
    pit_sigma: tuple[float, ...]
    # hazards (per second)
    incident_hazard: tuple[tuple[float, ...], ...]   # per car, per driver; dry
    max_incident_hazard: float                        # sum over cars of their highest driver hazard
    failure_rate: np.ndarray
    repair_probability: tuple[float, ...]
    repair_median_s: tuple[float, ...]
    repair_sigma: tuple[float, ...]
    # drive-time rules (seconds; inf when no maximum)
    min_drive_s: tuple[tuple[float, ...], ...]
    max_drive_s: tuple[tuple[float, ...], ...]
    min_drivers: tuple[tuple[int, ...], ...]     # drivers with a minimum, per car
    has_drive_rules: tuple[bool, ...]
    spell_limits: tuple[StintLimits | None, ...]   # window / continuous-driving limits (None: no such rule)
    # race
    race_seconds: float

    @functools.cached_property
    def plan_cache(self) -> dict:
        """Drive-time plan tables by lap factor (`sim.race.planner.plan_tables`), filled on first use."""
        return {}

    @functools.cached_property
    def plan_family(self) -> dict:
        """Per-car plan entries shared by this field and every field derived from it (subset_field)."""
        return {}

    @functools.cached_property
    def family_index(self) -> tuple[int, ...]:
        """Each car's position in the full field this one derives from (itself, for a built field)."""
        return tuple(range(self.n))

    @functools.cached_property
    def stint_constants(self) -> StintConstants:
        """Per car, the laps of a full-tank stint and the time a stop with a driver change costs."""
        full = [max(1, int(self.fuel_capacity[c] / self.fuel_per_lap[c]) - self.reserve_laps[c]) for c in range(self.n)]
        return StintConstants(full, [self.pit_lane_loss_s + self.driver_change_s[c] for c in range(self.n)])

    @functools.cached_property
    def race_arrays(self) -> RaceArrays:
        """The per-car values a race's set-up combines with its draws, as numpy arrays made once."""
        return RaceArrays(np.array(self.base_lap), np.array(self.traffic_s), np.array(self.class_idx),
                          np.maximum(self.failure_rate, 1e-300)[:, None], np.arange(self.n),
                          np.array(self.qualifying_driver))

    @functools.cached_property
    def pit_constants(self) -> list[PitConstants]:
        """Per car, the constants a pit stop reads (one lookup per stop instead of ten)."""
        return [PitConstants(self.fuel_per_lap[c], self.fuel_capacity[c], self.reserve_laps[c], self.refuel_rate[c],
                             self.tyre_stints[c], self.tyre_change_s[c], self.driver_change_s[c], self.pit_sigma[c],
                             1.0 - self.neutral_fuel_factor[c]) for c in range(self.n)]


# What the race model reads of a race: any object with these attributes will do (`sim.scenario.CompiledRace`
# is the one the rest of the program builds); the race model never imports the compiler.
class VenueInput(Protocol):
    @property
    def lap_km(self) -> float: ...
    @property
    def pit_lane_loss_s(self) -> float: ...
    @property
    def reference_lap_s(self) -> Mapping[str, float]: ...
    @property
    def incident_factor(self) -> float: ...


class RaceInput(Protocol):
    @property
    def race_id(self) -> str: ...
    @property
    def round(self) -> int: ...
    @property
    def hours(self) -> float: ...
    @property
    def distance_km(self) -> float | None: ...
    @property
    def qualifying_rank(self) -> int: ...
    @property
    def entries(self) -> tuple[Any, ...]: ...      # sim.scenario.CompiledEntry records
    @property
    def bop(self) -> Mapping[str, float]: ...
    @property
    def model(self) -> RaceModel: ...
    @property
    def sporting(self) -> Sporting: ...
    @property
    def venue(self) -> VenueInput: ...
    @property
    def wet_probability(self) -> float: ...
    @property
    def field(self) -> RaceField: ...
    @property
    def darkness(self) -> tuple[tuple[float, float], ...]: ...   # (from, to) s after the start, unlit venue


def build_field(race: RaceInput) -> RaceField:
    """Derive the field arrays of a CompiledRace (see sim.scenario.CompiledRace)."""
    model, sporting, venue = race.model, race.sporting, race.venue
    entries = race.entries
    n = len(entries)
    # fastest class first; classes with the same reference lap keep the entry list's order (a set's order would
    # change with the process's string hashing, and with it the grid and every result)
    class_names = sorted(dict.fromkeys(e.class_name for e in entries), key=lambda name: venue.reference_lap_s[name])
    counts = {name: sum(e.class_name == name for e in entries) for name in class_names}
    ref = {name: venue.reference_lap_s[name] for name in class_names}
    traffic = model.traffic
    loss, passes = class_traffic(class_names, ref, counts, traffic)
    # The venue reference laps already hold the traffic of the field they were measured in.
    base_loss = reference_traffic(class_names, ref, traffic).loss_s

    race_seconds = race.hours * 3600.0

    base_lap, driver_pace, traffic_s, noise_sd, form_sd = [], [], [], [], []
    driver_form_sd = np.zeros((n, 4))
    q_gain, q_sd, q_driver = [], [], []
    fuel_per_lap, capacity, neutral, refuel_rate, reserve = [], [], [], [], []
    fuel_types, energy_per_l, ghg_factor = [], [], []
    tyre_s, tyre_stints, dc_s, pit_sigma = [], [], [], []
    hazard, failure, repair_p, repair_med, repair_sig = [], [], [], [], []
    min_drive, max_drive, spells = [], [], []
    max_hazard = 0.0
    length_factor = model.failure_length.factor(race.hours) if model.failure_length is not None else 1.0
    for index, entry in enumerate(entries):
        cls = model.classes[entry.class_name]
        car = model.car_models[entry.car_model]
        lap = ref[entry.class_name]
        bop = race.bop.get(entry.car_model, car.bop_pace_pct)
        base_lap.append(lap * (1 + bop / 100) + entry.pace_offset_s)
        offsets = tuple(lap * cls.rating_pace_pct[r] / 100 + extra
                        for r, extra in zip(entry.ratings, entry.driver_offsets_s))
        driver_pace.append(offsets)
        traffic_s.append(loss[entry.class_name] - base_loss[entry.class_name])
        noise_sd.append(lap * cls.lap_noise_pct / 100)
        form_sd.append(lap * cls.race_spread_pct / 100)
        for i, rating in enumerate(entry.ratings):
            driver_form_sd[index, i] = lap * cls.rating_spread_pct[rating] / 100
        q_gain.append(lap * cls.qualifying_gain_pct / 100)
        q_sd.append(lap * cls.qualifying_noise_pct / 100)
        if sporting.qualifying.driver == "lowest_rating":
            order = ("Platinum", "Gold", "Silver", "Bronze")
            q_driver.append(max(range(len(entry.ratings)), key=lambda i: (order.index(entry.ratings[i]), -i)))
        else:
            q_driver.append(min(range(len(offsets)), key=lambda i: (offsets[i], i)))
        fuel_per_lap.append(venue.lap_km * cls.fuel_per_km_l * car.fuel_factor)
        capacity.append(car.fuel_capacity_l or cls.fuel_capacity_l)
        fuel = model.fuels[car.fuel]
        fuel_types.append(car.fuel)
        energy_per_l.append(fuel.energy_mj_per_l)
        ghg_factor.append(fuel.ghg_factor)
        neutral.append(cls.neutral_fuel_factor)
        refuel_rate.append(cls.refuel_rate_l_s)
        reserve.append(cls.reserve_laps)
        tyre_s.append(cls.tyre_change_s)
        tyre_stints.append(cls.tyre_stints)
        dc_s.append(cls.driver_change_s)
        pit_sigma.append(cls.pit_time_sigma)
        traffic_factor = incident_factor(passes[entry.class_name], traffic)
        per_driver = tuple(cls.incident_per_hour * cls.rating_incident_factor[r] * venue.incident_factor
                           * traffic_factor / 3600 for r in entry.ratings)
        hazard.append(per_driver)
        max_hazard += max(per_driver)
        failure.append(cls.failure_per_hour * car.reliability * entry.reliability * length_factor / 3600)
        repair_p.append(cls.repair_probability)
        repair_med.append(cls.repair_time_s.median)
        repair_sig.append(cls.repair_time_s.sigma)
        mins, maxs = driver_limits(sporting, entry.class_name, entry.ratings, race.hours)
        min_drive.append(mins)
        max_drive.append(maxs)
        limits = stint_limits(sporting, entry.class_name, entry.ratings, race.hours)
        spells.append(limits if limits.binding else None)

    return RaceField(
        n=n, cars=tuple(e.car for e in entries), teams=tuple(e.team for e in entries),
        classes=tuple(e.class_name for e in entries), categories=tuple(e.category for e in entries),
        drivers=tuple(e.drivers for e in entries), ratings=tuple(e.ratings for e in entries),
        entry_kinds=tuple(e.entry for e in entries), car_models=tuple(e.car_model for e in entries),
        class_order=tuple(class_names), class_idx=tuple(class_names.index(e.class_name) for e in entries),
        base_lap=tuple(base_lap), driver_pace=tuple(driver_pace),
        driver_pace_matrix=np.array([list(p) + [math.inf] * (4 - len(p)) for p in driver_pace]), traffic_s=tuple(traffic_s),
        noise_sd=np.array(noise_sd), form_sd=np.array(form_sd),
        pct_s=np.array([ref[e.class_name] / 100 for e in entries]), driver_form_sd=driver_form_sd, qualifying_gain_s=np.array(q_gain),
        qualifying_sd=np.array(q_sd), qualifying_driver=tuple(q_driver),
        pit_lane_loss_s=venue.pit_lane_loss_s, pit_closed_s=sc_closed_s(race), fuel_per_lap=tuple(fuel_per_lap), fuel_capacity=tuple(capacity),
        neutral_fuel_factor=tuple(neutral), refuel_rate=tuple(refuel_rate), reserve_laps=tuple(reserve),
        fuel_types=tuple(fuel_types), fuel_energy_mj_per_l=tuple(energy_per_l), fuel_ghg_factor=tuple(ghg_factor),
        tyre_change_s=tuple(tyre_s), tyre_stints=tuple(tyre_stints), driver_change_s=tuple(dc_s),
        pit_sigma=tuple(pit_sigma), incident_hazard=tuple(hazard), max_incident_hazard=max_hazard,
        failure_rate=np.array(failure), repair_probability=tuple(repair_p), repair_median_s=tuple(repair_med),
        repair_sigma=tuple(repair_sig), min_drive_s=tuple(min_drive), max_drive_s=tuple(max_drive),
        min_drivers=tuple(tuple(i for i, m in enumerate(mins) if m > 0) for mins in min_drive),
        has_drive_rules=tuple(any(m > 0 for m in mins) or any(m < math.inf for m in maxs) or spell is not None
                              for mins, maxs, spell in zip(min_drive, max_drive, spells)),
        spell_limits=tuple(spells),
        race_seconds=race_seconds)


def sc_closed_s(race: RaceInput) -> float:
    """The time the first Safety-Car laps keep the pit entry closed (`sc_closed_laps` at the Safety Car's
    speed): what a driver near a drive-time limit keeps in hand (`sim.race.planner`, `sim.race.car`)."""
    sc = race.model.race_control.procedures.get("SC")
    if sc is None or "SC" not in race.sporting.neutralisations:
        return 0.0
    speed = race.sporting.procedure_speed("SC", sc.speed_kmh)
    return race.sporting.pit.sc_closed_laps * race.venue.lap_km / speed * 3600


# Fields of RaceField that are not one value per car, or that depend on the whole field.
_FIELD_WIDE = {"n", "class_order", "class_idx", "traffic_s", "incident_hazard", "max_incident_hazard",
               "pit_lane_loss_s", "pit_closed_s", "race_seconds"}


_PER_CAR = tuple(item.name for item in dataclasses.fields(RaceField) if item.name not in _FIELD_WIDE)


def _traffic_of(full: RaceField, race: RaceInput) -> ClassTraffic:
    """The traffic loss and passes per class of `full`'s own class counts (cached on the field)."""
    cached = full.__dict__.get("_traffic_of")
    if cached is None:
        venue = race.venue
        ref = {name: venue.reference_lap_s[name] for name in full.class_order}
        counts = {name: full.classes.count(name) for name in full.class_order}
        cached = full.__dict__["_traffic_of"] = class_traffic(list(full.class_order), ref, counts, race.model.traffic)
    return cached


def subset_field(full: RaceField, keep: list[int], race: RaceInput) -> RaceField:
    """The field of `race` (whose entries are `full`'s entries at positions `keep`, in order), derived
    from `full` by selection instead of a rebuild: the participation model removes a few cars from
    most races of most seasons. Only multi-class traffic depends on who else is on track, so the
    traffic loss and the traffic share of the incident hazard are recomputed from the new class counts.
    """
    pick = operator.itemgetter(*keep) if len(keep) > 1 else (lambda values: tuple(values[i] for i in keep))
    per_car: dict[str, Any] = {}
    for name in _PER_CAR:
        value = getattr(full, name)
        per_car[name] = value[keep] if isinstance(value, np.ndarray) else pick(value)
    classes: tuple[str, ...] = per_car["classes"]
    present = set(classes)
    class_order = tuple(name for name in full.class_order if name in present)
    if class_order != full.class_order:
        # A whole class is gone: the reference traffic the venue paces hold changes too; rare, rebuild.
        return build_field(race)
    venue, traffic = race.venue, race.model.traffic
    ref = {name: venue.reference_lap_s[name] for name in class_order}
    new_counts = {name: classes.count(name) for name in class_order}
    old_loss, old_passes = _traffic_of(full, race)
    new_loss, new_passes = class_traffic(list(class_order), ref, new_counts, traffic)
    scale = {name: incident_factor(new_passes[name], traffic) / incident_factor(old_passes[name], traffic)
             for name in class_order}
    full_traffic, full_hazard = full.traffic_s, full.incident_hazard
    traffic_s = tuple([full_traffic[c] + new_loss[name] - old_loss[name] for c, name in zip(keep, classes)])
    # the same class counts come back in many variants: each car's scaled hazards are kept per scale
    scaled = full.__dict__.setdefault("_scaled_hazard", {})
    hazards = []
    for c, name in zip(keep, classes):
        key = (c, scale[name])
        value = scaled.get(key)
        if value is None:
            value = scaled[key] = tuple([h * scale[name] for h in full_hazard[c]])
        hazards.append(value)
    hazard = tuple(hazards)
    index = {name: i for i, name in enumerate(class_order)}
    subset = RaceField(
        n=len(keep), class_order=class_order, class_idx=tuple([index[name] for name in classes]),
        traffic_s=traffic_s, incident_hazard=hazard,
        max_incident_hazard=sum([max(per_driver) for per_driver in hazard]),
        pit_lane_loss_s=full.pit_lane_loss_s, pit_closed_s=full.pit_closed_s, race_seconds=full.race_seconds, **per_car)
    # per-car constants that do not depend on the rest of the field: selected, not rebuilt
    cached = subset.__dict__
    cached["pit_constants"] = list(pick(full.pit_constants)) if len(keep) > 1 else [full.pit_constants[keep[0]]]
    full_laps, stop_cost = full.stint_constants
    cached["stint_constants"] = (StintConstants(list(pick(full_laps)), list(pick(stop_cost))) if len(keep) > 1
                                 else StintConstants([full_laps[keep[0]]], [stop_cost[keep[0]]]))
    # the drive-time plan entries of a car depend on its own data and pace only: share them
    cached["plan_family"] = full.plan_family
    cached["family_index"] = tuple([full.family_index[i] for i in keep])
    return subset
