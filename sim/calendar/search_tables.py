"""The calendar search's tables, built once per problem: for every venue and Saturday its climate, clashes
and round score, and for every pair of venues and gap in weeks the freight leg (fits, days needed,
score), from the same functions `assess_plan` uses."""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.calendar.clashes import round_clashes, summarise_clashes
from sim.calendar.climate import round_climate
from sim.calendar.freight import available_days, plan_leg
from sim.calendar.metrics import (
    select_championships,
)
from sim.calendar.search_problem import SearchProblem, saturdays


class SearchTables:
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
