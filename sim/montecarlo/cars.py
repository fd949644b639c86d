"""Per-car answers of a paired study: what a team asks about, whatever title its car is in.

A car is its class and number. In each scenario and season it can win its class title (the class-wide
teams title), its own title (the teams title of its sub-category, or the class title when it has
none: a car moved from Pro-Am to Gold Cup is compared across the two cups) and get a Le Mans
invitation from any rule. The per-season values of A and B are differenced like every paired metric.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from sim.montecarlo.kernel import ChunkTables, StudyLayout
from sim.stats import paired_se

CAR_METRICS = ("class_title", "own_title", "invitation")
CAR_LABELS = {"class_title": "p_class_title", "own_title": "p_own_title", "invitation": "p_invitation"}


@dataclass(frozen=True)
class CarInfo:
    """A car's team and sub-categories in one scenario (categories joined by '/': a mid-season move)."""

    team: str
    category: str


def layout_cars(layout: StudyLayout) -> dict[tuple[str, str], CarInfo]:
    """(class, car) -> team and sub-category, from the teams titles of a layout, in layout order."""
    teams: dict[tuple[str, str], str] = {}
    categories: dict[tuple[str, str], list[str]] = {}
    for title in layout.titles:
        if title.kind != "teams":
            continue
        for competitor in title.competitors:
            for car in competitor.car.split(";"):
                key = (title.class_name, car)
                teams.setdefault(key, competitor.team)
                found = categories.setdefault(key, [])
                if title.category and title.category not in found:
                    found.append(title.category)
    return {key: CarInfo(teams[key], "/".join(categories[key])) for key in teams}


@dataclass(frozen=True)
class CarMatching:
    """Cars present in both scenarios, in A's layout order, with each side's team and sub-category."""

    cars: tuple[tuple[str, str], ...]
    info_a: tuple[CarInfo, ...]
    info_b: tuple[CarInfo, ...]

    @classmethod
    def of(cls, layout_a: StudyLayout, layout_b: StudyLayout) -> CarMatching:
        cars_a, cars_b = layout_cars(layout_a), layout_cars(layout_b)
        both = tuple(key for key in cars_a if key in cars_b)
        return cls(both, tuple(cars_a[k] for k in both), tuple(cars_b[k] for k in both))

    @property
    def size(self) -> int:
        return len(self.cars)

    @property
    def index(self) -> dict[tuple[str, str], int]:
        return {key: i for i, key in enumerate(self.cars)}


def car_season_values(tables: ChunkTables, cars: dict[tuple[str, str], int], seasons: range) -> np.ndarray:
    """(seasons, cars, CAR_METRICS) 0/1 values of one scenario's chunk."""
    values = np.zeros((len(seasons), len(cars), len(CAR_METRICS)), dtype=np.int64)
    standings = tables.standings
    if len(standings) == 0 or not cars:
        return values
    teams = standings[standings["kind"] == "teams"]
    rows = teams.assign(car=teams["car"].astype(str).str.split(";")).explode("car")
    car_index = np.array([cars.get((str(c), str(n)), -1) for c, n in zip(rows["class"], rows["car"])],
                         dtype=np.int64)
    keep = car_index >= 0
    season = rows["season"].to_numpy(dtype=np.int64)[keep] - seasons.start
    car_index = car_index[keep]
    winner = (pd.to_numeric(rows["position"], errors="coerce").to_numpy() == 1)[keep]
    in_category = (rows["category"].fillna("").astype(str).to_numpy() != "")[keep]
    class_title = np.zeros(values.shape[:2], dtype=bool)
    category_title = np.zeros(values.shape[:2], dtype=bool)
    has_category = np.zeros(values.shape[:2], dtype=bool)
    class_title[season[winner & ~in_category], car_index[winner & ~in_category]] = True
    category_title[season[winner & in_category], car_index[winner & in_category]] = True
    has_category[season[in_category], car_index[in_category]] = True
    values[:, :, 0] = class_title
    values[:, :, 1] = np.where(has_category, category_title, class_title)
    awards = tables.awards
    if awards is not None and len(awards):
        award_car = np.array([cars.get((str(c), str(n)), -1) for c, n in zip(awards["class"], awards["car"])],
                             dtype=np.int64)
        award_season = pd.to_numeric(awards["season"]).to_numpy(dtype=np.int64) - seasons.start
        hit = award_car >= 0
        values[award_season[hit], award_car[hit], 2] = 1
    return values


PAIRED_CAR_COLUMNS = ["class", "car", "team_a", "team_b", "category_a", "category_b", "runs"] + [
    f"{stat}_{CAR_LABELS[metric]}" for metric in CAR_METRICS for stat in ("a", "b", "delta", "se_delta")] + [
    "max_abs_z"]


def _text(value: float) -> str:
    if math.isinf(value):
        return "inf"
    return "" if math.isnan(value) else f"{value:.6f}"


class CarSums(Protocol):
    """The per-car sums of a paired study (`sim.montecarlo.paired.PairedAggregate`)."""

    car_sum_a: np.ndarray
    car_sum_b: np.ndarray
    car_diff_sum: np.ndarray
    car_diff_sumsq: np.ndarray

    @property
    def runs(self) -> int: ...


def paired_cars_frame(paired: CarSums, layout_a: StudyLayout, layout_b: StudyLayout) -> pd.DataFrame:
    """Per car in both scenarios: A, B, delta = A - B and its paired standard error for each car metric,
    and the largest |delta| / se: rows sorted by it (the changes that matter first), then layout order."""
    matching = CarMatching.of(layout_a, layout_b)
    n = paired.runs
    errors = paired_se(paired.car_diff_sum, paired.car_diff_sumsq, n)
    rows, keys = [], []
    for i, (class_name, car) in enumerate(matching.cars):
        row = {"class": class_name, "car": car, "team_a": matching.info_a[i].team, "team_b": matching.info_b[i].team,
               "category_a": matching.info_a[i].category, "category_b": matching.info_b[i].category, "runs": str(n)}
        z_values = []
        for m, metric in enumerate(CAR_METRICS):
            delta = int(paired.car_diff_sum[i, m]) / n if n else float("nan")
            se = float(errors[i, m])
            label = CAR_LABELS[metric]
            row[f"a_{label}"] = _text(int(paired.car_sum_a[i, m]) / n if n else float("nan"))
            row[f"b_{label}"] = _text(int(paired.car_sum_b[i, m]) / n if n else float("nan"))
            row[f"delta_{label}"], row[f"se_delta_{label}"] = _text(delta), _text(se)
            z_values.append(abs(delta) / se if se > 0 else (math.inf if delta else 0.0))
        z = max(z_values)
        row["max_abs_z"] = _text(z)
        rows.append(row)
        keys.append((-z, i))
    order = [i for _, i in sorted(keys)]
    return pd.DataFrame([rows[i] for i in order], columns=PAIRED_CAR_COLUMNS, dtype=str)
