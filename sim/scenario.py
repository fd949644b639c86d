"""Compile a scenario once: load every config it names, cross-check them, and freeze one
`CompiledRace` per race of the calendar for the race model's hot path.

A `CompiledRace` keeps its field as a small tuple of `CompiledEntry` plus per-race BoP overrides;
the numeric arrays the race model runs on (`CompiledRace.field`) are derived from them lazily, so
the season layer can re-derive a race cheaply after an entry or BoP change
(`CompiledRace.with_entries`, `CompiledRace.with_bop`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import Mapping

from sim.config.entries import EntryList, load_entries
from sim.config.loader import CONFIGS, SCENARIOS, resolve_named
from sim.config.race_model import RaceModel, load_race_model
from sim.config.scenario import Scenario, load_scenario
from sim.config.series import SeriesRulebook, load_series
from sim.config.sporting import Sporting, load_sporting
from sim.config.venues import Venue, VenueBook, load_venues
from sim.errors import InputError


@dataclasses.dataclass(frozen=True)
class CompiledEntry:
    """One car as entered: identity, crew and static pace; independent of venue and race."""

    car: str
    team: str
    class_name: str
    category: str
    car_model: str          # key in race-model car_models
    drivers: tuple[str, ...]
    ratings: tuple[str, ...]
    driver_offsets_s: tuple[float, ...]
    entry: str = "season"
    pace_offset_s: float = 0.0
    reliability: float = 1.0


@dataclasses.dataclass(frozen=True)
class VenueParams:
    key: str
    name: str
    lap_km: float
    pit_lane_loss_s: float
    reference_lap_s: Mapping[str, float]
    incident_factor: float
    rain_probability: tuple[float, ...]


@dataclasses.dataclass(frozen=True)
class CompiledRace:
    """Everything one race needs; `field` holds the arrays the race model runs on."""

    race_id: str
    index: int              # 0-based position in the season (seeds: race_rng(seed, season, index))
    round: int
    round_name: str
    venue: VenueParams
    hours: float
    start_local: str
    date: dt.date
    qualifying_rank: int    # 1: grid from best qualifying lap, 2: second-best (second race of a round)
    entries: tuple[CompiledEntry, ...]
    model: RaceModel
    sporting: Sporting
    bop: Mapping[str, float] = dataclasses.field(default_factory=dict)  # plain dicts: picklable for workers

    @property
    def month(self) -> int:
        return self.date.month

    @property
    def wet_probability(self) -> float:
        return self.venue.rain_probability[self.date.month - 1]

    @cached_property
    def field(self):
        """Numeric arrays of this race's field (built once, then reused by every run)."""
        from sim.race.field import build_field

        return build_field(self)

    def with_entries(self, entries: tuple[CompiledEntry, ...]) -> "CompiledRace":
        """The same race with another field (entry changes between rounds)."""
        return dataclasses.replace(self, entries=tuple(entries))

    def with_bop(self, bop_pace_pct: Mapping[str, float]) -> "CompiledRace":
        """The same race with BoP lap-time offsets (% of the class reference) overridden per car model."""
        merged = dict(self.bop)
        merged.update(bop_pace_pct)
        return dataclasses.replace(self, bop=merged)


@dataclasses.dataclass(frozen=True)
class CompiledScenario:
    name: str
    scenario: Scenario
    rulebook: SeriesRulebook
    sporting: Sporting
    model: RaceModel
    entries: tuple[CompiledEntry, ...]
    races: list[CompiledRace]

    def race(self, race_id: str) -> CompiledRace:
        for race in self.races:
            if race.race_id == race_id:
                return race
        known = ", ".join(r.race_id for r in self.races)
        raise InputError(None, "race", f"unknown race '{race_id}' (this scenario has {known})")


def resolve_scenario(name_or_path: str | Path) -> Path:
    """A scenario by path or by name under scenarios/."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.exists():
            raise InputError(candidate, None, "file not found")
        return candidate
    named = SCENARIOS / f"{name_or_path}.yaml"
    if named.exists():
        return named
    known = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    raise InputError(None, "scenario", f"unknown scenario '{name_or_path}' (known: {', '.join(known) or 'none'})")


def compile_scenario(scenario: str | Path | Scenario) -> CompiledScenario:
    """Load and cross-check a scenario's configs; one CompiledRace per race, in calendar order."""
    if isinstance(scenario, Scenario):
        source: str | Path = "<scenario>"
    else:
        source = resolve_scenario(scenario)
        scenario = load_scenario(source)
    options = scenario.options
    rulebook = load_series(scenario.series)
    sporting = _load_sporting_for(rulebook, scenario.series)
    model_path = Path(options["race_model"]) if "race_model" in options else CONFIGS / "race-model.yaml"
    model = load_race_model(model_path)
    venues_path = Path(options["venues"]) if "venues" in options else CONFIGS / "venues.yaml"
    venues = load_venues(venues_path)
    entries_path = resolve_named(scenario.entries, "entries", "entry list")
    entry_list = load_entries(entries_path)

    compiled_entries = _compile_entries(entry_list, entries_path, rulebook, model, model_path)
    classes = sorted({entry.class_name for entry in compiled_entries})
    races: list[CompiledRace] = []
    for round_index, rnd in enumerate(scenario.calendar.rounds):
        venue = _venue_params(venues, venues_path, rnd.venue, classes, source, f"calendar.rounds[{round_index}].venue")
        for race_index, spec in enumerate(rnd.races):
            where = f"calendar.rounds[{round_index}].races[{race_index}]"
            if spec.laps is not None:
                raise InputError(source, f"{where}.laps",
                                 "races over a distance are not supported by the race model; give `hours`")
            _check_drive_times(sporting, compiled_entries, spec.hours, where, source)
            races.append(CompiledRace(
                race_id=f"R{len(races) + 1}", index=len(races), round=round_index + 1,
                round_name=rnd.name or venue.name, venue=venue, hours=float(spec.hours),
                start_local=spec.start_local, date=rnd.date + dt.timedelta(days=race_index),
                qualifying_rank=min(race_index + 1, 2), entries=compiled_entries, model=model,
                sporting=sporting))
    return CompiledScenario(name=scenario.name, scenario=scenario, rulebook=rulebook, sporting=sporting,
                            model=model, entries=compiled_entries, races=races)


def _load_sporting_for(rulebook: SeriesRulebook, series_name: str) -> Sporting:
    name = rulebook.sporting
    if name is None:
        fallback = CONFIGS / "sporting" / f"{rulebook.name}.yaml"
        if not fallback.exists():
            series_file = resolve_named(series_name, "series", "series")
            raise InputError(series_file, "sporting",
                             f"no sporting rules named and no configs/sporting/{rulebook.name}.yaml")
        name = str(fallback)
    return load_sporting(name)


def _compile_entries(entry_list: EntryList, entries_path: Path, rulebook: SeriesRulebook,
                     model: RaceModel, model_path: Path) -> tuple[CompiledEntry, ...]:
    compiled = []
    for index, entry in enumerate(entry_list.entries):
        where = f"entries[{index}]"
        if entry.car_class not in rulebook.classes:
            raise InputError(entries_path, f"{where}.class",
                             f"car {entry.car}: class '{entry.car_class}' is not in the rulebook "
                             f"(classes: {', '.join(rulebook.classes)})")
        if entry.car_class not in model.classes:
            raise InputError(model_path, "classes",
                             f"no race-model parameters for class '{entry.car_class}' (car {entry.car})")
        ratings = [driver.rating for driver in entry.drivers]
        problems = rulebook.crew_problems(entry.car_class, ratings, entry.category)
        if problems:
            field = f"{where}.category" if "no category" in problems[0] else f"{where}.drivers"
            raise InputError(entries_path, field, f"car {entry.car}: {problems[0]}")
        key = model.car_model_key(entry.car_model)
        if key is None:
            raise InputError(entries_path, f"{where}.car_model",
                             f"car {entry.car}: unknown car model '{entry.car_model}' (not in the BoP table "
                             f"of {model_path.name})")
        if model.car_models[key].class_name != entry.car_class:
            raise InputError(entries_path, f"{where}.car_model",
                             f"car {entry.car}: '{entry.car_model}' is a {model.car_models[key].class_name} car, "
                             f"entered in {entry.car_class}")
        compiled.append(CompiledEntry(
            car=entry.car, team=entry.team, class_name=entry.car_class, category=entry.category,
            car_model=key, drivers=tuple(d.name for d in entry.drivers), ratings=tuple(ratings),
            driver_offsets_s=tuple(d.pace_offset_s for d in entry.drivers), entry=entry.entry,
            pace_offset_s=entry.pace_offset_s, reliability=entry.reliability))
    return tuple(compiled)


def _venue_params(venues: VenueBook, venues_path: Path, key: str, classes: list[str],
                  source, field: str) -> VenueParams:
    venue: Venue | None = venues.venues.get(key)
    if venue is None:
        raise InputError(source, field, f"unknown venue '{key}' (not in {venues_path.name})")
    for class_name in classes:
        if class_name not in venue.reference_lap_s:
            raise InputError(venues_path, f"venues.{key}.reference_lap_s",
                             f"no reference lap for class '{class_name}' at {venue.name}")
    return VenueParams(key=key, name=venue.name, lap_km=venue.lap_km, pit_lane_loss_s=venue.pit_lane_loss_s,
                       reference_lap_s=dict(venue.reference_lap_s),
                       incident_factor=venue.incident_factor,
                       rain_probability=tuple(venue.climate.rain_probability))


def _check_drive_times(sporting: Sporting, entries: tuple[CompiledEntry, ...], hours: float, where: str,
                       source) -> None:
    """Refuse drive-time rules no crew could meet in a race of this length."""
    race_minutes = hours * 60
    for entry in entries:
        rules = sporting.drive_rules(entry.class_name, len(entry.drivers), hours)
        needed = 0.0
        for rating in entry.ratings:
            needed += max((rule.min_minutes for rule in rules if not rule.ratings or rating in rule.ratings),
                          default=0.0)
        capacity = 0.0
        for rating in entry.ratings:
            limits = [rule.max_minutes for rule in rules
                      if rule.max_minutes is not None and (not rule.ratings or rating in rule.ratings)]
            capacity += min(limits) if limits else race_minutes
        if needed > race_minutes or capacity < race_minutes:
            raise InputError(f"configs/sporting/{sporting.name}.yaml", f"drive_time.{entry.class_name}",
                             f"car {entry.car} ({'/'.join(entry.ratings)}) cannot meet the drive-time rules in a "
                             f"{hours:g} h race ({where}): minimums need {needed:.0f} min, maximums allow "
                             f"{capacity:.0f} min")
