"""A results table -> an entry list (`configs/entries/<name>.yaml` format), for a "from here" scenario.

Every car of the table is one entry (its number within its class): its latest team name, sub-category,
crew (up to four drivers) and car model (`car_model` column, from the exports' VEHICLE), and `entry:
additional` when its rows say so. FIA ratings come from the table (the qualifying or IMSA exports), a
driver's rating from any row of the season when the car's latest row has none; the others are assumed (a
Bronze, then Silvers, or the first crew the rulebook's crew rules accept) and marked as such in the file.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from sim.config.entries import Driver, Entry, EntryList
from sim.config.race_model import RaceModel
from sim.config.series import SeriesRulebook
from sim.ingest.crews import name_key
from sim.rules.points import race_order

RATING_ORDER = ("Bronze", "Silver", "Gold", "Platinum")
MAX_DRIVERS = 4   # an entry list's crew (sim.config.entries.Entry)
UNKNOWN_MODEL = "unknown car model"


@dataclass(frozen=True)
class DraftEntry:
    """One entry and what about it is not from the results."""

    entry: Entry
    assumed: tuple[bool, ...]         # per driver: rating assumed
    earlier_teams: tuple[str, ...]    # the car's other team names this season
    unknown_model: bool               # car model not in the race model (or not in the results)
    left_out: tuple[str, ...]         # drivers of the latest crew beyond MAX_DRIVERS


@dataclass(frozen=True)
class DraftEntryList:
    name: str
    source: str
    entries: tuple[DraftEntry, ...]

    @property
    def entry_list(self) -> EntryList:
        return EntryList(name=self.name, source=self.source, entries=[d.entry for d in self.entries])

    @property
    def assumed_ratings(self) -> int:
        return sum(sum(d.assumed) for d in self.entries)


def entry_list_from_results(results: pd.DataFrame, rulebook: SeriesRulebook | None = None,
                            race_model: RaceModel | None = None, car_models: Mapping[str, str] | None = None,
                            name: str = "", source: str = "") -> DraftEntryList:
    """The entry list of a (validated) results table; see the module docstring.

    `rulebook`: assumed ratings meet its crew rules. `race_model`: car models it does not know are marked.
    `car_models`: class -> car model for cars whose rows have none.
    """
    order = {race: index for index, race in enumerate(race_order(results))}
    rows = results.assign(_order=results["race"].map(order)).sort_values("_order", kind="stable")
    known = _season_ratings(rows)
    # A number used in two classes (a car that changed class) is entered once, in its latest class.
    latest = rows.drop_duplicates(["class", "car"], keep="last").drop_duplicates("car", keep="last")
    first_seen = {car: index for index, car in enumerate(rows["car"].drop_duplicates())}
    latest = latest.assign(_first=latest["car"].map(first_seen)).sort_values("_first", kind="stable")
    drafts = [_draft(row, rows[(rows["class"] == row["class"]) & (rows["car"] == row["car"])], known, rulebook,
                     race_model, car_models or {})
              for row in latest.to_dict("records")]
    return DraftEntryList(name=name, source=source, entries=tuple(drafts))


def _season_ratings(rows: pd.DataFrame) -> dict[str, str]:
    """Driver name key -> FIA rating, from every row whose ratings are given (the latest row wins)."""
    known: dict[str, str] = {}
    for drivers, ratings in zip(rows["drivers"], rows["ratings"]):
        if ratings:
            for driver, rating in zip(drivers.split(";"), ratings.split(";")):
                known[name_key(driver)] = rating.strip()
    return known


def _draft(row: dict, car_rows: pd.DataFrame, known: dict[str, str], rulebook: SeriesRulebook | None,
           race_model: RaceModel | None, car_models: Mapping[str, str]) -> DraftEntry:
    names = [name.strip() for name in row["drivers"].split(";") if name.strip()]
    left_out = tuple(names[MAX_DRIVERS:])
    names = names[:MAX_DRIVERS] or [f"Driver of car {row['car']}"]
    own = [r.strip() for r in row["ratings"].split(";")] if row["ratings"] else []
    ratings = [own[i] if i < len(own) else known.get(name_key(name), "") for i, name in enumerate(names)]
    assumed = tuple(not rating for rating in ratings)
    ratings = assume_ratings(ratings, row["class"], row["category"], rulebook)
    model = _car_model(car_rows, row["class"], car_models)
    unknown_model = model is None or (race_model is not None and race_model.car_model_key(model) is None)
    teams = list(dict.fromkeys(team for team in car_rows["team"] if team))
    team = row["team"] or (teams[-1] if teams else f"car {row['car']}")
    entry = Entry.model_validate({
        "car": row["car"], "team": team, "class": row["class"], "category": row["category"],
        "car_model": model or UNKNOWN_MODEL, "entry": row["entry"],
        "drivers": [Driver(name=name, rating=rating) for name, rating in zip(names, ratings)]})
    return DraftEntry(entry, assumed, tuple(t for t in teams if t != team), unknown_model, left_out)


def _car_model(car_rows: pd.DataFrame, car_class: str, defaults: Mapping[str, str]) -> str | None:
    """The car's latest car model in the results, else the class default given."""
    if "car_model" in car_rows.columns:
        models = [model for model in car_rows["car_model"] if model]
        if models:
            return models[-1]
    return defaults.get(car_class)


def assume_ratings(ratings: list[str], car_class: str, category: str, rulebook: SeriesRulebook | None) -> list[str]:
    """The crew's ratings with the unknown ('') filled: a Bronze (when the known ones have none), then
    Silvers; when the rulebook refuses that crew, the first combination (Bronze, Silver, Gold, Platinum
    order) its crew rules accept; the plain guess when none does."""
    unknown = [i for i, rating in enumerate(ratings) if not rating]
    if not unknown:
        return list(ratings)
    guess = list(ratings)
    for position, index in enumerate(unknown):
        guess[index] = "Bronze" if position == 0 and "Bronze" not in ratings else "Silver"
    if rulebook is None or not rulebook.crew_problems(car_class, guess, category):
        return guess
    for combination in itertools.product(RATING_ORDER, repeat=len(unknown)):
        crew = list(ratings)
        for index, rating in zip(unknown, combination):
            crew[index] = rating
        if not rulebook.crew_problems(car_class, crew, category):
            return crew
    return guess


def entry_list_yaml(draft: DraftEntryList, header: str = "") -> str:
    """The entry list as YAML in the style of configs/entries/, what is assumed marked in comments."""
    text = json.dumps   # a JSON string is a valid YAML double-quoted scalar
    lines = [f"# {line}".rstrip() for line in header.splitlines()] if header else []
    assumed = draft.assumed_ratings
    lines += [
        "# CONFIRMED (the results): car numbers, classes, teams (the latest name of each car), crews (the latest",
        "#   race's, at most four drivers) and car models (the exports' VEHICLE); `entry: additional` for cars",
        "#   that missed the first round.",
        f"# FIA ratings: from the exports where given; {assumed} marked `# ASSUMED rating` are not in them."
        if assumed else "# FIA ratings: every one from the exports.",
        "# ASSUMED: home_region (Europe, the default), pace_offset_s 0, reliability 1.",
        f"name: {text(draft.name)}",
        f"source: {text(draft.source)}",
        "entries:",
    ]
    for item in draft.entries:
        entry = item.entry
        lines.append(f"  - car: {text(entry.car)}")
        lines.append(f"    team: {text(entry.team)}" + (
            f"   # earlier this season: {', '.join(item.earlier_teams)}" if item.earlier_teams else ""))
        lines.append(f"    class: {text(entry.car_class)}")
        if entry.category:
            lines.append(f"    category: {text(entry.category)}")
        lines.append(f"    car_model: {text(entry.car_model)}" + (
            "   # NOT A CAR MODEL OF configs/race-model.yaml: set one (or add it there)" if item.unknown_model else ""))
        if entry.entry != "season":
            lines.append(f"    entry: {entry.entry}")
        lines.append("    drivers:" + (f"   # also raced: {', '.join(item.left_out)}" if item.left_out else ""))
        for driver, guessed in zip(entry.drivers, item.assumed):
            lines.append(f"      - {{name: {text(driver.name)}, rating: {driver.rating}}}"
                         + ("   # ASSUMED rating" if guessed else ""))
    return "\n".join(lines) + "\n"
