"""Calendar metrics of a scenario with no simulation: freight and travel, clashes, climate, timing.

`calendar_metrics(scenario)` gives one flat row per calendar; `compare_calendars(...)` puts rows
side by side and merges optional sporting metrics (a DataFrame or a callable) on `scenario`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.calendar.clashes import Clash, round_clashes, summarise_clashes
from sim.calendar.climate import RoundClimate, round_climate
from sim.calendar.freight import Leg, available_days, plan_leg
from sim.calendar.geo import Place, hub_place, venue_place
from sim.config.calendars import (
    MODES,
    CalendarOptions,
    ChampionshipCalendar,
    Logistics,
    ObjectiveWeights,
    PaddockOverlap,
    calendar_options,
    load_championships,
    load_logistics,
)
from sim.config.loader import CONFIGS
from sim.config.scenario import Scenario, load_scenario
from sim.config.venues import VenueBook, load_venues
from sim.errors import InputError


@dataclass(frozen=True)
class PlannedRound:
    venue: str
    first_race_day: dt.date
    races: tuple[tuple[float, str], ...]   # (hours, local start) per race, one race per day
    name: str = ""

    @property
    def last_race_day(self) -> dt.date:
        return self.first_race_day + dt.timedelta(days=len(self.races) - 1)


@dataclass
class PlanningContext:
    """Everything the metrics read besides the calendar: venues, logistics, other series, options."""

    venues: VenueBook
    logistics: Logistics
    championships: dict[str, ChampionshipCalendar]
    hub: Place
    modes: tuple[str, ...] = MODES
    buffer_days: int = 0
    overlaps: dict[str, PaddockOverlap] = field(default_factory=dict)
    slack_days: int = 0
    venues_path: str = str(CONFIGS / "venues.yaml")
    logistics_path: str = str(CONFIGS / "logistics.yaml")

    def place(self, key: str, field_name: str | None = None, where: str | Path | None = None) -> Place:
        return venue_place(key, self.venues, self.venues_path, field_name, where)


def select_championships(all_calendars: dict[str, ChampionshipCalendar], keys: Iterable[str] | None,
                         path: str | Path | None, field_name: str) -> dict[str, ChampionshipCalendar]:
    if keys is None:
        return dict(all_calendars)
    unknown = [key for key in keys if key not in all_calendars]
    if unknown:
        raise InputError(path, field_name, f"unknown championship calendar '{unknown[0]}' "
                                           f"(known: {', '.join(sorted(all_calendars))})")
    return {key: all_calendars[key] for key in keys}


def planning_context(options: CalendarOptions, path: str | Path | None, venues: VenueBook | None = None,
                     logistics: Logistics | None = None,
                     championships: dict[str, ChampionshipCalendar] | None = None,
                     venues_path: str | Path | None = None, logistics_path: str | Path | None = None) -> PlanningContext:
    """Load (or reuse) the shared inputs and apply a scenario's `options.calendar`."""
    venues = venues if venues is not None else load_venues(venues_path)
    logistics = logistics if logistics is not None else load_logistics(logistics_path)
    all_calendars = championships if championships is not None else load_championships()
    chosen = select_championships(all_calendars, options.championships, path, "options.calendar.championships")
    for key in options.overlaps:
        if key not in all_calendars:
            raise InputError(path, f"options.calendar.overlaps.{key}", "unknown championship calendar")
    hub_key = options.freight_hub or logistics.default_hub
    hub = hub_place(hub_key, logistics, path, "options.calendar.freight_hub")
    buffer = options.clash_buffer_days if options.clash_buffer_days is not None else logistics.clash_buffer_days
    return PlanningContext(venues=venues, logistics=logistics, championships=chosen, hub=hub,
                           modes=tuple(options.freight_modes), buffer_days=buffer, overlaps=dict(options.overlaps),
                           slack_days=options.min_slack_days,
                           venues_path=str(venues_path or CONFIGS / "venues.yaml"),
                           logistics_path=str(logistics_path or CONFIGS / "logistics.yaml"))


def plan_from_scenario(scenario: Scenario) -> list[PlannedRound]:
    return [PlannedRound(r.venue, r.date, tuple((race.hours, race.start_local) for race in r.races),
                         r.name or f"Round {index + 1}")
            for index, r in enumerate(scenario.calendar.rounds)]


@dataclass
class CalendarAssessment:
    name: str
    rounds: list[PlannedRound]
    places: list[Place]
    legs: list[Leg]                 # hub -> R1, between rounds ..., last -> hub
    clashes: list[Clash]
    climates: list[RoundClimate]
    row: dict
    championships: dict[str, ChampionshipCalendar] = field(default_factory=dict)
    hub: Place | None = None        # where the kit ships from before the season and back to after it

    @property
    def round_legs(self) -> list[Leg]:
        return self.legs[1:-1]


def assess_plan(name: str, rounds: Sequence[PlannedRound], ctx: PlanningContext,
                path: str | Path | None = None) -> CalendarAssessment:
    """All logistics, clash and climate metrics of one calendar (rounds in date order)."""
    places = [ctx.place(r.venue, f"calendar.rounds[{i}].venue" if path else None, path) for i, r in enumerate(rounds)]
    if path is not None:
        for index, r in enumerate(rounds):
            if index and r.first_race_day <= rounds[index - 1].last_race_day:
                raise InputError(path, f"calendar.rounds[{index}].date",
                                 f"round starts {r.first_race_day}, before the previous round ends")
    logistics = ctx.logistics
    legs = [plan_leg(ctx.hub, places[0], None, logistics, ctx.modes)]
    for index in range(1, len(rounds)):
        days = available_days(rounds[index - 1].last_race_day, rounds[index].first_race_day, logistics)
        legs.append(plan_leg(places[index - 1], places[index], days, logistics, ctx.modes, ctx.slack_days))
    legs.append(plan_leg(places[-1], ctx.hub, None, logistics, ctx.modes))
    clashes: list[Clash] = []
    climates = []
    for index, (r, place) in enumerate(zip(rounds, places)):
        first_day = r.first_race_day - dt.timedelta(days=logistics.event_days_before_race)
        clashes += round_clashes(index, r.name or place.name, first_day, r.last_race_day, ctx.championships,
                                 ctx.buffer_days, ctx.overlaps)
        climates.append(round_climate(place, r.first_race_day, r.races, logistics.climate_risk.heat_threshold_c))
    row = _metrics_row(name, rounds, places, legs, clashes, climates, ctx)
    return CalendarAssessment(name, list(rounds), places, legs, clashes, climates, row, ctx.championships, ctx.hub)


def _metrics_row(name, rounds, places, legs, clashes, climates, ctx) -> dict:
    round_legs = legs[1:-1]
    regions = Counter(place.region for place in places)
    modes = Counter(leg.mode for leg in round_legs)
    slack = [leg.slack_days for leg in round_legs]
    timings = [label for climate in climates for label in climate.timings]
    row = {
        "scenario": name,
        "rounds": len(rounds),
        "races": sum(len(r.races) for r in rounds),
        "first_race": rounds[0].first_race_day.isoformat(),
        "last_race": rounds[-1].last_race_day.isoformat(),
        "span_days": (rounds[-1].last_race_day - rounds[0].first_race_day).days,
        "regions": ", ".join(f"{region} {count}" for region, count in sorted(regions.items())),
        "freight_hub": ctx.hub.key,
        "travel_km": round(sum(leg.km for leg in round_legs), 1),
        "freight_km": round(sum(leg.km for leg in legs), 1),
        "freight_cost_eur": round(sum(leg.cost_eur for leg in legs), 0),
        "freight_modes": ",".join(leg.mode for leg in round_legs),
        "legs_by_air": modes.get("air", 0),
        "min_gap_days": min((leg.available_days for leg in round_legs), default=None),
        "min_slack_days": min(slack, default=None),
        "freight_gap_violations": sum(not leg.fits for leg in round_legs),
        **summarise_clashes(clashes),
        "clash_events": "; ".join(sorted({f"{c.championship}: {c.event}" for c in clashes})),
        "max_temp_c": max(c.temp_max_c for c in climates),
        "mean_temp_c": round(sum(c.temp_max_c for c in climates) / len(climates), 2),
        "heat_excess_c": round(sum(c.heat_excess_c for c in climates), 2),
        "max_rain_probability": max(c.rain_probability for c in climates),
        "expected_wet_races": round(sum(c.expected_wet_races for c in climates), 3),
        "dark_hours": round(sum(c.dark_hours for c in climates), 2),
        "unlit_dark_hours": round(sum(c.unlit_dark_hours for c in climates), 2),
        "races_into_darkness": sum(label != "day" for label in timings),
    }
    return row


def _scenario_of(scenario) -> tuple[Scenario, str | None]:
    if isinstance(scenario, Scenario):
        return scenario, None
    return load_scenario(scenario), str(scenario)


def assess_scenario(scenario: Scenario | str | Path, *, venues: VenueBook | None = None, logistics: Logistics | None = None,
                    championships: dict[str, ChampionshipCalendar] | None = None,
                    venues_path: str | Path | None = None,
                    logistics_path: str | Path | None = None) -> CalendarAssessment:
    scenario, path = _scenario_of(scenario)
    where = path or scenario.name
    options = calendar_options(scenario.options, where)
    ctx = planning_context(options, where, venues, logistics, championships, venues_path, logistics_path)
    name = Path(path).stem if path else scenario.name
    return assess_plan(name, plan_from_scenario(scenario), ctx, path=where)


def calendar_metrics(scenario: Scenario | str | Path, **inputs: object) -> dict:
    """One flat row of calendar metrics for a scenario (object or path); see docs/calendar.md."""
    return assess_scenario(scenario, **inputs).row


SportingSource = pd.DataFrame | Callable[[list], "pd.DataFrame | None"] | None


def compare_calendars(scenarios: Sequence, sporting: SportingSource = None, **inputs: object) -> pd.DataFrame:
    """Side-by-side metrics, one row per scenario; sporting metrics (keyed by `scenario`) merged in."""
    venues = inputs.pop("venues", None) or load_venues(inputs.get("venues_path"))
    logistics = inputs.pop("logistics", None) or load_logistics(inputs.get("logistics_path"))
    championships = inputs.pop("championships", None)
    if championships is None:
        championships = load_championships()
    rows = [calendar_metrics(s, venues=venues, logistics=logistics, championships=championships, **inputs)
            for s in scenarios]
    table = pd.DataFrame(rows)
    extra = sporting(list(scenarios)) if callable(sporting) else sporting
    if extra is not None:
        if "scenario" not in extra.columns:
            raise InputError(None, "sporting", "sporting metrics need a 'scenario' column")
        table = table.merge(extra, on="scenario", how="left")
    return table


def objective_breakdown(row: dict, weights: ObjectiveWeights) -> dict[str, float]:
    """Contribution of each metric to the search objective (lower is better)."""
    return {
        "freight_km": weights.freight_km * row["freight_km"] / 1000,
        "freight_cost": weights.freight_cost * row["freight_cost_eur"] / 1000,
        "travel_km": weights.travel_km * row["travel_km"] / 1000,
        "clashes": weights.clashes * row["clashes"],
        "clash_people": weights.clash_people * row["clash_people"],
        "heat": weights.heat * row["heat_excess_c"],
        "rain": weights.rain * row["expected_wet_races"],
        "darkness": weights.darkness * row["unlit_dark_hours"],
    }
