"""The drive-time plan: who drives the next stint, how long, and by when he must be back in.

Pure functions over a car's plan constants (`CarPlan`, made once per field and weather at the crew's
expected pace), the drive times so far and the race time left; testable without a race. A plan is
re-made at every stop (and at the start) so that it stays feasible whenever the rules can still be met:
while a driver owes a minimum (+ the margin) or an every-driver target, each crew member is tried for
the next stint (`plan_next`: the cheapest candidate whose stint still leaves every short driver his
time); once all are met, the fastest driver within his maximum drives (`fastest_within_max`).

A new drive-time rule is planned here (a candidate's longest stint, `plan_next`, or the drivers allowed,
`fastest_within_max`), compiled per car in `sim.race.drive_rules` and checked after the flag there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from sim.config.race_model import StrategyModel
from sim.race.field import RaceField

# plan_next's candidates, the likeliest winner first (the bound then prunes more), for crews of 1-4
_CANDIDATE_ORDER = [[(first,) + tuple(i for i in range(nd) if i != first) for first in range(max(nd, 1))]
                    for nd in range(5)]


class PlanConstants(NamedTuple):
    """A car's drive-time plan constants at its expected pace (no race-day form)."""

    laps: list[float]              # each crew member's expected green lap (s)
    full_s: list[float]            # his full-tank stint (s)
    longest: float                 # the longest of those stints
    loss_rates: list[float]        # pace lost against the car's fastest driver, per second he drives
    max_less_margin: list[float]   # drive time each maximum allows, less the margin (inf: none)
    two_laps: list[float]          # the shortest stint worth a stop
    stop: float                    # a stop with a driver change (pit-lane loss + change)
    buffer: float                  # the slack kept for drivers still owing rule time (half the longest stint)
    cover_div: float               # race time one more stint covers (longest stint + stop)
    bound_rates: list[float]       # least cost per second of a shortened stint (`plan_next`'s bound)
    closed_s: float                # how long a Safety Car can keep the pit entry closed (kept in hand below a maximum)


class StintPlan(NamedTuple):
    """The next stint: its driver, its planned laps (0: as far as the fuel goes) and the longest wall
    time it may last (0: no limit; the drivers after him need the rest)."""

    driver: int
    laps: int
    limit_s: float


FULL_TANK = StintPlan(0, 0, 0.0)   # the only plan of a single-driver crew


class CarPlan:
    """One car's planning inputs, the same in every run of a race at this weather: plan constants,
    every-driver targets, rule minimums (+ margin), maximums; shared by every participation variant of
    the field in which the car's pace is the same. `start` keeps the plan at the start once a run has
    made it (drive times 0, whole race left: the same in every run unless it read today's pace)."""

    __slots__ = ("consts", "crew_targets", "required", "min_drive_s", "min_drivers", "max_drive_s",
                 "has_rules", "full_laps", "margin", "every_driver", "start", "free_max_s", "spell_stints")

    def __init__(self, field: RaceField, c: int, lap_factor: float, strategy: StrategyModel) -> None:
        margin = strategy.drive_time_margin_s
        self.consts = plan_constants(field, c, lap_factor, margin)
        self.crew_targets = crew_targets(field, c, lap_factor, strategy)
        self.required = tuple((i, field.min_drive_s[c][i] + margin) for i in field.min_drivers[c])
        self.min_drive_s = field.min_drive_s[c]
        self.min_drivers = field.min_drivers[c]
        self.max_drive_s = field.max_drive_s[c]
        # the most each driver drives once the minimums are met: his maximum, in long races also the share
        # of the race a team gives one driver (strategy.long_race_drive_share)
        share = strategy.long_race_drive_share
        if share is not None and len(self.max_drive_s) > 1 and field.race_seconds >= 3600 * strategy.long_race_hours:
            self.free_max_s = tuple(min(m, share * field.race_seconds) for m in self.max_drive_s)
            self.spell_stints = strategy.long_race_spell_stints - 0.9   # in the car for more: he hands over
        else:
            self.free_max_s = self.max_drive_s
            self.spell_stints = math.inf
        self.has_rules = field.has_drive_rules[c]
        self.full_laps = field.stint_constants.full_laps[c]
        self.margin = margin
        self.every_driver = strategy.every_driver_drives
        self.start: StintPlan | None = None


def plan_constants(field: RaceField, c: int, lap_factor: float, margin: float) -> PlanConstants:
    """Car c's plan constants: each crew member's green lap and full-tank stint at his expected pace
    (class reference x BoP + offsets + traffic, no form) in this weather, and what follows from them."""
    full_laps, stop_cost = field.stint_constants
    car_base = field.base_lap[c] + field.traffic_s[c]
    laps = [(car_base + d) * lap_factor for d in field.driver_pace[c]]
    full_s = [full_laps[c] * p for p in laps]
    fastest = min(laps)
    longest = max(full_s)
    stop = stop_cost[c]
    loss_rates = [(p - fastest) / p for p in laps]
    return PlanConstants(laps, full_s, longest, loss_rates, [m - margin for m in field.max_drive_s[c]],
                         [2 * p for p in laps], stop, 0.5 * longest, longest + stop,
                         [min(rate, stop / full) for rate, full in zip(loss_rates, full_s)], field.pit_closed_s)


def crew_targets(field: RaceField, c: int, lap_factor: float, strategy: StrategyModel) -> list[float] | None:
    """Car c's every_driver_drives target per crew member: a share of one full-tank stint at his
    expected pace; in long races at least strategy.long_race_least_drive_share of an even split of the
    race and the crew's largest rule minimum (None: a single driver, or the option is off)."""
    nd = len(field.drivers[c])
    if not strategy.every_driver_drives or nd == 1:
        return None
    k = strategy.every_driver_min_stint_share * field.stint_constants.full_laps[c] * lap_factor
    least = strategy.long_race_least_drive_share
    floor = 0.0
    if least is not None and field.race_seconds >= 3600 * strategy.long_race_hours:
        floor = max(least * field.race_seconds / nd, *field.min_drive_s[c])
    return [max(k * (field.base_lap[c] + field.traffic_s[c] + d), floor) for d in field.driver_pace[c]]


def plan_tables(field: RaceField, lap_factor: float, strategy: StrategyModel) -> list[CarPlan]:
    """Every car's CarPlan for this weather, cached on the field. A car's entry is shared by every field
    derived from the same full field (participation variants) in which its pace is the same (the traffic
    loss depends on the class counts), so the start plans made in one variant serve the others."""
    tables = field.plan_cache.get(lap_factor)
    if tables is None:
        family = field.plan_family
        tables = []
        for c, root in enumerate(field.family_index):
            key = (root, field.traffic_s[c], lap_factor)
            plan = family.get(key)
            if plan is None:
                plan = family[key] = CarPlan(field, c, lap_factor, strategy)
            tables.append(plan)
        field.plan_cache[lap_factor] = tables
    return tables


def choose_driver(plan: CarPlan, drive: list[float], current: int, remaining: float, minimum_scale: float,
                  fastest: int, laps_today: list[float], stint_today_s: float,
                  caps: Sequence[float] | None = None, spell_s: float = 0.0) -> tuple[StintPlan, bool]:
    """The next stint's plan, and whether it read today's pace (then it is not the same in every run).

    `drive`: each driver's time so far; `remaining`: race time left after the stop (red-flag time
    excluded); `minimum_scale`: the share of the minimums still due after a red flag; `fastest`,
    `laps_today`, `stint_today_s`: today's fastest driver, each driver's lap and a full stint at the
    current pace (only the choice once every minimum is met reads them). With every_driver_drives each
    crew member also has his planning target, dropped when it no longer fits beside the rule minimums.
    `caps`: per driver, the most he may drive in the next stint under the window and continuous-driving
    rules (`sim.race.drive_rules.stint_cap`; None: no such rule); `spell_s`: how long the current driver
    has been in the car (in long races he hands over after strategy.long_race_spell_stints stints)."""
    nd = len(drive)
    if nd == 1:
        return FULL_TANK, False
    every = plan.every_driver
    if not every and not plan.has_rules:
        return StintPlan(fastest, 0, 0.0), True
    required: Sequence[tuple[int, float]]
    if minimum_scale == 1.0:
        required = plan.required
    else:
        # a red flag stops the drive-time clocks and shrinks the minimums (see sim.race.drive_rules)
        required = [(i, plan.min_drive_s[i] * minimum_scale + plan.margin) for i in plan.min_drivers]
    rule_needs: list[float] | None = None
    for i, minimum in required:
        deficit = minimum - drive[i]
        if deficit > 0.0:
            if rule_needs is None:
                rule_needs = [0.0] * nd
            rule_needs[i] = deficit
    needs = rule_needs
    crew = plan.crew_targets
    if crew is not None:   # every_driver_drives: each crew member's planning target
        for i in range(nd):
            deficit = crew[i] - drive[i]
            if deficit > 0.0 and (needs is None or needs[i] < deficit):
                if needs is None or needs is rule_needs:   # copy on first write
                    needs = list(rule_needs) if rule_needs is not None else [0.0] * nd
                needs[i] = deficit
    stint_caps = None if caps is None else [cap - plan.margin for cap in caps]
    if needs is None:
        return _free_choice(plan, drive, current, remaining, fastest, laps_today, stint_today_s, caps, spell_s), True
    choice = None
    if spell_s > plan.spell_stints * stint_today_s:
        # long in the car: someone else drives the next stint if the plan still gives everyone his time
        rested = [-math.inf if i == current else cap for i, cap in enumerate(stint_caps or [math.inf] * nd)]
        choice = plan_next(plan.consts, drive, remaining, current, needs, rule_needs, rested)
    if choice is None:
        choice = plan_next(plan.consts, drive, remaining, current, needs, rule_needs, stint_caps)
    if choice is None and needs is not rule_needs:
        # the targets no longer fit (long neutralisations): half of them, else the rule minimums first
        rules = rule_needs or [0.0] * nd
        half = [r + 0.5 * (n - r) for n, r in zip(needs, rules)]
        choice = plan_next(plan.consts, drive, remaining, current, half, rule_needs, stint_caps)
        if choice is not None:
            return choice, False
        if rule_needs is None:
            return _free_choice(plan, drive, current, remaining, fastest, laps_today, stint_today_s, caps, spell_s), True
        needs = rule_needs
        choice = plan_next(plan.consts, drive, remaining, current, needs, needs, stint_caps)
    if choice is None:
        # the rules cannot be met any more: the driver furthest from his minimum
        worst = max(range(nd), key=lambda i: (needs[i], -i))
        return StintPlan(worst, 0, 0.0), False
    return choice, False


def _free_choice(plan: CarPlan, drive, current, remaining, fastest, laps_today, stint_today_s, caps,
                 spell_s) -> StintPlan:
    tired = current if spell_s > plan.spell_stints * stint_today_s else None
    driver = fastest_within_max(drive, plan.free_max_s, laps_today, fastest, current, remaining, stint_today_s,
                                plan.margin, caps, plan.max_drive_s, tired)
    return StintPlan(driver, 0, 0.0)


def fastest_within_max(drive: list[float], maxs: tuple[float, ...], laps: list[float], fastest: int, current: int,
                       remaining: float, stint_s: float, margin: float, caps: Sequence[float] | None = None,
                       rule_maxs: tuple[float, ...] | None = None, tired: int | None = None) -> int:
    """Every minimum is met: the fastest driver (today's pace, as seen in the race) who can do a full
    stint under his maximum (and under what the window and continuous rules leave him, `caps`); the
    current driver stays in when he is as fast. `maxs` may be below the rules' maximums (`rule_maxs`: a
    team's share of a long race); when nobody fits those, the driver who drove least within the rules.
    A `tired` driver (long in the car in a long race) hands over when anybody else fits."""
    tail = remaining + stint_s / 20   # + the lap run after time expires
    need = 1.25 * (stint_s if stint_s < tail else tail) + margin
    if caps is None:
        caps = (math.inf,) * len(drive)
    if tired is not None:
        hard = rule_maxs or maxs
        if any(i != tired and drive[i] + need <= hard[i] and need <= caps[i] for i in range(len(drive))):
            caps = [-math.inf if i == tired else cap for i, cap in enumerate(caps)]
    if drive[fastest] + need <= maxs[fastest] and need <= caps[fastest]:
        if current != fastest and laps[current] <= laps[fastest] and drive[current] + need <= maxs[current] \
                and need <= caps[current]:
            return current
        return fastest
    allowed = [i for i in range(len(drive)) if drive[i] + need <= maxs[i] and need <= caps[i]]
    if not allowed and rule_maxs is not None:
        # everybody has had his share: the one who drove least, within the rules
        maxs = rule_maxs
        allowed = [i for i in range(len(drive)) if drive[i] + need <= maxs[i] and need <= caps[i]]
        if allowed:
            return min(allowed, key=lambda i: (drive[i], i))
    if not allowed:
        return max(range(len(drive)), key=lambda i: (min(maxs[i] - drive[i], caps[i]), -i))
    best = min(allowed, key=lambda i: (laps[i], i))
    if current in allowed and laps[current] <= laps[best]:
        return current
    return best


def plan_next(consts: PlanConstants, drive: list[float], remaining: float, current: int, needs: Sequence[float],
              rule_needs: Sequence[float] | None, caps: Sequence[float] | None = None) -> StintPlan | None:
    """Stint plan of a car whose drivers still owe minimum time (`needs`, s). For each candidate: the
    longest stint (fuel, 80 % of what his maximum leaves) after which the rest of the race still gives
    every driver his minimum: each short driver needs ceil(deficit / full stint) more stints, a stint is
    at most a full tank, every stop eats its time. The cheapest feasible candidate wins: stops still
    needed x their time + the pace lost against the fastest driver in this stint, beyond the time the
    driver must drive anyway; plans that leave the drivers short of a rule minimum (`rule_needs`; the rest
    of `needs` are every_driver_drives targets) little slack cost more, under a tenth of a stint only when
    nothing else fits, and a target-only driver costs a stop more while others still owe rule time (the
    rule minimums first, so a late neutralisation or a closed pit lane eats into the target, not into a
    minimum). A candidate's stint is also capped by what the window and continuous-driving rules leave him
    (`caps`, already less the margin). None when no candidate fits (time lost in the garage or to a red flag).

    Hot (a call at nearly every stop; measured in docs/performance.md): the candidate key (last resort,
    cost, not the current driver, index) is compared field by field instead of as a tuple; the driver
    owing the most time goes first (the winner in ~80 % of plans), so the cost bound skips more of the
    others, and the index in the key keeps the choice independent of that order."""
    nd = len(drive)
    laps, full_s, longest, loss_rates, max_less_margin, two_laps, stop, buffer, cover_div, bound_rates, closed = consts
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
    rules: Sequence[float]
    if rule_needs is needs:
        soft_total = 0.0
        rules = needs
    elif rule_needs is None:
        soft_total = need_total
        rules = (0.0, 0.0, 0.0, 0.0)
    else:
        soft_total = need_total - sum(rule_needs)
        rules = rule_needs
    found = False
    best_flag = best_tie = False
    best_cost = 0.0
    best_x = nd
    best_laps = 0
    best_limit = 0.0
    last_start = remaining - stop            # this stint must end by then (plus someone's 2 laps)
    last_resort = 0.2 * buffer
    for x in _CANDIDATE_ORDER[nd][first]:
        left_x = max_less_margin[x] - drive[x]
        cap = 0.8 * left_x                             # neutralisations can stretch a stint ...
        if left_x - closed < cap:
            cap = left_x - closed                      # ... and a Safety Car keep the pit entry closed
        if caps is not None and caps[x] < cap:
            cap = caps[x]                              # the car calls him in by this deadline
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
                found, best_flag, best_cost, best_tie, best_x = True, False, cost, tie, x
                best_laps, best_limit = 0, 0.0
            continue
        s = lx if lx < cap else cap
        if s > last_start - two_p:
            s = last_start - two_p           # someone else drives at least a short last stint
        if s < two_p:
            continue
        rule_x = rules[x]
        # rule time the others still owe (their targets are not protected by the slack)
        others_rule = others - soft_total + (need_x - rule_x)
        others_stints = stints_total - own_stints[x]
        if found and not best_flag:
            # a lower bound of this candidate's cost: the search below only shortens the stint, which
            # leaves more race after it and less of the tank used (each second shorter costs stop / lx
            # more, saves at most loss_rate of pace loss), and every other term of the cost is positive;
            # a candidate that cannot beat the best plan so far is skipped
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
            found, best_flag, best_cost, best_tie, best_x = True, flag, cost, tie, x
            best_laps = 0 if s >= lx else int(s / p)
            # the drivers after him need their time: the stint may not outlast the plan's slack
            best_limit = s + 0.5 * slack if others > 0.0 else 0.0
    return StintPlan(best_x, best_laps, best_limit) if found else None
