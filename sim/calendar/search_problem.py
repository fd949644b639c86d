"""A calendar search problem: the venues, the number of rounds, the window of Saturdays and the
constraints (`build_problem`), and what a search returns (`Candidate`, `Exclusion`, `SearchResult`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sim.calendar.metrics import (
    PlannedRound,
    PlanningContext,
    planning_context,
    select_championships,
)
from sim.config.calendars import (
    CalendarOptions,
    ChampionshipCalendar,
    Logistics,
    SearchConstraints,
    Window,
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
                  venues_path: str | Path | None = None) -> SearchProblem:
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
