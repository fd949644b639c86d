"""The race event log: entries (time, car index, event, detail) kept raw while the race runs and
formatted into a DataFrame (time_s, car, event, detail) only when asked for."""

from __future__ import annotations

from typing import NamedTuple


class LogEntry(NamedTuple):
    time_s: float
    car: int          # index in the field; -1 for race-wide events (race control, the flag)
    event: str
    detail: object    # text, or a PitStopRecord


class PitStopRecord(NamedTuple):
    """A pit stop as the car made it (formatted only when the log is read)."""

    lap: int
    duration_s: float         # in the pit lane
    stationary_s: float
    repairs_s: float
    fuel_l: float
    tyres_s: float
    driver_out: int
    driver_in: int


def format_detail(field, car: int, event: str, detail) -> str:
    """Readable text of one log entry."""
    if not isinstance(detail, PitStopRecord):
        return str(detail)
    parts = [f"lap {detail.lap}", f"{detail.duration_s:.1f} s in the pit lane, {detail.stationary_s:.1f} s stationary"]
    if detail.repairs_s:
        parts.append(f"{detail.repairs_s:.0f} s repairs")
    parts.append(f"{detail.fuel_l:.1f} l")
    if detail.tyres_s:
        parts.append("tyres")
    if detail.driver_in != detail.driver_out:
        names = field.drivers[car]
        parts.append(f"driver {names[detail.driver_out]} -> {names[detail.driver_in]}")
    return "; ".join(parts)


def log_to_frame(race, outcome):
    """The event log as a DataFrame: race, time_s, car, event, detail (car empty for race-wide events)."""
    import pandas as pd   # not on the race's hot path: only when a log is read

    field = race.field
    rows = sorted(outcome.log, key=lambda row: row.time_s)
    return pd.DataFrame({
        "race": [outcome.race_id] * len(rows),
        "time_s": [round(row.time_s, 3) for row in rows],
        "car": [field.cars[row.car] if row.car >= 0 else "" for row in rows],
        "event": [row.event for row in rows],
        "detail": [format_detail(field, row.car, row.event, row.detail) for row in rows],
    })
