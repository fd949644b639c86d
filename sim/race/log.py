"""The race event log: rows (time, car index, event, detail) kept raw in the hot path and
formatted into a DataFrame (time_s, car, event, detail) only when asked for."""

from __future__ import annotations


def format_detail(field, car: int, event: str, detail) -> str:
    """Readable text of one log row; pit stops are stored as a raw tuple to keep the hot path cheap."""
    if event != "pit_stop":
        return str(detail)
    lap, duration, stationary, extra, fuel, tyres, driver_out, driver_in = detail
    parts = [f"lap {lap}", f"{duration:.1f} s in the pit lane, {stationary:.1f} s stationary"]
    if extra:
        parts.append(f"{extra:.0f} s repairs")
    parts.append(f"{fuel:.1f} l")
    if tyres:
        parts.append("tyres")
    if driver_in != driver_out:
        names = field.drivers[car]
        parts.append(f"driver {names[driver_out]} -> {names[driver_in]}")
    return "; ".join(parts)


def log_to_frame(race, outcome):
    """The event log as a DataFrame: race, time_s, car, event, detail (car empty for race-wide events)."""
    import pandas as pd

    field = race.field
    rows = sorted(outcome.log, key=lambda row: row[0])
    return pd.DataFrame({
        "race": [outcome.race_id] * len(rows),
        "time_s": [round(row[0], 3) for row in rows],
        "car": [field.cars[row[1]] if row[1] >= 0 else "" for row in rows],
        "event": [row[2] for row in rows],
        "detail": [format_detail(field, row[1], row[2], row[3]) for row in rows],
    })
