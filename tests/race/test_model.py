"""Invariants of every simulated race, and the mechanics: neutralisations, Safety Car bunching,
drive-time rules and penalties, weather, BoP, entry changes, qualifying, fuel."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.race import outcomes_to_results, run_race
from sim.race.clock import NeutralisationClock
from sim.race.outcome import CLASSIFIED, DNF, DSQ, NOT_CLASSIFIED
from sim.race.race_control import bunch
from sim.race.simulation import RaceSimulation
from sim.results import validate_results
from sim.seeds import race_rng
from tests.race.conftest import compiled_alms_2023


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), race_index=st.integers(0, 3))
def test_results_invariants(seed, race_index):
    race = compiled_alms_2023().races[race_index]
    f = race.field
    outcome = run_race(race, race_rng(seed, 0, race_index))
    table = validate_results(outcomes_to_results(race, outcome))
    assert len(table) == f.n
    assert sorted(table["overall_position"]) == list(range(1, f.n + 1))
    for _name, group in table.groupby("class"):
        assert sorted(group["class_position"]) == list(range(1, len(group) + 1))
        assert group["pole"].sum() == 1
        ranked = group.sort_values("class_position")
        classified = ranked[ranked["status"] == "classified"]
        # classified cars come first, by laps, then by time on equal laps
        assert list(ranked["status"][: len(classified)]) == ["classified"] * len(classified)
        assert classified["laps"].is_monotonic_decreasing
        for _, same in classified.groupby("laps"):
            assert same["time_s"].is_monotonic_increasing
        winner = ranked["laps"][ranked["status"].isin(["classified", "not_classified"])].max()
        assert (classified["laps"] >= math.ceil(0.7 * winner - 1e-9)).all()
    running = table["status"].isin(["classified", "not_classified"])
    assert (table.loc[running, "time_s"] >= race.hours * 3600).all()
    # the leader's flag lap and the car's own last lap, at worst both at Safety Car speed
    assert (table.loc[running, "time_s"] <= race.hours * 3600 + 2 * 3600 * race.venue.lap_km / 60).all()
    assert (table.loc[~running, "time_s"] <= race.hours * 3600).all()
    for c in range(f.n):
        drive = outcome.drive_time_s[c]
        assert sum(drive) <= outcome.time_s[c] + 1e-6
        fpl = f.fuel_per_lap[c]
        laps = outcome.laps[c]
        assert laps * fpl * f.neutral_fuel_factor[c] - 1e-6 <= outcome.fuel_used_l[c] <= laps * fpl + 1e-6
        # a car cannot run further than its tank allows between stops
        assert laps <= (outcome.pit_stops[c] + 1) * f.fuel_capacity[c] / fpl + 1
        if laps > 0:
            assert 0.9 * f.base_lap[c] < outcome.fastest_lap_s[c] < 1.15 * f.base_lap[c] * 1.1
        if outcome.status[c] == CLASSIFIED:
            assert not outcome.drive_time_breaches[c]
            for i, t in enumerate(drive):
                assert f.max_drive_s[c][i] + 1e-6 >= t
                if not any(kind == "RED" for kind, _, _ in outcome.neutralisations):
                    assert t >= f.min_drive_s[c][i] - 1e-6


def _with_sporting(race, **updates):
    return dataclasses.replace(race, sporting=race.sporting.model_copy(update=updates))


def _impossible_minimum(race):
    """Every LMP2 driver must drive 100 min of a 4 h race: three of them cannot (the compiler would refuse
    this rule; here it is forced onto a compiled race to check the race-time check)."""
    rules = dict(race.sporting.drive_time)
    rules["LMP2"] = [type(race.sporting.drive_time["LMP3"][0])(min_minutes=100)]
    return rules


@pytest.mark.parametrize("kind, expected", [("not_classified", NOT_CLASSIFIED), ("dsq", DSQ),
                                            ("time", None), ("laps", None)])
def test_drive_time_breach_is_penalised(alms_2023, kind, expected):
    base = alms_2023.races[0]
    penalty = type(base.sporting.drive_time_penalty)(kind=kind, seconds=600, laps=3)
    race = _with_sporting(base, drive_time=_impossible_minimum(base), drive_time_penalty=penalty)
    plain = run_race(_with_sporting(base, drive_time=_impossible_minimum(base),
                                    drive_time_penalty=type(penalty)(kind="time", seconds=0)), race_rng(3, 0, 0))
    outcome = run_race(race, race_rng(3, 0, 0))
    lmp2 = np.array([cls == "LMP2" for cls in race.field.classes])
    finished = lmp2 & (outcome.status != DNF)
    assert finished.any()
    assert outcome.drive_time_breaches[finished].all()
    if expected is not None:
        assert (outcome.status[finished] == expected).all()
    elif kind == "time":
        np.testing.assert_allclose(outcome.time_s[finished], plain.time_s[finished] + 600)
    else:
        np.testing.assert_array_equal(outcome.laps[finished], plain.laps[finished] - 3)
    assert any(row[2] == "drive_time_penalty" for row in outcome.log)


def test_minimum_drive_times_are_planned(alms_2023):
    """Bronze minimums (asian-lms sporting rules) are met by the stint plan in almost every race."""
    race = alms_2023.races[1]
    f = race.field
    met = checked = 0
    for seed in range(40):
        outcome = run_race(race, race_rng(seed, 0, 1))
        if any(kind == "RED" for kind, _, _ in outcome.neutralisations):
            continue
        for c in np.flatnonzero(outcome.status != DNF):
            checked += 1
            met += all(t >= m - 1e-6 for t, m in zip(outcome.drive_time_s[c], f.min_drive_s[c]))
    assert checked > 1000 and met / checked > 0.98


def _started(race, seed, until):
    state = RaceSimulation(race, race_rng(seed, 0, race.index))
    state.start()
    state.env.run(until=until)
    return state


def test_neutralisation_runs_every_class_at_the_same_speed(alms_2023):
    lap_km = alms_2023.races[0].venue.lap_km
    clock = NeutralisationClock()
    clock.open("FCY", 1000.0, 600.0, 80 / 3600 / lap_km)
    for lap in (110.0, 121.0):   # an LMP2 and a GT green lap
        g = clock.green(1000.0, 1600.0, lap)
        distance_km = g / lap * lap_km
        assert distance_km == pytest.approx(80 * 600 / 3600)
        for t0, t1 in ((0.0, 1300.0), (0.0, 2000.0), (1200.0, 1500.0), (1200.0, 2500.0), (500.0, 900.0)):
            assert clock.wall_at(t0, clock.green(t0, t1, lap), lap) == pytest.approx(t1)
    # before and after the period, green running is wall time
    assert clock.green(0.0, 500.0, 110.0) == 500.0 and clock.green(1700.0, 2500.0, 121.0) == 800.0


def test_safety_car_bunches_each_class_behind_its_leader(alms_2023):
    """The cars behind each class leader close up to the train (nobody loses distance; the leader keeps
    his) and the laps they were down stay down."""
    race = alms_2023.races[0]
    state = _started(race, 8, 5000.0)
    now = state.env.now
    cars = state.cars

    def positions():
        result = {}
        for car in cars:
            if not car.done and car.t_on < now:
                k, frac = car.laps_done(now)
                result[car.c] = car.laps_before + k + frac
        return result

    before = positions()
    gained = bunch(cars, state.clock, now, 1.5)
    after = positions()
    assert gained and {car.c for car in gained} == {c for c in before if after[c] > before[c] + 1e-9}
    for k in range(len(race.field.class_order)):
        members = sorted((c for c in before if race.field.class_idx[c] == k), key=lambda c: -before[c])
        assert sorted(members, key=lambda c: -after[c]) == members   # order kept
        leader = members[0]
        assert after[leader] == pytest.approx(before[leader], abs=1e-9)
        train_gap = 1.5 / cars[leader].pace
        for rank, c in enumerate(members[1:], start=1):
            assert after[c] >= before[c] - 1e-9   # nobody loses distance
            down_before = before[leader] - before[c]
            down_after = after[leader] - after[c]
            assert math.floor(down_after + 1e-9) == math.floor(down_before + 1e-9)   # laps down stay down
            assert down_after - math.floor(down_after + 1e-9) <= rank * train_gap + 1e-6 or \
                after[c] == pytest.approx(before[c]) or \
                after[c] == pytest.approx(cars[c].laps_before + cars[c].stint_laps)   # at its pit entry


def test_wet_races_are_slower_and_rougher(alms_2023):
    dry = alms_2023.races[0]
    wet = dataclasses.replace(dry, venue=dataclasses.replace(dry.venue, rain_probability=(1.0,) * 12))
    dry_venue = dataclasses.replace(dry.venue, rain_probability=(0.0,) * 12)
    dry = dataclasses.replace(dry, venue=dry_venue)
    wet_laps, dry_laps, wet_incidents, dry_incidents = [], [], 0, 0
    for seed in range(30):
        w = run_race(wet, race_rng(seed, 0, 0))
        d = run_race(dry, race_rng(seed, 0, 0))
        assert w.wet and not d.wet
        wet_laps.append(w.laps.max())
        dry_laps.append(d.laps.max())
        wet_incidents += sum(row[2] == "incident" for row in w.log)
        dry_incidents += sum(row[2] == "incident" for row in d.log)
    assert np.mean(wet_laps) < 0.95 * np.mean(dry_laps)
    assert wet_incidents > 1.5 * dry_incidents


def test_bop_moves_a_car_model_down(alms_2023):
    race = alms_2023.races[0]
    slowed = race.with_bop({"Porsche 911 GT3 R": 1.5})
    porsches = [c for c, model in enumerate(race.field.car_models) if model == "Porsche 911 GT3 R"]
    assert porsches and all(slowed.field.base_lap[c] > race.field.base_lap[c] for c in porsches)
    before = after = 0.0
    for seed in range(20):
        before += run_race(race, race_rng(seed, 0, 0)).class_position[porsches].mean()
        after += run_race(slowed, race_rng(seed, 0, 0)).class_position[porsches].mean()
    assert after > before + 20 * 2


def test_entry_changes_rederive_the_field_and_traffic(alms_2023):
    race = alms_2023.races[0]
    gt = [e for e in race.entries if e.class_name == "GT"]
    bigger = race.with_entries(race.entries + tuple(dataclasses.replace(e, car=f"1{e.car}") for e in gt))
    assert bigger.field.n == race.field.n + len(gt)
    lmp2 = race.field.classes.index("LMP2")
    assert bigger.field.traffic_s[lmp2] > race.field.traffic_s[lmp2] + 0.5
    smaller = race.with_entries(race.entries[:10])
    outcome = run_race(smaller, race_rng(1, 0, 0))
    assert len(outcome.laps) == 10
    assert len(outcomes_to_results(smaller, outcome)) == 10


def test_pole_is_the_best_qualifier_and_double_header_uses_second_best(alms_2023):
    first, second = alms_2023.races[0], alms_2023.races[1]
    assert (first.qualifying_rank, second.qualifying_rank) == (1, 2)
    for seed in range(5):
        state = RaceSimulation(first, race_rng(seed, 0, 0))
        outcome = state.run()
        for k in range(len(first.field.class_order)):
            members = [c for c in range(first.field.n) if first.field.class_idx[c] == k]
            best = min(members, key=lambda c: state.day.qualifying_s[c])
            assert outcome.pole[best] == 1
            assert outcome.grid[best] == min(outcome.grid[c] for c in members)


def test_pit_stops_follow_fuel_and_rules(alms_2023):
    race = alms_2023.races[0]
    outcome = run_race(race, race_rng(2, 0, 0))
    stops = [row for row in outcome.log if row[2] == "pit_stop"]
    assert stops
    loss = race.venue.pit_lane_loss_s
    for _, car, _, (_lap, duration, stationary, extra, fuel, _tyres, _out, _in) in stops:
        assert duration == pytest.approx(loss + stationary + extra)
        capacity = race.field.fuel_capacity[car]
        assert 0 <= fuel <= capacity
    no_overlap = _with_sporting(race, pit=race.sporting.pit.model_copy(update={"refuel_tyres_overlap": False}))
    slow = run_race(no_overlap, race_rng(2, 0, 0))
    assert np.median([r[3][2] for r in slow.log if r[2] == "pit_stop" and r[3][5]]) > \
        np.median([r[3][2] for r in stops if r[3][5]])
