"""Small builders for rules-engine tests: results rows and rulebooks from plain Python data."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.config.loader import CONFIGS, parse_model, read_yaml
from sim.config.series import SeriesRulebook
from sim.results import validate_results


def race(race_id: str, cars: list[dict[str, Any]], round_: int = 1, **common: Any) -> list[dict[str, Any]]:
    """Rows of one race; cars are in class-position order within each class unless they say otherwise."""
    rows, next_position = [], {}
    for car in cars:
        car_class = car.get("class", "LMP2")
        next_position[car_class] = next_position.get(car_class, 0) + 1
        row = {"race": race_id, "round": round_, "car": car["car"], "team": car.get("team", f"Team {car['car']}"),
               "class": car_class, "category": car.get("category", ""),
               "drivers": car.get("drivers", f"{car['car']} A;{car['car']} B"), "ratings": "",
               "entry": car.get("entry", "season"), "class_position": car.get("class_position", next_position[car_class]),
               "status": car.get("status", "classified"), "laps": car.get("laps", 100), "time_s": car.get("time_s", 14400.0),
               "pole": car.get("pole", 0)}
        row.update(common)
        row.update({k: v for k, v in car.items() if k in ("drive_time_s", "championship", "hours", "green_laps", "season")})
        rows.append(row)
    return rows


def table(*races: list[dict[str, Any]]) -> pd.DataFrame:
    return validate_results(pd.DataFrame([row for rows in races for row in rows]))


def rulebook(name: str = "asian-lms", **changes: Any) -> SeriesRulebook:
    """A shipped rulebook with top-level sections replaced or merged (dicts merge one level deep)."""
    data = read_yaml(CONFIGS / "series" / f"{name}.yaml")
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return parse_model(SeriesRulebook, data, f"{name} (test copy)")


def title(standings: pd.DataFrame, name: str) -> pd.DataFrame:
    return standings[standings["title"] == name].reset_index(drop=True)
