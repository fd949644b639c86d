"""The study tables (text CSVs of `summary_frames`) made ready to show: numbers, labels, crews, cars.

Shared by the plots, the HTML report, the terminal and the Python API, so all of them say the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

OTHER = "(other)"
SUMMARY_NUMBERS = ("runs", "p_title", "se_p_title", "p_top3", "se_p_top3", "mean_points", "sd_points",
                   "se_mean_points", "mean_position", "se_mean_position", "p_invitation", "se_p_invitation",
                   "p_classified")


def numeric(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A copy with the given (default: every non-text) columns as floats; empty cells become NaN."""
    text = {"title", "class", "category", "kind", "car", "team", "drivers", "rule", "race", "team_a", "team_b",
            "category_a", "category_b"}
    out = frame.copy()
    for column in columns if columns is not None else [c for c in frame.columns if c not in text]:
        if column in out.columns:
            out[column] = pd.to_numeric(out[column].replace("", np.nan), errors="coerce")
    return out


def position_columns(positions: pd.DataFrame) -> list[str]:
    return [c for c in positions.columns if c.startswith("P") and c[1:].isdigit()]


def surname(name: str) -> str:
    """`Job VAN UITERT` -> `Van Uitert`: the family name as timing sheets write it in capitals."""
    words = [w for w in str(name).split() if w.isupper() and len(w) > 1]
    return " ".join(w.capitalize() for w in words) if words else str(name)


def label(row: Mapping[str, Any]) -> str:
    """`#3 DKR Engineering` for a team, the crew's names for drivers, `other entries` for the other row."""
    if row["car"] == OTHER:
        return "other entries"
    if row["kind"] == "drivers":
        return f"#{row['car']} " + " / ".join(surname(n) for n in str(row["drivers"]).split(" / "))
    return f"#{row['car']} {row['team']}"


def crews(rows: pd.DataFrame) -> pd.DataFrame:
    """Drivers' rows of one title folded into one row per crew: co-drivers who shared a car all season
    have the same numbers, so they are one competitor to show (their names joined by ' / ')."""
    if rows.empty or (rows["kind"] != "drivers").all():
        return rows
    key = ["title", "car", "p_title", "p_top3", "mean_points", "p_invitation"]
    folded = (rows.groupby(key, sort=False, dropna=False)
              .agg({**{c: "first" for c in rows.columns if c not in key and c != "drivers"},
                    "drivers": lambda names: " / ".join(names)})
              .reset_index())
    return folded[rows.columns]


def titles_of(frame: pd.DataFrame, kind: str | None = None) -> list[str]:
    """Titles in the study's order (optionally of one kind)."""
    rows = frame if kind is None else frame[frame["kind"] == kind]
    return list(dict.fromkeys(rows["title"]))


def car_invitations(summary: pd.DataFrame, invitations: pd.DataFrame) -> pd.DataFrame:
    """One row per car: its Le Mans invitation odds from any rule (the seasons in which it got one) with
    the standard error, and the odds per rule (which title gives it), best first. Cars never invited
    are left out."""
    teams = numeric(summary[(summary["kind"] == "teams") & (summary["car"] != OTHER)])
    if teams.empty:
        return pd.DataFrame(columns=["class", "car", "team", "category", "runs", "p_invitation", "se_p_invitation"])
    categories = (teams[teams["category"] != ""].groupby(["class", "car"], sort=False)["category"]
                  .agg(lambda c: "/".join(dict.fromkeys(c))))
    cars = teams.drop_duplicates(["class", "car"])[["class", "car", "team", "runs", "p_invitation",
                                                   "se_p_invitation"]].copy()
    cars.insert(3, "category", [categories.get((c, n), "") for c, n in zip(cars["class"], cars["car"])])
    rules = numeric(invitations[invitations["kind"] == "teams"]).drop_duplicates(["class", "car", "rule"])
    for rule in dict.fromkeys(rules["rule"]):
        odds = rules[rules["rule"] == rule].set_index(["class", "car"])["p_invitation"]
        cars[rule] = [odds.get((c, n), 0.0) for c, n in zip(cars["class"], cars["car"])]
    cars = cars[cars["p_invitation"] > 0]
    return cars.sort_values(["p_invitation", "class", "car"], ascending=[False, True, True], kind="stable",
                            ignore_index=True)


def pct(value: Any) -> str:
    number = pd.to_numeric(value, errors="coerce")
    return "" if pd.isna(number) else f"{number:.1%}"


def pct_se(value: Any, error: Any) -> str:
    """`23.4 % ± 1.2`: a probability with its standard error in percentage points."""
    p, se = pd.to_numeric(value, errors="coerce"), pd.to_numeric(error, errors="coerce")
    if pd.isna(p):
        return ""
    return f"{p:.1%}" + ("" if pd.isna(se) else f" ± {100 * se:.1f}")


def number(value: Any, digits: int = 1) -> str:
    x = pd.to_numeric(value, errors="coerce")
    return "" if pd.isna(x) else f"{x:,.{digits}f}"


def change_text(delta_a_minus_b: float, error: float) -> str:
    """`+16.0 ± 2.6`: the change B - A of a probability in percentage points, with its paired SE
    (paired tables store delta = A - B)."""
    delta, se = pd.to_numeric(delta_a_minus_b, errors="coerce"), pd.to_numeric(error, errors="coerce")
    if pd.isna(delta):
        return ""
    change = -100 * delta
    change = 0.0 if abs(change) < 0.05 else change   # no "-0.0"
    return f"{change:+.1f}" + ("" if pd.isna(se) else f" ± {100 * se:.1f}")


def car_titles(paired: pd.DataFrame, summary_a: pd.DataFrame, summary_b: pd.DataFrame, car: str) -> pd.DataFrame:
    """Every teams title car `car` is in, in A or in B: title odds in each (empty where it is not in that
    title) and, for titles it is in both times, the paired change (delta = A - B, its SE)."""
    teams = paired[(paired["kind"] == "teams") & (paired["car"] == car)]
    rows = [{"title": r["title"], "a_p_title": r["a_p_title"], "b_p_title": r["b_p_title"],
             "delta_p_title": r["delta_p_title"], "se_delta_p_title": r["se_delta_p_title"]}
            for _, r in teams.iterrows()]
    seen = set(teams["title"])
    for side, summary in (("a", summary_a), ("b", summary_b)):
        alone = summary[(summary["kind"] == "teams") & (summary["car"] == car) & ~summary["title"].isin(seen)]
        for _, r in alone.iterrows():
            rows.append({"title": r["title"], f"{side}_p_title": r["p_title"]})
    columns = ["title", "a_p_title", "b_p_title", "delta_p_title", "se_delta_p_title"]
    return pd.DataFrame(rows, columns=columns).fillna("")


def significant(cars: pd.DataFrame) -> pd.Series:
    """Cars whose own-title, class-title or invitation odds move by more than 2 paired SE."""
    return pd.to_numeric(cars["max_abs_z"], errors="coerce") > 2


def categories(row: Mapping[str, Any]) -> str:
    a, b = row["category_a"] or "-", row["category_b"] or "-"
    return a if a == b else f"{a} -> {b}"


def answer(row: Mapping[str, Any]) -> str:
    """One sentence: the car's Le Mans invitation odds in A and in B, and whether the change is real."""
    a, b = pd.to_numeric(row["a_p_invitation"]), pd.to_numeric(row["b_p_invitation"])
    delta, se = -pd.to_numeric(row["delta_p_invitation"]), pd.to_numeric(row["se_delta_p_invitation"])
    verdict = ("a real change (beyond 2 paired SE)" if abs(delta) > 2 * se else
               "not distinguishable from no change at this number of seasons")
    return (f"Le Mans invitation odds {a:.1%} in A, {b:.1%} in B: {100 * delta:+.1f} ± {100 * se:.1f} points, "
            f"{verdict}.")
