"""The entries of a compiled scenario: each car checked against the rulebook and the race model, the
field of each round after the entry changes, BoP changes per round, and a merged class structure."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sim.config.entries import Entry
from sim.config.race_model import CarModel, RaceModel
from sim.config.scenario import Merge, Scenario
from sim.config.series import SeriesRulebook
from sim.errors import InputError
from sim.scenario.compiled import CompiledEntry


def merged_model(merge: Merge, model: RaceModel, source: str | Path) -> tuple[RaceModel, dict[str, str], dict[str, str]]:
    """The race model with the merged classes (borrowed behaviour) and their car models (BoP) added."""
    classes = dict(model.classes)
    reference = dict(model.traffic.reference_field)
    borrowed: dict[str, str] = {}
    for name, spec in merge.classes.items():
        if spec.model not in model.classes:
            raise InputError(source, f"merge.classes.{name}.model",
                             f"unknown race-model class '{spec.model}' (classes: {', '.join(model.classes)})")
        own = {key: value for key, value in (("season_spread_pct", spec.season_spread_pct),
                                              ("race_spread_pct", spec.race_spread_pct),
                                              ("fuel_per_km_l", spec.fuel_per_km_l)) if value is not None}
        # the merged class runs its model's behaviour even where its name is a race-model class too (the
        # American LMS `GT` class is GTE, not the race model's GT3 `GT`); the merged series' own spreads
        # (IMSA's LMP2 cars differ less than the Asian LMS's) and fuel range (IMSA's LMP2 runs 147 km a tank,
        # the borrowed ACO LMP2 179) on top
        classes[name] = model.classes[spec.model].model_copy(update=own)
        reference[name] = reference.get(spec.model, 0)
        borrowed[name] = spec.model
    for list_name, mapping in merge.class_map.items():
        for source_class, merged in mapping.items():
            if merged not in merge.classes:
                raise InputError(source, f"merge.class_map.{list_name}.{source_class}",
                                 f"'{merged}' is not a merged class (merge.classes: {', '.join(merge.classes)})")
    car_models = dict(model.car_models)
    for name, car in merge.car_models.items():
        if car.car_class not in merge.classes:
            raise InputError(source, f"merge.car_models.{name}.class",
                             f"'{car.car_class}' is not a merged class (merge.classes: {', '.join(merge.classes)})")
        if car.fuel not in model.fuels:
            raise InputError(source, f"merge.car_models.{name}.fuel",
                             f"unknown fuel '{car.fuel}' (fuels: {', '.join(model.fuels)})")
        car_models[name] = CarModel(**{"class": car.car_class, "bop_pace_pct": car.bop_pace_pct,
                                       "fuel_factor": car.fuel_factor, "fuel_capacity_l": car.fuel_capacity_l,
                                       "reliability": car.reliability, "fuel": car.fuel})
    traffic = model.traffic.model_copy(update={"reference_field": reference})
    merged = model.model_copy(update={"classes": classes, "car_models": car_models, "traffic": traffic})
    return merged, {name: spec.pace for name, spec in merge.classes.items()}, borrowed


def compile_entry(entry: Entry, entries_path: Path, where: str, rulebook: SeriesRulebook, model: RaceModel,
                   model_path: Path, borrowed: Mapping[str, str] | None = None) -> CompiledEntry:
    """One entry checked against the rulebook (class, crew rules) and the race model (class, car model)."""
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
    car_class = model.car_models[key].class_name
    if car_class != entry.car_class and car_class != (borrowed or {}).get(entry.car_class):
        raise InputError(entries_path, f"{where}.car_model",
                         f"car {entry.car}: '{entry.car_model}' is a {car_class} car, entered in {entry.car_class}")
    return CompiledEntry(
        car=entry.car, team=entry.team, class_name=entry.car_class, category=entry.category,
        car_model=key, drivers=tuple(d.name for d in entry.drivers), ratings=tuple(ratings),
        driver_offsets_s=tuple(d.pace_offset_s for d in entry.drivers), entry=entry.entry,
        pace_offset_s=entry.pace_offset_s, reliability=entry.reliability, home_region=entry.home_region)


def entries_per_round(scenario: Scenario, source: str | Path, books: Mapping[str, tuple], names: Mapping[str, str],
                      base: Mapping[str, Mapping[str, tuple]], compiled_base: Mapping[str, Mapping[str, CompiledEntry]],
                      model: RaceModel, model_path: Path, borrowed: Mapping[str, str]) -> dict[tuple[str, int], tuple[CompiledEntry, ...]]:
    """The field of each championship in each round after the entry changes (withdraw, add, update)."""
    current = {key: dict(cars) for key, cars in compiled_base.items()}
    declared = {key: {car: value[0] for car, value in cars.items()} for key, cars in base.items()}
    changes = sorted(enumerate(scenario.entry_changes), key=lambda item: (item[1].from_round, item[0]))
    out: dict[tuple[str, int], tuple[CompiledEntry, ...]] = {}
    pending = list(changes)
    for round_number in range(1, len(scenario.calendar.rounds) + 1):
        while pending and pending[0][1].from_round == round_number:
            index, change = pending.pop(0)
            where = f"entry_changes[{index}]"

            def owner(car: str, field: str, round_number: int = round_number) -> str:
                for key, cars in current.items():
                    if car in cars:
                        return key
                raise InputError(source, field, f"car {car} is not entered at round {round_number}")

            for i, car in enumerate(change.withdraw):
                key = owner(car, f"{where}.withdraw[{i}]")
                del current[key][car]
            for i, update in enumerate(change.update):
                field = f"{where}.update[{i}]"
                key = owner(update.car, f"{field}.car")
                values = {name: value for name, value in (
                    ("car_class", update.car_class), ("category", update.category), ("team", update.team),
                    ("car_model", update.car_model), ("drivers", update.drivers)) if value is not None}
                entry = declared[key][update.car].model_copy(update=values)
                declared[key][update.car] = entry
                current[key][update.car] = compile_entry(entry, Path(str(source)), field, books[key][0], model,
                                                          model_path, borrowed)
            if change.championship and change.championship not in names:
                raise InputError(source, f"{where}.championship",
                                 f"unknown championship '{change.championship}' (this scenario has: {', '.join(names)})")
            key = names.get(change.championship, "") if change.championship else ""
            for i, entry in enumerate(change.add):
                field = f"{where}.add[{i}]"
                if any(entry.car in cars for cars in current.values()):
                    raise InputError(source, f"{field}.car", f"car {entry.car} is already entered at round "
                                                             f"{round_number}")
                declared[key][entry.car] = entry
                current[key][entry.car] = compile_entry(entry, Path(str(source)), field, books[key][0], model,
                                                         model_path, borrowed)
        for key, cars in current.items():
            out[(key, round_number)] = tuple(cars.values())
    return out


def bop_per_round(scenario: Scenario, source: str | Path, model: RaceModel) -> dict[int, dict[str, float]]:
    """BoP overrides (car-model key -> % of the class reference) in force at each round."""
    changes = sorted(enumerate(scenario.bop_changes), key=lambda item: (item[1].from_round, item[0]))
    bop: dict[str, float] = {}
    out: dict[int, dict[str, float]] = {}
    for round_number in range(1, len(scenario.calendar.rounds) + 1):
        for index, change in changes:
            if change.from_round != round_number:
                continue
            for name, value in change.car_models.items():
                key = model.car_model_key(name)
                if key is None:
                    raise InputError(source, f"bop_changes[{index}].car_models.{name}",
                                     f"unknown car model '{name}' (not in the race model's car_models)")
                bop[key] = value
        out[round_number] = dict(bop)
    return out
