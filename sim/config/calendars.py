"""Calendar-planning inputs: other championships' dates, freight logistics and search constraints.

Three kinds of file: `configs/calendars/<championship>.yaml` (events of other series and which teams
and drivers double up), `configs/logistics.yaml` (freight hubs, transit days, costs, set-up days)
and a search constraints file (`sim calendar search --constraints FILE`). A scenario may carry
calendar-planning options under `options.calendar` (validated by `CalendarOptions`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sim.config.loader import CONFIGS, StrictModel, load_model, parse_model
from sim.config.venues import Region
from sim.errors import InputError

Mode = Literal["road", "sea", "air"]
MODES: tuple[Mode, ...] = ("road", "sea", "air")
NonNegative = Annotated[float, Field(ge=0)]
Days = Annotated[int, Field(ge=0, le=365)]
LocalTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


# ---------------------------------------------------------------- other championships' calendars
class PaddockOverlap(StrictModel):
    """Teams and drivers who typically race in both this championship and the planned series."""

    teams: list[str] = Field(default_factory=list)
    drivers: list[str] = Field(default_factory=list)
    note: str = ""


class ExternalEvent(StrictModel):
    name: str = Field(min_length=1)
    venue: str = Field(min_length=1, description="Key in configs/venues.yaml, or free text.")
    start: dt.date = Field(description="First day the paddock is busy (test, practice).")
    end: dt.date | None = Field(None, description="Last race day; defaults to `start`.")
    status: Literal["confirmed", "assumed"]
    source: str = ""

    @model_validator(mode="after")
    def _end_not_before_start(self) -> ExternalEvent:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def last_day(self) -> dt.date:
        return self.end or self.start


class ChampionshipCalendar(StrictModel):
    championship: str = Field(min_length=1, description="Readable name, e.g. 'FIA WEC'.")
    paddock_overlap: PaddockOverlap = Field(default_factory=PaddockOverlap)
    events: list[ExternalEvent] = Field(min_length=1)


def load_championship(path: str | Path) -> ChampionshipCalendar:
    return load_model(ChampionshipCalendar, path)


def load_championships(folder: str | Path | None = None) -> dict[str, ChampionshipCalendar]:
    """Every `*.yaml` under configs/calendars/ (or `folder`), keyed by file stem (e.g. `wec`)."""
    folder = Path(folder) if folder is not None else CONFIGS / "calendars"
    if not folder.is_dir():
        raise InputError(folder, None, "calendar folder not found")
    return {path.stem: load_championship(path) for path in sorted(folder.glob("*.yaml"))}


# ---------------------------------------------------------------- logistics
class Hub(StrictModel):
    name: str
    region: Region
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]


class ModeCost(StrictModel):
    """Cost of shipping one car's kit on one leg: fixed part plus a part per routed km."""

    per_leg_eur: NonNegative
    per_km_eur: NonNegative
    detour_factor: Annotated[float, Field(ge=1.0, le=3.0)] = Field(
        1.0, description="Routed distance / great-circle distance (sea lanes, roads).")


class RoadFreight(StrictModel):
    km_per_day: Annotated[float, Field(gt=0)]
    handling_days: Days
    max_km: Annotated[float, Field(gt=0)] = Field(description="Longest routed trip still done by truck.")


class TransitTimes(StrictModel):
    """Door-to-door days (loading, customs, unloading included) between two regions."""

    regions: tuple[Region, Region]
    sea_days: Days | None = None
    air_days: Days | None = None


class ClimateRisk(StrictModel):
    heat_threshold_c: float = Field(description="Average daily maximum above which heat adds risk.")


class Logistics(StrictModel):
    hubs: dict[str, Hub] = Field(min_length=1)
    default_hub: str
    transit: list[TransitTimes] = Field(min_length=1)
    road: RoadFreight
    costs: dict[Mode, ModeCost]
    setup_days: Days = Field(description="Freight must be on site this many days before race 1 of a round.")
    teardown_days: Days = Field(description="Days after the last race before freight can leave.")
    event_days_before_race: Days = Field(description="Paddock days (test, practice) before race 1: the clash window.")
    clash_buffer_days: Days = Field(description="Events this many days apart or closer count as a clash.")
    climate_risk: ClimateRisk

    @model_validator(mode="after")
    def _consistent(self) -> Logistics:
        if self.default_hub not in self.hubs:
            raise ValueError(f"default_hub '{self.default_hub}' is not in hubs ({', '.join(self.hubs)})")
        missing = [mode for mode in MODES if mode not in self.costs]
        if missing:
            raise ValueError(f"costs missing for mode(s) {', '.join(missing)}")
        seen: set[frozenset[str]] = set()
        for index, row in enumerate(self.transit):
            pair = frozenset(row.regions)
            if pair in seen:
                raise ValueError(f"transit[{index}] repeats the region pair {row.regions[0]} - {row.regions[1]}")
            seen.add(pair)
        return self

    def transit_row(self, region_a: str, region_b: str, path: str | Path = "configs/logistics.yaml") -> TransitTimes:
        pair = frozenset((region_a, region_b))
        for row in self.transit:
            if frozenset(row.regions) == pair:
                return row
        raise InputError(path, "transit", f"no transit times for region pair {region_a} - {region_b}")


def load_logistics(path: str | Path | None = None) -> Logistics:
    return load_model(Logistics, path or CONFIGS / "logistics.yaml")


# ---------------------------------------------------------------- scenario options.calendar
class CalendarOptions(StrictModel):
    """`options.calendar` of a scenario: planning inputs the calendar metrics need (all optional)."""

    freight_hub: str | None = Field(None, description="Key in logistics.yaml hubs; default: its default_hub.")
    freight_modes: list[Mode] = Field(default_factory=lambda: list(MODES), min_length=1)
    championships: list[str] | None = Field(None, description="Keys (file stems) under configs/calendars/; default all.")
    clash_buffer_days: Days | None = None
    min_slack_days: Days = Field(0, description="Spare days required beyond every leg's transit time (a search's "
                                                "freight.min_slack_days), so a leg's mode is the one the search chose.")
    overlaps: dict[str, PaddockOverlap] = Field(
        default_factory=dict, description="Per championship key: who races in both (overrides the calendar file).")


def calendar_options(options: dict, path: str | Path) -> CalendarOptions:
    raw = (options or {}).get("calendar", {})
    return parse_model(CalendarOptions, raw if raw is not None else {}, path, prefix="options.calendar")


# ---------------------------------------------------------------- search constraints
class RegionQuota(StrictModel):
    min: Annotated[int, Field(ge=0)] = 0
    max: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> RegionQuota:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"min {self.min} is more than max {self.max}")
        return self


class Window(StrictModel):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"window end {self.end} is before start {self.start}")
        return self


class FreightConstraint(StrictModel):
    modes: list[Mode] = Field(default_factory=lambda: list(MODES), min_length=1)
    min_slack_days: Days = Field(0, description="Spare days required beyond the transit time of every leg.")


class ClashConstraint(StrictModel):
    championships: list[str] | None = Field(None, description="Keys under configs/calendars/; default all.")
    buffer_days: Days | None = Field(None, description="Default: logistics.yaml clash_buffer_days.")
    min_people: Annotated[int, Field(ge=0)] = Field(
        0, description="Only clashes affecting at least this many teams + drivers count (0: every clash).")


class ClimateLimits(StrictModel):
    max_temp_c: float | None = None
    max_rain_probability: Annotated[float, Field(ge=0, le=1)] | None = None


class FixedRound(StrictModel):
    venue: str
    date: dt.date


class RoundFormat(StrictModel):
    races: Annotated[int, Field(ge=1, le=3)] = 2
    hours: Annotated[float, Field(gt=0, le=30)] = 4.0
    start_local: LocalTime = "13:00"


class ObjectiveWeights(StrictModel):
    """Weights of the search objective (lower score is better); units in the field descriptions."""

    freight_km: NonNegative = Field(1.0, description="per 1000 great-circle km of freight (hub legs included)")
    freight_cost: NonNegative = Field(0.0, description="per 1000 EUR of freight per car")
    travel_km: NonNegative = Field(0.0, description="per 1000 km between consecutive venues")
    clashes: NonNegative = Field(5.0, description="per clash with another championship's event")
    clash_people: NonNegative = Field(1.0, description="per team or driver affected by a clash")
    heat: NonNegative = Field(2.0, description="per deg C of monthly max temperature above the heat threshold, per round")
    rain: NonNegative = Field(5.0, description="per expected wet race")
    darkness: NonNegative = Field(5.0, description="per race hour in darkness at a venue without floodlights")
    sporting: NonNegative = Field(0.0, description="reserved for sporting metrics; must stay 0 until they exist")

    @field_validator("sporting")
    @classmethod
    def _sporting_reserved(cls, value: float) -> float:
        if value:
            raise ValueError("sporting weight is reserved: the search has no sporting metrics yet, leave it 0")
        return value


class SearchConstraints(StrictModel):
    window: Window | None = None
    regions: dict[Region, RegionQuota] = Field(
        default_factory=dict, description="Rounds per region: an exact count or {min, max}.")
    min_days_between_rounds: Days | None = None
    max_days_between_rounds: Days | None = None
    freight: FreightConstraint | None = Field(
        default_factory=FreightConstraint, description="Every leg must fit its transit time; null disables it.")
    no_clash: ClashConstraint | None = None
    climate: ClimateLimits = Field(default_factory=ClimateLimits)
    daylight: bool = Field(False, description="Refuse races running into darkness at venues without floodlights.")
    fixed_rounds: list[FixedRound] = Field(default_factory=list)
    max_rounds_per_venue: Annotated[int, Field(ge=1)] | None = 1
    round_format: RoundFormat = Field(default_factory=RoundFormat)
    freight_hub: str | None = None
    objective: ObjectiveWeights = Field(default_factory=ObjectiveWeights)

    @field_validator("regions", mode="before")
    @classmethod
    def _exact_counts(cls, value):
        if isinstance(value, dict):
            return {region: {"min": q, "max": q} if isinstance(q, int) and not isinstance(q, bool) else q
                    for region, q in value.items()}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SearchConstraints:
        low, high = self.min_days_between_rounds, self.max_days_between_rounds
        if low is not None and high is not None and low > high:
            raise ValueError(f"min_days_between_rounds {low} is more than max_days_between_rounds {high}")
        dates = [fixed.date for fixed in self.fixed_rounds]
        if len(set(dates)) != len(dates):
            raise ValueError("two fixed_rounds share a date")
        return self

    def quotas(self) -> dict[str, RegionQuota]:
        return {str(name): quota for name, quota in self.regions.items()}


def load_constraints(path: str | Path) -> SearchConstraints:
    return load_model(SearchConstraints, path)
