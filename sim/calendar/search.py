"""Calendar search: venue/date assignments under hard constraints, ranked by a weighted objective.

Rounds are Saturdays in the window (race 1 on Saturday, further races on the following days).
Depth-first branch and bound over rounds in date order: every metric is a sum over rounds and legs,
so a partial calendar's score plus a lower bound for the rounds still to place bounds every
completion. All metric tables are built once from the same functions `assess_plan` uses, so the
scores found here equal `objective_breakdown(assess_plan(...).row)`.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from sim.calendar.clashes import round_clashes, summarise_clashes
from sim.calendar.climate import round_climate
from sim.calendar.freight import available_days, plan_leg
from sim.calendar.metrics import (
    PlannedRound, PlanningContext, assess_plan, objective_breakdown, planning_context, select_championships,
)
from sim.config.calendars import (
    CalendarOptions, ChampionshipCalendar, Logistics, SearchConstraints, Window,
)
from sim.config.venues import VenueBook
from sim.errors import InputError

SATURDAY = 5  # date.weekday()


@dataclass
class Exclusion:
    constraint: str
    count: int = 0
    example: str = ""


@dataclass
class Candidate:
    rank: int
    score: float
    rounds: list[PlannedRound]
    row: dict
    contributions: dict[str, float]

    def describe(self) -> str:
        return " > ".join(f"{r.venue} {r.first_race_day.isoformat()}" for r in self.rounds)


@dataclass
class SearchResult:
    candidates: list[Candidate]
    option_exclusions: dict[str, Exclusion]   # venue-date options refused before the search
    exclusions: dict[str, Exclusion]          # partial calendars refused during the search
    nodes: int
    dominated: int                            # partial calendars cut by the bound (cannot reach the top K)
    elapsed_s: float
    saturdays: int
    conflict: list[str] = field(default_factory=list)  # minimal infeasible constraint set, if infeasible


@dataclass
class SearchProblem:
    venues: list[str]
    rounds: int
    window: Window
    constraints: SearchConstraints
    ctx: PlanningContext
    constraints_path: str = "constraints"

    @property
    def format_races(self) -> tuple[tuple[float, str], ...]:
        fmt = self.constraints.round_format
        return tuple((fmt.hours, fmt.start_local) for _ in range(fmt.races))


def saturdays(window: Window, races_per_round: int) -> list[dt.date]:
    """Saturdays whose round (one race a day) fits inside the window."""
    first = window.start + dt.timedelta(days=(SATURDAY - window.start.weekday()) % 7)
    out = []
    day = first
    while day + dt.timedelta(days=races_per_round - 1) <= window.end:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def build_problem(venues: Sequence[str], rounds: int, window: Window | None, constraints: SearchConstraints,
                  constraints_path: str | Path | None = None, *, venue_book: VenueBook | None = None,
                  logistics: Logistics | None = None,
                  championships: dict[str, ChampionshipCalendar] | None = None,
                  venues_path=None) -> SearchProblem:
    """Check the inputs against each other (one-line InputError for contradictions) and load context."""
    where = str(constraints_path) if constraints_path else "constraints"
    if rounds < 1:
        raise InputError(None, "--rounds", f"must be at least 1, got {rounds}")
    window = window or constraints.window
    if window is None:
        raise InputError(None, "--window", "no search window: give --window START END or `window` in the constraints")
    if len(set(venues)) != len(venues):
        raise InputError(None, "--venues", "a venue is listed twice")
    quotas = constraints.quotas()
    needed = sum(q.min for q in quotas.values())
    if needed > rounds:
        raise InputError(where, "regions", f"region quotas need at least {needed} rounds but --rounds is {rounds}")
    fixed = constraints.fixed_rounds
    if len(fixed) > rounds:
        raise InputError(where, "fixed_rounds", f"{len(fixed)} fixed rounds but --rounds is {rounds}")
    fmt = constraints.round_format
    for index, fixed_round in enumerate(fixed):
        last_day = fixed_round.date + dt.timedelta(days=fmt.races - 1)
        if fixed_round.date < window.start or last_day > window.end:
            raise InputError(where, f"fixed_rounds[{index}].date",
                             f"round on {fixed_round.date} is outside the search window {window.start} .. {window.end}")
        if fixed_round.date.weekday() != SATURDAY:
            raise InputError(where, f"fixed_rounds[{index}].date", f"{fixed_round.date} is not a Saturday")
        if fixed_round.venue not in venues:
            raise InputError(where, f"fixed_rounds[{index}].venue", f"'{fixed_round.venue}' is not in --venues")
    freight = constraints.freight
    options = CalendarOptions(freight_hub=constraints.freight_hub,
                              freight_modes=list(freight.modes) if freight else ["road", "sea", "air"])
    ctx = planning_context(options, where, venue_book, logistics, championships, venues_path)
    ctx.slack_days = freight.min_slack_days if freight else 0
    places = [ctx.place(key, "--venues") for key in venues]
    capped = {region: q.max for region, q in quotas.items() if q.max is not None}
    venue_regions = {place.region for place in places}
    if venue_regions <= set(capped) and sum(capped[r] for r in venue_regions) < rounds:
        raise InputError(where, "regions", f"region quotas allow at most {sum(capped[r] for r in venue_regions)} "
                                           f"rounds at these venues but --rounds is {rounds}")
    if constraints.no_clash is not None:
        select_championships(ctx.championships, constraints.no_clash.championships, where, "no_clash.championships")
    dates = saturdays(window, fmt.races)
    if len(dates) < rounds:
        raise InputError(None, "--window", f"{window.start} .. {window.end} has {len(dates)} Saturdays for {rounds} rounds")
    return SearchProblem(list(venues), rounds, window, constraints, ctx, where)


def constraint_names(problem: SearchProblem) -> list[str]:
    """The hard constraints in force, by name (the window and the round count are not relaxable)."""
    c = problem.constraints
    names = [f"regions.{region}" for region in sorted(c.quotas())]
    if c.min_days_between_rounds is not None:
        names.append("min_days_between_rounds")
    if c.max_days_between_rounds is not None:
        names.append("max_days_between_rounds")
    if c.freight is not None:
        names.append("freight")
    if c.no_clash is not None:
        names.append("no_clash")
    if c.climate.max_temp_c is not None:
        names.append("climate.max_temp_c")
    if c.climate.max_rain_probability is not None:
        names.append("climate.max_rain_probability")
    if c.daylight:
        names.append("daylight")
    names += [f"fixed_rounds[{i}]" for i in range(len(c.fixed_rounds))]
    if c.max_rounds_per_venue is not None:
        names.append("max_rounds_per_venue")
    return names


class _Tables:
    """Per venue-date option and per leg metrics, and their objective contributions."""

    def __init__(self, problem: SearchProblem):
        ctx, c = problem.ctx, problem.constraints
        self.dates = saturdays(problem.window, c.round_format.races)
        self.places = [ctx.place(key, "--venues") for key in problem.venues]
        V, D = len(self.places), len(self.dates)
        races = problem.format_races
        logistics = ctx.logistics
        weights = c.objective
        before = dt.timedelta(days=logistics.event_days_before_race)
        span = dt.timedelta(days=len(races) - 1)
        self.temp = np.zeros((V, D))
        self.rain = np.zeros((V, D))
        self.round_score = np.zeros((V, D))
        self.hard_clashes = np.zeros((V, D), dtype=int)
        self.unlit_dark = np.zeros((V, D))
        self.clash_text: dict[tuple[int, int], str] = {}
        hard_calendars = None
        if c.no_clash is not None:
            hard_calendars = select_championships(ctx.championships, c.no_clash.championships,
                                                  problem.constraints_path, "no_clash.championships")
            hard_buffer = c.no_clash.buffer_days if c.no_clash.buffer_days is not None else ctx.buffer_days
        for v, place in enumerate(self.places):
            for d, day in enumerate(self.dates):
                climate = round_climate(place, day, races, logistics.climate_risk.heat_threshold_c)
                soft = summarise_clashes(round_clashes(0, place.name, day - before, day + span,
                                                       ctx.championships, ctx.buffer_days, ctx.overlaps))
                self.temp[v, d] = climate.temp_max_c
                self.rain[v, d] = climate.rain_probability
                self.unlit_dark[v, d] = climate.unlit_dark_hours
                self.round_score[v, d] = (weights.clashes * soft["clashes"] + weights.clash_people * soft["clash_people"]
                                          + weights.heat * climate.heat_excess_c
                                          + weights.rain * climate.expected_wet_races
                                          + weights.darkness * climate.unlit_dark_hours)
                if hard_calendars is not None:
                    hard = [h for h in round_clashes(0, place.name, day - before, day + span, hard_calendars,
                                                     hard_buffer, ctx.overlaps) if h.people >= c.no_clash.min_people]
                    self.hard_clashes[v, d] = len(hard)
                    if hard:
                        self.clash_text[(v, d)] = ", ".join(f"{h.championship}: {h.event}" for h in hard[:2])
        # Legs by week difference k = 1 .. D-1 between Saturdays.
        self.leg_fits = np.zeros((V, V, D), dtype=bool)
        self.leg_score = np.zeros((V, V, D))
        self.leg_need = np.zeros((V, V, D), dtype=int)
        self.leg_avail = np.zeros(D, dtype=int)
        for k in range(1, D):
            last = self.dates[0] + span
            self.leg_avail[k] = available_days(last, self.dates[0] + dt.timedelta(days=7 * k), logistics)
        for i, a in enumerate(self.places):
            for j, b in enumerate(self.places):
                for k in range(1, D):
                    leg = plan_leg(a, b, int(self.leg_avail[k]), logistics, ctx.modes, ctx.slack_days)
                    self.leg_fits[i, j, k] = leg.fits
                    self.leg_need[i, j, k] = leg.transit_days
                    self.leg_score[i, j, k] = (weights.freight_km * leg.km / 1000 + weights.travel_km * leg.km / 1000
                                               + weights.freight_cost * leg.cost_eur / 1000)
        hub_out = [plan_leg(ctx.hub, place, None, logistics, ctx.modes) for place in self.places]
        hub_back = [plan_leg(place, ctx.hub, None, logistics, ctx.modes) for place in self.places]
        self.hub_out_score = np.array([weights.freight_km * l.km / 1000 + weights.freight_cost * l.cost_eur / 1000
                                       for l in hub_out])
        self.hub_back_score = np.array([weights.freight_km * l.km / 1000 + weights.freight_cost * l.cost_eur / 1000
                                        for l in hub_back])
        self.regions = sorted({place.region for place in self.places})
        self.region_of = np.array([self.regions.index(place.region) for place in self.places])


class _Found(Exception):
    pass


class _Search:
    """One branch-and-bound run for a set of active constraint names."""

    def __init__(self, problem: SearchProblem, tables: _Tables, active: set[str], top: int, first_only: bool,
                 distinct: bool = False):
        self.p, self.t, self.active = problem, tables, active
        self.top, self.first_only, self.distinct = top, first_only, distinct
        self.kept: dict[tuple, float] = {}     # distinct: venue order -> its score in the heap
        c = problem.constraints
        V, D = tables.temp.shape
        self.V, self.D, self.N = V, D, problem.rounds
        self.heap: list[tuple[float, int, tuple]] = []
        self.counter = itertools.count()
        self.nodes = 0
        self.dominated = 0
        self.exclusions: dict[str, Exclusion] = {}
        self.option_exclusions: dict[str, Exclusion] = {}
        # Fixed rounds in force: date index -> venue index.
        self.fixed = {}
        for index, fixed in enumerate(c.fixed_rounds):
            if f"fixed_rounds[{index}]" in active:
                self.fixed[tables.dates.index(fixed.date)] = problem.venues.index(fixed.venue)
        self.fixed_dates = np.array(sorted(self.fixed), dtype=int)
        # Region quotas in force (per region index); regions without quota are unbounded.
        R = len(tables.regions)
        self.q_min = np.zeros(R, dtype=int)
        self.q_max = np.full(R, problem.rounds, dtype=int)
        for region, quota in c.quotas().items():
            if f"regions.{region}" in active:
                if region in tables.regions:
                    r = tables.regions.index(region)
                    self.q_min[r] = quota.min
                    self.q_max[r] = quota.max if quota.max is not None else problem.rounds
                elif quota.min > 0:
                    self.q_unreachable = region
        self.min_days = c.min_days_between_rounds if "min_days_between_rounds" in active else None
        self.max_days = c.max_days_between_rounds if "max_days_between_rounds" in active else None
        self.max_per_venue = c.max_rounds_per_venue if "max_rounds_per_venue" in active else problem.rounds
        self.step = max(1, math.ceil(self.min_days / 7)) if self.min_days else 1
        self.option_ok = self._option_mask()
        ok_scores = tables.round_score[self.option_ok]
        min_round = float(ok_scores.min()) if ok_scores.size else 0.0
        usable = tables.leg_fits[:, :, 1:] | ("freight" not in active)
        if self.max_per_venue == 1:
            usable = usable & ~np.eye(V, dtype=bool)[:, :, None]
        leg_scores = tables.leg_score[:, :, 1:][usable]
        min_leg = float(leg_scores.min()) if leg_scores.size else 0.0
        min_back = float(tables.hub_back_score.min())
        self.lower_bound = [r * (min_round + min_leg) + min_back for r in range(self.N + 1)]

    # ------------------------------------------------------------ exclusions bookkeeping
    def _note(self, book: dict, name: str, mask_before: np.ndarray, mask_after: np.ndarray, example) -> np.ndarray:
        removed = mask_before & ~mask_after
        count = int(np.count_nonzero(removed))
        if count:
            entry = book.setdefault(name, Exclusion(name))
            entry.count += count
            if not entry.example:
                v, d = (int(x) for x in np.argwhere(removed)[0])
                entry.example = example(v, d)
        return mask_before & mask_after

    def _label(self, v: int, d: int) -> str:
        return f"{self.p.venues[v]} {self.t.dates[d].isoformat()}"

    def _option_mask(self) -> np.ndarray:
        t, c, active = self.t, self.p.constraints, self.active
        ok = np.ones((self.V, self.D), dtype=bool)
        book = self.option_exclusions
        if self.fixed:
            wrong = np.ones_like(ok)
            for d, v in self.fixed.items():
                wrong[:, d] = False
                wrong[v, d] = True
            ok = self._note(book, "fixed_rounds", ok, wrong,
                            lambda v, d: f"{self._label(v, d)}: that Saturday is fixed for "
                                         f"{self.p.venues[self.fixed[d]]}")
        if "climate.max_temp_c" in active:
            ok = self._note(book, "climate.max_temp_c", ok, t.temp <= c.climate.max_temp_c,
                            lambda v, d: f"{self._label(v, d)}: {t.temp[v, d]:.1f} C > {c.climate.max_temp_c} C")
        if "climate.max_rain_probability" in active:
            limit = c.climate.max_rain_probability
            ok = self._note(book, "climate.max_rain_probability", ok, t.rain <= limit,
                            lambda v, d: f"{self._label(v, d)}: rain probability {t.rain[v, d]:.2f} > {limit}")
        if "no_clash" in active:
            ok = self._note(book, "no_clash", ok, t.hard_clashes == 0,
                            lambda v, d: f"{self._label(v, d)}: clashes with {t.clash_text.get((v, d), '?')}")
        if "daylight" in active:
            ok = self._note(book, "daylight", ok, t.unlit_dark == 0,
                            lambda v, d: f"{self._label(v, d)}: {t.unlit_dark[v, d]:.1f} race hours in darkness, "
                                         f"no floodlights")
        return ok

    # ------------------------------------------------------------ search
    @property
    def threshold(self) -> float:
        if self.first_only or len(self.heap) < self.top:
            return math.inf
        return -self.heap[0][0]

    def run(self) -> None:
        if getattr(self, "q_unreachable", None):
            return
        try:
            self._expand(0, -1, -1, np.zeros(len(self.t.regions), dtype=int), np.zeros(self.V, dtype=int), 0.0, ())
        except _Found:
            pass

    def _expand(self, level: int, prev_v: int, prev_d: int, counts: np.ndarray, used: np.ndarray,
                cost: float, path: tuple) -> None:
        self.nodes += 1
        t, N = self.t, self.N
        dates = np.arange(prev_d + 1 if level else 0, self.D)
        if dates.size == 0:
            return
        left = N - level - 1  # rounds still to place after this one
        mask = self.option_ok[:, dates].copy()
        book = self.exclusions

        def example(reason):
            return lambda v, d: " > ".join([*(self._label(*step) for step in path),
                                           self._label(v, int(dates[d]))]) + f": {reason(v, int(dates[d]))}"

        # Room for the remaining rounds at the minimum spacing (window and min gap together).
        room = dates + left * self.step <= self.D - 1
        mask = self._note(book, "window (no room for the remaining rounds)", mask, np.broadcast_to(room, mask.shape),
                          example(lambda v, d: f"{left} more round(s) do not fit before {self.p.window.end}"))
        if self.fixed_dates.size:
            skipped = np.array([any(prev_d < f < d for f in self.fixed_dates) for d in dates])
            later = np.array([np.count_nonzero(self.fixed_dates > d) for d in dates])
            fixed_ok = ~skipped & (later <= left)
            mask = self._note(book, "fixed_rounds", mask, np.broadcast_to(fixed_ok, mask.shape),
                              example(lambda v, d: "a fixed round would be skipped or left without a slot"))
        if level:
            gap_days = (dates - prev_d) * 7
            if self.min_days is not None:
                mask = self._note(book, "min_days_between_rounds", mask,
                                  np.broadcast_to(gap_days >= self.min_days, mask.shape),
                                  example(lambda v, d: f"{(d - prev_d) * 7} days after the previous round < {self.min_days}"))
            if self.max_days is not None:
                mask = self._note(book, "max_days_between_rounds", mask,
                                  np.broadcast_to(gap_days <= self.max_days, mask.shape),
                                  example(lambda v, d: f"{(d - prev_d) * 7} days after the previous round > {self.max_days}"))
            weeks = dates - prev_d
            if "freight" in self.active:
                fits = t.leg_fits[prev_v][:, weeks]
                mask = self._note(book, "freight", mask, fits, example(
                    lambda v, d: f"freight {self.p.venues[prev_v]} -> {self.p.venues[v]} needs "
                                 f"{t.leg_need[prev_v, v, d - prev_d]} days, {t.leg_avail[d - prev_d]} available"))
        reuse_ok = used < self.max_per_venue
        mask = self._note(book, "max_rounds_per_venue", mask, np.broadcast_to(reuse_ok[:, None], mask.shape),
                          example(lambda v, d: f"{self.p.venues[v]} already has {used[v]} round(s)"))
        new_counts = counts[None, :] + np.eye(len(t.regions), dtype=int)[t.region_of]     # (V, R)
        over = (new_counts > self.q_max[None, :]).any(axis=1)
        unmet = np.maximum(self.q_min[None, :] - new_counts, 0)                          # (V, R)
        short = unmet.sum(axis=1) > left
        for v in np.flatnonzero((over | short) & mask.any(axis=1)):
            if over[v]:
                name = f"regions.{t.places[v].region}"
                reason = f"{t.places[v].region} would have {new_counts[v, t.region_of[v]]} rounds"
            else:
                needing = [t.regions[r] for r in np.flatnonzero(unmet[v])]
                name = f"regions.{needing[0]}"
                reason = f"{', '.join(needing)} still need {unmet[v].sum()} round(s), {left} left"
            row = np.zeros_like(mask)
            row[v] = True
            mask = self._note(book, name, mask, ~row, example(lambda vv, d, reason=reason: reason))
        if not mask.any():
            return
        child = cost + t.round_score[:, dates]
        if level:
            child = child + t.leg_score[prev_v][:, dates - prev_d]
        else:
            child = child + t.hub_out_score[:, None]
        if left == 0:
            total = child + t.hub_back_score[:, None]
            for v, d in np.argwhere(mask):
                self._offer(float(total[v, d]), path + ((int(v), int(dates[d])),))
            return
        bound = child + self.lower_bound[left]
        order = np.argwhere(mask)
        order = order[np.argsort(child[mask], kind="stable")]
        for v, d in order:
            if bound[v, d] >= self.threshold:
                self.dominated += 1
                continue
            r = t.region_of[v]
            counts[r] += 1
            used[v] += 1
            self._expand(level + 1, int(v), int(dates[d]), counts, used, float(child[v, d]),
                         path + ((int(v), int(dates[d])),))
            counts[r] -= 1
            used[v] -= 1

    def _offer(self, score: float, path: tuple) -> None:
        if self.first_only:
            self.heap.append((-score, next(self.counter), path))
            raise _Found
        if self.distinct:
            # one calendar per venue order (its best dates). Still exact with the bound: a calendar that
            # cannot beat the K-th best cannot improve an order already kept either (it scores no better)
            order = tuple(v for v, _ in path)
            kept = self.kept.get(order)
            if kept is not None:
                if score < kept:
                    self.heap = [item for item in self.heap if tuple(v for v, _ in item[2]) != order]
                    self.heap.append((-score, next(self.counter), path))
                    heapq.heapify(self.heap)
                    self.kept[order] = score
                else:
                    self.dominated += 1
                return
            if len(self.heap) >= self.top:
                if score >= -self.heap[0][0]:
                    self.dominated += 1
                    return
                _, _, dropped = heapq.heappop(self.heap)
                del self.kept[tuple(v for v, _ in dropped)]
            heapq.heappush(self.heap, (-score, next(self.counter), path))
            self.kept[order] = score
            return
        if len(self.heap) < self.top:
            heapq.heappush(self.heap, (-score, next(self.counter), path))
        elif score < -self.heap[0][0]:
            heapq.heapreplace(self.heap, (-score, next(self.counter), path))
        else:
            self.dominated += 1

    def best(self) -> list[tuple[float, tuple]]:
        return sorted(((-neg, path) for neg, _, path in self.heap), key=lambda item: item[0])


def _feasible(problem: SearchProblem, tables: _Tables, active: set[str]) -> bool:
    run = _Search(problem, tables, active, top=1, first_only=True)
    run.run()
    return bool(run.heap)


# Deletion order: constraints tried first are the likeliest to be dropped from the explanation, so the
# organiser's own choices (quotas, climate, fixed rounds, clashes) are tried last and tend to be named.
_DELETION_ORDER = ("max_rounds_per_venue", "min_days_between_rounds", "max_days_between_rounds", "freight",
                   "daylight", "no_clash", "climate", "fixed_rounds", "regions")


def minimal_conflict(problem: SearchProblem, tables: _Tables, names: list[str]) -> list[str]:
    """Deletion filter: drop each constraint whose removal keeps the problem infeasible."""
    def priority(name: str) -> int:
        return next((i for i, prefix in enumerate(_DELETION_ORDER) if name.startswith(prefix)), 0)

    conflict = list(names)
    for name in sorted(names, key=priority):
        trial = [n for n in conflict if n != name]
        if not _feasible(problem, tables, set(trial)):
            conflict = trial
    return conflict


def search_calendars(problem: SearchProblem, top: int = 5, distinct: bool = True) -> SearchResult:
    """The `top` best calendars with their metric breakdown, and what the hard constraints excluded.

    `distinct`: the top calendars have different venue orders, each with its best dates (the alternatives
    an organiser weighs); otherwise the same order with other dates may fill the list."""
    started = time.perf_counter()
    tables = _Tables(problem)
    names = constraint_names(problem)
    run = _Search(problem, tables, set(names), top=top, first_only=False, distinct=distinct)
    run.run()
    candidates = []
    for rank, (score, path) in enumerate(run.best(), start=1):
        rounds = [PlannedRound(problem.venues[v], tables.dates[d], problem.format_races,
                               f"Round {i + 1}") for i, (v, d) in enumerate(path)]
        row = assess_plan(f"candidate {rank}", rounds, problem.ctx).row
        contributions = objective_breakdown(row, problem.constraints.objective)
        candidates.append(Candidate(rank, score, rounds, row, contributions))
    conflict = [] if candidates else minimal_conflict(problem, tables, names)
    return SearchResult(candidates, run.option_exclusions, run.exclusions, run.nodes, run.dominated,
                        time.perf_counter() - started, len(tables.dates), conflict)


def check_constraints(rounds: Sequence[PlannedRound], problem: SearchProblem) -> list[str]:
    """Independent check of a finished calendar against every hard constraint; returns violations."""
    c, ctx = problem.constraints, problem.ctx
    assessment = assess_plan("check", rounds, ctx)
    problems = []
    if len(rounds) != problem.rounds:
        problems.append(f"rounds: {len(rounds)} != {problem.rounds}")
    for r in rounds:
        if r.first_race_day < problem.window.start or r.last_race_day > problem.window.end:
            problems.append(f"window: {r.venue} {r.first_race_day}")
        if r.venue not in problem.venues:
            problems.append(f"venues: {r.venue}")
    regions = [place.region for place in assessment.places]
    for region, quota in c.quotas().items():
        n = regions.count(region)
        if n < quota.min or (quota.max is not None and n > quota.max):
            problems.append(f"regions.{region}: {n}")
    gaps = [(b.first_race_day - a.first_race_day).days for a, b in zip(rounds, rounds[1:])]
    if c.min_days_between_rounds is not None and any(g < c.min_days_between_rounds for g in gaps):
        problems.append("min_days_between_rounds")
    if c.max_days_between_rounds is not None and any(g > c.max_days_between_rounds for g in gaps):
        problems.append("max_days_between_rounds")
    if c.freight is not None and assessment.row["freight_gap_violations"]:
        problems.append("freight")
    if c.no_clash is not None:
        calendars = select_championships(ctx.championships, c.no_clash.championships, "", "")
        buffer = c.no_clash.buffer_days if c.no_clash.buffer_days is not None else ctx.buffer_days
        before = dt.timedelta(days=ctx.logistics.event_days_before_race)
        for r in rounds:
            found = round_clashes(0, r.venue, r.first_race_day - before, r.last_race_day, calendars, buffer,
                                  ctx.overlaps)
            if any(h.people >= c.no_clash.min_people for h in found):
                problems.append(f"no_clash: {r.venue} {r.first_race_day}")
    if c.climate.max_temp_c is not None and assessment.row["max_temp_c"] > c.climate.max_temp_c:
        problems.append("climate.max_temp_c")
    limit = c.climate.max_rain_probability
    if limit is not None and assessment.row["max_rain_probability"] > limit:
        problems.append("climate.max_rain_probability")
    if c.daylight and assessment.row["unlit_dark_hours"] > 0:
        problems.append("daylight")
    for index, fixed in enumerate(c.fixed_rounds):
        if not any(r.venue == fixed.venue and r.first_race_day == fixed.date for r in rounds):
            problems.append(f"fixed_rounds[{index}]")
    if c.max_rounds_per_venue is not None:
        venues = [r.venue for r in rounds]
        if any(venues.count(v) > c.max_rounds_per_venue for v in set(venues)):
            problems.append("max_rounds_per_venue")
    return problems
