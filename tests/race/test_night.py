"""Night running: a race knows its darkness (sun times at the venue, none under floodlights) and runs its
dark stretches at the measured night factors (configs/race-model.yaml `night:`); a daylight race is
untouched by them."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.config.race_model import NightModel
from sim.race import run_race
from sim.race.outcome import CLASSIFIED
from sim.scenario import compile_scenario
from sim.seeds import race_rng

SEEDS = range(4)


@pytest.fixture(scope="module")
def default_races():
    return compile_scenario("scenarios/default.yaml").races


def _race(default_races, venue: str):
    return next(race for race in default_races if race.venue.key == venue)


def _with_night(race, darkness, **night):
    model = race.model.model_copy(update={"night": NightModel(**night)})
    return dataclasses.replace(race, model=model, darkness=darkness)


def _mean_lap(outcome) -> float:
    """The mean lap of the classified cars (race time over laps)."""
    running = outcome.status == CLASSIFIED
    return float(np.mean(outcome.time_s[running] / outcome.laps[running]))


def test_the_real_long_races_run_into_darkness_and_lit_or_daytime_races_do_not(default_races):
    imsa = compile_scenario("scenarios/imsa-2023.yaml").races
    dark = {race.venue.key: race.darkness for race in imsa if race.darkness}
    assert set(dark) == {"daytona", "sebring", "road-atlanta"}   # Daytona dims its oval lights for the Rolex 24
    # Yas Marina's second race (16:00-20:00 in February) ends after sunset, under the floodlights; Dubai
    # lights only its pit straight: its 15:00 races run their last hour in the dark; the rest is daylight
    dark = {race.venue.key for race in default_races if race.darkness}
    assert dark == {"dubai"}
    for race in (race for race in default_races if race.darkness):
        (since, to), = race.darkness
        assert 2.9 < since / 3600 < 3.2 and to == race.hours * 3600


def test_a_race_in_darkness_runs_slower_by_its_class_factor(default_races):
    """Without cautions: a caution runs every car at its speed whatever the light, so the cautions a race
    happens to draw dilute the factor (with them, 4 seeds' median ratio swung 1.019-1.028)."""
    race = _race(default_races, "sepang")
    control = race.model.race_control.model_copy(update={"neutralise_probability": 0.0,
                                                         "stoppage_neutralise_probability": 0.0})
    race = dataclasses.replace(race, model=race.model.model_copy(update={"race_control": control}))
    race_s = race.hours * 3600
    slow = {name: 1.03 for name in ("LMP2", "LMP3", "GT")}
    ratios, half = [], []
    for seed in SEEDS:
        day = _mean_lap(run_race(race, race_rng(1, 0, seed), log=False))
        night = _mean_lap(run_race(_with_night(race, ((0.0, race_s),), lap_factor=slow), race_rng(1, 0, seed),
                                   log=False))
        dusk = _mean_lap(run_race(_with_night(race, ((race_s / 2, race_s),), lap_factor=slow),
                                  race_rng(1, 0, seed), log=False))
        ratios.append(night / day)
        half.append(dusk / day)
    assert np.median(ratios) == pytest.approx(1.03, abs=0.006)
    assert np.median(half) == pytest.approx(1.015, abs=0.006)


def test_darkness_raises_the_incident_rate_by_its_factor(default_races):
    race = _race(default_races, "sepang")
    dark = _with_night(race, ((0.0, race.hours * 3600),), incident_factor=3.0)

    def incidents(r) -> int:
        return sum(sum(entry.event == "incident" for entry in run_race(r, race_rng(2, 0, seed)).log)
                   for seed in SEEDS)

    assert incidents(dark) > 2 * incidents(race)


def test_a_daylight_race_is_untouched_by_the_night_factors(default_races):
    race = _race(default_races, "sepang")   # unlit, 13:00-17:00 in late November: daylight
    assert race.darkness == ()
    changed = _with_night(race, (), lap_factor={"LMP2": 1.5}, incident_factor=4.0)
    for seed in SEEDS[:2]:
        a, b = run_race(race, race_rng(3, 0, seed)), run_race(changed, race_rng(3, 0, seed))
        assert np.array_equal(a.time_s, b.time_s) and a.log == b.log


def test_sunset_is_in_the_event_log(default_races):
    race = _race(default_races, "sepang")
    race_s = race.hours * 3600
    log = run_race(_with_night(race, ((race_s - 1800, race_s),)), race_rng(4, 0, 0)).log
    (entry,) = [e for e in log if e.event == "darkness"]
    assert entry.time_s == race_s - 1800 and "until the flag" in entry.detail


def test_the_night_factors_are_the_measured_ones(real_data):
    """Each IMSA class's lap factor lies in the 95 % interval measured in the Sebring and Petit Le Mans lap
    exports (1.0 where that interval holds 1.0), and the incident factor in the cautions' interval."""
    from tools.calibrate import load_imsa_laps
    from tools.measure_night import cautions, pace_effect, with_darkness

    laps, _ = with_darkness(load_imsa_laps(real_data))
    night = compile_scenario("scenarios/imsa-2023.yaml").model.night
    measured = pace_effect(laps).set_index("class")
    for name, row in measured.iterrows():
        factor = night.lap_factor[{"GTDPRO": "GTD PRO"}.get(name, name)]
        if row.ci95_low <= 1.0 <= row.ci95_high:
            assert factor == 1.0, name
        else:
            assert row.ci95_low <= factor <= row.ci95_high, (name, factor, row)
    caution = cautions(laps)
    assert caution["ci95_low"] <= night.incident_factor <= caution["ci95_high"]


def test_sim_race_says_when_a_race_runs_into_darkness(tmp_path):
    """Dubai's first race (15:00, 31 January 2026) ends an hour after sunset: the command says so, in local
    time, and the event log has the sunset."""
    import pandas as pd

    from tests.conftest import run_cli

    log = tmp_path / "log.csv"
    code, _, err = run_cli("race", "default", "--race", "R5", "--seed", "1", "--out", str(tmp_path / "r5.csv"),
                           "--log", str(log))
    assert code == 0
    assert "R5: 1.0 h in darkness (unlit venue, local time): 18:02 to the flag (19:00)" in err
    events = pd.read_csv(log)
    assert (events["event"] == "darkness").sum() == 1
