"""Calendar search: venue/date assignments under hard constraints, ranked by a weighted objective.

Rounds are Saturdays in the window (race 1 on Saturday, further races on the following days).
Depth-first branch and bound over rounds in date order: every metric is a sum over rounds and legs,
so a partial calendar's score plus a lower bound for the rounds still to place bounds every
completion. All metric tables are built once from the same functions `assess_plan` uses, so the
scores found here equal `objective_breakdown(assess_plan(...).row)`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from sim.calendar.clashes import round_clashes
from sim.calendar.metrics import (
    PlannedRound,
    assess_plan,
    objective_breakdown,
    select_championships,
)
from sim.calendar.search_engine import BranchAndBound
from sim.calendar.search_problem import (
    Candidate,
    Exclusion,
    SearchProblem,
    SearchResult,
    build_problem,
    constraint_names,
    saturdays,
)
from sim.calendar.search_tables import SearchTables

__all__ = ["Candidate", "Exclusion", "SearchProblem", "SearchResult", "build_problem", "check_constraints",
           "constraint_names", "feasible", "minimal_conflict", "saturdays", "search_calendars"]


def feasible(problem: SearchProblem, tables: SearchTables, active: set[str]) -> bool:
    run = BranchAndBound(problem, tables, active, top=1, first_only=True)
    run.run()
    return bool(run.heap)


# Deletion order: constraints tried first are the likeliest to be dropped from the explanation, so the
# organiser's own choices (quotas, climate, fixed rounds, clashes) are tried last and tend to be named.
_DELETION_ORDER = ("max_rounds_per_venue", "min_days_between_rounds", "max_days_between_rounds", "freight",
                   "daylight", "no_clash", "climate", "fixed_rounds", "regions")


def minimal_conflict(problem: SearchProblem, tables: SearchTables, names: list[str]) -> list[str]:
    """Deletion filter: drop each constraint whose removal keeps the problem infeasible."""
    def priority(name: str) -> int:
        return next((i for i, prefix in enumerate(_DELETION_ORDER) if name.startswith(prefix)), 0)

    conflict = list(names)
    for name in sorted(names, key=priority):
        trial = [n for n in conflict if n != name]
        if not feasible(problem, tables, set(trial)):
            conflict = trial
    return conflict


def search_calendars(problem: SearchProblem, top: int = 5, distinct: bool = True) -> SearchResult:
    """The `top` best calendars with their metric breakdown, and what the hard constraints excluded.

    `distinct`: the top calendars have different venue orders, each with its best dates (the alternatives
    an organiser weighs); otherwise the same order with other dates may fill the list."""
    started = time.perf_counter()
    tables = SearchTables(problem)
    names = constraint_names(problem)
    run = BranchAndBound(problem, tables, set(names), top=top, first_only=False, distinct=distinct)
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
