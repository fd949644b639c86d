"""`sim calendar compare` and `sim calendar search` from the shell: outputs, exit codes, one-line errors."""

from __future__ import annotations

import importlib.util

import pandas as pd

from tests.conftest import CONFIGS, SCENARIOS, run_cli

CONSTRAINTS = str(CONFIGS / "calendar-search" / "two-plus-two.yaml")


def test_compare_writes_csv_and_png(tmp_path):
    code, out, err = run_cli("calendar", "compare", str(SCENARIOS / "default.yaml"),
                             str(SCENARIOS / "all-middle-east.yaml"), "--runs", "10", "--out", str(tmp_path))
    assert code == 0, err
    table = pd.read_csv(tmp_path / "comparison.csv")
    assert list(table["scenario"]) == ["default", "all-middle-east"]
    assert {"freight_km", "clashes", "expected_wet_races", "unlit_dark_hours"} <= set(table.columns)
    assert (tmp_path / "comparison.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "freight_km" in out
    if importlib.util.find_spec("sim.season") is None:
        assert "sporting metrics: not available" in out


def test_compare_unknown_venue_exits_2_with_one_line(tmp_path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text((SCENARIOS / "all-middle-east.yaml").read_text().replace("venue: dubai", "venue: atlantis"))
    code, _, err = run_cli("calendar", "compare", str(scenario), "--out", str(tmp_path / "out"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "calendar.rounds[0].venue" in err and "atlantis" in err
    assert not (tmp_path / "out" / "comparison.csv").exists()


def test_compare_venue_without_coordinates_exits_2(tmp_path):
    book = str(CONFIGS.parent / "tests" / "calendar" / "fixtures" / "venues-missing-coordinates.yaml")
    code, _, err = run_cli("calendar", "compare", str(SCENARIOS / "all-middle-east.yaml"), "--venues-file", book,
                           "--out", str(tmp_path))
    assert code == 2 and "venues.sepang.latitude" in err and len(err.strip().splitlines()) == 1


def test_search_ranks_and_writes_csv(tmp_path):
    out_file = tmp_path / "best.csv"
    code, out, err = run_cli("calendar", "search", "--venues", "dubai,yas-marina,sepang,buriram,bahrain,zhuhai",
                             "--rounds", "4", "--window", "2025-11-01", "2026-03-31", "--constraints", CONSTRAINTS,
                             "--top", "3", "--objective", "rain=10", "--out", str(out_file))
    assert code == 0, err
    best = pd.read_csv(out_file)
    assert list(best["rank"]) == [1, 2, 3]
    assert (best["freight_gap_violations"] == 0).all() and (best["regions"] == "Far East 2, Middle East 2").all()
    assert "Why the top candidates" in out and "Excluded by hard constraints" in out


def test_infeasible_search_exits_2_naming_the_constraints(tmp_path):
    code, out, err = run_cli("calendar", "search", "--venues", "dubai,yas-marina,sepang,buriram", "--rounds", "4",
                             "--window", "2025-11-01", "2025-12-31", "--constraints", CONSTRAINTS)
    assert code == 2
    line = err.strip()
    assert "\n" not in line and "infeasible" in line and "climate.max_rain_probability" in line
    assert "Excluded by hard constraints" in out


def test_search_bad_inputs_exit_2(tmp_path):
    base = ["calendar", "search", "--venues", "dubai,sepang", "--rounds", "2"]
    code, _, err = run_cli(*base, "--window", "2026-03-31", "2025-11-01")
    assert code == 2 and "--window" in err
    code, _, err = run_cli(*base, "--window", "2025-11-01", "31/03/2026")
    assert code == 2 and "not a date" in err
    code, _, err = run_cli(*base, "--window", "2025-11-01", "2026-03-31", "--objective", "speed=3")
    assert code == 2 and "unknown metric 'speed'" in err
    bad = tmp_path / "c.yaml"
    bad.write_text("min_days_between_rounds: 40\nmax_days_between_rounds: 20\n")
    code, _, err = run_cli(*base, "--window", "2025-11-01", "2026-03-31", "--constraints", str(bad))
    assert code == 2 and "min_days_between_rounds 40 is more than max_days_between_rounds 20" in err
