"""Scenarios (`scenarios/*.yaml`) and their calendars: a runnable study.

A scenario names a series rulebook, an entry list and a calendar (rounds with venue, date,
races and their length). Races are numbered R1, R2, ... in calendar order. Optional typed blocks
add the scenario features of docs/scenarios.md: results so far, forced outcomes, entry and BoP
changes per round, a participation model, further championships on the same weekends, and a
merged series. They are checked here for shape and in `sim.season_plan` against the configs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from sim.config.entries import Driver, Entry
from sim.config.loader import StrictModel, load_model
from sim.config.series import Title
from sim.config.venues import REGIONS

Probability = Annotated[float, Field(ge=0, le=1)]
RoundNumber = Annotated[int, Field(ge=1)]
RACE_ID_PATTERN = r"^R[1-9][0-9]*$"


class RaceSpec(StrictModel):
    hours: Annotated[float, Field(gt=0, le=30)] = 4.0
    start_local: str = Field("15:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
                             description="Local start time, HH:MM (00:00-23:59).")
    laps: Annotated[int, Field(gt=0)] | None = Field(None, description="Race over a distance instead of a time.")
    distance_km: Annotated[float, Field(gt=0)] | None = Field(
        None, description="A distance limit beside `hours`, whichever comes first: the race ends when the overall "
                          "leader completes this distance (the first lap at or beyond it), as it does when time "
                          "expires (Petit Le Mans to 2013: '10 hours or 1,000 miles', 1609.344 km).")
    championship: str = Field("", description="Championship of this race (a rulebook name of `championships`); "
                                              "empty: the scenario's own series.")


class Round(StrictModel):
    venue: str = Field(description="Key in configs/venues.yaml.")
    date: dt.date = Field(description="Date of the first race of the round.")
    races: list[RaceSpec] = Field(default_factory=lambda: [RaceSpec()], min_length=1)
    name: str = ""


class Calendar(StrictModel):
    season: str = ""
    rounds: list[Round] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Calendar:
        """Rounds in date order, none starting before the previous one's last race day (a round's races
        run on consecutive days from its date)."""
        for index in range(1, len(self.rounds)):
            previous, current = self.rounds[index - 1], self.rounds[index]
            if current.date < previous.date:
                raise ValueError(
                    f"rounds[{index}].date {current.date} is before rounds[{index - 1}].date "
                    f"{previous.date}: rounds must be in date order")
            last_day = previous.date + dt.timedelta(days=len(previous.races) - 1)
            if current.date <= last_day:
                raise ValueError(
                    f"rounds[{index}].date {current.date}: the round starts before rounds[{index - 1}] ends "
                    f"(its last race is on {last_day})")
        return self

    def race_ids(self) -> list[str]:
        count = sum(len(r.races) for r in self.rounds)
        return [f"R{i}" for i in range(1, count + 1)]


# `entries: results_so_far`: the entry list is every car of the results so far (sim.ingest.entry_list).
ENTRIES_FROM_RESULTS = "results_so_far"


class ResultsSoFar(StrictModel):
    """A results table (interfaces s.1, CSV or Parquet) of the races already run: R1..Rk, kept as they are."""

    file: str = Field(description="Path, relative to the scenario file's folder or to the project root.")
    through: str | None = Field(None, pattern=RACE_ID_PATTERN,
                                description="Keep the table's races up to this one (e.g. R2); default: all.")
    car_models: dict[str, str] = Field(
        default_factory=dict, description="With `entries: results_so_far`: class -> car model for the cars "
                                          "whose rows have no `car_model` (a hand-written table).")


class StrengthSource(StrictModel):
    """An earlier season's results table whose pace observations also inform each car's strength."""

    file: str = Field(description="Path, relative to the scenario file's folder or to the project root.")
    weight: Annotated[float, Field(gt=0, le=1)] = Field(
        0.5, description="How much one of its races counts against one of this season's (1 = as much).")


class StrengthOptions(StrictModel):
    """Each car's season-long strength (docs/strength.md): drawn in every season from the posterior
    learned from results, or from the prior (the class's season_spread_pct) without any."""

    from_results_so_far: bool = Field(True, description="Learn from `results_so_far` (on by default).")
    from_results: list[StrengthSource] = Field(
        default_factory=list, description="Earlier seasons' results tables (a car is its number in its class).")
    model: str | None = Field(None, description="Estimator parameters (default configs/strength.yaml).")

    @model_validator(mode="before")
    @classmethod
    def _files_as_text(cls, data: Any) -> Any:
        """`from_results: [a.csv, b.csv]` is accepted for `[{file: a.csv}, {file: b.csv}]`."""
        if isinstance(data, dict) and isinstance(data.get("from_results"), list):
            data = {**data, "from_results": [{"file": item} if isinstance(item, str) else item
                                             for item in data["from_results"]]}
        return data


class ForcedOutcome(StrictModel):
    """One imposed result of a simulated race, applied in every season after the race is run."""

    race: str = Field(pattern=RACE_ID_PATTERN, description="Race id, e.g. R3.")
    car: str = Field(min_length=1)
    outcome: Literal["win", "class_position", "category_position", "retire"] = Field(
        description="win: 1st in class; class_position / category_position: finishes `position`-th; "
                    "retire: out of the race (dnf) at `at_hours` or `at_fraction` of the race.")
    position: Annotated[int, Field(ge=1)] | None = None
    at_hours: Annotated[float, Field(ge=0)] | None = None
    at_fraction: Probability | None = None

    @model_validator(mode="after")
    def _fields_fit_outcome(self) -> ForcedOutcome:
        positional = self.outcome in ("class_position", "category_position")
        if positional and self.position is None:
            raise ValueError(f"outcome '{self.outcome}' needs `position`")
        if not positional and self.position is not None:
            raise ValueError(f"`position` is only for class_position / category_position, not '{self.outcome}'")
        if self.outcome != "retire" and (self.at_hours is not None or self.at_fraction is not None):
            raise ValueError("`at_hours` / `at_fraction` are only for outcome 'retire'")
        if self.at_hours is not None and self.at_fraction is not None:
            raise ValueError("give `at_hours` or `at_fraction`, not both")
        return self


class EntryUpdate(StrictModel):
    """A car that stays but changes: sub-category (Pro-Am -> Gold Cup), crew, class or car model."""

    car: str = Field(min_length=1)
    car_class: str | None = Field(None, alias="class", min_length=1)
    category: str | None = Field(None, description="New sub-category ('' for none).")
    team: str | None = Field(None, min_length=1)
    car_model: str | None = Field(None, min_length=1)
    drivers: list[Driver] | None = Field(None, min_length=1, max_length=4)

    model_config = StrictModel.model_config | {"populate_by_name": True}


class EntryChange(StrictModel):
    """Entry-list changes that apply from round `from_round` to the end of the season."""

    from_round: RoundNumber
    championship: str = Field("", description="Championship of the added cars (rulebook name); empty: the "
                                              "scenario's own series. Withdrawn/updated cars are found by number.")
    withdraw: list[str] = Field(default_factory=list, description="Cars that leave the series from this round.")
    add: list[Entry] = Field(default_factory=list, description="New entries (full definition) from this round.")
    update: list[EntryUpdate] = Field(default_factory=list, description="Cars that change from this round.")


class BopChange(StrictModel):
    """Balance-of-performance lap-time offsets (% of the class reference, + slower) from a round on."""

    from_round: RoundNumber
    car_models: dict[str, float] = Field(min_length=1, description="Car model (or alias) -> bop_pace_pct.")


RegionProbabilities = dict[str, Probability]


class Participation(StrictModel):
    """Chance that an entry enters a round, from its home region and the round's venue region.

    Drawn once per season and round (both races of a double-header) from the season stream
    `sim.seeds.season_rng(seed, season, 0)`, never from the race streams.
    """

    enabled: bool = True
    by_region: dict[str, RegionProbabilities] = Field(
        default_factory=dict, description="home region -> venue region -> probability.")
    default: Probability = Field(1.0, description="Probability for region pairs not listed.")
    entries: dict[str, RegionProbabilities | Probability] = Field(
        default_factory=dict, description="Per car: one probability for every round, or per venue region.")

    @model_validator(mode="after")
    def _known_regions(self) -> Participation:
        for home, table in self.by_region.items():
            for region in (home, *table):
                if region not in REGIONS:
                    raise ValueError(f"unknown region '{region}' (regions: {', '.join(REGIONS)})")
        for car, value in self.entries.items():
            if isinstance(value, dict):
                for region in value:
                    if region not in REGIONS:
                        raise ValueError(f"entries.{car}: unknown region '{region}'")
        return self


class Championship(StrictModel):
    """A further championship racing on the scenario's weekends, with its own rulebook and entries."""

    series: str = Field(description="Rulebook name or path; its `name` is the championship id.")
    entries: str = Field(description="Entry list name or path.")
    title_prefix: str | None = Field(None, description="Prefix of its standings titles; default '<name> '.")


class MergedClass(StrictModel):
    """How the race model runs a merged class: which class behaviour and which venue pace it borrows."""

    model: str = Field(description="Race-model class whose behaviour the class uses (LMP2, LMP3, GT).")
    pace: str = Field(description="Key of venues.yaml reference_lap_s giving the class's lap time.")
    season_spread_pct: Annotated[float, Field(ge=0)] | None = Field(
        None, description="The class's own season-long car spread (default: the borrowed class's).")
    race_spread_pct: Annotated[float, Field(ge=0)] | None = Field(
        None, description="The class's own race-day car form (default: the borrowed class's).")
    fuel_per_km_l: Annotated[float, Field(gt=0)] | None = Field(
        None, description="The class's own green-flag consumption, l/km (default: the borrowed class's): with the "
                          "borrowed tank it sets how far a car runs between fuel stops.")


class MergedCarModel(StrictModel):
    car_class: str = Field(alias="class", min_length=1, description="Merged class of the car model.")
    bop_pace_pct: float = Field(0.0, description="Lap-time offset after BoP, % of the class reference (+ slower).")
    fuel_factor: Annotated[float, Field(gt=0)] = 1.0
    fuel_capacity_l: Annotated[float, Field(gt=0)] | None = Field(None, description="Tank size when it differs.")
    reliability: Annotated[float, Field(gt=0)] = 1.0
    fuel: str = Field("e10", min_length=1, description="Key of the race model's `fuels` table.")

    model_config = StrictModel.model_config | {"populate_by_name": True}


class Merge(StrictModel):
    """Two (or more) series' entry lists mapped into one class structure (as ALMS + Grand-Am in 2014)."""

    entries: list[str] = Field(default_factory=list, description="Entry lists merged into the scenario's `entries`.")
    class_map: dict[str, dict[str, str]] = Field(
        description="Per entry list (as written in the scenario): source class -> merged class.")
    classes: dict[str, MergedClass] = Field(min_length=1, description="Merged class -> race-model class + pace key.")
    car_models: dict[str, MergedCarModel] = Field(default_factory=dict,
                                                  description="Car models the race model lacks, with their BoP.")


class Scenario(StrictModel):
    name: str
    description: str = ""
    series: str = Field(description="Rulebook name under configs/series/ or a path to one.")
    entries: str = Field(description="Entry list name under configs/entries/ or a path to one; or "
                                     f"`{ENTRIES_FROM_RESULTS}`: every car of the results so far, with its latest "
                                     "team, crew and car model (ratings the table lacks are assumed).")
    calendar: Calendar
    results_so_far: ResultsSoFar | None = None
    forced_outcomes: list[ForcedOutcome] = Field(default_factory=list)
    entry_changes: list[EntryChange] = Field(default_factory=list)
    bop_changes: list[BopChange] = Field(default_factory=list)
    participation: Participation | None = None
    championships: list[Championship] = Field(default_factory=list,
                                              description="Further championships sharing the weekends.")
    joint_titles: list[Title] = Field(
        default_factory=list, description="Titles added to the scenario's rulebook, typically joint "
                                          "classifications across `championships` (Title.championships).")
    merge: Merge | None = None
    strength: StrengthOptions = Field(default_factory=StrengthOptions)
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _participation_in_options(cls, data: Any) -> Any:
        """`options.participation` is accepted as an alias of the top-level `participation` block."""
        if isinstance(data, dict) and isinstance(data.get("options"), dict) and "participation" in data["options"]:
            if "participation" in data:
                raise ValueError("participation is given twice (top level and options.participation)")
            options = dict(data["options"])
            data = {**data, "participation": options.pop("participation"), "options": options}
        return data

    @model_validator(mode="after")
    def _rounds_in_calendar(self) -> Scenario:
        rounds = len(self.calendar.rounds)
        races = len(self.calendar.race_ids())
        for what, from_rounds in (("entry_changes", [change.from_round for change in self.entry_changes]),
                                  ("bop_changes", [change.from_round for change in self.bop_changes])):
            for index, from_round in enumerate(from_rounds):
                if from_round > rounds:
                    raise ValueError(f"{what}[{index}].from_round {from_round} is past the last round "
                                     f"({rounds})")
        for index, forced in enumerate(self.forced_outcomes):
            if int(forced.race[1:]) > races:
                raise ValueError(f"forced_outcomes[{index}].race: unknown race '{forced.race}' "
                                 f"(this calendar has R1..R{races})")
        if self.entries == ENTRIES_FROM_RESULTS and self.results_so_far is None:
            raise ValueError(f"entries: '{ENTRIES_FROM_RESULTS}' takes the entry list from the results so far, but "
                             "there is no results_so_far block")
        if self.results_so_far and self.results_so_far.car_models and self.entries != ENTRIES_FROM_RESULTS:
            raise ValueError(f"results_so_far.car_models is only for `entries: {ENTRIES_FROM_RESULTS}`")
        if self.merge is not None and ENTRIES_FROM_RESULTS in self.merge.entries:
            raise ValueError(f"merge.entries: '{ENTRIES_FROM_RESULTS}' is only for the scenario's own `entries`")
        for index, extra in enumerate(self.championships):
            if extra.entries == ENTRIES_FROM_RESULTS:
                raise ValueError(f"championships[{index}].entries: '{ENTRIES_FROM_RESULTS}' is only for the "
                                 "scenario's own `entries`")
        if self.results_so_far and self.results_so_far.through and int(self.results_so_far.through[1:]) > races:
            raise ValueError(f"results_so_far.through: unknown race '{self.results_so_far.through}' "
                             f"(this calendar has R1..R{races})")
        return self


def load_scenario(path: str | Path) -> Scenario:
    """A scenario file; the relative file paths it names are read beside it when they are there."""
    return with_paths_beside(load_model(Scenario, path), Path(path).parent)


def _beside(value: str, folder: Path) -> str:
    """`value` as a path beside the scenario when it names a relative file that exists there; else as
    written (a name under configs/, or a path from the working directory)."""
    candidate = Path(value)
    if candidate.is_absolute() or not (candidate.suffix in (".yaml", ".yml") or len(candidate.parts) > 1):
        return value
    beside = folder / candidate
    return str(beside) if beside.is_file() else value


def with_paths_beside(scenario: Scenario, folder: Path) -> Scenario:
    """The scenario with its file references (series, entries, championships, merged entry lists and
    their class maps, options.race_model / venues) resolved beside the scenario file, so that a study
    folder (scenario + its entry list) runs from any working directory."""
    update: dict[str, Any] = {"series": _beside(scenario.series, folder),
                              "entries": _beside(scenario.entries, folder)}
    if scenario.championships:
        update["championships"] = [extra.model_copy(update={"series": _beside(extra.series, folder),
                                                            "entries": _beside(extra.entries, folder)})
                                   for extra in scenario.championships]
    if scenario.merge is not None:
        renamed = {name: _beside(name, folder) for name in [scenario.entries, *scenario.merge.entries]}
        update["merge"] = scenario.merge.model_copy(update={
            "entries": [renamed[name] for name in scenario.merge.entries],
            "class_map": {renamed.get(name, name): mapping for name, mapping in scenario.merge.class_map.items()}})
    options = {key: _beside(value, folder) if key in ("race_model", "venues") and isinstance(value, str) else value
               for key, value in scenario.options.items()}
    if options != scenario.options:
        update["options"] = options
    return scenario.model_copy(update=update)
