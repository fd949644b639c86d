"""Race and qualifying classifications of the Al Kamel exports, as typed records per car.

Race classification (any hour's export; the last hour is the result): POSITION (overall), NUMBER (text:
`007` stays `007`), TEAM, CLASS, STATUS, LAPS, TOTAL_TIME, FL_TIME, VEHICLE and the crew, in either layout:
ACO `DRIVER_1`..`DRIVER_5` (full names) or IMSA `DRIVERn_FIRSTNAME` / `DRIVERn_SECONDNAME` /
`DRIVERn_LICENSE` (with the FIA rating). Qualifying classification: POS (session order; LMP2 and LMP3 may
share a session), NUMBER, CLASS, TIME (best lap) and the crews with `DRIVERn_LICENSE`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError
from sim.ingest.export_file import ExportTable, require_columns
from sim.ingest.values import parse_count, parse_rating, parse_status, parse_time

RACE_COLUMNS = ("POSITION", "NUMBER", "TEAM", "CLASS", "STATUS", "LAPS", "TOTAL_TIME")
POSITION_COLUMNS = ("POSITION", "POS")   # race exports say POSITION, qualifying ones POS: either is read
QUALIFYING_COLUMNS = ("NUMBER", "CLASS", "TIME")
_ACO_DRIVER = re.compile(r"DRIVER_(\d+)")
_NAMED_DRIVER = re.compile(r"DRIVER(\d+)_(FIRSTNAME|SECONDNAME|LICENSE)")


@dataclass(frozen=True)
class Driver:
    name: str
    rating: str          # '' when the export does not give it


@dataclass(frozen=True)
class RaceCar:
    """One car of a race classification export."""

    index: int           # row in the export (ExportTable.rows)
    position: int | None  # overall POSITION (None: empty, e.g. a car that did not start)
    car: str
    team: str
    car_class: str
    status: str          # results-table status
    laps: int
    time_s: float        # NaN when empty
    fastest_lap_s: float  # NaN when empty or not in the export
    vehicle: str
    drivers: tuple[Driver, ...]


@dataclass(frozen=True)
class QualifyingCar:
    index: int
    car: str
    car_class: str
    best_lap_s: float    # NaN: no valid lap
    drivers: tuple[Driver, ...]


@dataclass(frozen=True)
class QualifyingSession:
    """One qualifying classification: its cars in session order."""

    path: Path
    cars: tuple[QualifyingCar, ...]

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(car.car_class for car in self.cars))

    def class_pole(self, car_class: str) -> QualifyingCar | None:
        """The class P1: the first car of the class in session order that set a time."""
        return next((car for car in self.cars if car.car_class == car_class and not math.isnan(car.best_lap_s)),
                    None)


def is_qualifying(table: ExportTable) -> bool:
    """A qualifying classification has a best-lap TIME and no race TOTAL_TIME."""
    return table.has("TIME") and not table.has("TOTAL_TIME")


def read_race(table: ExportTable) -> list[RaceCar]:
    """Every car of a race classification export, checked cell by cell."""
    position_column = _position_column(table, RACE_COLUMNS, "race classification")
    slots = driver_slots(table)
    cars = []
    for index in range(len(table)):
        status = parse_status(table.cell(index, "STATUS"))
        if status is None:
            raise table.error(index, "STATUS", f"unknown status '{table.cell(index, 'STATUS')}' (expected "
                                               "Classified, Not classified, Retired, Disqualified or Not started)")
        laps_text = table.cell(index, "LAPS")
        # no lap count and no time: a car that covered no lap (a non-starter, an early retirement)
        no_lap = laps_text == "" and (status == "dns" or table.cell(index, "TOTAL_TIME") == "")
        laps = 0 if no_lap else parse_count(laps_text)
        if laps is None:
            raise table.error(index, "LAPS", f"cannot read a lap count from '{laps_text}'")
        cars.append(RaceCar(
            index=index, position=_position(table, index, position_column), car=_car_number(table, index),
            team=table.cell(index, "TEAM"), car_class=_car_class(table, index), status=status, laps=laps,
            time_s=_time(table, index, "TOTAL_TIME"),
            fastest_lap_s=_time(table, index, "FL_TIME") if table.has("FL_TIME") else math.nan,
            vehicle=table.cell(index, "VEHICLE"), drivers=_drivers(table, index, slots)))
    _check_unique_cars(table, cars)
    return cars


def read_qualifying(table: ExportTable) -> QualifyingSession:
    """A qualifying classification in session order (POS; rows without a position keep file order)."""
    position_column = _position_column(table, ("POS", *QUALIFYING_COLUMNS), "qualifying classification")
    slots = driver_slots(table)
    cars, positions = [], []
    for index in range(len(table)):
        positions.append(_position(table, index, position_column))
        cars.append(QualifyingCar(index=index, car=_car_number(table, index), car_class=_car_class(table, index),
                                  best_lap_s=_time(table, index, "TIME"), drivers=_drivers(table, index, slots)))
    _check_unique_cars(table, cars)
    order = sorted(range(len(cars)), key=lambda i: (positions[i] is None, positions[i] or 0, i))
    return QualifyingSession(table.path, tuple(cars[i] for i in order))


def _position_column(table: ExportTable, needed: tuple[str, ...], what: str) -> str:
    """Check the needed columns (POSITION or POS for the position) and return the position column's name."""
    found = next((name for name in POSITION_COLUMNS if table.has(name)), needed[0])
    require_columns(table, tuple(found if name in POSITION_COLUMNS else name for name in needed), what)
    return found


def driver_slots(table: ExportTable) -> list[int]:
    """Driver numbers of the export's crew columns, in order (either layout)."""
    numbers = set()
    for column in table.columns:
        match = _ACO_DRIVER.fullmatch(column) or _NAMED_DRIVER.fullmatch(column)
        if match:
            numbers.add(int(match[1]))
    if not numbers:
        raise InputError(table.path, "column DRIVER_1", "no crew columns in the header (expected DRIVER_1, "
                                                        "DRIVER_2, ... or DRIVER1_FIRSTNAME, DRIVER1_SECONDNAME, ...)")
    return sorted(numbers)


def _drivers(table: ExportTable, index: int, slots: list[int]) -> tuple[Driver, ...]:
    crew = []
    for number in slots:
        name = table.cell(index, f"DRIVER_{number}")
        if not name:
            parts = (table.cell(index, f"DRIVER{number}_FIRSTNAME"), table.cell(index, f"DRIVER{number}_SECONDNAME"))
            name = " ".join(part for part in parts if part)
        name = re.sub(r"\s+", " ", name).replace(";", ",")   # `;` separates the drivers of a results row
        if not name:
            continue
        license_column = f"DRIVER{number}_LICENSE"
        rating = parse_rating(table.cell(index, license_column))
        if rating is None:
            raise table.error(index, license_column, f"unknown FIA rating '{table.cell(index, license_column)}' "
                                                     "(expected P, G, S, B or Platinum, Gold, Silver, Bronze)")
        crew.append(Driver(name, rating))
    return tuple(crew)


def _car_number(table: ExportTable, index: int) -> str:
    number = table.cell(index, "NUMBER")
    if not number:
        raise table.error(index, "NUMBER", "the car number is empty")
    return number


def _car_class(table: ExportTable, index: int) -> str:
    car_class = table.cell(index, "CLASS")
    if not car_class:
        raise table.error(index, "CLASS", f"car {table.cell(index, 'NUMBER')} has no class")
    return car_class


def _position(table: ExportTable, index: int, column: str) -> int | None:
    """An overall position; empty or a word (`DNS`, `NC`) is no position (the car keeps its file order)."""
    return parse_count(table.cell(index, column))


def _time(table: ExportTable, index: int, column: str) -> float:
    text = table.cell(index, column)
    seconds = parse_time(text)
    if seconds is None:
        raise table.error(index, column, f"cannot read a time from '{text}' (expected h:mm'ss.sss, h:mm:ss.sss, "
                                         "m:ss.sss or seconds)")
    return seconds


def _check_unique_cars(table: ExportTable, cars) -> None:
    first_row: dict[str, int] = {}
    for car in cars:
        if car.car in first_row:
            raise table.error(car.index, "NUMBER", f"car {car.car} appears twice (rows "
                                                   f"{table.lines[first_row[car.car]]} and {table.lines[car.index]})")
        first_row[car.car] = car.index
