"""Broken timing exports: exit 2, one line on stderr naming the file and the row or column, nothing written.

Each case starts from the real Dubai race 1 export and breaks it the way downloads and spreadsheets do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import InputError
from sim.ingest import ingest_exports
from tests.conftest import run_cli
from tests.ingest.conftest import QUALIFYING, RACES

TEXT = RACES[0].read_text(encoding="utf-8")
LINES = TEXT.splitlines(keepends=True)


def replaced(old: str, new: str, count: int = 1):
    def change(text: str) -> str:
        assert old in text
        return text.replace(old, new, count)
    return change


def without_column(name: str):
    def change(text: str) -> str:
        rows = [line.rstrip("\n").split(",") for line in text.splitlines(keepends=True)]
        position = rows[0].index(name)
        return "".join(",".join(cells[:position] + cells[position + 1:]) + "\n" for cells in rows)
    return change


def second_row_twice(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:3] + [lines[1]] + lines[3:])


def html_page(_: str) -> str:
    return ("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n"
            "<body><h1>Service Unavailable</h1></body></html>\n")


# (case, how the export is broken, how its bytes are written, what the message must name)
CASES = [
    ("html-error-page", html_page, "utf-8", "HTML"),
    ("utf-16-bom", lambda text: text, "utf-16", "UTF-16"),
    ("bom-inside", lambda text: text + "\ufeff" + LINES[0] + LINES[1], "utf-8", "row 48"),
    ("semicolons", lambda text: text.replace(",", ";"), "utf-8", "row 1"),
    ("missing-column", without_column("STATUS"), "utf-8", "column STATUS"),
    ("missing-crew", lambda text: text.replace("DRIVER_", "PILOTE_"), "utf-8", "column DRIVER_1"),
    ("duplicate-column", replaced("GAP_PREVIOUS", "LAPS"), "utf-8", "column LAPS"),
    ("car-twice", second_row_twice, "utf-8", "row 4, column NUMBER"),
    ("bad-total-time", replaced("4:03'08.373", "4:03'O8.373"), "utf-8", "row 2, column TOTAL_TIME"),
    ("impossible-time", replaced("4:03'08.373", "4:63'08.373"), "utf-8", "row 2, column TOTAL_TIME"),
    ("bad-fastest-lap", replaced("1'49.586", "1'4g.586"), "utf-8", "row 2, column FL_TIME"),
    ("decimal-comma", replaced("1'49.586", "1'49,586"), "utf-8", "row 2: 23 fields"),
    ("bad-laps", replaced(",118,4:03'08.373", ",11B,4:03'08.373"), "utf-8", "row 2, column LAPS"),
    ("negative-laps", replaced(",118,4:03'08.373", ",-118,4:03'08.373"), "utf-8", "row 2, column LAPS"),
    ("unknown-status", replaced(",Classified,118,", ",Finished?,118,"), "utf-8", "row 2, column STATUS"),
    ("no-car-number", replaced("1,25,Algarve", "1,,Algarve"), "utf-8", "row 2, column NUMBER"),
    ("no-class", replaced(",M,LMP2,,,Classified,118,", ",M,,,,Classified,118,"), "utf-8", "row 2, column CLASS"),
    ("shifted-row", replaced(",177.1,,", ",177.1,,,,,extra"), "utf-8", "row 2"),
    ("header-only", lambda text: LINES[0], "utf-8", "no rows"),
    ("empty-file", lambda text: "", "utf-8", "empty"),
    ("not-utf-8", lambda text: text, "cp1252", "row 4"),
]


def write_export(folder: Path, change, encoding: str) -> Path:
    path = folder / "r1_broken.csv"
    path.write_bytes(change(TEXT).encode(encoding))
    return path


def assert_refused(code: int, out: str, err: str, must_name: list[str], folder: Path, written: list[Path]) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for words in must_name:
        assert words in lines[0], (words, lines[0])
    assert "Traceback" not in err and out == ""
    assert not any(path.exists() for path in written)
    assert not list(folder.glob(".*.tmp")), "a temporary file was left behind"


@pytest.mark.parametrize("change, encoding, words", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_broken_race_export_is_refused_and_nothing_is_written(tmp_path, change, encoding, words):
    broken = write_export(tmp_path, change, encoding)
    out, entries = tmp_path / "out" / "results.csv", tmp_path / "out" / "entries.yaml"
    code, stdout, err = run_cli("ingest", str(RACES[1]), str(broken), "--qualifying", str(QUALIFYING[0]),
                                "--out", str(out), "--entries-out", str(entries))
    assert_refused(code, stdout, err, [str(broken), words], tmp_path, [out, entries])


def test_the_api_raises_the_same_input_error(tmp_path):
    broken = write_export(tmp_path, replaced("4:03'08.373", "4:03'O8.373"), "utf-8")
    with pytest.raises(InputError) as caught:
        ingest_exports([broken])
    assert caught.value.file == str(broken) and caught.value.field == "row 2, column TOTAL_TIME"
    assert "4:03'O8.373" in caught.value.reason


@pytest.mark.parametrize("rounds, words", [
    ("1,1,2", "3 round number(s) for 4 race export(s)"),
    ("1,1,2,2,3", "5 round number(s) for 4 race export(s)"),
    ("2,1,2,2", "must not go down"),
    ("0,1,1,1", "1 or more"),
    ("1,one,2,2", "not a comma-separated list"),
])
def test_rounds_that_do_not_match_the_files(tmp_path, rounds, words):
    out = tmp_path / "results.csv"
    code, stdout, err = run_cli("ingest", *map(str, RACES), "--rounds", rounds, "--out", str(out))
    assert_refused(code, stdout, err, ["--rounds", words], tmp_path, [out])


@pytest.mark.parametrize("args, words", [
    (["--hours", "4,4"], "--hours"),
    (["--pole", "R2-LMP2-43"], "--pole: 'R2-LMP2-43' is not RACE:CLASS=CAR"),
    (["--pole", "R9:LMP2=43"], "--pole: unknown race R9"),
    (["--pole", "R2:GT=43"], "--pole: car 43 is not a GT car of R2"),
    (["--qualifying", str(QUALIFYING[0]), "--qualifying-rounds", "1,2"], "--qualifying-rounds"),
    (["--qualifying", str(QUALIFYING[0]), "--qualifying-rounds", "7"], "round 7 has no race export"),
    (["--qualifying", str(RACES[0])], "column TIME"),
    (["--qualifying", *map(str, QUALIFYING), str(QUALIFYING[0])], "more qualifying classifications than rounds"),
    (["--series", "asian-lms-cups", "--out-of-place"], "No such option"),
])
def test_other_bad_options(tmp_path, args, words):
    out = tmp_path / "results.csv"
    code, stdout, err = run_cli("ingest", *map(str, RACES), "--rounds", "1,1,2,2", "--out", str(out), *args)
    assert_refused(code, stdout, err, [words], tmp_path, [out])


def test_a_class_the_rulebook_does_not_know(tmp_path):
    out = tmp_path / "results.csv"
    code, stdout, err = run_cli("ingest", *map(str, RACES), "--series", "american-lms", "--out", str(out))
    assert_refused(code, stdout, err, [str(RACES[0]), "row 10, column CLASS", "unknown class 'LMP3'"], tmp_path, [out])


def test_a_broken_qualifying_export(tmp_path):
    text = QUALIFYING[1].read_text(encoding="utf-8").replace("1:48.580", "1:48:58O", 1)
    broken = tmp_path / "q_broken.csv"
    broken.write_text(text, encoding="utf-8")
    out = tmp_path / "results.csv"
    code, stdout, err = run_cli("ingest", *map(str, RACES), "--qualifying", str(broken), "--out", str(out))
    assert_refused(code, stdout, err, [str(broken), "row 2, column TIME"], tmp_path, [out])


def test_missing_file_and_folder(tmp_path):
    out = tmp_path / "results.csv"
    code, stdout, err = run_cli("ingest", str(tmp_path / "nope.csv"), "--out", str(out))
    assert_refused(code, stdout, err, ["nope.csv", "file not found"], tmp_path, [out])
    code, stdout, err = run_cli("ingest", str(RACES[0]), "--out", str(tmp_path))
    assert_refused(code, stdout, err, ["is a directory"], tmp_path, [])


def test_an_output_that_would_overwrite_an_export_or_the_other_output(tmp_path):
    copy = tmp_path / "r1.csv"
    copy.write_bytes(RACES[0].read_bytes())
    code, stdout, err = run_cli("ingest", str(copy), "--out", str(copy))
    assert_refused(code, stdout, err, ["--out", "would be overwritten"], tmp_path, [])
    assert copy.read_bytes() == RACES[0].read_bytes()
    out = tmp_path / "results.csv"
    code, stdout, err = run_cli("ingest", str(copy), "--out", str(out), "--entries-out", str(out))
    assert_refused(code, stdout, err, ["name the same file"], tmp_path, [out])
