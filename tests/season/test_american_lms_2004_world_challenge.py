"""The 2004 American LMS and SPEED World Challenge GT on shared weekends: the real 2004 calendars, the 2004
classes running the American LMS race-model classes at 2004 pace, long races with fuel stops and sprints
without, and both championships' standings from `sim season`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sim.config.race_model import load_race_model
from sim.config.venues import load_venues
from sim.scenario import compile_scenario
from tests.conftest import CONFIGS, run_cli

SCENARIO = "american-lms-2004-world-challenge"
ALMS, WC = "american-lms-2004", "world-challenge-2004"
# venue, date, hours of the nine 2004 American LMS races (en.wikipedia 2004 American Le Mans Series; lengths
# in docs/american-lms.md: Sebring 12 h, Petit Le Mans 10 h, the 4-hour Laguna Seca finale, 2 h 45 otherwise)
ALMS_CALENDAR = [
    ("sebring", "2004-03-20", 12), ("mid-ohio", "2004-06-27", 2.75), ("lime-rock", "2004-07-05", 2.75),
    ("sonoma", "2004-07-18", 2.75), ("portland", "2004-07-25", 2.75), ("mosport", "2004-08-08", 2.75),
    ("road-america", "2004-08-22", 2.75), ("road-atlanta", "2004-09-25", 10), ("laguna-seca", "2004-10-16", 4),
]
# race-model behaviour (class) and venue pace key of each 2004 class (the scenario's merge.classes)
BORROWED = {"LMP1": ("P1", "P1"), "LMP2": ("P2", "P2"), "GTS": ("GTE", "GT1"), "GT": ("GTE", "GT2"),
            "WC GT": ("GTC", "GTC")}


@pytest.fixture(scope="module")
def compiled():
    return compile_scenario(SCENARIO)


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    folder = tmp_path_factory.mktemp("alms2004")
    code, out, err = run_cli("season", SCENARIO, "--seed", "1", "--out", str(folder))
    assert code == 0, err
    tables = {name: pd.read_csv(folder / f"{name}.csv", dtype={"car": str}, keep_default_na=False)
              for name in ("results", "standings", "events")}
    return out, tables


def test_the_american_lms_races_are_the_2004_calendar(compiled):
    alms = [race for race in compiled.races if race.championship == ALMS]
    assert [(r.venue.key, r.date, r.hours) for r in alms] == [
        (venue, dt.date.fromisoformat(day), hours) for venue, day, hours in ALMS_CALENDAR]
    assert {e.class_name for r in alms for e in r.entries} == {"LMP1", "LMP2", "GTS", "GT"}
    wc = [race for race in compiled.races if race.championship == WC]
    assert len(wc) == 10 and all(r.hours == pytest.approx(50 / 60, abs=1e-3) for r in wc)
    assert all({e.class_name for e in r.entries} == {"WC GT"} for r in wc)
    assert all(len(e.drivers) == 1 for r in wc for e in r.entries)   # one driver per car
    assert compiled.races[15].round_name == "Petit Le Mans" and compiled.races[15].race_id == "R16"


def test_shared_weekends_run_both_series_on_the_same_dates(compiled):
    by_round: dict[int, dict[str, list[dt.date]]] = {}
    for race in compiled.races:
        by_round.setdefault(race.round, {}).setdefault(race.championship, []).append(race.date)
    shared = {n: days for n, days in by_round.items() if len(days) == 2}
    # every American LMS weekend but Lime Rock (the World Challenge ran there alone, on 31 May)
    assert len(shared) == 8
    for days in shared.values():
        assert days[WC][0] == days[ALMS][0]
    mosport = next(days for n, days in shared.items() if len(days[WC]) == 2)
    assert mosport[WC][1] - mosport[WC][0] == dt.timedelta(days=1)   # the GT double-header
    alone = [days for days in by_round.values() if len(days) == 1]
    assert sorted(next(iter(days)) for days in alone) == [ALMS, WC]


def test_the_2004_classes_run_the_american_lms_race_model_classes(compiled):
    base = load_race_model(CONFIGS / "race-model.yaml").classes
    venues = load_venues().venues
    for race in (compiled.races[0], compiled.races[1]):   # Sebring: the 12 Hours and the sprint
        for entry in race.entries:
            model_class, pace_key = BORROWED[entry.class_name]
            params = race.model.classes[entry.class_name]
            assert params.fuel_per_km_l == base[model_class].fuel_per_km_l
            assert params.failure_per_hour == base[model_class].failure_per_hour
            assert params.lap_noise_pct == base[model_class].lap_noise_pct
            assert race.venue.reference_lap_s[entry.class_name] == venues["sebring"].reference_lap_s[pace_key]
    # the 2004 pace factors: LMP1 slower than the 2012 P1 cars, the 2004 LMP2s far slower than the 2012 P2s
    cars = compiled.races[0].model.car_models
    assert 0 < cars["Audi R8"].bop_pace_pct < cars["Lola B2K/40 Nissan"].bop_pace_pct
    assert cars["Audi R8"].class_name == "LMP1" and cars["Dodge Viper Competition Coupe"].class_name == "WC GT"


def test_season_gives_standings_of_both_championships(season):
    out, tables = season
    standings = tables["standings"]
    assert set(standings["championship"]) == {ALMS, WC}
    titles = set(standings["title"])
    assert {f"{name} {kind}" for name in ("LMP1", "LMP2", "GTS", "GT") for kind in ("teams", "drivers")} <= titles
    assert {f"{WC} WC GT teams", f"{WC} WC GT drivers"} <= titles
    assert f"{WC} WC GT drivers" in out and "Le Mans 24 Hours invitations" in out
    wc = standings[standings["title"] == f"{WC} WC GT drivers"]
    assert len(wc) == 10 and wc["points"].max() > 0


def test_long_races_stop_for_fuel_and_the_sprints_do_not(season):
    _, tables = season
    results, events = tables["results"], tables["events"]
    sebring = results[(results["race"] == "R1") & (results["status"] == "classified")]
    assert len(sebring) >= 8 and (sebring["pit_stops"] >= 8).all()   # about one stop an hour in 12 h
    stops = events[events["event"] == "pit_stop"]
    refuelled = stops["detail"].str.extract(r"; ([0-9.]+) l")[0].astype(float)
    wc_races = set(results.loc[results["championship"] == WC, "race"])
    sprint = refuelled[stops["race"].isin(wc_races)]
    assert (sprint == 0).all()                                         # at most a repair, never fuel
    assert (refuelled[stops["race"] == "R1"] > 0).mean() > 0.9
    assert results.loc[results["championship"] == WC, "fuel_used_l"].max() < 100   # one tank


def test_class_order_follows_2004_pace(season):
    """Class-winner laps against LMP1's over the nine races; the real 2004 Portland race: GTS 0.957, LMP2
    0.915, GT 0.908 of the Audi's 141 laps (en.wikipedia 2004 Portland Grand Prix)."""
    _, tables = season
    results = tables["results"]
    winners = results[(results["championship"] == ALMS) & (results["class_position"] == 1)]
    laps = winners.pivot(index="race", columns="class", values="laps")
    ratio = laps.div(laps["LMP1"], axis=0).median()
    assert 0.92 < ratio["GTS"] < 0.98
    assert 0.86 < ratio["LMP2"] < 0.95 and 0.86 < ratio["GT"] < 0.95
