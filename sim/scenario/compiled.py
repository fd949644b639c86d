"""The compiled scenario: frozen records of every race of the calendar, as the race model and the season
layer read them (`CompiledEntry`, `VenueParams`, `CompiledRace`, `CompiledScenario`).

A `CompiledRace` keeps its field as a small tuple of `CompiledEntry` plus per-race BoP overrides; the race
model's per-car constants (`CompiledRace.field`, `sim.race.field`) are derived from them lazily, so the
season layer can re-derive a race cheaply after an entry or BoP change (`CompiledRace.with_entries`,
`CompiledRace.with_bop`, `CompiledRace.without`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from functools import cached_property

from sim.config.race_model import RaceModel
from sim.config.scenario import Scenario
from sim.config.series import SeriesRulebook
from sim.config.sporting import Sporting
from sim.errors import InputError
from sim.race.field import RaceField, build_field, subset_field
from sim.season_plan import ChampionshipInfo, SeasonPlan
from sim.sun import Clock


@dataclasses.dataclass(frozen=True)
class CompiledEntry:
    """One car as entered: identity, crew and static pace; independent of venue and race."""

    car: str
    team: str
    class_name: str
    category: str
    car_model: str          # key in race-model car_models
    drivers: tuple[str, ...]
    ratings: tuple[str, ...]
    driver_offsets_s: tuple[float, ...]
    entry: str = "season"
    pace_offset_s: float = 0.0
    reliability: float = 1.0
    home_region: str = "Europe"   # participation model (sim.season_plan)


@dataclasses.dataclass(frozen=True)
class VenueParams:
    key: str
    name: str
    lap_km: float
    pit_lane_loss_s: float
    reference_lap_s: Mapping[str, float]
    incident_factor: float
    rain_probability: tuple[float, ...]
    region: str = ""
    clock: Clock | None = None   # where the sun is reckoned from (sim.sun); None: no darkness
    floodlit: bool = False       # lit for night racing: races there run as in daylight


@dataclasses.dataclass(frozen=True)
class CompiledRace:
    """Everything one race needs; `field` holds the arrays the race model runs on."""

    race_id: str
    index: int              # 0-based position in the season (seeds: race_rng(seed, season, index))
    round: int
    round_name: str
    venue: VenueParams
    hours: float
    start_local: str
    date: dt.date
    qualifying_rank: int    # 1: grid from best qualifying lap, 2: second-best (second race of a round)
    entries: tuple[CompiledEntry, ...]
    model: RaceModel
    sporting: Sporting
    bop: Mapping[str, float] = dataclasses.field(default_factory=dict)  # plain dicts: picklable for workers
    championship: str = ""  # championship id (rulebook name) when a scenario runs several
    distance_km: float | None = None   # the race also ends when the leader completes this distance
    # (from, to) seconds after the start run in darkness at an unlit venue (sun times, `sim.sun`)
    darkness: tuple[tuple[float, float], ...] = ()

    @property
    def month(self) -> int:
        return self.date.month

    def darkness_text(self) -> str:
        """The race's darkness in local clock times, e.g. '2.6 h in darkness: 19:35 to the flag (22:10)'."""
        if not self.darkness:
            return ""
        hours, minutes = self.start_local.split(":")
        start = int(hours) * 60 + int(minutes)

        def clock(seconds: float) -> str:
            at = round(start + seconds / 60) % 1440
            return f"{at // 60:02d}:{at % 60:02d}"

        spans = [f"{clock(since)} to {'the flag (' + clock(to) + ')' if to >= self.hours * 3600 else clock(to)}"
                 for since, to in self.darkness]
        dark = sum(to - since for since, to in self.darkness) / 3600
        return f"{dark:.1f} h in darkness (unlit venue, local time): {', '.join(spans)}"

    @property
    def wet_probability(self) -> float:
        return self.venue.rain_probability[self.date.month - 1]

    @cached_property
    def field(self) -> RaceField:
        """The race model's per-car constants of this field (built once, then reused by every run)."""
        return build_field(self)

    def with_entries(self, entries: tuple[CompiledEntry, ...]) -> CompiledRace:
        """The same race with another field (entry changes between rounds)."""
        return dataclasses.replace(self, entries=tuple(entries))

    def without(self, absent: tuple[int, ...]) -> CompiledRace:
        """The same race without the cars at these entry positions. Its field is derived from this
        race's field by selection instead of rebuilt (the participation model needs one per season)."""
        gone = set(absent)
        keep = [i for i in range(len(self.entries)) if i not in gone]
        variant = dataclasses.replace(self, entries=tuple(self.entries[i] for i in keep))
        # Seed the cached_property: the derived field is what `variant.field` would build.
        variant.__dict__["field"] = subset_field(self.field, keep, variant)
        return variant

    def with_bop(self, bop_pace_pct: Mapping[str, float]) -> CompiledRace:
        """The same race with BoP lap-time offsets (% of the class reference) overridden per car model."""
        merged = dict(self.bop)
        merged.update(bop_pace_pct)
        return dataclasses.replace(self, bop=merged)


@dataclasses.dataclass(frozen=True)
class CompiledScenario:
    name: str
    scenario: Scenario
    rulebook: SeriesRulebook
    sporting: Sporting
    model: RaceModel
    entries: tuple[CompiledEntry, ...]
    races: list[CompiledRace]
    plan: SeasonPlan | None = None   # season-level features (sim.season_plan); None: plain seasons
    source: str = "<scenario>"

    @property
    def championships(self) -> tuple[ChampionshipInfo, ...]:
        """(name, rulebook, title prefix) of every championship; the scenario's own series first."""
        if self.plan is not None and self.plan.championships:
            return self.plan.championships
        return (ChampionshipInfo(self.rulebook.name, self.rulebook, ""),)

    def race(self, race_id: str) -> CompiledRace:
        for race in self.races:
            if race.race_id == race_id:
                return race
        known = ", ".join(r.race_id for r in self.races)
        raise InputError(self.source, "--race", f"unknown race '{race_id}' (this scenario has {known})")
