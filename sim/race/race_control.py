"""Race control: incidents, and the neutralisations they call (FCY, Code 60, Safety Car, red flag).

Race control is a simpy process over the incident candidates (`watch`): each is accepted by thinning
(the hazard of the drivers in the cars now against the highest possible), the car picked in proportion
to its hazard (`incident_per_hour x rating factor x venue x traffic x wet factor`; cars in the pit lane
are safe), and the outcome drawn: retirement, damage (repair time added to the next stop) or an off
(seconds lost), a drive-through for the car judged responsible, a neutralisation with
`neutralise_probability`. A car stopped on track by a failure neutralises with
`stoppage_neutralise_probability`; both times the series' `neutralise_factor` (IMSA calls a full-course
caution where the ACO series would often leave a local yellow).

A neutralisation is a red flag (`red_flag.probability`, where the series uses one) or one of the
series' procedures (`neutralisations`) by the model's weights: FCY and Code 60 run every car at the
procedure's speed, so the gaps in distance freeze; when the Safety Car comes in each class's cars are
bunched up behind their leader (`bunch`), as after a red flag (the restart behind the Safety Car). An
incident during a period extends it. When a period starts or is extended, the cars it delays are moved at once: a stint that
still ends inside the period gets its exact new time, one that ends after it is parked and woken when
the period ends. At its start (or when the pit lane opens after `sc_closed_laps` Safety-Car laps) cars
well into their stint pit at their next crossing (`opportunistic_stops`); the pit lane is closed under
a red flag and under the series' `closed_under` procedures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator

import simpy

from sim.race.car import Car
from sim.race.clock import RED, NeutralisationClock
from sim.race.draws import RaceDay
from sim.race.field import RaceInput
from sim.race.log import LogEntry
from sim.race.track import Track

FCY, CODE_60, SAFETY_CAR = "FCY", "Code60", "SC"


class PeriodEnd(simpy.Timeout):
    """The planned end of the running period; `cancelled` when the period was extended."""

    def __init__(self, env: simpy.Environment, delay: float, callback: Callable[[PeriodEnd], None]) -> None:
        super().__init__(env, delay)
        self.cancelled = False
        self.callbacks.append(callback)


class RaceControl:
    """Incidents and neutralisations of one race; acts on the cars and the neutralisation clock."""

    def __init__(self, race: RaceInput, day: RaceDay, shared: Track) -> None:
        f = race.field
        model, sporting = race.model, race.sporting
        self.env, self.clock, self.draws = shared.env, shared.clock, day
        self.log, self.tally, self.hazards = shared.log, shared.tally, shared.hazards
        self.cars: list[Car] = []       # set by the wiring once the cars exist
        self.race_s = f.race_seconds
        self.spec = model.race_control
        # the share of incidents and of cars stopped on track that race control neutralises, by the series' habit
        scale = sporting.neutralise_factor
        self.incident_neutralise_p = min(1.0, scale * self.spec.neutralise_probability)
        self.stoppage_neutralise_p = min(1.0, scale * self.spec.stoppage_neutralise_probability)
        self.incidents = model.incidents
        self.sporting = sporting
        self.lap_km = race.venue.lap_km
        self.pit_lane_loss_s = f.pit_lane_loss_s
        self.incident_factor = day.weather.incident_factor
        self.max_hazard = day.max_hazard
        self.night = shared.night
        # the series' own caution-stop habit, when it has one: it stops whoever drives (the stop re-plans the
        # drivers, and one who still owes time stays in); else the model's: cars well into their stint
        own = sporting.pit.caution_stop_fraction
        self.pit_fraction = model.strategy.pit_under_neutralisation_fraction if own is None else own
        self.spare_owing_drivers = own is None
        self.margin = model.strategy.drive_time_margin_s
        self.pit_open_at = 0.0
        self.period_end: PeriodEnd | None = None
        self.closed = False             # the race is over: a late wake-up does nothing

    # ---------------------------------------------------------------- incidents
    def watch(self, candidates: list[simpy.Timeout]) -> Generator[simpy.Timeout, object, None]:
        """The race-control process: judge every incident candidate when it comes. The candidates are
        scheduled when the race starts, at their drawn times (a timeout from the previous one would round
        the times)."""
        for candidate in candidates:
            yield candidate
            self.judge_incident(self.env.now)

    def judge_incident(self, now: float) -> None:
        """Thinning: is the candidate an incident, of which car, and what happens."""
        clock = self.clock
        if clock.running(now) and clock.kind == RED:
            return  # the cars are parked in the pit lane
        hazards = self.hazards
        draws = self.draws
        factor = self.incident_factor
        if self.night:
            factor *= self.night.incident_factor_at(now)
        threshold = next(draws.uniforms) * self.max_hazard
        if threshold >= sum(hazards) * factor:
            # rejected even with the cars in the pit lane counted: that sum (same order, non-negative terms)
            # is never below the exact one, so this cheap test rejects only what the exact one would
            return
        # hazard of each car's current driver; cars in the pit lane are safe
        on_track = [h if car.t_on <= now else 0.0 for h, car in zip(hazards, self.cars)]
        total = sum(on_track) * factor
        if threshold >= total:
            return
        pick = next(draws.uniforms) * total / factor
        c = 0
        for c, h in enumerate(on_track):  # noqa: B007 (the loop stops at the car picked: c is used after it)
            pick -= h
            if pick < 0.0 and h > 0.0:
                break
        if on_track[c] <= 0.0:
            return   # rounding left the pick past the last car on track
        self.incident(self.cars[c], now)

    def incident(self, car: Car, now: float) -> None:
        """An incident of `car`: retirement, damage or an off; a penalty; maybe a neutralisation."""
        spec, draws, log = self.incidents, self.draws, self.log
        driver = car.drivers[car.driver]
        roll = next(draws.uniforms)
        if roll < spec.retire_probability:
            if log is not None:
                log.append(LogEntry(now, car.c, "incident", f"accident ({driver}), car out"))
            car.retire(now, "accident")
            neutralise_p = max(self.incident_neutralise_p, self.stoppage_neutralise_p)
        else:
            if roll < spec.retire_probability + spec.damage_probability:
                lost = draws.lognormal(spec.damage_time_s)
                if log is not None:
                    log.append(LogEntry(now, car.c, "incident", f"contact ({driver}), damage repaired in the pits: "
                                                                f"{lost:.0f} s"))
                car.pending_extra += lost
            else:
                lost = draws.lognormal(spec.spin_time_s)
                if log is not None:
                    log.append(LogEntry(now, car.c, "incident", f"off ({driver}), {lost:.0f} s lost"))
                car.debt += lost
            if next(draws.uniforms) < spec.penalty_probability:
                car.debt += self.pit_lane_loss_s
                if log is not None:
                    log.append(LogEntry(now, car.c, "penalty", "drive-through for causing a collision"))
            neutralise_p = self.incident_neutralise_p
        if next(draws.uniforms) < neutralise_p:
            self.neutralise(now, f"incident car {car.name}")

    def car_stopped(self, car: Car, now: float) -> None:
        """A car retired by a failure stands on track: maybe a neutralisation."""
        if next(self.draws.uniforms) < self.stoppage_neutralise_p:
            self.neutralise(now, f"car {car.name} stopped on track")

    # ---------------------------------------------------------------- neutralisations
    def neutralise(self, now: float, cause: str) -> None:
        """Start a period (red flag or one of the series' procedures), or extend the running one."""
        if now >= self.race_s:
            return
        clock, spec, draws = self.clock, self.spec, self.draws
        if clock.running(now):
            kind = clock.kind
            procedure = spec.procedures.get(kind)
            extra = draws.lognormal(procedure.duration_s if procedure else spec.red_flag.duration_s) \
                * spec.extension_share
            old_end = clock.last_end
            if now + extra > old_end:
                clock.extend(now + extra)
                self._schedule_period_end(now)
                if self.log is not None:
                    self.log.append(LogEntry(now, -1, "neutralisation_extended",
                                             f"{kind} until {now + extra:.0f} s ({cause})"))
                self.unpark_within(now)
                self.delay_pending(now, old_end)
            return
        if self.sporting.red_flag and next(draws.uniforms) < spec.red_flag.probability:
            kind, lps, duration = RED, 0.0, draws.lognormal(spec.red_flag.duration_s)
        else:
            kind = self._procedure()
            if kind is None:
                return
            procedure = spec.procedures[kind]
            speed = self.sporting.procedure_speed(kind, procedure.speed_kmh)
            lps, duration = speed / 3600.0 / self.lap_km, draws.lognormal(procedure.duration_s)
        clock.open(kind, now, duration, lps)
        if self.log is not None:
            self.log.append(LogEntry(now, -1, "neutralisation_start", f"{kind}, {duration:.0f} s planned ({cause})"))
        self._schedule_period_end(now)
        self.delay_pending(now, now)
        self.pit_open_at = now
        closed_laps = self.sporting.pit.sc_closed_laps
        if kind == SAFETY_CAR and closed_laps > 0:
            self.pit_open_at = now + closed_laps / lps
            if self.pit_open_at < now + duration:
                opens = self.env.timeout(self.pit_open_at - now)
                opens.callbacks.append(self.pit_opens)
                self.tally.scheduled += 1
        elif not self.pit_closed(now):
            self.opportunistic_stops(now)

    def _procedure(self) -> str | None:
        """One of the series' procedures by the model's weights (None: none has a weight)."""
        spec = self.spec
        allowed = [name for name in self.sporting.neutralisations if name in spec.procedures]
        weights = [spec.procedures[name].weight for name in allowed]
        total = sum(weights)
        if total <= 0.0:
            return None
        pick = next(self.draws.uniforms) * total
        kind = allowed[-1]
        for name, weight in zip(allowed, weights):
            pick -= weight
            if pick < 0.0:
                kind = name
                break
        return kind

    def pit_closed(self, now: float) -> bool:
        """Pit entry closed: under a red flag, a procedure of the series' `closed_under`, or the first
        Safety-Car laps."""
        clock = self.clock
        if not clock.running(now):
            return False
        kind = clock.kind
        return kind == RED or kind in self.sporting.pit.closed_under or now < self.pit_open_at

    def _schedule_period_end(self, now: float) -> None:
        if self.period_end is not None:
            self.period_end.cancelled = True
        self.period_end = PeriodEnd(self.env, self.clock.last_end - now, self.end_period)
        self.tally.scheduled += 1

    def unpark_within(self, now: float) -> None:
        """The running period got longer: a parked car whose stint (or next failure) now falls inside it
        wakes then."""
        period_end = self.clock.last_end
        for car in self.cars:
            if car.parked:
                t_end = car.crossing(car.stint_laps)
                if t_end < period_end:
                    car.wake_at(car.respect_max_drive(now, t_end))
                elif car.fail_at < period_end:
                    car.wake_at(t_end)   # wakes at the failure

    def delay_pending(self, now: float, since: float) -> None:
        """The running period (new, or extended from `since`) delays every stint end planned from `since`
        on: such a car is moved now, exactly, if its stint still ends inside the period, else parked until
        the period ends, instead of waking early (failure wake-ups keep their time)."""
        period_end = self.clock.last_end
        for car in self.cars:
            pending = car.pending
            if pending is None:
                continue
            at = pending.at
            if at < since or car.fail_at <= at:
                continue
            if at < period_end:
                t_end = car.crossing(car.stint_laps)
                if t_end < period_end or car.fail_at < period_end:
                    car.wake_at(car.respect_max_drive(now, t_end))
                    continue
            if car.near_rule_limit():
                # a driver a maximum binds may have to come in while the period runs
                t_stop = car.respect_max_drive(now, car.crossing(car.stint_laps))
                if t_stop < period_end:
                    car.wake_at(t_stop)
                    continue
            car.park()   # a stint end at or after the period's end only moves later

    def pit_opens(self, ev: simpy.Timeout) -> None:
        """The first Safety-Car laps are over: the pit lane opens."""
        now = self.env.now
        if not self.closed and self.clock.running(now):
            self.opportunistic_stops(now)

    def opportunistic_stops(self, now: float) -> None:
        """Cars well into their stint pit at their next crossing while the field is slow."""
        remaining = self.race_s - now
        fraction, margin = self.pit_fraction, self.margin
        for car in self.cars:
            t_on = car.t_on
            if car.done or t_on > now:
                continue
            stint_laps, pace = car.stint_laps, car.pace
            # wall time overstates progress, so this cheap test never skips a car that is far enough in
            if now - t_on < fraction * (stint_laps - 1) * pace * 0.9:
                continue
            if self.spare_owing_drivers:
                d = car.driver
                minimum = car.plan.min_drive_s[d]
                minimum = minimum + margin if minimum > 0.0 else 0.0
                crew = car.plan.crew_targets
                if crew is not None and crew[d] > minimum:
                    minimum = crew[d]
                if minimum > 0.0 and car.drive[d] + (now - t_on) < minimum:
                    continue  # this driver still needs the time
            k, _ = car.laps_done(now)
            if k + 1 >= stint_laps or (k + 1) < fraction * stint_laps:
                continue
            if (stint_laps - k) * pace > remaining:
                continue  # the fuel on board reaches the flag
            car.stint_laps = k + 1
            car.wake_at(car.crossing(k + 1))

    def end_period(self, ev: PeriodEnd) -> None:
        """The period ends: Safety Car bunching, and the delayed cars woken at their exact stint ends."""
        if ev.cancelled:
            return
        now = self.env.now
        kind = self.clock.kind
        if self.log is not None:
            self.log.append(LogEntry(now, -1, "neutralisation_end", kind))
        procedure = self.spec.procedures.get(kind)
        if kind == RED:
            procedure = self.spec.procedures.get(SAFETY_CAR)  # restart behind the Safety Car
        if procedure is not None and procedure.bunching:
            for car in bunch(self.cars, self.clock, now, procedure.train_gap_s):
                if not car.parked:
                    # closing up brings its stint end forward: the wake-up planned for it would be late
                    car.wake_at(car.respect_max_drive(now, car.crossing(car.stint_laps)))
        for car in self.cars:
            if car.parked:
                # the delay is final now: wake the car exactly at its stint end
                car.wake_at(car.respect_max_drive(now, car.crossing(car.stint_laps)))
            elif car.deadline < math.inf and not car.done and car.t_on < now and car.pending is not None:
                # a stint the drive-time plan keeps short: call the driver in before the period's delay
                # takes the next drivers' time
                t_end = car.crossing(car.stint_laps)
                if t_end > car.deadline:
                    car.wake_at(car.respect_max_drive(now, t_end))


def bunch(cars: list[Car], clock: NeutralisationClock, now: float, gap_s: float) -> list[Car]:
    """Safety Car train, anchored on each class's leader on track: the cars behind him close up to the
    train, the k-th of the class k train gaps behind him, plus the whole laps it was down (laps down stay
    down); returns the cars that gained distance (their stint ends come earlier).

    On track nobody loses distance to a Safety Car: the cars behind run faster than the train until they
    reach it. Moving the cars ahead back instead cost every class leader the fractions of a lap it held
    over its class at every Safety Car (long-race class winners 1.5-3.5 % short, docs/long-races.md). A car
    in the pit lane rejoins wherever it comes out; a car closing up reaches at most its pit entry (the end
    of its stint's last lap)."""
    by_class: dict[int, list[tuple[float, int, float]]] = {}
    for car in cars:
        t_on = car.t_on
        if car.done or now <= t_on:
            continue  # retired, or in the pit lane
        # green running done in this stint (the period ending now began after t_on or covers it)
        pace = car.pace
        progress = clock.green(t_on, now, pace) - car.debt
        by_class.setdefault(car.class_index, []).append((car.laps_before + progress / pace, car.c, progress))
    gained: list[Car] = []
    for members in by_class.values():
        members.sort(reverse=True)
        lead = members[0][0]
        train_gap = gap_s / cars[members[0][1]].pace   # in laps, at the leader's pace: the train's order holds
        for k in range(1, len(members)):
            pos, c, progress = members[k]
            car = cars[c]
            behind = lead - pos
            down = math.floor(behind)
            new_pos = min(lead - down - min(behind - down, k * train_gap), car.laps_before + car.stint_laps)
            target = (new_pos - car.laps_before) * car.pace
            if target - progress > 1e-9 * car.pace:
                car.debt -= target - progress   # a gain: negative time lost
                gained.append(car)
    return gained
