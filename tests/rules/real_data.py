"""Converters from the real data in data/real (copied from ../shared/data) to the results table (interfaces s.1).

`asian_lms_2023_results` converts the hand transcription of the 2023 Asian LMS exports (results.csv), an
independent check of `sim ingest`, which writes data/asian-lms-2023-results.csv from the exports
themselves; `american_lms_2006_results` rebuilds class positions from the published per-round points (only
class winners are published).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

STATUS = {"classified": "classified", "NC": "not_classified", "DSQ": "dsq"}


def elapsed_seconds(text: str) -> float:
    """Al Kamel elapsed time `4:03'08.373` / `10'36.070` -> seconds (NaN when empty)."""
    match = re.fullmatch(r"(?:(\d+):)?(\d+)'(\d+(?:\.\d+)?)", text.strip())
    if not match:
        return float("nan")
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def asian_lms_2023_results(folder: Path) -> pd.DataFrame:
    """The 2023 Asian LMS results in the results-table format.

    Not-classified cars get the class positions behind the classified ones in overall order; an
    unknown pole (blank) counts as no pole; cars absent from Round 1 are additional entries.
    """
    raw = pd.read_csv(folder / "results.csv", dtype=str, keep_default_na=False)
    races = pd.read_csv(folder / "races.csv", dtype=str, keep_default_na=False).set_index("race")
    frame = pd.DataFrame({
        "race": raw["race"],
        "round": raw["race"].map(races["round"]).astype(int),
        "car": raw["car_number"],
        "team": raw["team"],
        "class": raw["class"],
        "category": "",
        "drivers": raw["drivers"],
        "ratings": "",
        "entry": np.where(raw["present_at_round1"] == "1", "season", "additional"),
        "class_position": pd.to_numeric(raw["position_in_class"], errors="coerce"),
        "status": raw["status"].map(STATUS),
        "laps": raw["laps"].astype(int),
        "time_s": raw["total_time"].map(elapsed_seconds).round(3),
        "pole": raw["pole"].replace("", "0").astype(int),
        "overall_position": raw["overall_position"].astype(int),
        "hours": raw["race"].map(races["duration_hours"]).astype(float),
    })
    # Cars without a class position (not classified) follow the classified ones in overall order.
    frame = frame.sort_values(["race", "class", "class_position", "overall_position"], kind="stable")
    frame["class_position"] = frame.groupby(["race", "class"]).cumcount() + 1
    return frame.sort_values(["round", "race", "overall_position"], kind="stable").reset_index(drop=True)


# The 2006 scales as published (rules.md), kept here independent of configs/series/american-lms.yaml.
ALMS_2006_SCALES = {
    2.75: [20, 16, 13, 10, 8, 6, 4, 3, 2, 1],
    4.0: [23, 19, 16, 13, 11, 9, 7, 6, 5, 4],
    10.0: [26, 22, 19, 16, 14, 12, 10, 9, 8, 7],
    12.0: [26, 22, 19, 16, 14, 12, 10, 9, 8, 7],
}


def _published_positions(table: pd.DataFrame, name_column: str, hours: dict[str, float]) -> pd.DataFrame:
    """Long table (class, name, team, race, points, position) from published per-round cells on the scale."""
    rows = []
    for record in table.to_dict("records"):
        for number in range(1, 11):
            cell = record[f"rd{number}"]
            if cell == "":
                continue
            race = f"R{number}"
            scale = ALMS_2006_SCALES[hours[race]]
            points = int(cell)
            position = scale.index(points) + 1 if points in scale else 0
            rows.append((record["class"], record[name_column], record["team"], race, points, position))
    return pd.DataFrame(rows, columns=["class", "name", "team", "race", "points", "position"])


def american_lms_2006_results(folder: Path) -> pd.DataFrame:
    """Results rebuilt from the published 2006 per-round points (only class winners are published).

    Each published cell on its race's scale gives a class position; drivers at the same position
    share the team's car. A position held by drivers only is a team's second car (the teams' table
    shows only each team's best car): it goes to the team of the drivers' own team name, or to the
    team with a better car that day whose name shares the drivers' team name's first word.
    Cells not on the scale (a source error) give no position. Car numbers are not published either.
    """
    races = pd.read_csv(folder / "races.csv", dtype=str, keep_default_na=False)
    hours = dict(zip(races["race"], races["duration_hours"].astype(float)))
    rounds = dict(zip(races["race"], races["round"].astype(int)))
    teams = _published_positions(pd.read_csv(folder / "standings_teams.csv", dtype=str, keep_default_na=False),
                                 "team", hours)
    drivers = _published_positions(pd.read_csv(folder / "standings_drivers.csv", dtype=str, keep_default_na=False),
                                   "driver", hours)
    cars: dict[tuple[str, str, int], dict] = {}
    for row in teams[teams["position"] > 0].itertuples():
        cars[(row.race, row._1, row.position)] = {"team": row.name, "drivers": []}
    known_teams = set(teams["name"])
    for row in drivers[drivers["position"] > 0].itertuples():
        key = (row.race, row._1, row.position)
        if key not in cars:
            cars[key] = {"team": _team_of_second_car(row, teams, known_teams), "drivers": []}
        cars[key]["drivers"].append(row.name)
    # Car numbers are not published: a car is its team's first or second car of the race (best placed
    # first), so that one number never stands for two teams' cars (the rules engine follows the number).
    records, slots = [], {}
    for (race, car_class, position), car in sorted(cars.items()):
        slot = slots[(race, car_class, car["team"])] = slots.get((race, car_class, car["team"]), 0) + 1
        records.append({
            "race": race, "round": rounds[race], "car": f"{car['team']} car {slot}", "team": car["team"],
            "class": car_class, "drivers": ";".join(car["drivers"]), "class_position": position,
            "status": "classified", "laps": "", "time_s": "", "pole": 0, "hours": hours[race],
        })
    frame = pd.DataFrame(records)
    return frame.sort_values(["round", "class", "class_position"], kind="stable").reset_index(drop=True)


def _team_of_second_car(row, teams: pd.DataFrame, known_teams: set[str]) -> str:
    if row.team in known_teams:
        return row.team
    ahead = teams[(teams["race"] == row.race) & (teams["class"] == row._1)
                  & (teams["position"] > 0) & (teams["position"] < row.position)]
    first_word = row.team.split()[0]
    matches = [name for name in ahead["name"] if name.split()[0] == first_word]
    return matches[0] if matches else row.team
