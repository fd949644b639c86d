"""Same seed -> the same race (results and event log); other seeds -> other races; every draw from
the race's Generator, so `sim race --race R3 --seed N` is race index 2 of season 0."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from sim.race import log_to_frame, outcomes_to_results, run_race
from sim.season import simulate_race
from sim.seeds import race_rng
from tests.conftest import run_cli
from tests.race.conftest import FIXTURES


def test_same_seed_same_race_and_log(alms_2023):
    race = alms_2023.races[2]
    first = run_race(race, race_rng(11, 0, 2))
    second = run_race(race, race_rng(11, 0, 2))
    pd.testing.assert_frame_equal(outcomes_to_results(race, first), outcomes_to_results(race, second))
    pd.testing.assert_frame_equal(log_to_frame(race, first), log_to_frame(race, second))
    assert first.events == second.events


def test_different_seeds_differ(alms_2023):
    race = alms_2023.races[0]
    tables = [outcomes_to_results(race, run_race(race, race_rng(seed, 0, 0))) for seed in range(4)]
    orders = {tuple(t.sort_values("overall_position")["car"]) for t in tables}
    times = {tuple(t["time_s"].round(3)) for t in tables}
    assert len(orders) == 4 and len(times) == 4


def test_no_hidden_randomness(alms_2023, monkeypatch):
    """The global numpy and `random` states are never touched by a race."""
    import random

    def forbidden(*args, **kwargs):
        raise AssertionError("global random state used")

    for name in ("random", "rand", "randn", "normal", "uniform", "exponential", "poisson", "standard_normal",
                 "choice", "shuffle", "permutation", "seed"):
        monkeypatch.setattr(np.random, name, forbidden)
    for name in ("random", "uniform", "gauss", "choice", "shuffle", "randint", "expovariate"):
        monkeypatch.setattr(random, name, forbidden)
    run_race(alms_2023.races[1], race_rng(5, 0, 1))


def test_simulate_race_seed_equals_rng_and_race_index_with_the_season_strength(alms_2023):
    """seed=N runs the race as season 0 of N does: its stream race_rng(N, 0, index) and the cars' season-long
    effects drawn from the season stream; rng= runs the race model alone, every car at its prior pace."""
    by_seed, log_seed = simulate_race(alms_2023, race="R3", seed=42)
    race, plan = alms_2023.races[2], alms_2023.plan
    season_pace = plan.season_pace(race, plan.draw_strength(42, 0))
    outcome = run_race(race, race_rng(42, 0, 2), season_pace_s=season_pace)
    pd.testing.assert_frame_equal(by_seed, outcomes_to_results(race, outcome))
    pd.testing.assert_frame_equal(log_seed, log_to_frame(race, outcome))
    assert set(by_seed["race"]) == {"R3"} and set(by_seed["round"]) == {2}
    by_rng, _ = simulate_race(alms_2023, race="R3", rng=race_rng(42, 0, 2))
    assert not by_seed["time_s"].equals(by_rng["time_s"])   # the season effect changes the race


def test_cli_race_matches_api(tmp_path):
    scenario = FIXTURES / "alms-2023.yaml"
    code, out, err = run_cli("race", str(scenario), "--race", "R2", "--seed", "7")
    assert code == 0, err
    from_cli = pd.read_csv(io.StringIO(out), dtype={"car": str, "category": str}, keep_default_na=False)
    expected, _ = simulate_race(scenario, race="R2", seed=7)
    assert list(from_cli["car"]) == list(expected["car"])
    assert list(from_cli["laps"]) == list(expected["laps"])
    np.testing.assert_allclose(from_cli["time_s"].astype(float), expected["time_s"])


@pytest.mark.parametrize("race_id", ["R1", "R4"])
def test_cli_writes_results_and_log(tmp_path, race_id):
    from sim.results import read_results

    out, log = tmp_path / "results.csv", tmp_path / "log.csv"
    code, stdout, err = run_cli("race", str(FIXTURES / "alms-2023.yaml"), "--race", race_id, "--seed", "3",
                                "--out", str(out), "--log", str(log))
    assert code == 0, err
    results = read_results(out)
    assert len(results) == 46 and set(results["race"]) == {race_id}
    events = pd.read_csv(log, dtype=str, keep_default_na=False)
    assert list(events.columns) == ["race", "time_s", "car", "event", "detail"]
    assert {"pit_stop", "chequered_flag"} <= set(events["event"])
    assert (events["time_s"].astype(float).diff().dropna() >= 0).all()


def test_cli_bench_last_line_json():
    import json

    code, out, err = run_cli("bench", str(FIXTURES / "alms-2023.yaml"), "--races", "8", "--repeat", "1")
    assert code == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["races"] == 8 and report["ms_per_race"] > 0 and report["car_laps_per_s"] > 0


@pytest.mark.parametrize("race_index", [0, 3])
def test_race_without_log_is_the_same_race(alms_2023, race_index):
    """`log=False` (Monte Carlo) skips only the event log: same draws, same results, same events."""
    race = alms_2023.races[race_index]
    for seed in range(6):
        logged = run_race(race, race_rng(seed, 0, race_index))
        quiet = run_race(race, race_rng(seed, 0, race_index), log=False)
        pd.testing.assert_frame_equal(outcomes_to_results(race, logged), outcomes_to_results(race, quiet))
        assert quiet.log == [] and logged.log
        assert (quiet.events, quiet.cancelled_events) == (logged.events, logged.cancelled_events)
        assert sum(row[2] == "pit_stop" for row in logged.log) == int(logged.pit_stops.sum())
