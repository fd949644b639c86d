"""The neutralisation clock: the race's periods under FCY, Code 60, Safety Car or red flag, and each
car's conversion between green running and wall-clock time through them.

A neutralisation runs every car at the same speed (`lps`, laps per second at the procedure's speed), so
a car whose green lap takes `lap` seconds progresses at rate min(1, lap x lps) of its green running: the
slower classes lose less than the faster ones, as on track. A red flag is a period at speed 0 whose
time is also taken out of the drive-time clocks. Race control (`sim.race.race_control`) opens, extends
and closes the periods; cars read them. Only the known periods count: the future is assumed green.
"""

from __future__ import annotations

import math
from typing import NamedTuple

RED = "RED"   # the red flag's kind (the other kinds are the procedures' names: FCY, Code60, SC)


class Period(NamedTuple):
    """A neutralisation as a race reports it."""

    kind: str        # FCY, Code60, SC or RED
    start_s: float
    end_s: float


class NeutralisationClock:
    """The race's neutralisation periods as parallel lists (the last one may still be running)."""

    __slots__ = ("starts", "ends", "lps", "kinds", "any_red", "last_end")

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.lps: list[float] = []       # laps per second under the period (0: red flag)
        self.kinds: list[str] = []
        self.any_red = False
        # the planned end of the last period (-inf: none yet): a period runs at t while last_end > t (read by the
        # cars at every stint conversion, so an attribute rather than a call)
        self.last_end = -math.inf

    def open(self, kind: str, now: float, duration: float, lps: float) -> None:
        """A new period from `now`, planned to last `duration` seconds."""
        self.starts.append(now)
        self.ends.append(now + duration)
        self.last_end = self.ends[-1]
        self.lps.append(lps)
        self.kinds.append(kind)
        self.any_red = self.any_red or kind == RED

    def running(self, now: float) -> bool:
        """Whether a period is still running at `now` (for a stint's start time t_on: whether a period
        reaches into the stint, so that its green running is no longer its wall time)."""
        return self.last_end > now

    def extend(self, end: float) -> None:
        """The running period now ends at `end`."""
        self.ends[-1] = end
        self.last_end = end

    @property
    def kind(self) -> str:
        """The kind of the last period."""
        return self.kinds[-1]

    def green(self, t0: float, t1: float, lap: float) -> float:
        """Green-running seconds a car with green lap `lap` can do between wall times t0 <= t1.

        Periods are scanned from the newest back to t0: usually none or one is involved."""
        g = t1 - t0
        starts, ends, lps = self.starts, self.ends, self.lps
        i = len(starts) - 1
        while i >= 0:
            e = ends[i]
            if e <= t0:
                break
            s = starts[i]
            if s < t1:
                r = lap * lps[i]
                if r < 1.0:
                    g -= (1.0 - r) * ((e if e < t1 else t1) - (s if s > t0 else t0))
            i -= 1
        return g

    def neutral_progress(self, t0: float, t1: float, lap: float) -> float:
        """Green-equivalent running done under neutralisation between t0 and t1 (for fuel).

        Periods over by t0 add nothing: the sum starts at the first one still running then."""
        starts, ends, lps = self.starts, self.ends, self.lps
        count = i = len(starts)
        while i > 0 and ends[i - 1] > t0:
            i -= 1
        total = 0.0
        for j in range(i, count):
            s = starts[j]
            if s >= t1:
                break
            lo = s if s > t0 else t0
            e = ends[j]
            hi = e if e < t1 else t1
            r = lap * lps[j]
            total += (r if r < 1.0 else 1.0) * (hi - lo)
        return total

    def red_time(self, t0: float, t1: float) -> float:
        """Wall seconds between t0 and t1 under red flag (excluded from drive times)."""
        if not self.any_red:
            return 0.0
        total = 0.0
        for s, e, kind in zip(self.starts, self.ends, self.kinds):
            if kind == RED:
                lo = s if s > t0 else t0
                hi = e if e < t1 else t1
                if hi > lo:
                    total += hi - lo
        return total

    def wall_at(self, t0: float, g: float, lap: float) -> float:
        """Earliest wall time by which a car with green lap `lap`, running from t0, has done g green
        seconds (known periods only; the future is assumed green)."""
        starts, ends, lps = self.starts, self.ends, self.lps
        count = i = len(starts)
        while i > 0 and ends[i - 1] > t0:
            i -= 1
        t = t0
        for j in range(i, count):
            s = starts[j]
            if s > t:
                if g <= s - t:
                    return t + g
                g -= s - t
                t = s
            r = lap * lps[j]
            if r > 1.0:
                r = 1.0
            if r > 0.0:
                span = (ends[j] - t) * r
                if g <= span:
                    return t + g / r
                g -= span
            t = ends[j]
        return t + g

    def periods(self, race_seconds: float) -> list[Period]:
        """Every period, the last one cut at the end of the race."""
        return [Period(kind, start, min(end, race_seconds)) for kind, start, end in zip(self.kinds, self.starts, self.ends)]
