"""Sporting calendar metrics (Monte Carlo, common random numbers): ranges, consistency, determinism,
paired differences, and toy calendars with known answers. Small fields and few seasons: fast."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.calendar.sporting import sporting_study
from sim.calendar.sporting_plan import car_strength, plan_scenario
from sim.calendar.sporting_values import _top_points, _top_points_so_far
from sim.rules import compute_standings
from sim.season import simulate_results
from sim.stats import spearman
from tests.conftest import CONFIGS, SCENARIOS, run_cli

PROBABILITIES = ("open_final_round", "open_final_race", "countback_tie", "podium_tie", "full_season_share")
TWO_RACES = (("dubai", "2026-01-31", 1), ("yas-marina", "2026-02-07", 1))
FOUR_RACES = (("dubai", "2026-01-31", 2), ("yas-marina", "2026-02-07", 2))


def toy_scenario(folder, name, pace_step, rounds=TWO_RACES, regions=("Europe", "Far East"), cars=8,
                 season_spread=0.0):
    """An LMP2-only field of identical Oreca crews whose team pace differs by `pace_step` s/lap per car;
    `season_spread`: the LMP2 season-long car spread (default 0: the cars differ only by `pace_step`)."""
    entries = [{"car": str(10 + k), "team": f"Team {k}", "class": "LMP2", "car_model": "Oreca 07 - Gibson",
                "home_region": regions[k % len(regions)], "pace_offset_s": round(pace_step * k, 6),
                "drivers": [{"name": f"Bronze {k}", "rating": "Bronze"}, {"name": f"Silver {k}", "rating": "Silver"},
                            {"name": f"Platinum {k}", "rating": "Platinum"}]} for k in range(cars)]
    entry_file = folder / f"{name}-entries.yaml"
    entry_file.write_text(yaml.safe_dump({"name": name, "entries": entries}), encoding="utf-8")
    scenario = {"name": name, "series": "asian-lms", "entries": str(entry_file),
                "calendar": {"season": "2025-26", "rounds": [
                    {"venue": venue, "date": date, "races": [{"hours": 4, "start_local": "15:00"}] * races}
                    for venue, date, races in rounds]}}
    model = yaml.safe_load((CONFIGS / "race-model.yaml").read_text(encoding="utf-8"))
    model["classes"]["LMP2"]["season_spread_pct"] = season_spread
    model_file = folder / f"{name}-race-model.yaml"
    model_file.write_text(yaml.safe_dump(model), encoding="utf-8")
    scenario["options"] = {"race_model": str(model_file)}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def toys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sporting")
    return {"flat": toy_scenario(folder, "flat", 0.001), "strong": toy_scenario(folder, "strong", 0.8),
            "flat-4": toy_scenario(folder, "flat-4", 0.001, rounds=FOUR_RACES),
            "flat-season": toy_scenario(folder, "flat-season", 0.001, rounds=FOUR_RACES, season_spread=1.0),
            "one-round": toy_scenario(folder, "one-round", 0.3, rounds=(("dubai", "2026-01-31", 2),)),
            "one-race": toy_scenario(folder, "one-race", 0.3, rounds=(("dubai", "2026-01-31", 1),))}


@pytest.fixture(scope="module")
def shipped():
    """Two shipped calendars on the real 42-car field, a few seasons (serial)."""
    return sporting_study([SCENARIOS / "all-middle-east.yaml", SCENARIOS / "calendar-2024-25.yaml"], 8, 11,
                          executor="serial")


def metric(detail, scenario, name, scope="all", group=""):
    row = detail[(detail["scenario"] == scenario) & (detail["scope"] == scope) & (detail["group"] == group)
                 & (detail["metric"] == name)]
    assert len(row) == 1, (scenario, scope, group, name)
    return row.iloc[0]


def test_metrics_are_in_range_and_consistent(shipped):
    detail = shipped.detail
    for name in PROBABILITIES:
        values = detail.loc[detail["metric"] == name, "mean"]
        assert len(values) and values.between(0, 1).all(), name
    assert (detail.loc[detail["metric"] == "gap", "mean"] >= 0).all()
    correlations = detail.loc[detail["metric"].isin(["rank_corr", "rank_corr_full_season"]), "mean"].dropna()
    assert len(correlations) and correlations.between(-1, 1).all()
    for (scenario, group), rows in detail[detail["scope"].isin(["all", "title"])].groupby(["scenario", "group"]):
        values = rows.set_index("metric")["mean"]
        # a tie at the top is a tie on the podium; open before the final race implies open before the final round
        assert values["countback_tie"] <= values["podium_tie"], (scenario, group)
        assert values["open_final_race"] <= values["open_final_round"], (scenario, group)
    for scenario in ("all-middle-east", "calendar-2024-25"):
        rows = detail[detail["scenario"] == scenario]
        regions = rows[rows["scope"] == "region"]
        by_region = regions.loc[regions["metric"] == "invitations", "mean"].sum()
        assert by_region == pytest.approx(metric(detail, scenario, "invitations")["mean"], abs=1e-6)
        # every started car belongs to one home region: the regions' grids add up to the whole grid
        # (each value is kept to 1/1000 of a car per season, hence the tolerance)
        grid_by_region = regions.loc[regions["metric"] == "grid", "mean"].sum()
        assert grid_by_region == pytest.approx(metric(detail, scenario, "grid")["mean"], abs=1e-3 * len(regions))
        # every car of the 42-car entry list starts every race unless a participation model says otherwise
        assert 0 < metric(detail, scenario, "grid")["mean"] <= 42
        classes = rows.loc[(rows["scope"] == "class") & (rows["metric"] == "grid"), "mean"].sum()
        assert classes == pytest.approx(metric(detail, scenario, "grid")["mean"], abs=1e-3)
    assert list(shipped.summary["scenario"]) == ["all-middle-east", "calendar-2024-25"]
    assert (shipped.summary["sporting_seasons"] == 8).all()


def test_rank_correlation_separates_a_flat_field_from_a_spread_one(toys):
    study = sporting_study([toys["flat"], toys["strong"]], 30, 3, executor="serial")
    flat = metric(study.detail, "flat", "rank_corr", "title", "LMP2 teams")
    strong = metric(study.detail, "strong", "rank_corr", "title", "LMP2 teams")
    # cars 0.001 s/lap apart are a field of identical cars: no correlation within 3 standard errors
    assert abs(flat["mean"]) <= 3 * flat["se"] and flat["se"] > 0
    # 0.8 s/lap per car: the faster cars clearly finish higher
    assert strong["mean"] > 0.4 and strong["delta_vs_first"] > 3 * strong["se_delta"]
    # no participation model here: every car is a full-season car
    assert metric(study.detail, "strong", "rank_corr_full_season", "title", "LMP2 teams")["mean"] == strong["mean"]


def test_rank_correlation_and_persistence_follow_the_season_long_strength(toys):
    """Identical entries, but each car's season effect (sd 1 % of the lap) drawn once per season: the faster
    cars of the season finish higher (rank correlation against the drawn strength) and race after race
    (persistence); without the season effect both are zero within the Monte Carlo error."""
    study = sporting_study([toys["flat-4"], toys["flat-season"]], 30, 3, executor="serial")
    for name, scope, group, least in (("rank_corr", "title", "LMP2 teams", 0.3), ("persistence", "class", "LMP2", 0.1)):
        flat = metric(study.detail, "flat-4", name, scope, group)
        season = metric(study.detail, "flat-season", name, scope, group)
        assert abs(flat["mean"]) <= 3 * flat["se"], name
        assert season["mean"] > least and season["delta_vs_first"] > 3 * season["se_delta"], name


def test_one_round_calendar_is_open_before_its_final_round_by_definition(toys):
    study = sporting_study([toys["one-round"], toys["one-race"]], 6, 5, executor="serial")
    for scenario in ("one-round", "one-race"):
        assert metric(study.detail, scenario, "open_final_round", "title", "LMP2 teams")["mean"] == 1.0
    # a single race: nothing is decided before it either
    assert metric(study.detail, "one-race", "open_final_race", "title", "LMP2 teams")["mean"] == 1.0


def test_same_result_serial_or_two_processes_and_any_chunk_size(toys):
    scenarios = [toys["strong"], toys["flat"]]
    serial = sporting_study(scenarios, 10, 21, executor="serial", chunk_size=3)
    processes = sporting_study(scenarios, 10, 21, executor="processes", workers=2, chunk_size=4)
    serial_big_chunks = sporting_study(scenarios, 10, 21, executor="serial", chunk_size=10)
    pd.testing.assert_frame_equal(serial.detail, processes.detail)
    pd.testing.assert_frame_equal(serial.detail, serial_big_chunks.detail)
    pd.testing.assert_frame_equal(serial.summary, processes.summary)
    assert processes.workers == 2 and processes.executor == "processes"


def test_a_calendar_compared_with_itself_has_zero_paired_differences(toys):
    study = sporting_study([toys["strong"], toys["strong"]], 8, 9, executor="serial")
    twin = study.detail[study.detail["scenario"] == "strong#2"]
    assert len(twin) > 10
    assert (twin["delta_vs_first"].fillna(0) == 0).all() and (twin["se_delta"].fillna(0) == 0).all()
    first = study.detail[study.detail["scenario"] == "strong"]
    assert first["mean"].tolist() == twin["mean"].tolist()


def test_points_so_far_from_race_columns_equal_standings_after_that_race():
    plan = plan_scenario("all-middle-east")
    seasons = range(4)
    results, _ = simulate_results(plan.compiled, 2, seasons)
    final = compute_standings(results, plan.compiled.rulebook)
    titles = {t.title: i for i, t in enumerate(plan.titles)}
    for race in plan.race_ids[:-1]:
        direct = _top_points(compute_standings(results, plan.compiled.rulebook, after=race), titles, seasons)[0]
        summed = _top_points_so_far(final, plan.race_ids[:plan.race_ids.index(race) + 1], titles, seasons)
        np.testing.assert_array_equal(np.nan_to_num(direct, nan=-1), np.nan_to_num(summed, nan=-1))


def test_plan_of_the_default_calendar():
    plan = plan_scenario("default")
    assert plan.before_final_round == "R6" and plan.before_final_race == "R7"
    lmp2 = next(t for t in plan.titles if t.title == "LMP2 teams")
    # asian-lms-cups: 25 for a win + 1 for the class pole, two races in the final double-header
    assert (lmp2.final_round_points, lmp2.final_race_points) == (52.0, 26.0)
    assert {t.title for t in plan.titles} >= {"LMP2 teams", "LMP3 teams", "GT teams", "GT Pro-Am teams"}
    assert set(plan.regions) >= {"Europe", "Far East"}


def test_car_strength_is_reference_lap_with_bop_team_and_crew_offsets():
    plan = plan_scenario("default")
    compiled = plan.compiled
    race = compiled.races[0]
    entry = race.entries[0]
    model = compiled.model
    reference = race.venue.reference_lap_s[entry.class_name]
    klass = model.classes[entry.class_name]
    bop = race.bop.get(entry.car_model, model.car_models[entry.car_model].bop_pace_pct)
    crew = [reference * klass.rating_pace_pct[r] / 100 + extra
            for r, extra in zip(entry.ratings, entry.driver_offsets_s)]
    by_hand = 100 * ((reference * (1 + bop / 100) + entry.pace_offset_s + sum(crew) / len(crew)) / reference - 1)
    first_race_only = car_strength(dataclasses.replace(compiled, races=[race]))
    assert first_race_only[entry.car] == pytest.approx(by_hand, rel=1e-12)
    # the entry list's team pace offsets order the LMP2 cars the same way as their strength
    lmp2 = [e for e in race.entries if e.class_name == "LMP2" and len(set(e.ratings)) == 3]
    offsets = {e.car: e.pace_offset_s for e in lmp2}
    by_offset = sorted(offsets, key=lambda car: offsets[car])
    assert spearman([offsets[c] for c in by_offset], [plan.strength[c] for c in by_offset]) > 0.9


def test_compare_cli_writes_sporting_tables_and_skips_them_with_runs_0(toys, tmp_path):
    code, out, err = run_cli("calendar", "compare", str(toys["strong"]), str(toys["one-round"]), "--runs", "4",
                             "--workers", "1", "--seed", "3", "--out", str(tmp_path / "with"))
    assert code == 0, err
    table = pd.read_csv(tmp_path / "with" / "comparison.csv")
    assert {"freight_km", "p_title_open_final_round", "strength_rank_corr", "invitations_far_east"} <= set(table.columns)
    detail = pd.read_csv(tmp_path / "with" / "sporting_by_class.csv", keep_default_na=False)
    assert set(detail["scenario"]) == {"strong", "one-round"} and "delta_vs_first" in detail.columns
    assert "difference vs strong" in out
    code, out, err = run_cli("calendar", "compare", str(toys["strong"]), "--runs", "0", "--out", str(tmp_path / "without"))
    assert code == 0, err
    assert "strength_rank_corr" not in pd.read_csv(tmp_path / "without" / "comparison.csv").columns
    assert not (tmp_path / "without" / "sporting_by_class.csv").exists()
    code, _, err = run_cli("calendar", "compare", str(toys["strong"]), "--runs", "0", "--out", str(tmp_path / "with"))
    assert code == 0, err
    assert not (tmp_path / "with" / "sporting_by_class.csv").exists()   # not left from the earlier comparison


def test_every_sporting_chart_panel_has_its_error_bars(shipped):
    """comparison.png draws the sporting panels with ±1 se, the invitations per home region included."""
    from sim.calendar.metrics import compare_calendars
    from sim.calendar.sporting_report import chart_metrics

    paths = [SCENARIOS / "all-middle-east.yaml", SCENARIOS / "calendar-2024-25.yaml"]
    table = compare_calendars(paths, sporting=shipped.summary)
    panels = chart_metrics(shipped, table)
    invitations = [panel for panel in panels if panel[0].startswith("invitations_")]
    assert invitations
    for column, _, errors in panels:
        assert errors is not None and len(errors) == len(table), column
    assert any(e > 0 for _, _, errors in invitations for e in errors)
