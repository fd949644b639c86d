"""`sim calendar compare` and `sim calendar search` from the shell: outputs, exit codes, one-line errors."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from tests.conftest import CONFIGS, SCENARIOS, run_cli

CONSTRAINTS = str(CONFIGS / "calendar-search" / "two-plus-two.yaml")


def test_compare_writes_csv_png_and_report(calendar_run):
    folder = calendar_run.folder
    table = pd.read_csv(folder / "comparison.csv")
    assert list(table["scenario"]) == ["default", "four-middle-east"]
    assert {"freight_km", "clashes", "expected_wet_races", "unlit_dark_hours"} <= set(table.columns)
    assert (table["races"] == 8).all()    # like for like: the same number of races
    assert (folder / "comparison.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "freight_km" in calendar_run.out and "difference vs default" in calendar_run.out
    assert calendar_run.err.splitlines()[-1] == (f"wrote {folder}: comparison.csv, sporting_by_class.csv, "
                                                 "comparison.png, report.html")


def test_compare_tables_fit_a_narrow_terminal(monkeypatch, tmp_path):
    """Metrics down, calendars across: as many calendars per table as fit, the next ones in a further table."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli("calendar", "compare", "default", "four-middle-east", "three-plus-one", "one-plus-three",
                             "--runs", "0", "--out", str(tmp_path))
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80 and "…" not in out
    assert "Calendar comparison (1/" in out and "Far East 1, Middle East 3" in out and "2026-03-01" in out


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
    note, line = err.strip().splitlines()      # --window replaces the file's window, and says so; then the error
    assert note.startswith("note: --window 2025-11-01 2025-12-31 replaces the window of")
    assert "infeasible" in line and "climate.max_rain_probability" in line
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


SEARCH = ["calendar", "search", "--venues", "dubai,yas-marina,sepang,buriram,bahrain,zhuhai", "--rounds", "4",
          "--constraints", CONSTRAINTS, "--top", "2"]


def test_the_window_comes_from_the_constraints_file_unless_given():
    code, out, err = run_cli(*SEARCH)
    assert code == 0, err
    assert err == ""                  # no note without --window
    assert "22 Saturdays" in out      # the file's window, 2025-11-01 .. 2026-03-31
    code, out, err = run_cli(*SEARCH, "--window", "2025-11-01", "2026-02-28")
    assert code == 0, err
    assert "17 Saturdays" in out
    assert err.strip() == (f"note: --window 2025-11-01 2026-02-28 replaces the window of {CONSTRAINTS} "
                           "(2025-11-01 .. 2026-03-31)")


def test_a_search_without_any_window_is_refused(tmp_path):
    constraints = tmp_path / "no-window.yaml"
    constraints.write_text("regions: {Middle East: 2}\n")
    code, _, err = run_cli("calendar", "search", "--venues", "dubai,yas-marina", "--rounds", "2", "--constraints",
                           str(constraints))
    assert code == 2 and "--window: no search window" in err and len(err.strip().splitlines()) == 1


def test_written_scenarios_are_compared_with_the_metrics_the_search_found(tmp_path):
    """The round trip: `search --write-scenarios DIR` then `compare DIR/*.yaml` gives each calendar's metrics and
    objective as the search ranked them, on the base scenario's field and participation."""
    from sim.calendar.metrics import calendar_metrics, objective_breakdown
    from sim.config.calendars import load_constraints
    from sim.config.scenario import load_scenario

    folder = tmp_path / "written"
    code, out, err = run_cli(*SEARCH, "--out", str(tmp_path / "best.csv"), "--write-scenarios", str(folder))
    assert code == 0, err
    assert err.splitlines()[-1].startswith(f"wrote {folder}: search-1.yaml, search-2.yaml (scenarios on default")
    best = pd.read_csv(tmp_path / "best.csv")
    paths = [folder / "search-1.yaml", folder / "search-2.yaml"]
    base = load_scenario(SCENARIOS / "default.yaml")
    weights = load_constraints(CONSTRAINTS).objective
    for path, (_, ranked) in zip(paths, best.iterrows()):
        written = load_scenario(path)
        assert (written.entries, written.series, written.participation) == (base.entries, base.series,
                                                                            base.participation)
        row = calendar_metrics(path)
        for column in ("freight_km", "freight_cost_eur", "clashes", "clash_people", "heat_excess_c",
                       "expected_wet_races", "unlit_dark_hours", "freight_modes", "first_race", "last_race"):
            assert row[column] == ranked[column], (path.name, column)
        assert sum(objective_breakdown(row, weights).values()) == pytest.approx(ranked["score"], abs=1e-3)
    code, out, err = run_cli("calendar", "compare", *map(str, paths), "--runs", "2", "--workers", "1", "--out",
                             str(tmp_path / "compared"))
    assert code == 0, err
    compared = pd.read_csv(tmp_path / "compared" / "comparison.csv")
    assert list(compared["scenario"]) == ["search-1", "search-2"] and (compared["races"] == 8).all()
    assert compared["sporting_seasons"].tolist() == [2, 2]
    text = yaml.safe_load(paths[0].read_text())
    assert text["options"]["calendar"] == {"freight_hub": "antwerp", "freight_modes": ["road", "sea", "air"]}


def test_written_scenarios_from_a_base_in_another_folder_resolve_their_files(tmp_path):
    """A base scenario with its own entry list beside it: the written scenarios point at that file."""
    base_dir = tmp_path / "base"
    base_dir.mkdir()
    (base_dir / "entries.yaml").write_text((CONFIGS / "entries" / "asian-lms-default.yaml").read_text())
    scenario = (SCENARIOS / "default.yaml").read_text().replace("entries: asian-lms-default", "entries: entries.yaml")
    (base_dir / "mine.yaml").write_text(scenario)
    folder = tmp_path / "out" / "written"
    code, _, err = run_cli(*SEARCH, "--write-scenarios", str(folder), "--base", str(base_dir / "mine.yaml"))
    assert code == 0, err
    data = yaml.safe_load((folder / "search-1.yaml").read_text())
    assert data["entries"] == "../../base/entries.yaml"
    code, _, err = run_cli("validate", str(folder / "search-1.yaml"))
    assert code == 0, err
