"""The wiring of one race: a simpy Environment, the cars' wake-ups, race control's process, the flag.

`run_race(race, rng)` draws the race day (`sim.race.draws`), puts every car on the grid with its first
stint (the drive-time plan's first driver, `sim.race.planner`), schedules the incident candidates race
control watches (`sim.race.race_control`) and the race end, and runs simpy until the end
(`Environment.run(until=...)`); the flag (`sim.race.finish`) closes every running car, and the state at
the flag is classified (`sim.race.classification`). simpy is used through its public API only: timeouts
with callbacks for the cars' decisions, a process for race control.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Generator, Iterator

import numpy as np
import simpy

from sim.race.car import Car
from sim.race.classification import RaceEnd, classify
from sim.race.draws import RaceDay
from sim.race.field import RaceInput
from sim.race.finish import flag_lap, leader_on_flag_lap, take_flag
from sim.race.outcome import RaceOutcome
from sim.race.planner import plan_tables
from sim.race.race_control import RaceControl
from sim.race.track import Track


class RaceSimulation:
    """One race being run: the race day, the cars and race control on one simpy Environment."""

    def __init__(self, race: RaceInput, rng: np.random.Generator, log: bool = True,
                 season_pace_s: np.ndarray | None = None) -> None:
        self.race = race
        self.day = RaceDay(race, rng, season_pace_s)
        self.track = track = Track(race, log)
        self.env = track.env
        self.clock = track.clock
        self.control = track.control = RaceControl(race, self.day, track)
        plans = plan_tables(race.field, self.day.weather.lap_factor, race.model.strategy)
        self.cars = [Car(c, race, self.day, plans[c], track) for c in range(race.field.n)]
        self.control.cars = self.cars

    def start(self) -> simpy.Event:
        """Grid and first stints, the incident candidates race control watches, and the race end (returned)."""
        f = self.race.field
        spacing = self.race.model.start.grid_spacing_s
        reserve_laps = f.reserve_laps
        for car in self.cars:
            c = car.c
            plan = car.plan.start
            if plan is None:
                # the first plan reads only the car's rules and expected pace (unless it falls back on today's
                # fastest driver): made in the first run of this race, reused by the others
                plan, todays_pace = car.next_plan(0.0, f.qualifying_driver[c])
                if not todays_pace:
                    car.plan.start = plan
            car.debt = self.day.grid_slot[c] * spacing   # the rolling start: each grid slot a little later
            car.start_stint(0.0, plan, reserve_laps[c])
        env = self.env
        candidates = [env.timeout(t) for t in self.day.incident_times]
        self.track.tally.scheduled += len(candidates)
        env.process(self.control.watch(candidates))
        self.track.tally.scheduled += 1
        if self.race.distance_km is None:
            end = env.timeout(f.race_seconds)
            end.callbacks.append(self.finish)
            return end
        distance_end = env.event()
        env.process(self._time_or_distance(distance_end, flag_lap(self.race.distance_km, self.race.venue.lap_km)))
        return distance_end

    def finish(self, ev: simpy.Timeout) -> None:
        take_flag(self.cars, self.clock, self.env.now, self.race.field.race_seconds, self.race.venue.lap_km,
                  self.track.log)

    def _time_or_distance(self, end: simpy.Event, laps: int) -> Generator[simpy.Timeout, object, None]:
        """A race with a distance limit: a look at the leader every half lap of the fastest car (so that
        his last lap is seen before he ends it) until he is on the lap that completes the distance, or time
        expires; then the flag, as at the end of time, and the race `end`."""
        env, race_s = self.env, self.race.field.race_seconds
        tick = 0.5 * min(self.race.field.base_lap)
        at = 0.0
        while at < race_s:
            at = min(at + tick, race_s)
            yield env.timeout(at - env.now)
            self.track.tally.scheduled += 1
            if at < race_s and leader_on_flag_lap(self.cars, at, laps):
                race_s = at   # the flag falls as if time expired now
        take_flag(self.cars, self.clock, env.now, race_s, self.race.venue.lap_km, self.track.log)
        end.succeed()

    def run(self) -> RaceOutcome:
        """Run the race to its end and classify it."""
        end = self.start()
        self.env.run(until=end)
        outcome = classify(self.race, self.race_end())
        self._release()
        return outcome

    def race_end(self) -> RaceEnd:
        """The state at the flag, as classification reads it."""
        cars, track = self.cars, self.track
        race_s = self.race.field.race_seconds
        return RaceEnd(
            done=[car.done for car in cars], missed_flag=[car.missed_flag for car in cars],
            final_laps=[car.final_laps for car in cars], retire_t=[car.retire_t for car in cars],
            finish_t=[car.finish_t for car in cars], drive=[car.drive for car in cars],
            spans=[car.spans for car in cars],
            pit_stops=[car.pit_stops for car in cars], fuel_used=[car.fuel_used for car in cars],
            grid_slot=self.day.grid_slot, qualifying_s=self.day.qualifying_s,
            red_s=self.clock.red_time(0.0, race_s), wet=self.day.weather.wet,
            neutralisations=self.clock.periods(race_s), stints=track.stints, noise_sd=self.day.noise_sd,
            rng=self.day.rng, log=track.log, events=track.tally.scheduled, cancelled_events=track.tally.cancelled)

    def _release(self) -> None:
        """Leave no reference cycle behind, so that reference counting frees the race at once while the
        garbage collector is paused (`gc_paused`): the wake-ups still queued are called off and run out
        (simpy holds them, and they hold the cars), and the cars let go of race control."""
        for car in self.cars:
            car.cancel_wake()
        if self.control.period_end is not None:
            self.control.period_end.cancelled = True
        self.control.closed = True
        self.env.run()
        for car in self.cars:
            car.control = None
        self.track.control = None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside the block, restored after: a race (or a chunk of seasons)
    allocates thousands of short-lived containers whose collections cost ~10 %, and leaves no reference
    cycle of its own behind (`RaceSimulation._release`; simpy's Environment keeps a cycle of eight small
    objects, its bound event constructors, which the collector takes when it runs again)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_race(race: RaceInput, rng: np.random.Generator, log: bool = True,
             season_pace_s: np.ndarray | None = None) -> RaceOutcome:
    """Simulate one CompiledRace with its Generator; numpy arrays out, no pandas.

    `log=False` skips the event log (Monte Carlo): the race itself, and every draw, is the same.
    `season_pace_s`: each car's season-long pace effect (s per lap, one per car of the field, + slower),
    drawn once per season from the season's stream (`sim.season_plan.SeasonPlan.season_pace`) and added to
    the race-day form; None: every car at its prior pace. The race's own draws do not depend on it.
    The cyclic garbage collector is paused during the race (`gc_paused`)."""
    with gc_paused():
        return RaceSimulation(race, rng, log, season_pace_s).run()
