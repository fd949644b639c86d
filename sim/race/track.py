"""What the cars and race control of one race share: the simpy Environment, the neutralisation clock, the
event log, the stints run, the incident hazard of the driver in each car, the event tally and the
race-wide constants of a stop; and what a car asks of race control (`ControlPort`)."""

from __future__ import annotations

from typing import Any, Protocol

import simpy

from sim.race.clock import NeutralisationClock
from sim.race.field import RaceInput
from sim.race.log import LogEntry
from sim.race.night import Night


class ControlPort(Protocol):
    """What a car asks of race control (`sim.race.race_control.RaceControl`)."""

    def pit_closed(self, now: float) -> bool: ...

    def car_stopped(self, car: Any, now: float) -> None: ...


class StintLog:
    """The stints run, in race order, as columns: car, index of its first lap, laps, mean lap (the fastest
    laps are drawn from them after the race, `sim.race.outcome.fastest_laps`)."""

    __slots__ = ("car", "first_lap", "laps", "pace")

    def __init__(self) -> None:
        self.car: list[int] = []
        self.first_lap: list[int] = []
        self.laps: list[int] = []
        self.pace: list[float] = []

    def add(self, car: int, first_lap: int, laps: int, pace: float) -> None:
        self.car.append(car)
        self.first_lap.append(first_lap)
        self.laps.append(laps)
        self.pace.append(pace)

    def __len__(self) -> int:
        return len(self.car)


class Tally:
    """simpy timeouts the race scheduled, and car wake-ups cancelled before they fired (diagnostics)."""

    __slots__ = ("scheduled", "cancelled")

    def __init__(self) -> None:
        self.scheduled = 0
        self.cancelled = 0


class StopRules:
    """The race-wide constants of a stop and of the drive-time margin."""

    __slots__ = ("margin", "min_refuel_s", "overlap", "pit_lane_loss_s", "closed_s")

    def __init__(self, race: RaceInput) -> None:
        self.margin = race.model.strategy.drive_time_margin_s
        self.closed_s = race.field.pit_closed_s   # a driver near a rule's limit keeps this in hand
        self.min_refuel_s = race.sporting.pit.min_refuel_s
        self.overlap = race.sporting.pit.refuel_tyres_overlap
        self.pit_lane_loss_s = race.field.pit_lane_loss_s


class Track:
    """What the cars and race control share: the Environment, the neutralisation clock, the log, the
    stints run, the incident hazard of the driver in each car (0 once retired), the event tally, the darkness."""

    def __init__(self, race: RaceInput, log: bool) -> None:
        self.env = simpy.Environment()
        self.clock = NeutralisationClock()
        self.log: list[LogEntry] | None = [] if log else None
        self.stints = StintLog()
        self.tally = Tally()
        self.hazards = [0.0] * race.field.n
        self.rules = StopRules(race)
        self.control: ControlPort | None = None   # set by the wiring
        self.night = Night(race)
        if self.log is not None and self.night:
            self.log.extend(self.night.log_entries(race.field.race_seconds))
