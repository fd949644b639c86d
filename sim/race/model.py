"""One endurance race as a discrete-event simulation (simpy), events only at decision points.

Each car has at most one pending simpy timeout: its stint end (pit entry) or its next failure.
Lap times are never simulated one by one: a stint of n laps runs at its own mean lap (pace + the
mean of n laps' noise, one normal drawn when it starts) and takes n times that in seconds of
*green running*. Race control keeps the neutralisation periods (race-wide state); a car converts
green running into wall-clock time through them (`_green`, `_wall_at`). When a neutralisation
starts, is extended or ends, race control moves the cars it delays (cancelling their pending
timeout) instead of letting them wake early; cars whose stint ends after the period are parked and
scheduled once, exactly, when it ends. Speed (docs/race-model.md, "Speed"): simpy's event queue and
ordering, with its run loop inlined and car wake-ups pushed straight onto its heap; the garbage
collector paused during a race that leaves no reference cycle behind.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import math

import numpy as np
import simpy

from sim.race.outcome import RaceOutcome, classify

RED = "RED"
_EPS = 1e-6
_CANCELLED = ()   # callbacks of a cancelled timeout: simpy pops it and calls nothing
_NORMAL = 1       # simpy's priority of a Timeout (events at one time run in scheduling order)
# _plan_next's candidates, the likeliest winner first (the bound then prunes more), for crews of 1-4
_CANDIDATE_ORDER = [[(first,) + tuple(i for i in range(nd) if i != first) for first in range(max(nd, 1))]
                    for nd in range(5)]


class _Wake:
    """A car's pending wake-up in simpy's event queue: the attributes simpy's `step` (and `_Race.run`)
    read from a triggered Timeout, without the Timeout's construction and scheduling calls."""
    __slots__ = ("callbacks", "_value", "at", "debt")
    _ok = True


class PlanTables:
    """Drive-time plan constants of one race field at the team's expected pace (no race-day form),
    the same in every simulated run of the race: built once per field and lap factor (dry, wet)."""
    __slots__ = ("consts", "crew", "required", "start")

    def __init__(self, consts: list, crew: list, required: list, start: list):
        self.consts = consts   # per car: see `plan_constants`
        self.crew = crew       # per car: every_driver_drives target per driver, or None
        self.required = required   # per car: (driver, rule minimum + margin) for each driver with a minimum
        self.start = start     # per car: a one-item list holding the plan at the start (None until
        #                        a first run has made it), shared with the same car in other fields


def plan_constants(race, c: int, lap_factor: float) -> tuple:
    """Car c's drive-time plan constants at its expected pace (class reference x BoP + offsets +
    traffic, no form): each crew member's green lap and full-tank stint, the longest stint, pace lost
    against the car's fastest driver, drive time allowed under each maximum (less the margin), two
    laps, stop cost, slack buffer, the coverage divisor, and the least cost per second of a shortened
    stint (`_plan_next`'s bound)."""
    f = race.field
    margin = race.model.strategy.drive_time_margin_s
    full_laps, stop_cost = f.stint_constants
    car_base = f.base_lap[c] + f.traffic_s[c]
    laps = [(car_base + d) * lap_factor for d in f.driver_pace[c]]
    full_s = [full_laps[c] * p for p in laps]
    fastest = min(laps)
    longest = max(full_s)
    stop = stop_cost[c]
    max_less_margin = [m - margin for m in f.max_drive_s[c]]
    loss_rates = [(p - fastest) / p for p in laps]
    return (laps, full_s, longest, loss_rates, max_less_margin, [2 * p for p in laps],
            stop, 0.5 * longest, longest + stop, [min(rate, stop / full) for rate, full in zip(loss_rates, full_s)])


def _crew_targets(race, c: int, lap_factor: float) -> list[float] | None:
    """Car c's every_driver_drives target per crew member: a share of one full-tank stint at his
    expected pace (None: a single driver, or the option is off)."""
    f = race.field
    strategy = race.model.strategy
    if not strategy.every_driver_drives or len(f.drivers[c]) == 1:
        return None
    full_laps, _ = f.stint_constants
    k = strategy.every_driver_min_stint_share * full_laps[c] * lap_factor
    return [k * (f.base_lap[c] + f.traffic_s[c] + d) for d in f.driver_pace[c]]


def plan_tables(race, lap_factor: float) -> PlanTables:
    """The field's PlanTables for this lap factor, cached on the field. A car's entry is shared by
    every field derived from the same full field (participation variants) in which its pace is the
    same (the traffic loss depends on the class counts), so the start plans made in one variant serve
    the others."""
    f = race.field
    cache = f.plan_cache
    tables = cache.get(lap_factor)
    if tables is None:
        family = f.plan_family
        margin = race.model.strategy.drive_time_margin_s
        consts, crew, required, start = [], [], [], []
        for c, root in enumerate(f.family_index):
            key = (root, f.traffic_s[c], lap_factor)
            entry = family.get(key)
            if entry is None:
                entry = family[key] = (plan_constants(race, c, lap_factor), _crew_targets(race, c, lap_factor), [None],
                                       tuple((i, f.min_drive_s[c][i] + margin) for i in f.min_drivers[c]))
            consts.append(entry[0])
            crew.append(entry[1])
            start.append(entry[2])
            required.append(entry[3])
        tables = cache[lap_factor] = PlanTables(consts, crew, required, start)
    return tables


class _Race:
    """State and event handlers of one running race; `run()` returns a RaceOutcome."""

    def __init__(self, race, rng: np.random.Generator, log: bool = True, season_pace_s=None):
        f = race.field
        self.race = race
        self.f = f
        self.rng = rng
        n = f.n
        self.n = n
        self.T = f.race_seconds
        model, sporting = race.model, race.sporting
        self.sporting = sporting
        self.rc = model.race_control
        self.inc = model.incidents
        self.margin = model.strategy.drive_time_margin_s
        self.pit_fraction = model.strategy.pit_under_neutralisation_fraction
        self.every_driver = model.strategy.every_driver_drives
        self.crew_share = model.strategy.every_driver_min_stint_share
        self.overlap = sporting.pit.refuel_tyres_overlap
        self.min_refuel_s = sporting.pit.min_refuel_s
        self.pit_lane_loss_s = f.pit_lane_loss_s
        self.pit_constants = f.pit_constants
        self.max_drive_s = f.max_drive_s
        self.incident_hazard = f.incident_hazard
        self.log_on = log
        self.log: list[tuple[float, int, str, object]] = []

        # --- every random number of the race, drawn in batches ---------------------------------
        # (one call per run of the same distribution: numpy's Generator gives the same numbers as the
        # separate calls would, in the same order)
        base_lap, traffic, class_idx, failure_column, rows, qualifying_driver = f.race_arrays
        self.wet = bool(rng.random() < race.wet_probability)
        weather = model.weather
        lap_factor = weather.wet_lap_factor if self.wet else 1.0
        noise_factor = weather.wet_noise_factor if self.wet else 1.0
        self.incident_factor = weather.wet_incident_factor if self.wet else 1.0
        q_laps = sporting.qualifying.laps
        normals = rng.standard_normal(n * (5 + q_laps))
        form = normals[:n] * f.form_sd
        if season_pace_s is not None:   # the cars' season-long effects, drawn by the season (sim.season_plan)
            form = form + season_pace_s
        driver_pace = f.driver_pace_matrix + normals[n:5 * n].reshape(n, 4) * f.driver_form_sd
        q_noise = np.sort(normals[5 * n:].reshape(n, q_laps), axis=1)[:, race.qualifying_rank - 1]
        # lap-to-lap sd; a stint of n laps runs at its own mean lap, drawn when it starts (`_stint_noise`)
        self.noise_sd = (f.noise_sd * (noise_factor * lap_factor)).tolist()
        fail_gaps = rng.standard_exponential((n, 3)) / failure_column
        self.fail_times = np.cumsum(fail_gaps, axis=1).tolist()
        self.fail_next = [0] * n
        self.fail_at = [times[0] for times in self.fail_times]   # next failure of each car
        lam = f.max_incident_hazard * self.incident_factor
        count = int(rng.poisson(lam * self.T)) if lam > 0 else 0
        uniforms = rng.random(count + 96 + 4 * n)
        self.candidates = np.sort(uniforms[:count] * self.T).tolist()
        self.lam = lam
        self.upool = uniforms[count:].tolist()
        self.zpool = rng.standard_normal(48 + 8 * n).tolist()
        self.ui = 0
        self.zi = 0

        # --- per-car static pace of this race --------------------------------------------------
        self.lap_factor = lap_factor
        base = base_lap + form
        car_base = base + traffic
        self.car_base = car_base.tolist()
        self.driver_pace = driver_pace.tolist()          # entries past the crew are inf, never chosen
        self.fastest_driver = driver_pace.argmin(axis=1).tolist()
        self.full_laps, self.stop_cost = f.stint_constants   # full-tank stint laps, time a stop costs
        tables = plan_tables(race, lap_factor)
        self.plan_consts = tables.consts     # per car: drive-time plan constants at the expected pace
        self.crew_min = tables.crew          # per car: each driver's planned least drive time, or None
        self.required = tables.required      # per car: (driver, rule minimum + margin)
        self.start_plans = tables.start      # per car: the plan at the start (the same in every run)
        quali = ((base + driver_pace[rows, qualifying_driver] - f.qualifying_gain_s) * lap_factor
                 + q_noise * f.qualifying_sd * lap_factor)
        self.quali = quali
        # grid: fastest class first, then qualifying time (lexsort: last key first)
        grid = np.lexsort((quali, class_idx))
        grid_slot = np.empty(n, dtype=np.int64)
        grid_slot[grid] = rows
        self.grid_slot = grid_slot.tolist()

        # --- car state (Python lists: the hot path indexes single cars) -------------------------
        self.done = [False] * n
        self.t_on = [0.0] * n              # wall time the current stint's green running starts (pit exit)
        self.laps_before = [0] * n
        self.stint_laps = [0] * n
        self.pace = [0.0] * n
        self.debt = [0.0] * n              # green seconds lost in this stint (spins, penalties, bunching)
        self.driver = [0] * n
        self.tank = list(f.fuel_capacity)
        self.fuel_used = [0.0] * n
        self.pit_stops = [0] * n
        self.stints_on_tyres = [0] * n
        self.reserve_used = [0] * n
        self.drive = [[0.0] * len(f.drivers[c]) for c in range(n)]
        self.stints: list[tuple[int, int, int, float]] = []   # (car, first lap index, laps, pace)
        self.retire_t = [math.nan] * n
        self.final_laps = [0] * n
        self.finish_t = [math.nan] * n
        self.pending_extra = [0.0] * n      # repair seconds to add at the next stop
        self.deadline = [math.inf] * n      # wall time a stint planned short must end by (drive-time plan)
        self.missed_flag = [False] * n      # still in the garage when the flag fell
        self.pending: list = [None] * n     # the car's pending simpy timeout (None: none, or parked)
        self.wake_callbacks = (self._wake,)  # shared by every car wake-up (only iterated, never appended to)
        self.parked = [False] * n           # delayed past a running neutralisation: scheduled at its end
        self.n_events = 0
        self.n_cancelled = 0
        self.pace_used = False              # the last plan read today's pace (not cacheable)

        # neutralisation periods: parallel lists; the last one may be running
        self.p_start: list[float] = []
        self.p_end: list[float] = []
        self.p_lps: list[float] = []       # laps per second under the neutralisation (0: red flag)
        self.p_kind: list[str] = []
        self.p_gen = 0
        self.any_red = False
        self.pit_open_at = 0.0
        self.hazard_now = [0.0] * n         # incident hazard of the driver in the car (0 once retired)

        self.env = simpy.Environment()

    # ---------------------------------------------------------------- random pools
    def _u(self) -> float:
        """Next uniform of the race's pre-drawn pool (refilled from the same Generator)."""
        i = self.ui
        if i >= len(self.upool):
            self.upool.extend(self.rng.random(64).tolist())
        self.ui = i + 1
        return self.upool[i]

    def _z(self) -> float:
        """Next standard normal of the race's pre-drawn pool."""
        i = self.zi
        if i >= len(self.zpool):
            self.zpool.extend(self.rng.standard_normal(64).tolist())
        self.zi = i + 1
        return self.zpool[i]

    def _lognormal(self, spec) -> float:
        """A duration drawn from a LogNormal spec (median, sigma)."""
        return spec.median * math.exp(spec.sigma * self._z())

    # ---------------------------------------------------------------- neutralisation clock
    # A neutralisation runs every car at the same speed (laps per second `lps`), so a car whose green
    # lap takes `lap` seconds progresses at rate min(1, lap * lps) of its green running: the slower
    # classes lose less than the faster ones, as on track.
    def _green(self, t0: float, t1: float, lap: float) -> float:
        """Green-running seconds a car with green lap `lap` can do between wall times t0 <= t1.

        Periods are scanned from the newest back to t0: usually none or one is involved."""
        g = t1 - t0
        starts, ends, lps = self.p_start, self.p_end, self.p_lps
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

    def _neutral_progress(self, t0: float, t1: float, lap: float) -> float:
        """Green-equivalent running done under neutralisation between t0 and t1 (for fuel).

        Periods over by t0 add nothing: the sum starts at the first one still running then."""
        starts, ends, lps = self.p_start, self.p_end, self.p_lps
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

    def _red_time(self, t0: float, t1: float) -> float:
        """Wall seconds between t0 and t1 under red flag (excluded from drive times)."""
        if not self.any_red:
            return 0.0
        total = 0.0
        for s, e, kind in zip(self.p_start, self.p_end, self.p_kind):
            if kind == RED:
                lo = s if s > t0 else t0
                hi = e if e < t1 else t1
                if hi > lo:
                    total += hi - lo
        return total

    def _wall_at(self, t0: float, g: float, lap: float) -> float:
        """Earliest wall time by which a car with green lap `lap`, running from t0, has done g green
        seconds (known periods only; the future is assumed green)."""
        starts, ends, lps = self.p_start, self.p_end, self.p_lps
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

    # ---------------------------------------------------------------- car progress
    def _stint_noise(self, c: int, laps: int) -> float:
        """Mean lap-noise of a stint of `laps` laps: the mean of that many independent laps of sd
        `noise_sd`, so the stint takes as long as their sum would (one normal of the pool per stint)."""
        zi = self.zi
        zpool = self.zpool
        if zi >= len(zpool):
            zpool.extend(self.rng.standard_normal(64).tolist())
        self.zi = zi + 1
        return self.noise_sd[c] * zpool[zi] / math.sqrt(laps)

    def _laps_done(self, c: int, now: float) -> tuple[int, float]:
        """Laps completed in the current stint at `now`, and the fraction of the next one."""
        t_on = self.t_on[c]
        if now <= t_on:
            return 0, 0.0
        p = self.pace[c]
        p_end = self.p_end
        if p_end and p_end[-1] > t_on:
            e = self._green(t_on, now, p) - self.debt[c]
        else:
            e = now - t_on - self.debt[c]
        if e <= 0.0:
            return 0, 0.0
        laps = e / p
        k = int(laps)
        return k, laps - k

    def _crossing(self, c: int, k: int) -> float:
        """Wall time car c completes lap k of its current stint (known periods only)."""
        pace = self.pace[c]
        g = pace * k + self.debt[c]
        t_on = self.t_on[c]
        p_end = self.p_end
        if not p_end or p_end[-1] <= t_on:
            return t_on + g   # no neutralisation in this stint yet: green running is wall time
        return self._wall_at(t_on, g, pace)

    def _schedule(self, c: int, at: float) -> None:
        """Wake car c at `at` (or at its next failure, if earlier); replaces its pending timeout."""
        ev = self.pending[c]
        if ev is not None:
            ev.callbacks = _CANCELLED
            self.n_cancelled += 1
            self.pending[c] = None
        self.parked[c] = False
        fail_at = self.fail_at[c]
        if fail_at < at:
            at = fail_at
        elif at >= self.T and self._flag_within_max_drive(c):
            return   # the stint reaches the flag: the race end takes it from here
        env = self.env
        now = env._now
        # the heap entry of simpy's Timeout(env, delay, c), same time, priority and sequence number
        ev = _Wake()
        ev.callbacks = self.wake_callbacks
        ev._value = c
        ev.at = at
        ev.debt = self.debt[c]
        heapq.heappush(env._queue, (now + (at - now if at > now else 0.0), _NORMAL, next(env._eid), ev))
        self.pending[c] = ev
        self.n_events += 1

    def _cancel(self, c: int) -> None:
        """Drop car c's pending timeout (retired, or parked until a neutralisation ends)."""
        ev = self.pending[c]
        if ev is not None:
            ev.callbacks = _CANCELLED
            self.n_cancelled += 1
            self.pending[c] = None

    # ---------------------------------------------------------------- car decisions
    def _choose_driver(self, c: int, t_exit: float, current: int) -> tuple[int, int, float]:
        """Next driver, his planned stint (laps; 0 = as far as the fuel goes) and the longest wall time
        that stint may last (0: no limit), re-planned at every stop so that the rest of the race can
        still give every driver his minimum (see `_plan_next`). With `every_driver_drives` each crew
        member also has the planning target of `plan_tables` (`crew`), dropped when it no longer fits beside
        the rule minimums."""
        drive = self.drive[c]
        nd = len(drive)
        if nd == 1:
            return 0, 0, 0.0
        f = self.f
        every = self.every_driver
        if not every and not f.has_drive_rules[c]:
            self.pace_used = True
            return self.fastest_driver[c], 0, 0.0
        T = self.T
        if self.any_red:
            # a red flag stops the drive-time clocks and shrinks the minimums (see outcome.classify)
            remaining = T - t_exit - self._red_time(t_exit, T)
            scale = (T - self._red_time(0.0, T)) / T
        else:
            remaining = T - t_exit
            scale = 1.0
        if scale == 1.0:
            required = self.required[c]
        else:
            required = [(i, f.min_drive_s[c][i] * scale + self.margin) for i in f.min_drivers[c]]
        rule_needs = None
        for i, minimum in required:
            deficit = minimum - drive[i]
            if deficit > 0.0:
                if rule_needs is None:
                    rule_needs = [0.0] * nd
                rule_needs[i] = deficit
        needs = rule_needs
        if every:
            crew = self.crew_min[c]
            for i in range(nd):
                deficit = crew[i] - drive[i]
                if deficit > 0.0 and (needs is None or needs[i] < deficit):
                    if needs is rule_needs:
                        needs = list(rule_needs) if rule_needs is not None else [0.0] * nd
                    needs[i] = deficit
        if needs is None:
            return self._fastest_within_max(c, current, remaining), 0, 0.0
        choice = self._plan_next(c, remaining, current, needs, rule_needs)
        if choice is None and needs is not rule_needs:
            # the targets no longer fit (long neutralisations): half of them, else the rule minimums first
            rules = rule_needs or [0.0] * nd
            half = [r + 0.5 * (n - r) for n, r in zip(needs, rules)]
            choice = self._plan_next(c, remaining, current, half, rule_needs)
            if choice is not None:
                return choice
            if rule_needs is None:
                return self._fastest_within_max(c, current, remaining), 0, 0.0
            needs = rule_needs
            choice = self._plan_next(c, remaining, current, needs, needs)
        if choice is None:
            # the rules cannot be met any more: the driver furthest from his minimum
            worst = max(range(nd), key=lambda i: (needs[i], -i))
            return worst, 0, 0.0
        return choice

    def _fastest_within_max(self, c: int, current: int, remaining: float) -> int:
        """Every minimum is met: the fastest driver who can do a full stint under his maximum (today's
        pace, as seen in the race)."""
        self.pace_used = True
        drive, maxs, laps = self.drive[c], self.max_drive_s[c], self.driver_pace[c]
        stint = self.full_laps[c] * (self.pace[c] or self.car_base[c])   # the current driver's pace
        tail = remaining + stint / 20   # + the lap run after time expires
        need = 1.25 * (stint if stint < tail else tail) + self.margin
        fastest = self.fastest_driver[c]
        if drive[fastest] + need <= maxs[fastest]:
            if current != fastest and laps[current] <= laps[fastest] and drive[current] + need <= maxs[current]:
                return current
            return fastest
        allowed = [i for i in range(len(drive)) if drive[i] + need <= maxs[i]]
        if not allowed:
            return max(range(len(drive)), key=lambda i: (maxs[i] - drive[i], -i))
        best = min(allowed, key=lambda i: (laps[i], i))
        if current in allowed and laps[current] <= laps[best]:
            return current
        return best

    def _plan_next(self, c: int, remaining: float, current: int, needs: list[float],
                   rule_needs: list[float] | None) -> tuple[int, int, float] | None:
        """Stint plan of a car whose drivers still owe minimum time (`needs`, s). For each candidate: the
        longest stint (fuel, 80 % of what his maximum leaves) after which the rest of the race still
        gives every driver his minimum: each short driver needs ceil(deficit / full stint) more stints,
        a stint is at most a full tank, every stop eats its time. The cheapest feasible candidate wins:
        stops still needed x their time + the pace lost against the fastest driver in this stint, beyond
        the time the driver must drive anyway; plans that leave the drivers short of a rule minimum
        (`rule_needs`; the rest of `needs` are every_driver_drives targets) little slack cost more, under
        a tenth of a stint only when nothing else fits, and a target-only driver costs a stop more while
        others still owe rule time (the rule minimums first, so a late neutralisation or a closed pit
        lane eats into the target, not into a minimum).
        Returns (driver, planned laps or 0 for a full tank, wall seconds the stint may last or 0), or
        None when no candidate fits (time lost in the garage or to a red flag).
        Hot (a call at nearly every stop): the candidate key (last resort, cost, not the current driver,
        index) is compared field by field instead of as a tuple; the driver owing the most time goes
        first (the winner in ~80 % of plans), so the cost bound skips more of the others, and the index
        in the key keeps the choice independent of that order."""
        drive = self.drive[c]
        nd = len(drive)
        consts = self.plan_consts[c]
        laps, full_s, longest, loss_rates, max_less_margin, two_laps, stop, buffer, cover_div, bound_rates = \
            consts
        ceil = math.ceil
        # drive time left under the maxima (infinite as soon as one driver has none: inf - d = inf)
        cap_total = 0.0
        need_total = 0.0
        stints_total = 0
        own_stints = [0, 0, 0, 0]
        first = 0                                # the driver owing the most time: usually the winner
        most = 0.0
        for i in range(nd):
            cap_total += max_less_margin[i] - drive[i]
            need = needs[i]
            if need > 0.0:
                need_total += need
                k = ceil(need / full_s[i])
                own_stints[i] = k
                stints_total += k
                if need > most:
                    most = need
                    first = i
        if rule_needs is needs:
            soft_total = 0.0
        elif rule_needs is None:
            soft_total = need_total
            rule_needs = (0.0, 0.0, 0.0, 0.0)
        else:
            soft_total = need_total - sum(rule_needs)
        found = False
        best_flag = best_tie = False
        best_cost = 0.0
        best_x = nd
        choice = None
        last_start = remaining - stop            # this stint must end by then (plus someone's 2 laps)
        last_resort = 0.2 * buffer
        for x in _CANDIDATE_ORDER[nd][first]:
            cap = 0.8 * (max_less_margin[x] - drive[x])   # neutralisations can stretch a stint
            two_p = two_laps[x]
            if cap < two_p:
                continue                         # at his maximum
            p = laps[x]
            lx = full_s[x]
            need_x = needs[x]
            others = need_total - need_x
            loss_rate = loss_rates[x]
            if others <= 0.0 and remaining + p <= lx and remaining + p <= cap and need_x <= remaining:
                # to the flag on this tank, every minimum met
                cost = (remaining - need_x) * loss_rate
                tie = x != current
                if (not found or best_flag or cost < best_cost
                        or (cost == best_cost and (tie < best_tie or (tie == best_tie and x < best_x)))):
                    found, best_flag, best_cost, best_tie, best_x, choice = True, False, cost, tie, x, (x, 0, 0.0)
                continue
            s = lx if lx < cap else cap
            if s > last_start - two_p:
                s = last_start - two_p           # someone else drives at least a short last stint
            if s < two_p:
                continue
            rule_x = rule_needs[x]
            # rule time the others still owe (their targets are not protected by the slack)
            others_rule = others - soft_total + (need_x - rule_x)
            others_stints = stints_total - own_stints[x]
            if found and not best_flag:
                # a lower bound of this candidate's cost: the search below only shortens the stint,
                # which leaves more race after it and less of the tank used (each second shorter costs
                # stop / lx more, saves at most loss_rate of pace loss), and every other term of the
                # cost is positive; a candidate that cannot beat the best plan so far is skipped
                rest = last_start - s
                if rest < 0.0:
                    rest = 0.0
                cover = (rest + stop + p) / cover_div
                bound = stop * ((others_stints if others_stints > cover else cover) + 1.0 - s / lx)
                if s > need_x:
                    bound += (s - need_x) * bound_rates[x]
                if rule_x <= 0.0 < need_x and others_rule > 1e-6:
                    bound += 0.5 * stop   # a target-only driver while others owe rule time (see below)
                if bound > best_cost + 1e-9:   # (the bound and the cost round differently)
                    continue
            ok = False
            tries = 1
            while True:                          # at most three tries
                rest = last_start - s            # race time after this stint and its stop
                if rest < 0.0:
                    rest = 0.0
                if need_x > s:
                    short_x = need_x - s
                    stints = others_stints + ceil(short_x / lx)
                else:
                    short_x = 0.0
                    stints = others_stints
                cover = (rest + stop + p) / cover_div
                n_after = ceil(cover)
                if n_after < stints:
                    n_after = stints
                if n_after < 1:
                    n_after = 1
                avail = rest - (n_after - 1) * stop   # drive time the remaining stints offer
                slack = avail - others - short_x
                if slack >= -1e-6:
                    ok = cap_total - s >= avail      # the maxima leave room
                    break
                # shorten this stint by the shortfall (only its part beyond the driver's own need)
                if tries == 3 or s - need_x <= -slack or s + slack < two_p:
                    break
                tries += 1
                s += slack
            if not ok:
                continue
            owes_rule = others_rule > 1e-6
            rule_slack = slack + (others - others_rule)
            if owes_rule and rule_slack < buffer and s > need_x:
                # leave the drivers still owing rule time a cushion (a closed pit lane or a late
                # neutralisation can keep this driver out two slow laps longer), without a stop more
                cut = min(buffer - rule_slack, 0.5 * (s - need_x), (n_after - cover) * cover_div)
                if cut > 0.0 and s - cut >= 2 * p:
                    s -= cut
                    slack += cut
                    rule_slack += cut
            # stops still needed (a stint cut short counts for the part of the tank it leaves)
            # + the pace lost beyond the time the driver has to drive anyway
            cost = stop * ((stints if stints > cover else cover) + 1.0 - s / lx) \
                + (s - need_x if s > need_x else 0.0) * loss_rate
            if others > 0.0 and slack < buffer:
                cost += stop * (1.0 - slack / buffer)     # the next drivers' targets are at risk
            if owes_rule:
                if rule_slack < buffer:
                    # little room left for the short drivers: a neutralisation or a closed pit lane could
                    # cost them their minimum; worth up to two stops, a last resort under a tenth of a stint
                    cost += 2.0 * stop * (1.0 - rule_slack / buffer)
                if rule_x <= 0.0 < need_x:
                    cost += 0.5 * stop   # a target-only driver goes after the rule minimums
            flag = owes_rule and rule_slack < last_resort
            tie = x != current
            if (not found or flag < best_flag
                    or (flag == best_flag and (cost < best_cost or (cost == best_cost and (
                        tie < best_tie or (tie == best_tie and x < best_x)))))):
                planned = 0 if s >= lx else int(s / p)
                # the drivers after him need their time: the stint may not outlast the plan's slack
                limit = s + 0.5 * slack if others > 0.0 else 0.0
                found, best_flag, best_cost, best_tie, best_x, choice = True, flag, cost, tie, x, (x, planned, limit)
        return choice

    def _wake(self, ev) -> None:
        c = ev._value
        self.pending[c] = None
        if self.done[c]:
            return
        now = self.env._now
        if self.fail_at[c] <= now + _EPS:
            self._failure(c, now)
            return
        laps = self.stint_laps[c]
        debt = self.debt[c]
        if debt != ev.debt:
            # a time loss since the wake-up was planned (a spin, a penalty, Safety Car bunching) may have
            # delayed the stint: is this still its end? (_crossing inlined; a neutralisation moves the
            # wake-ups it delays itself when it starts, see `_delay_pending`, so only time losses count)
            pace = self.pace[c]
            g = pace * laps + debt
            t_on = self.t_on[c]
            p_end = self.p_end
            t_end = t_on + g if not p_end or p_end[-1] <= t_on else self._wall_at(t_on, g, pace)
            if t_end > now + _EPS:
                if p_end and t_end >= p_end[-1] > now and self.fail_at[c] >= p_end[-1]:
                    # it ends after the running neutralisation, which may still get longer: park the
                    # car, race control schedules it once, exactly, when the period ends
                    self.parked[c] = True
                    return
                self._schedule(c, self._respect_max_drive(c, now, t_end))
                return
        self._pit_entry(c, now, laps, 0.0, False)

    def _flag_within_max_drive(self, c: int) -> bool:
        """True when the driver in car c can stay in until the flag without passing his maximum or the
        end the drive-time plan gave his stint (a stint stretched past the flag by a neutralisation
        may still have to be cut short for the next driver)."""
        d = self.driver[c]
        left = self.max_drive_s[c][d] - self.drive[c][d] - self.margin / 2
        t_on = self.t_on[c]
        planned_left = self.deadline[c] - t_on
        if planned_left < left:
            left = planned_left
        return self.T + 2 * self.pace[c] - t_on <= left

    def _respect_max_drive(self, c: int, now: float, t_end: float) -> float:
        """Call the driver in early when a delayed stint would take him past his maximum drive time, or
        past the end the drive-time plan gave his stint (the next drivers need that time)."""
        d = self.driver[c]
        # a full margin: a closed pit lane can keep him out for two more (slow) laps
        left = self.max_drive_s[c][d] - self.drive[c][d] - self.margin
        t_on = self.t_on[c]
        planned_left = self.deadline[c] - t_on
        if planned_left < left:
            left = planned_left
        if t_end - t_on <= left or self.T + self.pace[c] - t_on <= left:
            return t_end  # within the limit, or the flag comes first
        k, _ = self._laps_done(c, now)
        laps = self.stint_laps[c]
        while laps > k + 1 and self._crossing(c, laps) - t_on > left:
            laps -= 1
        if laps != self.stint_laps[c]:
            self.stint_laps[c] = laps
            if self.log_on:
                why = "at the end of his planned stint" if planned_left <= left else "near the maximum drive time"
                self.log.append((now, c, "driver_called_in", f"{self.f.drivers[c][d]} {why}"))
            return self._crossing(c, laps)
        return t_end

    def _pit_closed(self, now: float) -> bool:
        if not self.p_start or self.p_end[-1] <= now:
            return False
        kind = self.p_kind[-1]
        return kind == RED or kind in self.sporting.pit.closed_under or now < self.pit_open_at

    def _pit_entry(self, c: int, now: float, laps: int, extra_s: float, forced: bool) -> None:
        fpl, capacity, reserve, refuel_rate, tyre_stints, tyre_change, driver_change, sigma, neutral_saving = \
            self.pit_constants[c]
        p_end = self.p_end
        neutralised = p_end and p_end[-1] > now
        if neutralised and not forced and self._pit_closed(now) and self.reserve_used[c] < reserve + 1:
            # pit entry closed: stay out a lap on the reserve
            self.reserve_used[c] += 1
            self.stint_laps[c] = laps + 1
            if self.log_on:
                self.log.append((now, c, "pit_closed", "stays out one more lap"))
            self._schedule(c, self._crossing(c, laps + 1))
            return
        t_on = self.t_on[c]
        d = self.driver[c]
        pace = self.pace[c]
        laps_before = self.laps_before[c]
        if laps > 0:
            self.stints.append((c, laps_before, laps, pace))
        used = laps * fpl
        if now > t_on:
            drive = self.drive[c]
            if self.any_red:
                drive[d] += now - t_on - self._red_time(t_on, now)
            else:
                drive[d] += now - t_on
            if p_end and p_end[-1] > t_on:
                used -= (self._neutral_progress(t_on, now, pace) / pace) * fpl * neutral_saving
                if used < 0.0:
                    used = 0.0
        self.fuel_used[c] += used
        tank = self.tank[c] - used
        if tank < 0.0:
            tank = 0.0
        j0 = laps_before + laps
        self.laps_before[c] = j0
        self.debt[c] = 0.0

        pending_extra = self.pending_extra[c]
        nxt, planned, limit = self._choose_driver(c, now + extra_s + pending_extra + self.stop_cost[c], d)
        need = ((self.T - now) / pace + 1 + reserve) * fpl
        if need > capacity:
            need = capacity
        if planned:
            # a short stint in the drive-time plan: fuel for it only
            short = (planned + reserve + 0.5) * fpl
            if short < need:
                need = short
        add = need - tank
        if add > 0.0:
            refuel = add / refuel_rate
            if refuel < self.min_refuel_s:
                refuel = self.min_refuel_s
        else:
            add = refuel = 0.0
        on_tyres = self.stints_on_tyres[c] + 1
        if on_tyres >= tyre_stints:
            tyres = tyre_change
            on_tyres = 0
        else:
            tyres = 0.0
        self.stints_on_tyres[c] = on_tyres
        change = driver_change if nxt != d else 0.0
        if self.overlap:
            stationary = refuel if refuel > tyres else tyres
            if change > stationary:
                stationary = change
        else:
            stationary = (refuel if refuel > change else change) + tyres
        # next standard normal of the pool (inlined _z: one per stop)
        zi = self.zi
        zpool = self.zpool
        if zi >= len(zpool):
            zpool.extend(self.rng.standard_normal(64).tolist())
        self.zi = zi + 1
        stationary *= math.exp(sigma * zpool[zi])
        extra = extra_s + pending_extra
        self.pending_extra[c] = 0.0
        duration = self.pit_lane_loss_s + stationary + extra
        tank += add
        self.tank[c] = tank
        self.pit_stops[c] += 1
        self.driver[c] = nxt
        if self.log_on:
            # raw values; sim.race.log formats them only when the log is asked for
            self.log.append((now, c, "pit_stop", (j0, duration, stationary, extra, add, tyres, d, nxt)))
        # the next stint (_crossing inlined: this runs at every stop)
        t_on = now + duration
        self.t_on[c] = t_on
        self.deadline[c] = t_on + limit if limit else math.inf
        self.hazard_now[c] = self.incident_hazard[c][nxt]
        stint = int(tank / fpl) - reserve
        if planned and stint > planned:
            stint = planned
        if stint < 1:
            stint = 1
        self.stint_laps[c] = stint
        self.reserve_used[c] = 0
        # this stint's mean lap (_stint_noise inlined)
        zi = self.zi
        if zi >= len(zpool):
            zpool.extend(self.rng.standard_normal(64).tolist())
        self.zi = zi + 1
        pace = (self.car_base[c] + self.driver_pace[c][nxt]) * self.lap_factor \
            + self.noise_sd[c] * zpool[zi] / math.sqrt(stint)
        self.pace[c] = pace
        g = pace * stint
        at = t_on + g if not p_end or p_end[-1] <= t_on else self._wall_at(t_on, g, pace)
        # _schedule inlined (the car has just woken: no pending wake-up, not parked)
        fail_at = self.fail_at[c]
        if fail_at < at:
            at = fail_at
        elif at >= self.T and self._flag_within_max_drive(c):
            return   # the stint reaches the flag: the race end takes it from here
        env = self.env
        ev = _Wake()
        ev.callbacks = self.wake_callbacks
        ev._value = c
        ev.at = at
        ev.debt = 0.0
        heapq.heappush(env._queue, (now + (at - now if at > now else 0.0), _NORMAL, next(env._eid), ev))
        self.pending[c] = ev
        self.n_events += 1

    def _retire(self, c: int, now: float, reason: str) -> None:
        k, _ = self._laps_done(c, now)
        k = min(k, self.stint_laps[c])
        if k > 0:
            self.stints.append((c, self.laps_before[c], k, self.pace[c]))
        if now > self.t_on[c]:
            self.drive[c][self.driver[c]] += now - self.t_on[c] - self._red_time(self.t_on[c], now)
        self.fuel_used[c] += k * self.f.fuel_per_lap[c]
        self.laps_before[c] += k
        self.done[c] = True
        self.hazard_now[c] = 0.0
        self._cancel(c)
        self.parked[c] = False
        self.retire_t[c] = now
        self.final_laps[c] = self.laps_before[c]
        if self.log_on:
            self.log.append((now, c, "retirement", f"{reason}, lap {self.laps_before[c]}"))

    def _failure(self, c: int, now: float) -> None:
        f = self.f
        self.fail_next[c] += 1
        self.fail_at[c] = self.fail_times[c][self.fail_next[c]] if self.fail_next[c] < 3 else math.inf
        repair = f.repair_median_s[c] * math.exp(f.repair_sigma[c] * self._z())
        if self._u() < f.repair_probability[c] and now + repair < self.T:
            if self.log_on:
                self.log.append((now, c, "failure", f"repaired in the garage, {repair:.0f} s"))
            if now < self.t_on[c]:
                # already in the pit lane: the stop gets longer
                self.t_on[c] += repair
                self._schedule(c, self._crossing(c, self.stint_laps[c]))
            else:
                k, _ = self._laps_done(c, now)
                self._pit_entry(c, now, min(k, self.stint_laps[c]), repair, forced=True)
            return
        self._retire(c, now, "mechanical failure")
        if self._u() < self.rc.stoppage_neutralise_probability:
            self._neutralise(now, f"car {f.cars[c]} stopped on track")

    # ---------------------------------------------------------------- race control
    def _incident(self, ev) -> None:
        now = self.env._now
        p_end = self.p_end
        if p_end and self.p_kind[-1] == RED and p_end[-1] > now:
            return  # the cars are parked in the pit lane
        hazard_now = self.hazard_now
        threshold = self._u() * self.lam
        if threshold >= sum(hazard_now) * self.incident_factor:
            # rejected even with the cars in the pit lane counted: that sum (same order, non-negative
            # terms) is never below the exact one, so this cheap test rejects only what the exact one would
            return
        # hazard of each car's current driver; cars in the pit lane are safe
        hazards = [h if t <= now else 0.0 for h, t in zip(hazard_now, self.t_on)]
        total = sum(hazards) * self.incident_factor
        if threshold >= total:
            return
        f = self.f
        pick = self._u() * total / self.incident_factor
        c = 0
        for c, h in enumerate(hazards):
            pick -= h
            if pick < 0.0 and h > 0.0:
                break
        if hazards[c] <= 0.0:
            return   # rounding left the pick past the last car on track
        inc = self.inc
        log = self.log if self.log_on else None
        driver = f.drivers[c][self.driver[c]]
        roll = self._u()
        if roll < inc.retire_probability:
            if log is not None:
                log.append((now, c, "incident", f"accident ({driver}), car out"))
            self._retire(c, now, "accident")
            neutralise_p = max(self.rc.neutralise_probability, self.rc.stoppage_neutralise_probability)
        else:
            if roll < inc.retire_probability + inc.damage_probability:
                lost = self._lognormal(inc.damage_time_s)
                if log is not None:
                    log.append((now, c, "incident", f"contact ({driver}), damage repaired in the pits: {lost:.0f} s"))
                self.pending_extra[c] += lost
            else:
                lost = self._lognormal(inc.spin_time_s)
                if log is not None:
                    log.append((now, c, "incident", f"off ({driver}), {lost:.0f} s lost"))
                self.debt[c] += lost
            if self._u() < inc.penalty_probability:
                self.debt[c] += f.pit_lane_loss_s
                if log is not None:
                    log.append((now, c, "penalty", "drive-through for causing a collision"))
            neutralise_p = self.rc.neutralise_probability
        if self._u() < neutralise_p:
            self._neutralise(now, f"incident car {f.cars[c]}")

    def _neutralise(self, now: float, cause: str) -> None:
        if now >= self.T:
            return
        if self.p_start and self.p_end[-1] > now:
            # already neutralised: the period gets longer
            kind = self.p_kind[-1]
            spec = self.rc.procedures.get(kind)
            extra = self._lognormal(spec.duration_s if spec else self.rc.red_flag.duration_s) * self.rc.extension_share
            old_end = self.p_end[-1]
            if now + extra > old_end:
                self.p_end[-1] = now + extra
                self._schedule_period_end()
                if self.log_on:
                    self.log.append((now, -1, "neutralisation_extended", f"{kind} until {now + extra:.0f} s ({cause})"))
                self._unpark_within(now)
                self._delay_pending(now, old_end)
            return
        if self.sporting.red_flag and self._u() < self.rc.red_flag.probability:
            kind, lps, duration = RED, 0.0, self._lognormal(self.rc.red_flag.duration_s)
        else:
            allowed = [p for p in self.sporting.neutralisations if p in self.rc.procedures]
            weights = [self.rc.procedures[p].weight for p in allowed]
            total = sum(weights)
            if total <= 0.0:
                return
            pick = self._u() * total
            kind = allowed[-1]
            for name, w in zip(allowed, weights):
                pick -= w
                if pick < 0.0:
                    kind = name
                    break
            spec = self.rc.procedures[kind]
            lps, duration = spec.speed_kmh / 3600.0 / self.race.venue.lap_km, self._lognormal(spec.duration_s)
        self.p_start.append(now)
        self.p_end.append(now + duration)
        self.p_lps.append(lps)
        self.p_kind.append(kind)
        self.any_red = self.any_red or kind == RED
        if self.log_on:
            self.log.append((now, -1, "neutralisation_start", f"{kind}, {duration:.0f} s planned ({cause})"))
        self._schedule_period_end()
        self._delay_pending(now, now)
        self.pit_open_at = now
        if kind == "SC" and self.sporting.pit.sc_closed_laps > 0:
            self.pit_open_at = now + self.sporting.pit.sc_closed_laps / lps
            if self.pit_open_at < now + duration:
                ev = self.env.timeout(self.pit_open_at - now)
                ev.callbacks.append(self._pit_opens)
                self.n_events += 1
        elif not self._pit_closed(now):
            self._opportunistic_stops(now)

    def _unpark_within(self, now: float) -> None:
        """The running period got longer: a parked car whose stint (or next failure) now falls inside
        it wakes then."""
        period_end = self.p_end[-1]
        parked = self.parked
        for c in range(self.n):
            if parked[c]:
                t_end = self._crossing(c, self.stint_laps[c])
                if t_end < period_end:
                    self._schedule(c, self._respect_max_drive(c, now, t_end))
                elif self.fail_at[c] < period_end:
                    self._schedule(c, t_end)   # wakes at the failure

    def _delay_pending(self, now: float, since: float) -> None:
        """The running period (new, or extended from `since`) delays every stint end planned from
        `since` on: such a car is moved now, exactly, if its stint still ends inside the period, else
        parked until the period ends, instead of waking early (failure wake-ups keep their time)."""
        period_end = self.p_end[-1]
        pending, fail_at, parked = self.pending, self.fail_at, self.parked
        stale = 0
        for c in range(self.n):
            ev = pending[c]
            if ev is None:
                continue
            at = ev.at
            if at < since or fail_at[c] <= at:
                continue
            if at < period_end:
                t_end = self._crossing(c, self.stint_laps[c])
                if t_end < period_end or fail_at[c] < period_end:
                    self._schedule(c, self._respect_max_drive(c, now, t_end))
                    continue
            # a stint end at or after the period's end only moves later
            ev.callbacks = _CANCELLED
            self.n_cancelled += 1
            pending[c] = None
            parked[c] = True
            stale += 1
        if stale > 8:
            # drop the parked cars' cancelled wake-ups from the queue at once rather than popping them
            # one by one later (entries are unique (time, priority, id) keys: the pop order is unchanged)
            queue = self.env._queue
            queue[:] = [entry for entry in queue if entry[3].callbacks is not _CANCELLED]
            heapq.heapify(queue)

    def _schedule_period_end(self) -> None:
        self.p_gen += 1
        now = self.env._now
        ev = self.env.timeout(self.p_end[-1] - now, self.p_gen)
        ev.callbacks.append(self._period_end)
        self.n_events += 1

    def _pit_opens(self, ev) -> None:
        now = self.env._now
        if self.p_start and self.p_end[-1] > now:
            self._opportunistic_stops(now)

    def _opportunistic_stops(self, now: float) -> None:
        """Cars well into their stint pit at their next crossing while the field is slow."""
        remaining = self.T - now
        fraction = self.pit_fraction
        done, t_on, stint_laps, pace = self.done, self.t_on, self.stint_laps, self.pace
        min_drive, crew_min, margin = self.f.min_drive_s, self.crew_min, self.margin
        for c in range(self.n):
            if done[c] or t_on[c] > now:
                continue
            # wall time overstates progress, so this cheap test never skips a car that is far enough in
            if now - t_on[c] < fraction * (stint_laps[c] - 1) * pace[c] * 0.9:
                continue
            d = self.driver[c]
            minimum = min_drive[c][d]
            minimum = minimum + margin if minimum > 0.0 else 0.0
            crew = crew_min[c]
            if crew is not None and crew[d] > minimum:
                minimum = crew[d]
            if minimum > 0.0 and self.drive[c][d] + (now - t_on[c]) < minimum:
                continue  # this driver still needs the time
            k, _ = self._laps_done(c, now)
            planned = stint_laps[c]
            if k + 1 >= planned or (k + 1) < fraction * planned:
                continue
            if (planned - k) * pace[c] > remaining:
                continue  # the fuel on board reaches the flag
            stint_laps[c] = k + 1
            self._schedule(c, self._crossing(c, k + 1))

    def _period_end(self, ev) -> None:
        if ev._value != self.p_gen:
            return
        now = self.env._now
        kind = self.p_kind[-1]
        if self.log_on:
            self.log.append((now, -1, "neutralisation_end", kind))
        spec = self.rc.procedures.get(kind)
        if kind == RED:
            spec = self.rc.procedures.get("SC")  # restart behind the Safety Car
        if spec is not None and spec.bunching:
            self._bunch(now, spec.train_gap_s)
        parked, deadline, done = self.parked, self.deadline, self.done
        for c in range(self.n):
            if parked[c]:
                # the delay is final now: wake the car exactly at its stint end
                self._schedule(c, self._respect_max_drive(c, now, self._crossing(c, self.stint_laps[c])))
            elif deadline[c] < math.inf and not done[c] and self.t_on[c] < now and self.pending[c] is not None:
                # a stint the drive-time plan keeps short: call the driver in before the period's delay
                # takes the next drivers' time
                t_end = self._crossing(c, self.stint_laps[c])
                if t_end > deadline[c]:
                    self._schedule(c, self._respect_max_drive(c, now, t_end))

    def _bunch(self, now: float, gap_s: float) -> None:
        """Safety Car train: inside each class the gaps of the cars on track shrink to the train gap
        (laps down stay down); the cars ahead take the loss as debt, the last car keeps its place."""
        by_class: dict[int, list[tuple[float, int, float]]] = {}
        class_idx, laps_before, t_on, pace, debt = self.f.class_idx, self.laps_before, self.t_on, self.pace, self.debt
        done = self.done
        for c in range(self.n):
            if done[c] or now <= t_on[c]:
                continue  # retired, or in the pit lane: rejoins wherever it comes out
            # green running done in this stint (the period ending now began after t_on or covers it)
            progress = self._green(t_on[c], now, pace[c]) - debt[c]
            laps = progress / pace[c] if progress > 0.0 else 0.0
            k = int(laps)
            by_class.setdefault(class_idx[c], []).append((laps_before[c] + k + (laps - k), c, progress))
        for cars in by_class.values():
            cars.sort(reverse=True)
            new_pos = cars[-1][0]
            for i in range(len(cars) - 2, -1, -1):
                pos, c, progress = cars[i]
                gap = pos - cars[i + 1][0]
                whole = math.floor(gap)
                new_pos = min(pos, new_pos + whole + min(gap - whole, gap_s / pace[c]))
                if pos - new_pos > 1e-9:
                    # the debt that puts the car at new_pos (absolute laps, fractional) now
                    target = (new_pos - laps_before[c]) * pace[c]
                    if progress > target:
                        debt[c] += progress - target

    # ---------------------------------------------------------------- race end
    def _finish(self, ev) -> None:
        """The leader takes the flag at its first crossing after time expires; the others follow."""
        now = self.env.now
        running = [c for c in range(self.n) if not self.done[c]]
        if not running:
            return
        if self.p_start and self.p_kind[-1] == RED and self.p_end[-1] > now:
            # time runs out under the red flag: the cars are classified where they stopped
            for c in running:
                k, _ = self._laps_done(c, now)
                k = min(k, self.stint_laps[c] + self.f.reserve_laps[c])
                if k > 0:
                    self.stints.append((c, self.laps_before[c], k, self.pace[c]))
                if now > self.t_on[c]:
                    self.drive[c][self.driver[c]] += now - self.t_on[c] - self._red_time(self.t_on[c], now)
                self.fuel_used[c] += k * self.f.fuel_per_lap[c]
                self.final_laps[c] = self.laps_before[c] + k
                self.finish_t[c] = now
            if self.log_on:
                self.log.append((now, -1, "chequered_flag", "race ends under the red flag"))
            return
        best, leader = -1.0, running[0]
        for c in running:
            k, frac = self._laps_done(c, now)
            pos = self.laps_before[c] + k + frac
            if pos > best:
                best, leader = pos, c
        k, _ = self._laps_done(leader, now)
        t_flag = self._crossing(leader, k + 1)
        # a car still in the garage two slow laps (60 km/h) after time expired does not take the flag
        flag_window = 2 * 3600 * self.race.venue.lap_km / 60
        p_end = self.p_end
        last_end = p_end[-1] if p_end else -math.inf
        t_ons, paces, debts = self.t_on, self.pace, self.debt
        for c in running:
            t_on = t_ons[c]
            if last_end <= t_on:
                # no neutralisation in this stint: _laps_done and _crossing inlined (green running is wall time)
                p, debt = paces[c], debts[c]
                e = t_flag - t_on - debt
                if t_flag <= t_on or e <= 0.0:
                    k, frac = 0, 0.0
                else:
                    laps = e / p
                    k = int(laps)
                    frac = laps - k
                t = t_on + (p * k + debt) if k and frac * p <= 0.01 else 0.0
                if k == 0 or t < t_flag - _EPS:
                    k += 1
                    t = t_on + (p * k + debt)
            else:
                k, frac = self._laps_done(c, t_flag)
                # a car a hundredth of a lap past its last crossing crossed it well before the flag (wall
                # time runs at least as fast as green running), so only a car at the line needs the check
                t = self._crossing(c, k) if k and frac * self.pace[c] <= 0.01 else 0.0
                if k == 0 or t < t_flag - _EPS:
                    k += 1  # the first crossing after the leader's flag
                    t = self._crossing(c, k)
            if t > self.T + flag_window:
                # still in the garage when the flag falls: does not take the flag
                self.missed_flag[c] = True
                self.final_laps[c] = self.laps_before[c]
                self.finish_t[c] = now
                if self.log_on:
                    self.log.append((now, c, "no_flag", "in the garage at the finish"))
                continue
            self.stints.append((c, self.laps_before[c], k, self.pace[c]))
            if t > t_on:
                self.drive[c][self.driver[c]] += t - t_on - self._red_time(t_on, t) if self.any_red else t - t_on
            self.fuel_used[c] += k * self.f.fuel_per_lap[c]
            self.final_laps[c] = self.laps_before[c] + k
            self.finish_t[c] = t
        if self.log_on:
            self.log.append((t_flag, leader, "chequered_flag", f"{self.final_laps[leader]} laps"))

    def start(self):
        """Grid, first stints, incident candidates and the race-end event; returns that event."""
        env = self.env
        f = self.f
        spacing = self.race.model.start.grid_spacing_s
        start_plans = self.start_plans
        car_base, driver_pace, lap_factor = self.car_base, self.driver_pace, self.lap_factor
        incident_hazard, fuel_per_lap, reserve_laps = f.incident_hazard, f.fuel_per_lap, f.reserve_laps
        tank, grid_slot = self.tank, self.grid_slot
        for c in range(self.n):
            kept = start_plans[c]
            plan = kept[0]
            if plan is None:
                # the first plan reads only the car's rules and expected pace (unless it falls back on
                # today's fastest driver): computed in the first run of this race, reused by the others
                self.pace_used = False
                plan = self._choose_driver(c, 0.0, f.qualifying_driver[c])
                if not self.pace_used:
                    kept[0] = plan
            d, planned, limit = plan
            self.driver[c] = d
            if limit:
                self.deadline[c] = limit
            self.hazard_now[c] = incident_hazard[c][d]
            laps = int(tank[c] / fuel_per_lap[c]) - reserve_laps[c]
            if laps < 1:
                laps = 1
            if planned and planned < laps:
                laps = planned
            self.stint_laps[c] = laps
            pace = (car_base[c] + driver_pace[c][d]) * lap_factor + self._stint_noise(c, laps)
            self.pace[c] = pace
            debt = self.debt[c] = grid_slot[c] * spacing
            self._schedule(c, pace * laps + debt)   # nothing neutralised yet: green running is wall time
        incident = (self._incident,)
        queue, eid = env._queue, env._eid
        for t in self.candidates:
            # the heap entry of simpy's Timeout(env, t) with the incident callback, without building one
            ev = _Wake()
            ev.callbacks = incident
            heapq.heappush(queue, (t, _NORMAL, next(eid), ev))
        self.n_events += len(self.candidates)
        end = env.timeout(self.T)
        end.callbacks.append(self._finish)
        self.n_events += 1
        return end

    def run(self) -> RaceOutcome:
        """simpy's `env.run(until=end)` loop, inlined: pop, advance the clock, call the callbacks, stop
        after the race-end event (all events are timeouts, so none can fail)."""
        end = self.start()
        env = self.env
        queue = env._queue
        pop = heapq.heappop
        while True:
            env._now, _, _, ev = pop(queue)
            callbacks = ev.callbacks
            ev.callbacks = None
            for callback in callbacks:
                callback(ev)
            if ev is end:
                break
        outcome = classify(self)
        # the pending timeouts hold bound methods of this race: drop them so that reference counting
        # frees the race at once (no cycle left for the garbage collector)
        queue.clear()
        self.pending = [None] * self.n
        self.wake_callbacks = ()
        return outcome


@contextlib.contextmanager
def gc_paused():
    """The cyclic garbage collector off inside the block, restored after: a race (or a chunk of seasons)
    allocates thousands of short-lived containers whose collections cost ~10 %, and leaves no
    reference cycle behind that reference counting would not free (see `_Race.run`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_race(race, rng: np.random.Generator, log: bool = True, season_pace_s=None) -> RaceOutcome:
    """Simulate one CompiledRace with its Generator; numpy arrays out, no pandas.

    `log=False` skips the event log (Monte Carlo): the race itself, and every draw, is the same.
    `season_pace_s`: each car's season-long pace effect (s per lap, one per car of the field, + slower),
    drawn once per season from the season's stream (`sim.season_plan.SeasonPlan.season_pace`) and added to
    the race-day form; None: every car at its prior pace. The race's own draws do not depend on it.
    The cyclic garbage collector is paused during the race (`gc_paused`)."""
    with gc_paused():
        return _Race(race, rng, log, season_pace_s).run()
