"""The race event log: entries (time, car index, event, detail) kept raw while the race runs and
formatted only when read (`sim.race.outcome.log_to_frame`)."""

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


def format_detail(drivers: tuple[str, ...], detail: object) -> str:
    """Readable text of one log entry's detail (`drivers`: the car's crew)."""
    if not isinstance(detail, PitStopRecord):
        return str(detail)
    parts = [f"lap {detail.lap}", f"{detail.duration_s:.1f} s in the pit lane, {detail.stationary_s:.1f} s stationary"]
    if detail.repairs_s:
        parts.append(f"{detail.repairs_s:.0f} s repairs")
    parts.append(f"{detail.fuel_l:.1f} l")
    if detail.tyres_s:
        parts.append("tyres")
    if detail.driver_in != detail.driver_out:
        parts.append(f"driver {drivers[detail.driver_out]} -> {drivers[detail.driver_in]}")
    return "; ".join(parts)
