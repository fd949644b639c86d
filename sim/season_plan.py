"""What varies between the seasons of one scenario, compiled once: results so far, forced outcomes,
the participation model, per-race field variants and the championships a race belongs to.

`SeasonPlan` is built by `sim.scenario.compile_scenario` and used by `sim.season`: per season it
draws who enters each round (season stream, never a race stream), runs the races not yet run,
imposes the forced outcomes on the race outcome arrays (`sim.forced_outcomes`), and puts the results so
far in front.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from sim.config.loader import ROOT
from sim.config.scenario import ForcedOutcome, Participation, ResultsSoFar
from sim.config.series import SeriesRulebook
from sim.errors import InputError
from sim.race.field import RaceInput
from sim.results import read_results
from sim.rules.points import check_results
from sim.seeds import season_rng
from sim.strength.learn import scenario_strength
from sim.strength.prior import ScenarioInput
from sim.strength.season import SeasonStrength

PARTICIPATION_STREAM = 0
VARIANT_CACHE_SIZE = 512   # field variants kept per process: bounded memory, most repeats still hit


class SeasonRace(RaceInput, Protocol):
    """A race of the calendar as the season plan reads it (`sim.scenario.CompiledRace`)."""

    @property
    def index(self) -> int: ...
    def without(self, absent: tuple[int, ...]) -> SeasonRace: ...


@dataclasses.dataclass(frozen=True)
class ChampionshipInfo:
    """One championship of a scenario: its id (rulebook name), rulebook and standings-title prefix."""

    name: str
    rulebook: object = dataclasses.field(repr=False)   # SeriesRulebook
    title_prefix: str       # "" for the scenario's own series


@dataclasses.dataclass
class SeasonPlan:
    """Season-level features of a compiled scenario (see the module docstring)."""

    fixed: pd.DataFrame | None = None                   # results so far (rows of the fixed races)
    fixed_races: frozenset[str] = frozenset()
    forced: Mapping[int, tuple[ForcedOutcome, ...]] = dataclasses.field(default_factory=dict)
    participation_cars: tuple[str, ...] = ()             # rows of `participation_p`
    participation_p: np.ndarray | None = None            # (cars, rounds) probability of entering
    championships: tuple[ChampionshipInfo, ...] = ()     # more than one: results get a `championship` column
    race_championship: Mapping[str, str] = dataclasses.field(default_factory=dict)   # race id -> championship
    strength: SeasonStrength | None = None               # each car's season-long effect (prior or posterior)
    strength_estimate: pd.DataFrame | None = None        # the posterior behind it (sim.strength.estimate), if any
    _variants: OrderedDict = dataclasses.field(default_factory=OrderedDict, repr=False, compare=False)
    _entry_rows: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)
    _twins: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)
    _field_owners: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self):
        state = self.__dict__.copy()
        for cache in ("_variants", "_entry_rows", "_twins", "_field_owners"):   # workers rebuild their own caches
            state[cache] = type(state[cache])()
        return state

    @property
    def multi_championship(self) -> bool:
        return len(self.championships) > 1

    def draw_presence(self, seed: int, season: int) -> np.ndarray | None:
        """(cars, rounds) booleans: which car enters which round in this season; None = everybody."""
        if self.participation_p is None:
            return None
        rng = season_rng(seed, season, PARTICIPATION_STREAM)
        return rng.random(self.participation_p.shape) < self.participation_p

    def draw_strength(self, seed: int, season: int) -> np.ndarray | None:
        """Each car's season-long pace effect this season (% of its class reference); None = none drawn."""
        if self.strength is None or not self.strength.active:
            return None
        return self.strength.draw(seed, season)

    def season_pace(self, run: RaceInput, drawn: np.ndarray | None) -> np.ndarray | None:
        """The drawn effects of the cars of race `run` (a race or its participation variant), s per lap."""
        return None if drawn is None else self.strength.pace_s(run.field, drawn)

    def race_variant(self, race: SeasonRace, presence: np.ndarray | None) -> SeasonRace:
        """The race with the cars that skip its round removed (cached per distinct field).

        The races of a double-header share their field variants: both have the same field, so the
        second race takes the first one's derived field instead of deriving it again.
        """
        if presence is None:
            return race
        rows = self._entry_rows.get(race.index)
        if rows is None:
            index = {car: i for i, car in enumerate(self.participation_cars)}
            rows = self._entry_rows[race.index] = np.array([index[entry.car] for entry in race.entries], dtype=np.int64)
        absent = tuple(np.flatnonzero(~presence[rows, race.round - 1]).tolist())
        if not absent:
            return race
        key = (race.index, absent)
        variant = self._variants.get(key)
        if variant is None:
            twin = self._twin(race)
            shared = self._variants.get((twin.index, absent)) if twin is not None else None
            variant = race.without(absent) if shared is None else _with_field_of(race, shared)
            self._variants[key] = variant
            if len(self._variants) > VARIANT_CACHE_SIZE:
                self._variants.popitem(last=False)
        else:
            self._variants.move_to_end(key)
        return variant

    def _twin(self, race):
        """The first race seen (in this process) with the same field as this one, or None."""
        if race.index not in self._twins:
            twin = next((owner for owner in self._field_owners.values() if _same_field(owner, race)), None)
            self._twins[race.index] = twin
            if twin is None:
                self._field_owners[race.index] = race
        return self._twins[race.index]

    def fixed_rows(self, season_indices: Sequence[int] | None) -> pd.DataFrame | None:
        """The results so far, once per season (with a `season` column when seasons are given)."""
        if self.fixed is None or self.fixed.empty:
            return None
        if season_indices is None:
            return self.fixed.copy()
        seasons = np.asarray(list(season_indices), dtype=np.int64)
        frame = self.fixed.loc[np.tile(np.arange(len(self.fixed)), len(seasons))].reset_index(drop=True)
        frame.insert(0, "season", np.repeat(seasons, len(self.fixed)))
        return frame


def _same_field(a, b) -> bool:
    """Whether two races have the same inputs of `sim.race.field.build_field` and the same field: their
    variants without the same cars then have equal fields too (the second double-header race)."""
    if not (a.venue == b.venue and a.hours == b.hours and a.entries == b.entries and a.model == b.model
            and a.sporting == b.sporting and dict(a.bop) == dict(b.bop)):
        return False
    fa, fb = a.field, b.field
    for item in dataclasses.fields(fa):
        x, y = getattr(fa, item.name), getattr(fb, item.name)
        same = np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y
        if not same:
            return False
    return True


def _with_field_of(race, variant):
    """`race` with the entries and the (already derived) field of its twin race's variant."""
    own = dataclasses.replace(race, entries=variant.entries)
    own.__dict__["field"] = variant.field   # seed the cached_property, as CompiledRace.without does
    return own


def participation_matrix(participation: Participation, races: Sequence[SeasonRace], entries_home: Mapping[str, str], round_regions: Sequence[str],
                         forced: Sequence[ForcedOutcome]) -> tuple[tuple[str, ...], np.ndarray]:
    """Probability that each car enters each round; forced outcomes make their car enter that round."""
    cars = tuple(entries_home)
    p = np.ones((len(cars), len(round_regions)))
    for i, car in enumerate(cars):
        own = participation.entries.get(car)
        home = entries_home[car]
        for r, region in enumerate(round_regions):
            if isinstance(own, (int, float)):
                p[i, r] = float(own)
                continue
            if isinstance(own, dict) and region in own:
                p[i, r] = own[region]
                continue
            p[i, r] = participation.by_region.get(home, {}).get(region, participation.default)
    round_of = {race.race_id: race.round for race in races}
    row = {car: i for i, car in enumerate(cars)}
    for outcome in forced:
        p[row[outcome.car], round_of[outcome.race] - 1] = 1.0
    return cars, p


# ------------------------------------------------------------------ building the plan (compile time)
def build_plan(compiled: ScenarioInput, rulebooks: Mapping[str, SeriesRulebook], source: str | Path) -> SeasonPlan:
    """Check and compile the season-level features of a scenario (fail fast, before any simulation)."""
    scenario = compiled.scenario
    races = compiled.races
    race_by_id = {race.race_id: race for race in races}
    championships = tuple(
        ChampionshipInfo(name, book, "" if i == 0 else _prefix(scenario, i, name))
        for i, (name, book) in enumerate(rulebooks.items()))
    race_championship = {race.race_id: race.championship for race in races} if len(championships) > 1 else {}

    fixed = None
    if scenario.results_so_far is not None:
        fixed = _results_so_far(scenario, compiled, race_championship, rulebooks, source)
    fixed_races = frozenset(fixed["race"].unique()) if fixed is not None else frozenset()

    forced: dict[int, list[ForcedOutcome]] = {}
    for index, rule in enumerate(scenario.forced_outcomes):
        where = f"forced_outcomes[{index}]"
        race = race_by_id[rule.race]
        if rule.race in fixed_races:
            raise InputError(source, f"{where}.race", f"{rule.race} is already run (results_so_far): "
                                                      "it cannot have a forced outcome")
        entry = next((e for e in race.entries if e.car == rule.car), None)
        if entry is None:
            raise InputError(source, f"{where}.car", f"car {rule.car} is not entered in {rule.race}")
        if rule.outcome == "category_position" and not entry.category:
            raise InputError(source, f"{where}.outcome", f"car {rule.car} has no sub-category in {rule.race}")
        if rule.at_hours is not None and rule.at_hours > race.hours:
            raise InputError(source, f"{where}.at_hours", f"{rule.at_hours:g} h is past the end of {rule.race} "
                                                          f"({race.hours:g} h)")
        for other in forced.get(race.index, []):
            if other.car == rule.car:
                raise InputError(source, f"{where}.car", f"car {rule.car} already has a forced outcome in "
                                                         f"{rule.race}")
            clash = next((e for e in race.entries if e.car == other.car), None)
            if rule.outcome == "win" and other.outcome == "win" and clash.class_name == entry.class_name:
                raise InputError(source, f"{where}.car", f"car {other.car} is already forced to win "
                                                         f"{entry.class_name} in {rule.race}")
        forced.setdefault(race.index, []).append(rule)

    cars, probabilities = (), None
    participation = scenario.participation
    if participation is not None and participation.enabled:
        homes: dict[str, str] = {}
        for race in races:
            for entry in race.entries:
                homes.setdefault(entry.car, entry.home_region)
        for car in participation.entries:
            if car not in homes:
                raise InputError(source, f"participation.entries.{car}", f"car {car} is not in any race's entries")
        regions = []
        for round_number in range(1, len(scenario.calendar.rounds) + 1):
            regions.append(next(r.venue.region for r in races if r.round == round_number))
        cars, probabilities = participation_matrix(participation, races, homes, regions, scenario.forced_outcomes)
    strength, estimate = scenario_strength(compiled, fixed, source, lambda file: resolve_data_file(file, source))
    return SeasonPlan(fixed=fixed, fixed_races=fixed_races, forced={k: tuple(v) for k, v in forced.items()},
                      participation_cars=cars, participation_p=probabilities, championships=championships,
                      race_championship=race_championship, strength=strength, strength_estimate=estimate)


def _prefix(scenario, index: int, name: str) -> str:
    chosen = scenario.championships[index - 1].title_prefix
    return f"{name} " if chosen is None else chosen


def resolve_data_file(file: str, source: str | Path | None) -> Path:
    """A data file a scenario names: absolute, beside the scenario, or under the repository root."""
    path = Path(file)
    if path.is_absolute():
        return path
    if source not in (None, "<scenario>"):
        beside = Path(source).parent / path
        if beside.exists():
            return beside
    return ROOT / path


def read_results_so_far(spec: ResultsSoFar, source: str | Path) -> tuple[Path, pd.DataFrame]:
    """(path, table) of a scenario's `results_so_far` block: the table's races R1..Rk, up to `through`."""
    path = resolve_data_file(spec.file, source)
    if not path.exists():
        raise InputError(source, "results_so_far.file", f"file not found: {spec.file}")
    table = read_results(path)
    number = table["race"].str.extract(r"^R([1-9][0-9]*)$")[0]
    if number.isna().any():
        bad = table.loc[number.isna(), "race"].iloc[0]
        raise InputError(path, "column race", f"race id '{bad}' is not of the form R1, R2, ...")
    number = number.astype(int)
    if spec.through is not None:
        limit = int(spec.through[1:])
        if limit > int(number.max()):
            raise InputError(source, "results_so_far.through", f"{spec.through} is not in {path.name} "
                                                               f"(it has races up to R{int(number.max())})")
        table = table[number <= limit].reset_index(drop=True)
    return path, table


def _results_so_far(scenario, compiled, race_championship, rulebooks, source) -> pd.DataFrame:
    """The races already run: R1..Rk of the calendar, cars in the entry list unless `additional`."""
    path, table = read_results_so_far(scenario.results_so_far, source)
    number = table["race"].str[1:].astype(int)
    present = sorted(set(number))
    if present != list(range(1, len(present) + 1)):
        raise InputError(path, "column race", f"the races already run must be R1..Rk of the calendar, found "
                                              f"{', '.join(f'R{n}' for n in present)}")
    if len(present) > len(compiled.races):
        raise InputError(path, "column race", f"R{present[-1]} is past the calendar's last race "
                                              f"(R{len(compiled.races)})")
    for position, row in enumerate(table.itertuples(index=False)):
        race = compiled.races[int(number[position]) - 1]
        line = f"row {position + 2}"
        if row.entry != "additional" and not any(e.car == row.car for e in race.entries):
            raise InputError(path, f"{line}, column car", f"car {row.car} is not in the entry list of "
                                                          f"{race.race_id} (mark it entry: additional)")
    # Rounds follow the scenario's calendar (some published tables number every race as a round):
    # a weekend's races must then be one round in the table too, so the table's numbers are replaced.
    table["round"] = table["race"].map({race.race_id: race.round for race in compiled.races}).astype("int64")
    hours = {race.race_id: race.hours for race in compiled.races}
    if "hours" not in table.columns or table["hours"].isna().any():
        known = table["hours"] if "hours" in table.columns else pd.Series(np.nan, index=table.index)
        table["hours"] = known.fillna(table["race"].map(hours)).astype(float)
    if race_championship:
        table["championship"] = table["race"].map(race_championship)
        for name, book in rulebooks.items():
            check_results(table[table["championship"] == name], book, str(path))
    else:
        check_results(table, compiled.rulebook, str(path))
    return table
