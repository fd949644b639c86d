"""One car in the race: its stints, pit stops, driver changes, failures and retirement.

Lap times are never simulated one by one: a stint of n laps runs at its own mean lap (pace + the mean of
n laps' noise, one normal drawn when it starts) and takes n times that of *green running*, converted to
wall-clock time through the neutralisation clock. The car has at most one pending wake-up in simpy's
queue (`Wake`): the end of its stint (pit entry) or its next failure, whichever comes first. Race control
moves the wake-ups a neutralisation delays (cancelling the old one: simpy cannot take an event back, so a
cancelled wake-up's callback returns at once) or parks the car until the period ends.

What happens at the end of a stint (the stint's laps, drive time, fuel) is `close_stint`, shared by the
pit entry, a retirement and the flag.
"""

from __future__ import annotations

import math

import simpy

from sim.race import pit
from sim.race.draws import RaceDay
from sim.race.drive_rules import DriveSpan, spell_caps, stint_cap, stint_time_left
from sim.race.field import RaceInput
from sim.race.log import LogEntry, PitStopRecord
from sim.race.planner import CarPlan, StintPlan, choose_driver
from sim.race.track import Track

EPS = 1e-6


class Wake(simpy.Timeout):
    """A car's next decision point (`Car.wake_at`): its stint end or its next failure at wall time `at`.
    `debt` is the car's time lost when it was planned (a later loss may have moved the stint end);
    `cancelled` is set when the car is re-planned: simpy cannot take an event back, so its callback checks."""

    at: float
    debt: float
    cancelled = False


class Car:
    """State and decisions of one car (index `c` in the field)."""

    __slots__ = (
        # the race (shared)
        "env", "clock", "draws", "control", "log", "stints", "tally", "hazards", "race_s", "rules", "night",
        # the car's constants
        "c", "class_index", "name", "drivers", "pit", "plan", "incident_hazard", "max_drive_s", "car_base", "driver_pace",
        "fastest_driver", "noise_sd", "lap_factor", "stop_cost", "full_laps", "repair_probability",
        "repair_median_s", "repair_sigma", "spell_limits",
        # state
        "done", "t_on", "laps_before", "stint_laps", "pace", "debt", "driver", "tank", "fuel_used", "pit_stops",
        "stints_on_tyres", "reserve_used", "drive", "retire_t", "final_laps", "finish_t", "pending_extra",
        "deadline", "missed_flag", "pending", "parked", "failure_times", "failures", "fail_at", "spans", "in_since",
        "rule_deadline")

    def __init__(self, c: int, race: RaceInput, day: RaceDay, plan: CarPlan, shared: Track) -> None:
        f = race.field
        self.env, self.clock, self.draws, self.control = shared.env, shared.clock, day, shared.control
        self.log, self.stints, self.tally, self.hazards = shared.log, shared.stints, shared.tally, shared.hazards
        self.race_s = f.race_seconds
        self.rules = shared.rules
        self.night = shared.night
        self.c = c
        self.class_index = f.class_idx[c]
        self.name = f.cars[c]
        self.drivers = f.drivers[c]
        self.pit = f.pit_constants[c]
        self.plan = plan
        self.incident_hazard = f.incident_hazard[c]
        self.max_drive_s = f.max_drive_s[c]
        self.car_base = day.car_base[c]
        self.driver_pace = day.driver_pace[c]
        self.fastest_driver = day.fastest_driver[c]
        self.noise_sd = day.noise_sd[c]
        self.lap_factor = day.weather.lap_factor
        self.stop_cost = f.stint_constants.stop_cost[c]
        self.full_laps = f.stint_constants.full_laps[c]
        self.repair_probability = f.repair_probability[c]
        self.repair_median_s = f.repair_median_s[c]
        self.repair_sigma = f.repair_sigma[c]
        self.spell_limits = f.spell_limits[c] if len(f.drivers[c]) > 1 else None
        self.done = False
        self.t_on = 0.0                 # wall time the current stint's green running starts (pit exit)
        self.laps_before = 0            # laps completed before the current stint
        self.stint_laps = 0
        self.pace = 0.0                 # the current stint's mean lap
        self.debt = 0.0                 # green seconds lost in this stint (grid, spins, penalties, bunching)
        self.driver = 0
        self.tank = f.fuel_capacity[c]
        self.fuel_used = 0.0
        self.pit_stops = 0
        self.stints_on_tyres = 0
        self.reserve_used = 0
        self.drive = [0.0] * len(f.drivers[c])
        self.retire_t = math.nan
        self.final_laps = 0
        self.finish_t = math.nan
        self.pending_extra = 0.0        # repair seconds to add at the next stop
        self.deadline = math.inf        # wall time a stint planned short must end by (drive-time plan)
        self.missed_flag = False        # still in the garage when the flag fell
        self.pending: Wake | None = None
        self.parked = False             # delayed past a running neutralisation: woken at its end
        self.failure_times = day.failure_times[c]
        self.failures = 0
        self.fail_at = self.failure_times[0]
        self.spans: list[DriveSpan] = []   # every stint: driver, pit exit, pit entry (wall s)
        self.in_since = math.nan        # when the driver in the car got in (his spell, stops included)
        self.rule_deadline = False      # the deadline is a window / continuous-driving limit, not the plan's

    # ---------------------------------------------------------------- where the car is
    def laps_done(self, now: float) -> tuple[int, float]:
        """Laps completed in the current stint at `now`, and the fraction of the next one."""
        t_on = self.t_on
        if now <= t_on:
            return 0, 0.0
        p = self.pace
        if self.clock.last_end > t_on:   # a neutralisation reaches into this stint
            e = self.clock.green(t_on, now, p) - self.debt
        else:
            e = now - t_on - self.debt
        if e <= 0.0:
            return 0, 0.0
        laps = e / p
        k = int(laps)
        return k, laps - k

    def crossing(self, k: int) -> float:
        """Wall time the car completes lap k of its current stint (known periods only)."""
        pace = self.pace
        g = pace * k + self.debt
        t_on = self.t_on
        if self.clock.last_end <= t_on:
            return t_on + g   # no neutralisation in this stint yet: green running is wall time
        return self.clock.wall_at(t_on, g, pace)

    # ---------------------------------------------------------------- wake-ups
    def wake_at(self, at: float) -> None:
        """Wake the car at `at` (or at its next failure, if earlier); replaces its pending wake-up."""
        if self.pending is not None:
            self.cancel_wake()
        self.parked = False
        fail_at = self.fail_at
        if fail_at < at:
            at = fail_at
        elif at >= self.race_s and self.flag_within_max_drive():
            return   # the stint reaches the flag: the finish takes it from here
        now = self.env.now
        wake = self.pending = Wake(self.env, at - now if at > now else 0.0)
        wake.at = at
        wake.debt = self.debt
        wake.callbacks.append(self.wake)
        self.tally.scheduled += 1

    def cancel_wake(self) -> None:
        """Call off the pending wake-up (re-planned, retired, or parked until a neutralisation ends)."""
        pending = self.pending
        if pending is not None:
            pending.cancelled = True
            self.tally.cancelled += 1
            self.pending = None

    def park(self) -> None:
        """Delayed past the running neutralisation: race control wakes the car when it ends."""
        self.cancel_wake()
        self.parked = True

    def wake(self, ev: Wake) -> None:
        """The wake-up's callback: a failure, the stint's end (pit entry), or a stint a time loss moved."""
        if ev.cancelled:
            return
        self.pending = None
        if self.done:
            return
        now = self.env.now
        if self.fail_at <= now + EPS:
            self.fail(now)
            return
        laps = self.stint_laps
        if self.debt != ev.debt:
            # a time loss since the wake-up was planned (a spin, a penalty, Safety Car bunching) may have
            # delayed the stint: is this still its end? (a neutralisation moves the wake-ups it delays itself
            # when it starts, see `RaceControl.delay_pending`, so only time losses count here)
            t_end = self.crossing(laps)
            if t_end > now + EPS:
                clock = self.clock
                if t_end >= clock.last_end > now and self.fail_at >= clock.last_end:
                    # it ends after the running neutralisation, which may still get longer: park the car,
                    # race control schedules it once, exactly, when the period ends
                    self.parked = True
                    return
                self.wake_at(self.respect_max_drive(now, t_end))
                return
        self.enter_pits(now, laps, 0.0, False)

    # ---------------------------------------------------------------- drive-time maximums
    def flag_within_max_drive(self) -> bool:
        """True when the driver can stay in until the flag without passing his maximum or the end the
        drive-time plan gave his stint (a stint stretched past the flag by a neutralisation may still have
        to be cut short for the next driver)."""
        d = self.driver
        left = stint_time_left(self.max_drive_s[d], self.drive[d], self.rules.margin / 2, self.t_on, self.deadline)
        return self.race_s + 2 * self.pace - self.t_on <= left

    def near_rule_limit(self) -> bool:
        """Whether a rule may end this stint early: the driver has a maximum, or a window / continuous-
        driving limit set the stint's deadline."""
        return self.rule_deadline or self.max_drive_s[self.driver] < math.inf

    def respect_max_drive(self, now: float, t_end: float) -> float:
        """Call the driver in early when a delayed stint would take him past his maximum drive time, or past
        the end the drive-time plan gave his stint (the next drivers need that time)."""
        d = self.driver
        t_on = self.t_on
        # a full margin: a closed pit lane can keep him out for two more (slow) laps
        left = stint_time_left(self.max_drive_s[d], self.drive[d], self.rules.margin, t_on, self.deadline)
        if self.race_s + self.pace - t_on <= left:
            return t_end  # the flag comes first
        by_plan = not self.rule_deadline and self.deadline - t_on == left
        if by_plan:
            if t_end - t_on <= left:
                return t_end  # within the limit
            end_of = self.crossing
        else:
            # a rule's limit: the stop must come before it even if the pit entry is closed at first, now or
            # by a Safety Car still to come
            left -= self.rules.closed_s
            end_of = self.stop_time
            if end_of(self.stint_laps) - t_on <= left:
                return t_end
        k, _ = self.laps_done(now)
        laps = self.stint_laps
        while laps > k + 1 and end_of(laps) - t_on > left:
            laps -= 1
        if laps == self.stint_laps:
            return t_end
        self.stint_laps = laps
        if self.log is not None:
            why = "at the end of his planned stint" if by_plan else "near the maximum drive time"
            self.log.append(LogEntry(now, self.c, "driver_called_in", f"{self.drivers[d]} {why}"))
        return self.crossing(laps)

    def stop_time(self, laps: int) -> float:
        """When the car can stop at the end of lap `laps` of this stint: that crossing, or under a closed
        pit entry (the first Safety-Car laps) the first crossing after it opens, within the reserve."""
        t = self.crossing(laps)
        extra = 0
        while extra <= self.pit.reserve_laps and self.clock.last_end > t and self.control.pit_closed(t):
            extra += 1
            t = self.crossing(laps + extra)
        return t

    # ---------------------------------------------------------------- stints
    def start_stint(self, t_on: float, plan: StintPlan, reserve_laps: int) -> None:
        """The next stint from pit exit `t_on`: its driver, its laps (fuel, or the plan's), its mean lap, and
        the wake-up at its end."""
        driver, planned, limit = plan
        if driver != self.driver or self.in_since != self.in_since:   # (nan: the first stint)
            self.in_since = t_on
        self.driver = driver
        self.t_on = t_on
        self.deadline = t_on + limit if limit else math.inf
        self.rule_deadline = False
        self.hazards[self.c] = self.incident_hazard[driver]
        laps = int(self.tank / self.pit.fuel_per_lap) - reserve_laps
        if planned and laps > planned:
            laps = planned
        if self.spell_limits is not None:
            laps = self.keep_to_spell_limits(driver, t_on, laps)
        if laps < 1:
            laps = 1
        self.stint_laps = laps
        self.reserve_used = 0
        lap = (self.car_base + self.driver_pace[driver]) * self.lap_factor
        if self.night:   # the class's darkness factor over the stint's share in darkness
            lap *= self.night.stint_factor(self.c, t_on, laps * lap)
        self.pace = lap + self.draws.stint_noise(self.noise_sd, laps)
        self.wake_at(self.crossing(laps))

    def keep_to_spell_limits(self, driver: int, t_on: float, laps: int) -> int:
        """The stint's laps within what the window and continuous-driving rules leave the driver (less the
        margin and a lap), its end a deadline a delay cannot pass (`respect_max_drive`). A cap under two laps
        is not kept: nobody else could drive (the plan's last resort), the car takes the penalty."""
        cap = stint_cap(self.spell_limits, self.spans, driver, t_on, self.in_since) - self.rules.margin
        lap = (self.car_base + self.driver_pace[driver]) * self.lap_factor
        if cap >= 2 * lap and cap < math.inf:
            if t_on + cap < self.deadline:
                self.deadline = t_on + cap
                self.rule_deadline = True
            most = int(cap / lap) - 1
            if laps > most:
                laps = most
        return laps

    def close_stint(self, now: float, laps: int, neutral_fuel: bool = False) -> float:
        """The end of the current stint at `now` after `laps` laps: the stint recorded, the driver's time
        (red-flag time excluded), the fuel used; returns that fuel. `neutral_fuel` (a stop, where the tank
        matters): less for the running under neutralisation. A last stint (retirement, the flag) counts its
        laps at the green rate: its end falls inside a lap, where the neutralised share cannot be told from
        the time lost to the grid or a spin (docs/race-model.md, assumptions)."""
        if laps > 0:
            self.stints.add(self.c, self.laps_before, laps, self.pace)
        used = laps * self.pit.fuel_per_lap
        t_on = self.t_on
        if now > t_on:
            clock = self.clock
            self.drive[self.driver] += now - t_on - clock.red_time(t_on, now) if clock.any_red else now - t_on
            self.spans.append(DriveSpan(self.driver, t_on, now))
            if neutral_fuel and clock.last_end > t_on:
                used -= (clock.neutral_progress(t_on, now, self.pace) / self.pace) * self.pit.fuel_per_lap \
                    * self.pit.neutral_saving
                if used < 0.0:
                    used = 0.0
        self.fuel_used += used
        self.laps_before += laps
        return used

    def next_plan(self, t_exit: float, current: int) -> tuple[StintPlan, bool]:
        """The drive-time plan for the stint after a stop ending at `t_exit` (`sim.race.planner`)."""
        clock, race_s = self.clock, self.race_s
        if clock.any_red:
            # a red flag stops the drive-time clocks and shrinks the minimums (see sim.race.drive_rules)
            remaining = race_s - t_exit - clock.red_time(t_exit, race_s)
            scale = (race_s - clock.red_time(0.0, race_s)) / race_s
        else:
            remaining = race_s - t_exit
            scale = 1.0
        return choose_driver(self.plan, self.drive, current, remaining, scale, self.fastest_driver, self.driver_pace,
                             self.full_laps * (self.pace or self.car_base),
                             spell_caps(self.spell_limits, self.spans, len(self.drive), t_exit, current, self.in_since),
                             t_exit - self.in_since if self.in_since == self.in_since else 0.0)

    def enter_pits(self, now: float, laps: int, extra_s: float, forced: bool) -> None:
        """Pit entry after `laps` laps of the stint (`forced`: a repair; `extra_s`: its time): unless the pit
        lane is closed, the stop (fuel, tyres, driver change, repairs) and the next stint."""
        pit_constants = self.pit
        # (the pit lane can only be closed while a neutralisation runs)
        if not forced and self.clock.last_end > now and self.control.pit_closed(now) \
                and self.reserve_used < pit_constants.reserve_laps + 1:
            # pit entry closed: stay out a lap on the reserve
            self.reserve_used += 1
            self.stint_laps = laps + 1
            if self.log is not None:
                self.log.append(LogEntry(now, self.c, "pit_closed", "stays out one more lap"))
            self.wake_at(self.crossing(laps + 1))
            return
        lap_s = self.pace
        d = self.driver
        tank = self.tank - self.close_stint(now, laps, neutral_fuel=True)
        if tank < 0.0:
            tank = 0.0
        self.debt = 0.0
        pending_extra = self.pending_extra
        plan, _ = self.next_plan(now + extra_s + pending_extra + self.stop_cost, d)
        rules = self.rules
        on_tyres = self.stints_on_tyres + 1
        if on_tyres >= pit_constants.tyre_stints:
            tyres = pit_constants.tyre_change_s
            on_tyres = 0
        else:
            tyres = 0.0
        self.stints_on_tyres = on_tyres
        change = pit_constants.driver_change_s if plan.driver != d else 0.0
        add, stationary = pit.service(pit_constants, tank, self.race_s - now, lap_s, plan.laps, tyres, change,
                                      rules.min_refuel_s, rules.overlap)
        stationary *= math.exp(pit_constants.sigma * next(self.draws.normals))
        extra = extra_s + pending_extra
        self.pending_extra = 0.0
        duration = rules.pit_lane_loss_s + stationary + extra
        self.tank = tank + add
        self.pit_stops += 1
        if self.log is not None:
            # raw values; sim.race.log formats them only when the log is read
            self.log.append(LogEntry(now, self.c, "pit_stop", PitStopRecord(
                self.laps_before, duration, stationary, extra, add, tyres, d, plan.driver)))
        self.start_stint(now + duration, plan, pit_constants.reserve_laps)

    # ---------------------------------------------------------------- failures and retirement
    def fail(self, now: float) -> None:
        """A mechanical failure: repaired in the garage (a repair that would end after the flag is a
        retirement) or retired, then race control may neutralise for the car stopped on track."""
        self.failures += 1
        self.fail_at = self.failure_times[self.failures] if self.failures < len(self.failure_times) else math.inf
        draws = self.draws
        repair = self.repair_median_s * math.exp(self.repair_sigma * next(draws.normals))
        if next(draws.uniforms) < self.repair_probability and now + repair < self.race_s:
            if self.log is not None:
                self.log.append(LogEntry(now, self.c, "failure", f"repaired in the garage, {repair:.0f} s"))
            if now < self.t_on:
                # already in the pit lane: the stop gets longer
                self.t_on += repair
                self.wake_at(self.crossing(self.stint_laps))
            else:
                k, _ = self.laps_done(now)
                self.enter_pits(now, min(k, self.stint_laps), repair, forced=True)
            return
        self.retire(now, "mechanical failure")
        self.control.car_stopped(self, now)

    def retire(self, now: float, reason: str) -> None:
        """Out of the race at `now`: the laps of the stint so far count."""
        k, _ = self.laps_done(now)
        self.close_stint(now, min(k, self.stint_laps))
        self.done = True
        self.hazards[self.c] = 0.0
        self.cancel_wake()
        self.parked = False
        self.retire_t = now
        self.final_laps = self.laps_before
        if self.log is not None:
            self.log.append(LogEntry(now, self.c, "retirement", f"{reason}, lap {self.laps_before}"))
