"""Exports as other sites, hours and spreadsheets produce them give the same table as the real file.

Windows line endings, a UTF-8 byte-order mark, columns in another order, extra and empty trailing columns,
rows shorter than the header, blank lines, quoted commas, other class names and car numbers with leading
zeros are all read as they are meant; times in either the ACO or the IMSA spelling are the same seconds.
"""

from __future__ import annotations

import csv
import io
import math
import random

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.ingest import ingest_exports
from sim.ingest.values import parse_rating, parse_status, parse_time
from tests.ingest.conftest import RACES

TEXT = RACES[0].read_text(encoding="utf-8")


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def text_of(rows: list[list[str]], line_end: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=line_end).writerows(rows)
    return out.getvalue()


def shuffled_columns(text: str) -> str:
    rows = rows_of(text)
    order = list(range(len(rows[0])))
    random.Random(7).shuffle(order)
    return text_of([[row[i] for i in order] for row in rows])


def extra_columns(text: str) -> str:
    rows = rows_of(text)
    return text_of([["NOTES", *rows[0], "HOUR"]] + [["checked", *row, "4"] for row in rows[1:]])


def padded_columns(text: str) -> str:
    return text_of([row + [""] * 5 for row in rows_of(text)])


def short_rows(text: str) -> str:
    rows = rows_of(text)
    trimmed = [rows[0]]
    for row in rows[1:]:
        while row and row[-1] == "":
            row = row[:-1]
        trimmed.append(row)
    return text_of(trimmed)


def quoted_comma_in_team(text: str) -> str:
    return text.replace("Algarve Pro Racing", '"Algarve Pro Racing, Portugal"')


SAME_TABLE = {
    "windows-line-endings": lambda text: text.replace("\n", "\r\n"),
    "utf-8-bom": lambda text: "\ufeff" + text,
    "columns-in-another-order": shuffled_columns,
    "extra-columns": extra_columns,
    "empty-trailing-columns": padded_columns,
    "rows-shorter-than-the-header": short_rows,
    "blank-lines": lambda text: "\n" + text.replace("\n", "\n\n") + "\n\n",
    "header-spacing-and-case": lambda text: text.replace("TOTAL_TIME", " total_time ", 1),
    "pos-for-position": lambda text: text.replace("POSITION,", "POS,", 1),
}


@pytest.fixture(scope="module")
def original() -> pd.DataFrame:
    return ingest_exports([RACES[0]]).results


@pytest.mark.parametrize("change", SAME_TABLE.values(), ids=SAME_TABLE.keys())
def test_the_same_table(tmp_path, original, change):
    path = tmp_path / "202302111500-race-201-hour-4-results.csv"
    path.write_bytes(change(TEXT).encode("utf-8"))
    pd.testing.assert_frame_equal(ingest_exports([path]).results, original)


def test_a_quoted_comma_stays_in_its_cell(tmp_path, original):
    path = tmp_path / "r1.csv"
    path.write_text(quoted_comma_in_team(TEXT), encoding="utf-8")
    table = ingest_exports([path]).results
    assert table.loc[0, "team"] == "Algarve Pro Racing, Portugal"
    pd.testing.assert_frame_equal(table.drop(columns="team"), original.drop(columns="team"))


def test_any_hour_other_classes_and_leading_zeros(tmp_path, original):
    """An hour-2 export of another series: classes `P2`, `P3`, `GT3`, car 8 written `008`."""
    rows = rows_of(TEXT)
    header = rows[0]
    laps, total, klass, number = (header.index(c) for c in ("LAPS", "TOTAL_TIME", "CLASS", "NUMBER"))
    renamed = {"LMP2": "P2", "LMP3": "P3", "GT": "GT3"}
    for row in rows[1:]:
        row[klass] = renamed[row[klass]]
        row[number] = "008" if row[number] == "8" else row[number]
        row[laps] = str(int(row[laps]) // 2)
        seconds = parse_time(row[total])
        row[total] = "" if math.isnan(seconds) else f"{int(seconds / 2 // 3600)}:{int(seconds / 2 % 3600 // 60):02d}'" \
                                                     f"{seconds / 2 % 60:06.3f}"
    path = tmp_path / "202402101300-race-hour-2-results.csv"
    path.write_text(text_of(rows), encoding="utf-8")
    table = ingest_exports([path]).results
    assert set(table["class"]) == {"P2", "P3", "GT3"}
    assert "008" in set(table["car"]) and "8" not in set(table["car"])
    assert table["class_position"].tolist() == original["class_position"].tolist()
    assert table.loc[table["car"] == "008", "class"].item() == "P3"
    assert (table["laps"] == original["laps"] // 2).all()


def test_a_car_that_did_not_start_is_placed_behind_its_class(real_data):
    """IMSA Long Beach 2023: two GTD cars `Not started`, no position, no laps, no time."""
    export = next((real_data / "imsa" / "2023" / "08-long-beach-street-circuit").glob("*-race-results.csv"))
    table = ingest_exports([export]).results
    gtd = table[table["class"] == "GTD"].sort_values("class_position")
    assert gtd["status"].tolist()[-2:] == ["dns", "dns"] and gtd["car"].tolist()[-2:] == ["80", "93"]
    assert gtd["class_position"].tolist() == list(range(1, len(gtd) + 1))
    assert gtd["laps"].tolist()[-2:] == [0, 0] and gtd["time_s"].isna().tolist()[-2:] == [True, True]


# ------------------------------------------------------------------ cell values


def aco(seconds: float) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours)}:{int(minutes):02d}'{secs:06.3f}" if hours else f"{int(minutes)}'{secs:06.3f}"


def imsa(seconds: float) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours)}:{int(minutes):02d}:{secs:06.3f}" if hours else f"{int(minutes)}:{secs:06.3f}"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=30 * 3600 * 1000 - 1))
def test_times_in_both_spellings_are_the_same_seconds(milliseconds):
    seconds = milliseconds / 1000
    for text in (aco(seconds), imsa(seconds)):
        assert parse_time(text) == pytest.approx(seconds, abs=5e-4), text


@pytest.mark.parametrize("text", ["4:03'08.37.3", "4:60'00.000", "1:00:60.000", "'49.586", "1:48.4o6", "1,48.406", "--", "1 Lap"])
def test_times_that_cannot_be_read(text):
    assert parse_time(text) is None


def test_status_and_rating_words():
    assert [parse_status(word) for word in ("Classified", "Not classified", "Retired", "Disqualified",
                                            "Not started", "  NOT  CLASSIFIED ", "DNF", "Excluded")] == [
        "classified", "not_classified", "dnf", "dsq", "dns", "not_classified", "dnf", "dsq"]
    assert parse_status("Finished?") is None
    assert [parse_rating(word) for word in ("P", "g", "Silver", "BRONZE", "Platinium", "")] == [
        "Platinum", "Gold", "Silver", "Bronze", "Platinum", ""]
    assert parse_rating("Pro") is None and parse_rating("X") is None


def test_no_lap_count_for_a_car_without_a_time(tmp_path):
    """Yas Marina race 1: GT #74, #21 and #67 covered no lap (`0` laps, no time); an export leaving LAPS empty
    for them means the same."""
    original = RACES[2].read_text(encoding="utf-8")
    assert original.count(",Not classified,0,,") == 3
    path = tmp_path / "r3.csv"
    path.write_text(original.replace(",Not classified,0,,", ",Not classified,,,"), encoding="utf-8")
    pd.testing.assert_frame_equal(ingest_exports([path]).results, ingest_exports([RACES[2]]).results)
