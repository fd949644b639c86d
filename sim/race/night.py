"""Darkness in a race: when it is dark (the race's darkness intervals, computed from the round's date, start
time and venue when the scenario is compiled; none under floodlights), how much of a stint runs in it, and
the measured factors that apply then (`configs/race-model.yaml` `night:`): a class's lap-time factor and the
incident-hazard factor.

A race without darkness reads none of this: its draws and results are those of a race run before night
running existed (the 4-hour Asian LMS races run in daylight or under floodlights).
"""

from __future__ import annotations

from sim.race.field import RaceInput
from sim.race.log import LogEntry


class Night:
    """The darkness of one race (seconds after the start) and its factors."""

    __slots__ = ("spans", "incident_factor", "lap_factor")

    def __init__(self, race: RaceInput) -> None:
        self.spans: tuple[tuple[float, float], ...] = tuple(race.darkness)
        night = race.model.night
        self.incident_factor = night.incident_factor if self.spans else 1.0
        self.lap_factor: list[float] = [night.lap_factor.get(entry.class_name, 1.0) if self.spans else 1.0
                                        for entry in race.entries]

    def __bool__(self) -> bool:
        return bool(self.spans)

    def dark_at(self, t: float) -> bool:
        return any(since <= t < to for since, to in self.spans)

    def dark_share(self, t0: float, t1: float) -> float:
        """Share of [t0, t1) in darkness."""
        if t1 <= t0:
            return 1.0 if self.dark_at(t0) else 0.0
        dark = sum(max(0.0, min(t1, to) - max(t0, since)) for since, to in self.spans)
        return dark / (t1 - t0)

    def stint_factor(self, c: int, t_on: float, duration: float) -> float:
        """Car `c`'s lap-time factor over a stint from `t_on` lasting about `duration` seconds of racing:
        its class's darkness factor weighted by the stint's share in darkness."""
        factor = self.lap_factor[c]
        if factor == 1.0:
            return 1.0
        return 1.0 + (factor - 1.0) * self.dark_share(t_on, t_on + duration)

    def incident_factor_at(self, t: float) -> float:
        return self.incident_factor if self.dark_at(t) else 1.0

    def log_entries(self, race_s: float) -> list[LogEntry]:
        """Sunset and sunrise within the race, as race-wide log entries."""
        entries = []
        for since, to in self.spans:
            hours = (to - since) / 3600
            until = "the flag" if to >= race_s - 1e-6 else "sunrise"
            entries.append(LogEntry(since, -1, "darkness", f"dark until {until} ({hours:.1f} h, unlit venue): "
                                                           f"class lap factors, incidents x {self.incident_factor:g}"))
            if to < race_s - 1e-6:
                entries.append(LogEntry(to, -1, "daylight", "sunrise"))
        return entries
