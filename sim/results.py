"""The results table (one row per car per race): schema, reading, validation and writing.

The same table comes out of the race model and goes into the rules engine
(`../shared/interfaces.md` section 1). Car numbers stay text: `7` and `007` are different cars.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.errors import InputError
from sim.io import write_table_atomic

STATUSES = ("classified", "not_classified", "dnf", "dsq", "dns")
ENTRY_KINDS = ("season", "additional")
RATINGS = ("Platinum", "Gold", "Silver", "Bronze")

TEXT_COLUMNS = ("race", "car", "team", "class", "category", "drivers", "ratings", "entry", "status")
# Optional text columns: `championship` marks rows of another series in a joint classification
# (empty = the rulebook's own series); `drive_time_s` holds one number per driver, `;`-separated.
OPTIONAL_TEXT_COLUMNS = ("championship", "drive_time_s", "car_model", "fuel")
REQUIRED_COLUMNS = (
    "race", "round", "car", "team", "class", "category", "drivers", "ratings", "entry",
    "class_position", "status", "laps", "time_s", "pole",
)
# Columns that must hold a value in every row; the others may be empty. A `dns` car took no start,
# so its `class_position` may be empty: it is then placed behind every starter of its class.
NON_EMPTY_COLUMNS = ("race", "round", "car", "class", "status")
OPTIONAL_COLUMNS = (
    "category_position", "overall_position", "pit_stops", "fuel_used_l", "energy_mj",
    "fastest_lap_s", "drive_time_s", "season", "hours", "distance_km", "car_model",
    "championship", "green_laps", "ghg_mj", "fuel",
)
INT_COLUMNS = ("round", "class_position", "laps", "pole", "category_position", "overall_position", "pit_stops",
               "season")
# `green_laps` (green-flag laps of the race, for the shortened-race rule) is a float so that empty = unknown.
FLOAT_COLUMNS = ("time_s", "fuel_used_l", "energy_mj", "ghg_mj", "fastest_lap_s", "hours", "distance_km",
                 "green_laps")


def empty_results() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=_dtype(column)) for column in REQUIRED_COLUMNS})


def _dtype(column: str) -> str:
    if column in INT_COLUMNS:
        return "int64"
    if column in FLOAT_COLUMNS:
        return "float64"
    return "object"


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a results CSV or Parquet file and validate it; raise InputError naming row and column."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, None, "file not found")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
            frame = frame.astype({c: "object" for c in frame.columns if c in TEXT_COLUMNS})
        else:
            # Everything as text first, so car `007` keeps its zeros and types are checked here.
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(path, None, f"cannot read results table ({first_line})") from None
    return validate_results(frame, path)


def validate_results(frame: pd.DataFrame, source: str | Path = "<results>") -> pd.DataFrame:
    """Check columns, types and values; return a normalised copy (typed columns, defaults filled)."""
    frame = frame.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    # `category`, `ratings`, `entry`, `time_s` and `pole` may be left out of hand-written tables.
    defaults = {"category": "", "ratings": "", "entry": "season", "time_s": "", "pole": "0"}
    for column in list(missing):
        if column in defaults:
            frame[column] = defaults[column]
            missing.remove(column)
    if missing:
        raise InputError(source, f"column {missing[0]}", f"missing required column(s): {', '.join(missing)}")
    if frame.empty:
        raise InputError(source, None, "results table has no rows")

    def row_of(index) -> str:
        return f"row {int(index) + 2}"  # header is line 1 of a CSV

    # columns the table does not define (notes, timing-export fields) are carried along as text and
    # ignored by the rules: the contract welcomes extra columns (see `unused_columns`)
    text_columns = TEXT_COLUMNS + tuple(c for c in OPTIONAL_TEXT_COLUMNS if c in frame.columns)
    for column in text_columns + tuple(unused_columns(frame)):
        frame[column] = frame[column].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip())
    for column in NON_EMPTY_COLUMNS:
        blank = frame[column].map(lambda v: v is None or str(v).strip() == "" or (isinstance(v, float) and pd.isna(v)))
        if blank.any():
            raise InputError(source, f"{row_of(blank.idxmax())}, column {column}", "value is empty")
    frame["entry"] = frame["entry"].replace("", "season")
    for column in INT_COLUMNS:
        if column in frame.columns:
            frame[column] = _to_int(frame[column], column, source, row_of, allow_empty=column not in NON_EMPTY_COLUMNS)
    for column in FLOAT_COLUMNS:
        if column in frame.columns:
            frame[column] = _to_float(frame[column], column, source, row_of)
    for column, allowed in (("status", STATUSES), ("entry", ENTRY_KINDS)):
        bad = ~frame[column].isin(allowed)
        if bad.any():
            index = bad.idxmax()
            raise InputError(source, f"{row_of(index)}, column {column}",
                             f"unknown {column} '{frame.at[index, column]}' (expected one of: {', '.join(allowed)})")
    bad = ~frame["pole"].isin([0, 1])
    if bad.any():
        raise InputError(source, f"{row_of(bad.idxmax())}, column pole", "must be 0 or 1")
    bad = frame["round"] < 1
    if bad.any():
        raise InputError(source, f"{row_of(bad.idxmax())}, column round", "must be a positive integer")
    bad = (frame["class_position"] < 1) & (frame["status"] != "dns")
    if bad.any():
        raise InputError(source, f"{row_of(bad.idxmax())}, column class_position",
                         "must be a positive integer (empty only for a dns car)")
    bad = frame["laps"] < 0
    if bad.any():
        raise InputError(source, f"{row_of(bad.idxmax())}, column laps", "must not be negative")
    ratings_ok = frame["ratings"].map(lambda text: all(r.strip() in RATINGS for r in text.split(";")) if text else True)
    if not ratings_ok.all():
        index = (~ratings_ok).idxmax()
        raise InputError(source, f"{row_of(index)}, column ratings",
                         f"unknown rating in '{frame.at[index, 'ratings']}' (expected {', '.join(RATINGS)})")
    counts_differ = (frame["ratings"] != "") & (frame["ratings"].str.count(";") != frame["drivers"].str.count(";"))
    if counts_differ.any():
        index = counts_differ.idxmax()
        raise InputError(source, f"{row_of(index)}, column ratings",
                         f"{frame.at[index, 'ratings'].count(';') + 1} rating(s) for "
                         f"{frame.at[index, 'drivers'].count(';') + 1} driver(s) (one per driver, same order, or empty)")
    keys = ["season", "race", "car"] if "season" in frame.columns else ["race", "car"]
    duplicated = frame.duplicated(keys, keep="first")
    if duplicated.any():
        index = duplicated.idxmax()
        raise InputError(source, f"{row_of(index)}, column car",
                         f"car '{frame.at[index, 'car']}' appears twice in race {frame.at[index, 'race']}")
    # two starters cannot share a finishing place in their class (dns rows may leave it empty)
    placed = frame[(frame["status"] != "dns") | (frame["class_position"] >= 1)]
    shared = placed.duplicated(keys[:-1] + ["class", "class_position"], keep="first")
    if shared.any():
        index = shared[shared].index[0]
        raise InputError(source, f"{row_of(index)}, column class_position",
                         f"class position {frame.at[index, 'class_position']} of {frame.at[index, 'class']} "
                         f"given twice in race {frame.at[index, 'race']}")
    rounds = frame.groupby(keys[:-1])["round"].nunique()
    if (rounds > 1).any():
        race = rounds[rounds > 1].index[0]
        raise InputError(source, "column round", f"race {race} has more than one round number")
    return _place_non_starters(frame, keys[:-1]).reset_index(drop=True)


def unused_columns(frame: pd.DataFrame) -> list[str]:
    """Columns of a results table that neither the contract nor the model defines (ignored by the rules)."""
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    return [c for c in frame.columns if c not in known]


def _place_non_starters(frame: pd.DataFrame, race_keys: list[str]) -> pd.DataFrame:
    """Give `dns` rows without a class position one behind every other car of their class."""
    missing = frame["class_position"] < 1
    if not missing.any():
        return frame
    groups = race_keys + ["class"]
    last = frame.groupby(groups)["class_position"].transform("max")
    behind = frame[missing].groupby(groups).cumcount() + 1
    frame.loc[missing, "class_position"] = last[missing] + behind
    return frame


def _to_int(series: pd.Series, column: str, source, row_of, allow_empty: bool) -> pd.Series:
    text = series.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip())
    numbers = pd.to_numeric(text.replace("", "0" if allow_empty else "nan"), errors="coerce")
    bad = numbers.isna() | (numbers != numbers.round())
    if bad.any():
        index = bad.idxmax()
        raise InputError(source, f"{row_of(index)}, column {column}", f"expected an integer, got '{text[index]}'")
    return numbers.astype("int64")


def _to_float(series: pd.Series, column: str, source, row_of) -> pd.Series:
    text = series.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip())
    numbers = pd.to_numeric(text.replace("", "nan"), errors="coerce")
    bad = numbers.isna() & (text != "") & (text.str.lower() != "nan")
    if bad.any():
        index = bad.idxmax()
        raise InputError(source, f"{row_of(index)}, column {column}", f"expected a number, got '{text[index]}'")
    return numbers.astype("float64")


def write_results(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a results table (CSV or Parquet by suffix) atomically, required columns first."""
    ordered = [c for c in REQUIRED_COLUMNS if c in frame.columns]
    ordered += [c for c in frame.columns if c not in ordered]
    write_table_atomic(frame[ordered], path)
