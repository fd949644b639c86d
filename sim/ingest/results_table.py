"""A season's timing exports -> one results table (`../shared/interfaces.md` s.1): `ingest_exports`.

Race exports given in race order become R1, R2, ...; `rounds` says which races share an event (default:
each race its own round). Per race: class positions follow the overall order inside each class (classified
cars first, then the others, then non-starters), statuses are mapped, `fastest_lap_s` comes from FL_TIME and
`car_model` from VEHICLE. A car is its number within its class for the whole season: one that did not race
in the first round is an `additional` entry (the ACO practice; `additional_entries=False` makes every car a
season entry). A qualifying classification gives each class's P1 (the pole of the first race of its round)
and the drivers' FIA ratings; `poles` adds poles known from elsewhere (a race-2 grid, a stewards' decision).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.config.series import SeriesRulebook
from sim.errors import InputError
from sim.ingest.classification import QualifyingSession, RaceCar, is_qualifying, read_qualifying, read_race
from sim.ingest.crews import RatingBook
from sim.ingest.export_file import ExportTable, read_export
from sim.results import REQUIRED_COLUMNS, validate_results

# Finishing order inside a class: classified cars, then the other starters, then the non-starters.
_STATUS_GROUP = {"classified": 0, "not_classified": 1, "dnf": 1, "dsq": 1, "dns": 2}
_POLE_PATTERN = re.compile(r"(R[1-9][0-9]*):([^=]+)=(.+)")


@dataclass(frozen=True)
class PoleOverride:
    """A class pole known from outside the qualifying exports: `R2:LMP2=43`."""

    race: str
    car_class: str
    car: str

    @classmethod
    def parse(cls, text: str) -> PoleOverride:
        match = _POLE_PATTERN.fullmatch(text.strip())
        if not match:
            raise InputError(None, "--pole", f"'{text}' is not RACE:CLASS=CAR (e.g. R2:LMP2=43)")
        return cls(match[1], match[2].strip(), match[3].strip())


@dataclass
class Ingested:
    """The results table, what each qualifying file was used for, and notes for the user."""

    results: pd.DataFrame
    race_files: list[Path] = field(default_factory=list)
    qualifying_files: list[Path] = field(default_factory=list)
    qualifying_rounds: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def ingest_exports(race_files: Sequence[str | Path], rounds: Sequence[int] | None = None,
                   qualifying: Sequence[str | Path] = (), qualifying_rounds: Sequence[int] | None = None,
                   poles: Iterable[str | PoleOverride] = (), hours: float | Sequence[float] | None = None,
                   additional_entries: bool = True, rulebook: SeriesRulebook | None = None) -> Ingested:
    """The results table of these Al Kamel exports (see the module docstring); InputError on a bad export.

    With a `rulebook`, a car of a class it does not have is an error naming its export row.

    A file among `race_files` that is a qualifying classification (by its columns) is used as one, after
    the `qualifying` files: `sim ingest R1.csv R2.csv --qualifying Q1.csv Q2.csv` means the same either way.
    """
    notes: list[str] = []
    races, sessions = _read_exports(race_files, qualifying, rulebook, notes)
    race_ids = [f"R{number}" for number in range(1, len(races) + 1)]
    round_of = dict(zip(race_ids, _rounds(rounds, len(races))))
    race_hours = _hours(hours, len(races))
    session_rounds = _qualifying_rounds(sessions, qualifying_rounds, round_of)

    ratings = RatingBook()
    for session, number in zip(sessions, session_rounds):
        for car in session.cars:
            ratings.add(number, car.car, car.drivers)
    for race_id, (_, cars) in zip(race_ids, races):
        for car in cars:
            ratings.add(round_of[race_id], car.car, car.drivers)
    results = pd.concat([_race_rows(race_id, round_of[race_id], cars, ratings)
                         for race_id, (_, cars) in zip(race_ids, races)], ignore_index=True)
    results["entry"] = _entry_kinds(results, additional_entries)
    if race_hours is not None:
        results["hours"] = results["race"].map(dict(zip(race_ids, race_hours)))
    _set_poles(results, sessions, session_rounds, round_of, [PoleOverride.parse(p) if isinstance(p, str) else p
                                                              for p in poles], notes)
    ordered = list(REQUIRED_COLUMNS) + [c for c in results.columns if c not in REQUIRED_COLUMNS]
    return Ingested(validate_results(results[ordered], "<ingested exports>"), [table.path for table, _ in races],
                    [session.path for session in sessions], list(session_rounds), notes)


def _read_exports(race_files, qualifying, rulebook, notes: list[str]):
    """(race exports with their cars, qualifying sessions): a qualifying classification among the race files
    (by its columns) is used as one, after the `qualifying` files."""
    races: list[tuple[ExportTable, list[RaceCar]]] = []
    sessions: list[QualifyingSession] = [read_qualifying(_qualifying_table(path)) for path in qualifying]
    for path in race_files:
        table = read_export(path)
        if is_qualifying(table):
            sessions.append(read_qualifying(table))
            notes.append(f"{table.path}: a qualifying classification (TIME, no TOTAL_TIME): used as one")
        else:
            races.append((table, _known_classes(table, read_race(table), rulebook)))
    if not races:
        raise InputError(None, "FILE", "no race classification export given (only qualifying classifications)")
    return races, sessions


def _entry_kinds(results: pd.DataFrame, additional_entries: bool) -> list[str]:
    """`additional` for a car (number within its class) that raced no race of the first round."""
    first = results["round"] == results["round"].min()
    season_cars = set(zip(results.loc[first, "class"], results.loc[first, "car"]))
    return ["season" if not additional_entries or identity in season_cars else "additional"
            for identity in zip(results["class"], results["car"])]


def _known_classes(table: ExportTable, cars: list[RaceCar], rulebook: SeriesRulebook | None) -> list[RaceCar]:
    for car in cars:
        if rulebook is not None and car.car_class not in rulebook.classes:
            raise table.error(car.index, "CLASS", f"unknown class '{car.car_class}' (series {rulebook.name} has: "
                                                  f"{', '.join(rulebook.classes)})")
    return cars


def _qualifying_table(path: str | Path) -> ExportTable:
    table = read_export(path)
    if not is_qualifying(table):
        raise InputError(table.path, "column TIME", "given as a qualifying classification, but it has no best-lap "
                                                    "TIME column (or it has a race TOTAL_TIME)")
    return table


def _race_rows(race_id: str, round_number: int, cars: list[RaceCar], ratings: RatingBook) -> pd.DataFrame:
    """One race's rows in overall order, with class positions counted inside each class."""
    overall = sorted(cars, key=lambda car: (car.position is None, car.position or 0, car.index))
    place = {car.car: number for number, car in enumerate(overall, start=1)}
    in_class = sorted(overall, key=lambda car: (car.car_class, _STATUS_GROUP[car.status], place[car.car]))
    class_position: dict[str, int] = {}
    seen: dict[str, int] = {}
    for car in in_class:
        seen[car.car_class] = seen.get(car.car_class, 0) + 1
        class_position[car.car] = seen[car.car_class]
    return pd.DataFrame([{
        "race": race_id, "round": round_number, "car": car.car, "team": car.team, "class": car.car_class,
        "category": "", "drivers": ";".join(driver.name for driver in car.drivers),
        "ratings": ratings.crew_ratings(round_number, car.car, car.drivers), "entry": "season",
        "class_position": class_position[car.car], "status": car.status, "laps": car.laps,
        "time_s": round(car.time_s, 3), "pole": 0, "overall_position": place[car.car],
        "fastest_lap_s": round(car.fastest_lap_s, 3), "car_model": car.vehicle,
    } for car in overall])


def _rounds(rounds: Sequence[int] | None, count: int) -> list[int]:
    if rounds is None:
        return list(range(1, count + 1))
    rounds = list(rounds)
    if len(rounds) != count:
        raise InputError(None, "--rounds", f"{len(rounds)} round number(s) for {count} race export(s): give one per "
                                           "race, in the order of the files (e.g. 1,1,2,2 for two double-headers)")
    if any(number < 1 for number in rounds):
        raise InputError(None, "--rounds", "round numbers must be 1 or more")
    if rounds != sorted(rounds):
        raise InputError(None, "--rounds", f"round numbers must not go down ({','.join(map(str, rounds))}): the race "
                                           "exports are given in race order")
    return rounds


def _hours(hours: float | Sequence[float] | None, count: int) -> list[float] | None:
    if hours is None:
        return None
    values = [float(hours)] * count if isinstance(hours, (int, float)) else [float(h) for h in hours]
    if len(values) == 1:
        values = values * count
    if len(values) != count:
        raise InputError(None, "--hours", f"{len(values)} value(s) for {count} race export(s): give one for every "
                                          "race, or one for all")
    if any(not (0 < value <= 30) or math.isnan(value) for value in values):
        raise InputError(None, "--hours", "a race length must be more than 0 and at most 30 hours")
    return values


def _qualifying_rounds(sessions: list[QualifyingSession], given: Sequence[int] | None,
                       round_of: dict[str, int]) -> list[int]:
    """The round of each qualifying classification: as given, or by file order (a file that ranks a class
    already ranked by an earlier file of the same round starts the next round)."""
    rounds = sorted(set(round_of.values()))
    if given is not None:
        given = list(given)
        if len(given) != len(sessions):
            raise InputError(None, "--qualifying-rounds", f"{len(given)} round number(s) for {len(sessions)} "
                                                          "qualifying classification(s)")
        unknown = [number for number in given if number not in rounds]
        if unknown:
            raise InputError(None, "--qualifying-rounds", f"round {unknown[0]} has no race export (rounds: "
                                                          f"{', '.join(map(str, rounds))})")
        return given
    assigned, position, ranked = [], 0, set()
    for session in sessions:
        if ranked & set(session.classes):
            position, ranked = position + 1, set()
        if position >= len(rounds):
            raise InputError(session.path, None, f"more qualifying classifications than rounds ({len(rounds)}): "
                                                 "give each one's round with --qualifying-rounds")
        ranked |= set(session.classes)
        assigned.append(rounds[position])
    return assigned


def _set_poles(results: pd.DataFrame, sessions: list[QualifyingSession], session_rounds: list[int],
               round_of: dict[str, int], overrides: list[PoleOverride], notes: list[str]) -> None:
    """`pole` = 1 for each class P1 in the first race of its round, then the overrides; a note names the
    races and classes whose pole is still unknown."""
    _qualifying_poles(results, sessions, session_rounds, round_of, notes)
    for override in overrides:
        _override_pole(results, override, len(round_of), notes)
    unknown = {}
    for race_id in round_of:
        in_race = results["race"] == race_id
        with_pole = set(results.loc[in_race & (results["pole"] == 1), "class"])
        missing = [car_class for car_class in results.loc[in_race, "class"].unique() if car_class not in with_pole]
        if missing:
            unknown[race_id] = missing
    if unknown:
        where = "; ".join(f"{race_id} {', '.join(classes)}" for race_id, classes in unknown.items())
        notes.append(f"no class pole known for {where} (a qualifying classification sets the first race of its "
                     "round; add others with --pole RACE:CLASS=CAR)")


def _qualifying_poles(results: pd.DataFrame, sessions: list[QualifyingSession], session_rounds: list[int],
                      round_of: dict[str, int], notes: list[str]) -> None:
    first_race: dict[int, str] = {}
    for race_id, number in round_of.items():
        first_race.setdefault(number, race_id)
    decided: dict[tuple[str, str], str] = {}   # (race, class) -> the file that set it
    for session, number in zip(sessions, session_rounds):
        race_id = first_race[number]
        for car_class in session.classes:
            pole = session.class_pole(car_class)
            if pole is None:
                notes.append(f"{session.path}: no {car_class} car set a time: no {car_class} pole in {race_id}")
                continue
            if (race_id, car_class) in decided:
                raise InputError(session.path, None, f"class {car_class} of round {number} is also ranked by "
                                                     f"{decided[(race_id, car_class)]}: give each file's round with "
                                                     "--qualifying-rounds")
            decided[(race_id, car_class)] = str(session.path)
            row = (results["race"] == race_id) & (results["class"] == car_class) & (results["car"] == pole.car)
            if not row.any():
                notes.append(f"{session.path}: the {car_class} pole-sitter, car {pole.car}, is not in the {race_id} "
                             "classification: no pole point")
                continue
            results.loc[row, "pole"] = 1


def _override_pole(results: pd.DataFrame, override: PoleOverride, races: int, notes: list[str]) -> None:
    if not (results["race"] == override.race).any():
        raise InputError(None, "--pole", f"unknown race {override.race} (races: R1..R{races})")
    in_race = (results["race"] == override.race) & (results["class"] == override.car_class)
    row = in_race & (results["car"] == override.car)
    if not row.any():
        raise InputError(None, "--pole", f"car {override.car} is not a {override.car_class} car of {override.race}")
    replaced = results.loc[in_race & (results["pole"] == 1) & ~row, "car"].tolist()
    if replaced:
        notes.append(f"--pole {override.race}:{override.car_class}={override.car} replaces the qualifying pole of "
                     f"car {replaced[0]}")
    results.loc[in_race, "pole"] = 0
    results.loc[row, "pole"] = 1
