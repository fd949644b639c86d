"""Hand-built results and standings tables for the awards tests (no dependency on the points engine)."""

from __future__ import annotations

import pandas as pd


def results_table(entries, races=("R1", "R2"), season=None, **extra_columns) -> pd.DataFrame:
    """One row per car per race: entries are dicts with car, team, class, [category, entry, skip, dns]
    (`skip` lists races the car missed). Class positions follow the order of `entries`."""
    rows = []
    for number, race in enumerate(races, start=1):
        place: dict[str, int] = {}
        for entry in entries:
            if race in entry.get("skip", ()):
                continue
            klass = entry["class"]
            place[klass] = place.get(klass, 0) + 1
            row = {
                "race": race, "round": number, "car": entry["car"], "team": entry["team"], "class": klass,
                "category": entry.get("category", ""), "drivers": "A;B", "ratings": "", "entry": entry.get("entry", "season"),
                "class_position": place[klass], "status": "dns" if race in entry.get("dns", ()) else "classified",
                "laps": 100, "time_s": 14400.0, "pole": 0,
            }
            for column, values in extra_columns.items():
                row[column] = values[(race, entry["car"])] if isinstance(values, dict) else values
            rows.append(row)
    columns = ["race", "round", "car", "team", "class", "category", "drivers", "ratings", "entry",
               "class_position", "status", "laps", "time_s", "pole", *extra_columns]
    frame = pd.DataFrame(rows, columns=columns)
    if season is not None:
        frame.insert(0, "season", season)
    return frame


def standings_table(order, klass, category="", kind="teams", title=None, season=None) -> pd.DataFrame:
    """A classification in the given order: order holds (car, team) pairs; points fall 25, 18, 15, ..."""
    points = [25, 18, 15, 12, 10, 8, 6, 4, 2, 1] + [0] * 40
    title = title or " ".join(part for part in (klass, category, kind) if part)
    frame = pd.DataFrame({
        "title": title, "class": klass, "category": category, "kind": kind,
        "position": range(1, len(order) + 1), "car": [car for car, _ in order], "team": [team for _, team in order],
        "drivers": "A;B", "points": points[: len(order)], "wins": 0,
    })
    if season is not None:
        frame.insert(0, "season", season)
    return frame


def cars(klass, count, start=1, category="", team_prefix="Team"):
    """`count` full-season entries of one class with distinct teams."""
    return [
        {"car": str(number), "team": f"{team_prefix} {number}", "class": klass, "category": category}
        for number in range(start, start + count)
    ]
