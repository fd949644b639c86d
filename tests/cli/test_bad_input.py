"""Bad input found by walking the commands as a user: each is exit 2 with one line naming the file and the
field (never 'internal error'), and nothing is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT, run_cli

DEFAULT = PROJECT / "scenarios" / "default.yaml"
RESULTS = PROJECT / "data" / "asian-lms-2023-results.csv"


def scenario_copy(tmp_path: Path, old: str, new: str, name: str = "scenario.yaml") -> Path:
    text = DEFAULT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def one_error_line(code: int, err: str) -> str:
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("error: ") and "internal error" not in err, err
    return err.strip()


@pytest.mark.parametrize("date, problem", [("2025-13-45", "month must be in 1..12"),
                                           ("2025-02-30", "day is out of range for month")])
def test_a_date_that_cannot_exist_names_file_and_line(tmp_path, date, problem):
    path = scenario_copy(tmp_path, "date: 2025-11-29", f"date: {date}")
    for command in (["validate", str(path)], ["season", str(path), "--seed", "1"]):
        line = one_error_line(*run_cli(*command)[::2])
        assert line.startswith(f"error: {path}: line ") and f"'{date}' is not a valid date ({problem})" in line


def test_a_key_given_twice_is_refused(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(DEFAULT.read_text(encoding="utf-8") + "series: asian-lms\n", encoding="utf-8")
    line = one_error_line(*run_cli("validate", str(path))[::2])
    assert "key 'series' given twice in one mapping" in line and f"{path}: line " in line


@pytest.mark.parametrize("start", ["25:00", "13:99"])
def test_an_impossible_start_time_is_refused(tmp_path, start):
    path = scenario_copy(tmp_path, 'start_local: "13:00"', f'start_local: "{start}"')
    line = one_error_line(*run_cli("validate", str(path))[::2])
    assert "calendar.rounds[0].races[0].start_local" in line


def test_an_output_path_that_is_a_folder_or_under_a_file(tmp_path):
    folder = tmp_path / "existing"
    folder.mkdir()
    line = one_error_line(*run_cli("standings", str(RESULTS), "--series", "asian-lms", "--out", str(folder))[::2])
    assert line == f"error: {folder}: is a directory, expected a file to write"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for command in (["race", "default", "--race", "R1", "--seed", "1", "--out", str(blocker / "r1.csv")],
                    ["season", "default", "--seed", "1", "--out", str(blocker / "season")],
                    ["montecarlo", "default", "--runs", "2", "--seed", "1", "--workers", "1",
                     "--out", str(blocker / "mc"), "--no-progress"]):
        line = one_error_line(*run_cli(*command)[::2])
        assert str(blocker) in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing", "file"]


def test_validate_names_the_field_of_a_file_outside_the_config_folders(tmp_path):
    """Outside configs/ and scenarios/ the kind is told by the keys; a misspelt or missing field still
    points to the closest kind, so the report names the field instead of asking for --kind."""
    typo = scenario_copy(tmp_path, "\ncalendar:", "\ncalender:")
    code, out, err = run_cli("validate", str(typo))
    assert code == 2 and f"{typo}: calender: unknown field" in err and f"{typo}: calendar: Field required" in err
    rulebook = tmp_path / "rules.yaml"
    rulebook.write_text((PROJECT / "configs" / "series" / "asian-lms.yaml").read_text(encoding="utf-8")
                        + "colour: red\n", encoding="utf-8")
    assert one_error_line(*run_cli("validate", str(rulebook))[::2]) == f"error: {rulebook}: colour: unknown field"


def test_files_a_scenario_names_are_read_beside_it_and_reported_at_its_field(tmp_path, monkeypatch):
    study = tmp_path / "study"
    study.mkdir()
    (study / "my-entries.yaml").write_text(
        (PROJECT / "configs" / "entries" / "asian-lms-default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    scenario = scenario_copy(study, "entries: asian-lms-default", "entries: my-entries.yaml")
    monkeypatch.chdir(tmp_path)   # not the scenario's folder
    code, out, err = run_cli("race", str(scenario), "--race", "R1", "--seed", "1")
    assert code == 0, err
    assert out.startswith("race,round,car,")
    missing = scenario_copy(study, "entries: asian-lms-default", "entries: elsewhere.yaml", "missing.yaml")
    for command in (["validate", str(missing)], ["season", str(missing), "--seed", "1"]):
        assert one_error_line(*run_cli(*command)[::2]) == f"error: {missing}: entries: file not found: elsewhere.yaml"
    unknown = scenario_copy(study, "series: asian-lms-cups", "series: nosuch", "unknown.yaml")
    line = one_error_line(*run_cli("season", str(unknown), "--seed", "1")[::2])
    assert line.startswith(f"error: {unknown}: series: unknown series 'nosuch' (known: ")


def test_several_problems_outside_validate_are_one_line_with_a_count(tmp_path):
    path = scenario_copy(tmp_path, "\ncalendar:", "\nwhatever: 1\nmore: 2\ncalendar:")
    line = one_error_line(*run_cli("season", str(path), "--seed", "1")[::2])
    assert line == (f"error: {path}: whatever: unknown field (and 1 more problem: `sim validate {path}` "
                    "lists them all)")
    code, _, err = run_cli("validate", str(path))
    assert code == 2 and err.count("\n") == 2   # validate reports each


def test_a_reader_that_stops_early_is_not_an_error():
    """`sim standings ... | head -1`: the closed pipe ends the command with exit 0 and nothing on stderr."""
    for command in (["standings", str(RESULTS), "--series", "asian-lms"], ["season", "default", "--seed", "1"]):
        pipeline = subprocess.run(
            f"{sys.executable} -m sim {' '.join(command)} | head -c 10 > /dev/null; echo ${{PIPESTATUS[0]}}",
            shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=PROJECT)
        assert pipeline.stdout.strip() == "0" and pipeline.stderr == "", (command, pipeline.stderr)
