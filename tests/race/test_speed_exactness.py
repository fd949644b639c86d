"""The speed work on the race model changes no result: the drive-time planner (field-by-field key
comparison, constants made once per field and weather, a cost bound that skips candidates) decides
exactly as the straightforward per-car search it replaced, at every stop of real simulated races; and a
race frees itself without the cyclic garbage collector, which `run_race` pauses and restores."""

from __future__ import annotations

import gc
import math
import weakref
from pathlib import Path

import pytest

from sim.race import planner, run_race
from sim.race.planner import plan_tables
from sim.race.simulation import RaceSimulation
from sim.seeds import race_rng

ROOT = Path(__file__).resolve().parents[2]


def reference_constants(field, c: int, lap_factor: float, margin: float) -> tuple:
    """The per-car planner constants written out from the field: each driver's expected green lap
    (class reference x BoP + offsets + traffic, no race-day form) x the weather's lap factor."""
    nd = len(field.drivers[c])
    laps = [(field.base_lap[c] + field.traffic_s[c] + field.driver_pace[c][i]) * lap_factor for i in range(nd)]
    full_laps, stop_cost = field.stint_constants
    full_s = [full_laps[c] * p for p in laps]
    fastest_lap = min(laps)
    longest = max(full_s)
    stop = stop_cost[c]
    max_less_margin = [field.max_drive_s[c][i] - margin for i in range(nd)]
    loss_rates = [(p - fastest_lap) / p for p in laps]
    return (laps, full_s, longest, loss_rates, max_less_margin, [2 * p for p in laps],
            stop, 0.5 * longest, longest + stop, [min(loss_rates[i], stop / full_s[i]) for i in range(nd)],
            field.pit_closed_s)


def reference_plan(consts, drive, remaining, current, needs, rule_needs, stint_caps=None):
    """The planner's full search as it was written before the speed work: every candidate, tuple keys
    (`stint_caps`: the window / continuous-driving caps, added since)."""
    nd = len(drive)
    laps, full_s, longest, loss_rates, max_less_margin, two_laps, stop, buffer, cover_div, _, closed = consts
    caps = [max_less_margin[i] - drive[i] for i in range(nd)]
    cap_total = sum(caps)
    need_total, stints_total, own_stints = 0.0, 0, [0] * nd
    for i in range(nd):
        if needs[i] > 0.0:
            need_total += needs[i]
            own_stints[i] = math.ceil(needs[i] / full_s[i])
            stints_total += own_stints[i]
    if rule_needs is needs:
        soft_total = 0.0
    elif rule_needs is None:
        soft_total, rule_needs = need_total, [0.0] * nd
    else:
        soft_total = need_total - sum(rule_needs)
    best_key = choice = None
    last_start = remaining - stop
    for x in range(nd):
        cap, p, two_p = min(0.8 * caps[x], caps[x] - closed), laps[x], two_laps[x]
        if stint_caps is not None:
            cap = min(cap, stint_caps[x])
        if cap < two_p:
            continue
        lx, need_x, rule_x, loss_rate = full_s[x], needs[x], rule_needs[x], loss_rates[x]
        others = need_total - need_x
        others_rule = others - soft_total + (need_x - rule_x)
        others_stints = stints_total - own_stints[x]
        if others <= 0.0 and remaining + p <= lx and remaining + p <= cap and need_x <= remaining:
            key = (False, (remaining - need_x) * loss_rate, x != current)
            if best_key is None or key < best_key:
                best_key, choice = key, (x, 0, 0.0)
            continue
        s = lx if lx < cap else cap
        if s > last_start - two_p:
            s = last_start - two_p
        if s < two_p:
            continue
        ok = False
        for _ in range(3):
            rest = max(last_start - s, 0.0)
            if need_x > s:
                short_x = need_x - s
                stints = others_stints + math.ceil(short_x / lx)
            else:
                short_x, stints = 0.0, others_stints
            cover = (rest + stop + p) / cover_div
            n_after = max(math.ceil(cover), stints, 1)
            avail = rest - (n_after - 1) * stop
            slack = avail - others - short_x
            if slack >= -1e-6:
                ok = cap_total - s >= avail
                break
            if s - need_x <= -slack or s + slack < two_p:
                break
            s += slack
        if not ok:
            continue
        rule_slack = slack + (others - others_rule)
        if others_rule > 1e-6 and rule_slack < buffer and s > need_x:
            cut = min(buffer - rule_slack, 0.5 * (s - need_x), (n_after - cover) * cover_div)
            if cut > 0.0 and s - cut >= 2 * p:
                s, slack, rule_slack = s - cut, slack + cut, rule_slack + cut
        cost = stop * (max(stints, cover) + 1.0 - s / lx) + (s - need_x if s > need_x else 0.0) * loss_rate
        if others > 0.0 and slack < buffer:
            cost += stop * (1.0 - slack / buffer)
        if others_rule > 1e-6:
            if rule_slack < buffer:
                cost += 2.0 * stop * (1.0 - rule_slack / buffer)
            if rule_x <= 0.0 < need_x:
                cost += 0.5 * stop
        key = (others_rule > 1e-6 and rule_slack < 0.2 * buffer, cost, x != current)
        if best_key is None or key < best_key:
            planned = 0 if s >= lx else int(s / p)
            best_key, choice = key, (x, planned, s + 0.5 * slack if others > 0.0 else 0.0)
    return choice


@pytest.fixture(scope="module")
def default_scenario():
    from sim.scenario import compile_scenario

    return compile_scenario(ROOT / "scenarios" / "default.yaml")


def test_planner_decides_as_the_reference_search_at_every_stop(default_scenario, alms_2023, monkeypatch):
    """Both planners run side by side at every plan of 40 races (start, every stop, fallbacks):
    the same driver, the same planned laps, the same wall-clock limit, to the last bit."""
    fast = planner.plan_next
    compared = []

    def both(consts, drive, remaining, current, needs, rule_needs, caps=None):
        expected = reference_plan(consts, drive, remaining, current, needs, rule_needs, caps)
        got = fast(consts, drive, remaining, current, needs, rule_needs, caps)
        assert got == expected, (remaining, current, needs, rule_needs, got, expected)
        compared.append(got)
        return got

    monkeypatch.setattr(planner, "plan_next", both)
    for scenario, seasons in ((default_scenario, 3), (alms_2023, 4)):
        for season in range(seasons):
            for j, race in enumerate(scenario.races):
                run_race(race, race_rng(29, season, j), log=False)
    assert len(compared) > 4000
    assert sum(choice is not None and choice.laps > 0 for choice in compared) > 100   # short stints planned
    assert sum(choice is not None and choice.limit_s > 0.0 for choice in compared) > 1000   # with a wall-clock end


def test_plan_constants_and_crew_targets_are_the_per_car_formula(default_scenario, alms_2023):
    """The cached plan tables hold the per-car formula, for dry and wet races alike (no race needed)."""
    for scenario in (default_scenario, alms_2023):
        strategy = scenario.model.strategy
        for race in scenario.races[:4]:
            f = race.field
            for lap_factor in (1.0, scenario.model.weather.wet_lap_factor):
                for c, plan in enumerate(plan_tables(f, lap_factor, strategy)):
                    assert plan.consts == reference_constants(f, c, lap_factor, strategy.drive_time_margin_s)
                    nd = len(f.drivers[c])
                    if nd == 1:
                        assert plan.crew_targets is None
                        continue
                    k = strategy.every_driver_min_stint_share * f.stint_constants.full_laps[c] * lap_factor
                    expected = [k * (f.base_lap[c] + f.traffic_s[c] + d) for d in f.driver_pace[c][:nd]]
                    assert plan.crew_targets == expected


def test_the_start_plans_kept_for_later_runs_are_the_plans_a_fresh_run_makes(default_scenario):
    """The first run of a race stores each car's start plan (field and expected pace only); a later run
    with other draws that recomputes every start plan from scratch decides the same."""
    race = default_scenario.races[0]
    run_race(race, race_rng(8, 0, 0), log=False)
    state = RaceSimulation(race, race_rng(8, 1, 0), log=False)
    cached = [car.plan.start for car in state.cars]
    assert sum(plan is not None for plan in cached) >= race.field.n // 2
    for car, plan in zip(state.cars, cached):
        if plan is not None:
            assert car.next_plan(0.0, race.field.qualifying_driver[car.c]) == (plan, False)


def test_a_race_frees_itself_and_restores_the_garbage_collector(alms_2023):
    """No reference cycle survives a race (reference counting frees it while the collector is
    paused); `run_race` leaves the collector as it found it."""
    race = alms_2023.races[0]
    was_enabled = gc.isenabled()
    try:
        gc.disable()   # only reference counting can free it now
        state = RaceSimulation(race, race_rng(4, 0, 0), log=False)
        outcome = state.run()
        # (simpy's Environment holds its own bound methods: that small cycle, free of the race, is the collector's)
        alive = [weakref.ref(state), weakref.ref(state.control), weakref.ref(state.day)]
        del state
        assert [ref() for ref in alive] == [None] * len(alive)
        assert outcome.laps.sum() > 0
        gc.enable()
        run_race(race, race_rng(4, 0, 0))
        assert gc.isenabled()
        gc.disable()
        run_race(race, race_rng(4, 0, 0))
        assert not gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()
