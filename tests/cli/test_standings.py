"""`sim standings`: output contract, --after, and bad input -> exit 2 with one line, nothing written."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import PROJECT, run_cli

FIXTURES = PROJECT / "tests" / "fixtures" / "rules"
SMALL = FIXTURES / "results-small.csv"


def test_prints_the_standings_csv_to_stdout():
    code, out, err = run_cli("standings", str(SMALL), "--series", "asian-lms")
    assert code == 0, err
    standings = pd.read_csv(io.StringIO(out), dtype={"car": str}, keep_default_na=False)
    for column in ("class", "category", "kind", "position", "car", "team", "drivers", "points"):
        assert column in standings.columns
    lmp2 = standings[standings["title"] == "LMP2 teams"]
    # R1: #3 wins from pole (26), #25 18; R2: #25 wins from pole (26), #3 18.
    assert list(zip(lmp2["car"], lmp2["points"], lmp2["position"])) == [("25", 44, 1), ("3", 44, 2)]
    assert set(standings["kind"]) == {"teams", "drivers"} and set(standings["category"]) == {""}


def test_after_and_out_write_the_file(tmp_path):
    out = tmp_path / "sub" / "standings.csv"
    code, stdout, err = run_cli("standings", str(SMALL), "--series", "asian-lms", "--after", "R1", "--out", str(out))
    assert code == 0, err
    assert stdout == ""
    standings = pd.read_csv(out, dtype={"car": str})
    assert "R2" not in standings.columns
    assert standings.loc[standings["title"] == "LMP2 teams", "points"].tolist() == [26, 18]
    assert [p.name for p in out.parent.iterdir()] == ["standings.csv"]  # no temporary file left behind


def rewrite(tmp_path: Path, change) -> Path:
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    frame = change(frame)
    path = tmp_path / "results.csv"
    frame.to_csv(path, index=False)
    return path


def set_cell(row: int, column: str, value: str):
    def change(frame):
        frame.loc[row, column] = value
        return frame
    return change


BAD_RESULTS = {
    "missing column": (lambda f: f.drop(columns="status"), "column status: missing required column(s): status"),
    "shared class position": (set_cell(1, "class_position", "1"),
                              "row 3, column class_position: class position 1 of LMP2 given twice in race R1"),
    "ratings do not match drivers": (set_cell(1, "ratings", "Gold"),
                                     "row 3, column ratings: 1 rating(s) for 2 driver(s)"),
    "wrong type": (set_cell(2, "laps", "lots"), "row 4, column laps: expected an integer, got 'lots'"),
    "unknown status": (set_cell(1, "status", "retired"), "row 3, column status: unknown status 'retired'"),
    "duplicate car": (set_cell(1, "car", "3"), "row 3, column car: car '3' appears twice in race R1"),
    "unknown class": (set_cell(2, "class", "Hypercar"), "row 4, column class: unknown class 'Hypercar'"),
}


@pytest.mark.parametrize("case", sorted(BAD_RESULTS))
def test_bad_results_table(tmp_path, case):
    change, message = BAD_RESULTS[case]
    path = rewrite(tmp_path, change)
    out = tmp_path / "standings.csv"
    code, stdout, err = run_cli("standings", str(path), "--series", "asian-lms", "--out", str(out))
    assert code == 2
    assert err.count("\n") == 1 and str(path) in err and message in err, err
    assert "Traceback" not in err and stdout == ""
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_extra_columns_are_carried_and_ignored(tmp_path):
    """The contract welcomes extra columns (a timing export's own fields, notes): same standings, and a
    note on stderr names the columns the rules do not use (a misspelt optional column shows up there)."""
    path = rewrite(tmp_path, lambda f: f.assign(notes="wet start", vehicle="Oreca 07"))
    code, out, err = run_cli("standings", str(path), "--series", "asian-lms")
    assert code == 0, err
    _, expected, _ = run_cli("standings", str(SMALL), "--series", "asian-lms")
    assert out == expected
    assert err.strip() == f"note: {path}: column(s) not used by the rules: notes, vehicle"


BAD_RULEBOOKS = {
    "series-not-mapping.yaml": "expected a YAML mapping at the top level, got list",
    "series-syntax-error.yaml": "invalid YAML",
    "series-python-tag.yaml": "YAML tag not allowed",
}


@pytest.mark.parametrize("name", sorted(BAD_RULEBOOKS))
def test_bad_rulebook_file(tmp_path, name):
    out = tmp_path / "standings.csv"
    code, stdout, err = run_cli("standings", str(SMALL), "--series", str(FIXTURES / name), "--out", str(out))
    assert code == 2 and err.count("\n") == 1
    assert f"{FIXTURES / name}: " in err and BAD_RULEBOOKS[name] in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["--series", "nascar"], "series: unknown series 'nascar' (known: "),
    (["--series", "asian-lms", "--after", "R9"], "--after: unknown race 'R9'"),
], ids=["unknown series", "unknown race"])
def test_unknown_names(tmp_path, args, message):
    out = tmp_path / "standings.csv"
    code, _, err = run_cli("standings", str(SMALL), *args, "--out", str(out))
    assert code == 2 and message in err and err.count("\n") == 1 and not out.exists()


def test_missing_results_file(tmp_path):
    missing = tmp_path / "nope.csv"
    code, _, err = run_cli("standings", str(missing), "--series", "asian-lms")
    assert code == 2 and err.strip() == f"error: {missing}: file not found"


def test_missing_rulebook_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    code, _, err = run_cli("standings", str(SMALL), "--series", str(missing))
    assert code == 2 and err.strip() == f"error: {missing}: file not found"


def test_parquet_in_and_out(tmp_path):
    source = tmp_path / "results.parquet"
    pd.read_csv(SMALL, dtype={"car": str}).to_parquet(source)
    out = tmp_path / "standings.parquet"
    code, _, err = run_cli("standings", str(source), "--series", "asian-lms", "--out", str(out))
    assert code == 0, err
    assert pd.read_parquet(out).loc[0, ["title", "car", "points"]].tolist() == ["LMP2 teams", "25", 44]
