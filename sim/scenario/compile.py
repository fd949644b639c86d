"""Compile a scenario once: load every config it names, cross-check them, and freeze one
`CompiledRace` per race of the calendar for the race model's hot path.

A `CompiledRace` keeps its field as a small tuple of `CompiledEntry` plus per-race BoP overrides;
the race model's per-car constants (`CompiledRace.field`, `sim.race.field`) are derived from them lazily, so
the season layer can re-derive a race cheaply after an entry or BoP change
(`CompiledRace.with_entries`, `CompiledRace.with_bop`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import ValidationError

from sim.config.entries import load_entries
from sim.config.loader import CONFIGS, SCENARIOS, resolve_named
from sim.config.race_model import RaceModel, load_race_model
from sim.config.scenario import ENTRIES_FROM_RESULTS, Scenario, load_scenario
from sim.config.series import SeriesRulebook, load_series
from sim.config.sporting import Sporting, load_sporting
from sim.config.venues import Venue, VenueBook, load_venues
from sim.errors import InputError
from sim.ingest.entry_list import entry_list_from_results
from sim.scenario.compiled import CompiledEntry, CompiledRace, CompiledScenario, VenueParams
from sim.scenario.entries import bop_per_round, compile_entry, entries_per_round, merged_model
from sim.season_plan import build_plan, read_results_so_far
from sim.sun import Clock, darkness_intervals


def reference_error(error: InputError, source: str | Path, field: str) -> InputError:
    """A file the scenario names that cannot be found, reported at the scenario's field naming it
    (problems inside the named file keep naming that file)."""
    if error.file is None:
        return InputError(source, field, error.reason)
    if error.reason == "file not found":
        return InputError(source, field, f"file not found: {error.file}")
    return error


@contextlib.contextmanager
def _named_at(source: str | Path, field: str) -> Iterator[None]:
    try:
        yield
    except InputError as error:
        raise reference_error(error, source, field) from None


def resolve_scenario(name_or_path: str | Path) -> Path:
    """A scenario by path or by name under scenarios/."""
    return resolve_named(name_or_path, SCENARIOS, "scenario")


def compile_scenario(scenario: str | Path | Scenario) -> CompiledScenario:
    """Load and cross-check a scenario's configs; one CompiledRace per race, in calendar order.

    Entry and BoP changes per round, further championships and a merged class structure are
    compiled into the races' fields here; results so far, forced outcomes and the participation
    model go into `CompiledScenario.plan` (sim.season_plan). Every problem is an InputError.
    """
    if isinstance(scenario, Scenario):
        source: str | Path = "<scenario>"
    else:
        source = resolve_scenario(scenario)
        scenario = load_scenario(source)
    options = scenario.options
    with _named_at(source, "series"):
        rulebook = load_series(scenario.series)
    sporting = _load_sporting_for(rulebook, scenario.series)
    model_path = Path(options["race_model"]) if "race_model" in options else CONFIGS / "race-model.yaml"
    with _named_at(source, "options.race_model"):
        model = load_race_model(model_path)
    venues_path = Path(options["venues"]) if "venues" in options else CONFIGS / "venues.yaml"
    with _named_at(source, "options.venues"):
        venues = load_venues(venues_path)
    pace_keys: dict[str, str] = {}
    borrowed: dict[str, str] = {}
    if scenario.merge is not None:
        model, pace_keys, borrowed = merged_model(scenario.merge, model, source)
    rulebook = _with_joint_titles(rulebook, scenario, source)

    # championships: the scenario's own series first, then the further ones
    books = {"": (rulebook, sporting, scenario.entries, "entries")}
    names = {rulebook.name: ""}
    for index, extra in enumerate(scenario.championships):
        with _named_at(source, f"championships[{index}].series"):
            other = load_series(extra.series)
        if other.name in names:
            raise InputError(source, f"championships[{index}].series",
                             f"championship '{other.name}' is already in this scenario (rulebook names must differ)")
        names[other.name] = other.name
        books[other.name] = (other, _load_sporting_for(other, extra.series), extra.entries,
                             f"championships[{index}].entries")
    base: dict[str, dict[str, tuple]] = {}   # championship -> car -> (Entry, file, field path)
    compiled_base: dict[str, dict[str, CompiledEntry]] = {}
    for key, (book, _, entries_name, where) in books.items():
        lists = [entries_name] + (list(scenario.merge.entries) if scenario.merge is not None and key == "" else [])
        cars: dict[str, tuple] = {}
        for position, list_name in enumerate(lists):
            if key == "" and position == 0 and list_name == ENTRIES_FROM_RESULTS:
                entry_list, path = _entries_from_results(scenario, source, book, model)
            else:
                with _named_at(source, where if position == 0 else f"merge.entries[{position - 1}]"):
                    path = resolve_named(list_name, "entries", "entry list")
                entry_list = load_entries(path)
            class_map = None
            if scenario.merge is not None and key == "":
                class_map = scenario.merge.class_map.get(list_name)
                if class_map is None:
                    raise InputError(source, "merge.class_map", f"no class map for entry list '{list_name}'")
            for index, entry in enumerate(entry_list.entries):
                if class_map is not None:
                    if entry.car_class not in class_map:
                        raise InputError(path, f"entries[{index}].class",
                                         f"car {entry.car}: class '{entry.car_class}' is not in merge.class_map."
                                         f"{list_name} (maps: {', '.join(class_map)})")
                    entry = entry.model_copy(update={"car_class": class_map[entry.car_class]})
                if entry.car in cars:
                    raise InputError(path, f"entries[{index}].car",
                                     f"car {entry.car} is already entered ({cars[entry.car][1]})")
                cars[entry.car] = (entry, path, f"entries[{index}]")
        base[key] = cars
        compiled_base[key] = {car: compile_entry(entry, path, where_, book, model, model_path, borrowed)
                              for car, (entry, path, where_) in cars.items()}

    race_entries = entries_per_round(scenario, source, books, names, base, compiled_base, model, model_path,
                                      borrowed)
    round_bop = bop_per_round(scenario, source, model)
    races: list[CompiledRace] = []
    for round_index, rnd in enumerate(scenario.calendar.rounds):
        nth_of: dict[str, int] = {}   # the n-th race of its championship this weekend: day and grid
        for race_index, spec in enumerate(rnd.races):
            nth = nth_of[spec.championship] = nth_of.get(spec.championship, -1) + 1
            where = f"calendar.rounds[{round_index}].races[{race_index}]"
            if spec.championship and spec.championship not in names:
                raise InputError(source, f"{where}.championship",
                                 f"unknown championship '{spec.championship}' (this scenario has: "
                                 f"{', '.join(names)})")
            key = names.get(spec.championship, "") if spec.championship else ""
            book, race_sporting, _, _ = books[key]
            entries = race_entries[(key, round_index + 1)]
            classes = sorted({entry.class_name for entry in entries})
            venue = _venue_params(venues, venues_path, rnd.venue, classes, source,
                                  f"calendar.rounds[{round_index}].venue", pace_keys)
            if spec.laps is not None:
                raise InputError(source, f"{where}.laps",
                                 "races over a distance alone are not supported by the race model; give `hours` "
                                 "(and `distance_km` for a distance limit)")
            _check_drive_times(race_sporting, entries, spec.hours, where, source)
            races.append(CompiledRace(
                race_id=f"R{len(races) + 1}", index=len(races), round=round_index + 1,
                round_name=rnd.name or venue.name, venue=venue, hours=float(spec.hours),
                start_local=spec.start_local, date=rnd.date + dt.timedelta(days=nth),
                qualifying_rank=min(nth + 1, 2), entries=entries, model=model,
                sporting=race_sporting, bop=dict(round_bop.get(round_index + 1, {})),
                championship=book.name if len(books) > 1 else "", distance_km=spec.distance_km,
                darkness=race_darkness(venue, rnd.date + dt.timedelta(days=nth), spec.start_local, spec.hours)))
    compiled = CompiledScenario(name=scenario.name, scenario=scenario, rulebook=rulebook, sporting=sporting,
                                model=model, entries=tuple(compiled_base[""].values()), races=races,
                                source=str(source))
    plan = build_plan(compiled, {book.name: book for book, _, _, _ in books.values()}, source)
    return dataclasses.replace(compiled, plan=plan)


def _entries_from_results(scenario: Scenario, source, rulebook: SeriesRulebook, model: RaceModel):
    """(entry list, where its problems are reported) of `entries: results_so_far`: every car of the results
    so far, as `sim.ingest.entry_list` builds it (assumed ratings meet the rulebook's crew rules)."""
    path, table = read_results_so_far(scenario.results_so_far, source)
    draft = entry_list_from_results(table, rulebook=rulebook, race_model=model,
                                    car_models=scenario.results_so_far.car_models, name=path.stem,
                                    source=str(path))
    unknown = next((item.entry for item in draft.entries if item.unknown_model), None)
    if unknown is not None:
        raise InputError(path, f"car {unknown.car}", f"entries: {ENTRIES_FROM_RESULTS}: car model "
                                                      f"'{unknown.car_model}' is not in the race model (give "
                                                      f"results_so_far.car_models.{unknown.car_class} or a car_model "
                                                      "column)")
    return draft.entry_list, Path(f"{source} (entries: {ENTRIES_FROM_RESULTS})")


def _with_joint_titles(rulebook: SeriesRulebook, scenario: Scenario, source) -> SeriesRulebook:
    """The rulebook with the scenario's extra titles (joint classifications) appended and checked."""
    if not scenario.joint_titles:
        return rulebook
    data = rulebook.model_dump(by_alias=True, exclude_unset=True)
    data["titles"] = [t.model_dump(by_alias=True, exclude_unset=True) for t in rulebook.titles] + [
        t.model_dump(by_alias=True, exclude_unset=True) for t in scenario.joint_titles]
    try:
        return SeriesRulebook.model_validate(data)
    except ValidationError as error:
        message = error.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")
        raise InputError(source, "joint_titles", message) from None


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


def _venue_params(venues: VenueBook, venues_path: Path, key: str, classes: list[str],
                  source, field: str, pace_keys: Mapping[str, str] | None = None) -> VenueParams:
    """The venue as the race model reads it; a merged class laps at the pace of its `pace` key."""
    venue: Venue | None = venues.venues.get(key)
    if venue is None:
        raise InputError(source, field, f"unknown venue '{key}' (not in {venues_path.name})")
    reference = dict(venue.reference_lap_s)
    for class_name in classes:
        pace_key = (pace_keys or {}).get(class_name, class_name)
        if pace_key not in venue.reference_lap_s:
            raise InputError(venues_path, f"venues.{key}.reference_lap_s",
                             f"no reference lap for class '{pace_key}' at {venue.name}")
        reference[class_name] = venue.reference_lap_s[pace_key]
    return VenueParams(key=key, name=venue.name, lap_km=venue.lap_km, pit_lane_loss_s=venue.pit_lane_loss_s,
                       reference_lap_s=reference,
                       incident_factor=venue.incident_factor,
                       rain_probability=tuple(venue.climate.rain_probability), region=venue.region,
                       clock=Clock(venue.latitude, venue.longitude, venue.timezone_utc_offset_h, venue.timezone),
                       floodlit=venue.floodlit)


def race_darkness(venue: VenueParams, date: dt.date, start_local: str, hours: float) -> tuple[tuple[float, float], ...]:
    """The stretches of the race run in darkness, (from, to) seconds after the start; none under floodlights."""
    if venue.floodlit or venue.clock is None:
        return ()
    return darkness_intervals(venue.clock, date, start_local, hours)


def _check_drive_times(sporting: Sporting, entries: tuple[CompiledEntry, ...], hours: float, where: str,
                       source) -> None:
    """Refuse drive-time rules no crew could meet in a race of this length."""
    race_minutes = hours * 60
    for entry in entries:
        rules = sporting.drive_rules(entry.class_name, entry.ratings, hours)
        needed = 0.0
        for rating in entry.ratings:
            needed += max((rule.min_minutes for rule in rules if not rule.ratings or rating in rule.ratings),
                          default=0.0)
        capacity = 0.0
        for rating in entry.ratings:
            limits = [rule.max_minutes for rule in rules
                      if rule.max_minutes is not None and (not rule.ratings or rating in rule.ratings)]
            windows = [rule.window for rule in rules
                       if rule.window is not None and (not rule.ratings or rating in rule.ratings)]
            if windows:   # at most max_minutes in every window of the race: a full window, then a part one
                hours_w = max(w.hours for w in windows)
                allowed = min(w.max_minutes for w in windows)
                full, rest = divmod(race_minutes, hours_w * 60)
                limits.append(full * allowed + min(rest, allowed))
            capacity += min(limits) if limits else race_minutes
        if needed > race_minutes or capacity < race_minutes:
            raise InputError(f"configs/sporting/{sporting.name}.yaml", f"drive_time.{entry.class_name}",
                             f"car {entry.car} ({'/'.join(entry.ratings)}) cannot meet the drive-time rules in a "
                             f"{hours:g} h race ({where}): minimums need {needed:.0f} min, maximums allow "
                             f"{capacity:.0f} min")
