"""Race-conduct rules (`configs/sporting/<name>.yaml`): drive times, pit rules, neutralisation
procedures, penalties, qualifying and the end-of-race classification, per series.

A rulebook (`configs/series/<name>.yaml`) names its sporting file in its `sporting` field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.config.loader import StrictModel, load_model, resolve_named
from sim.config.race_model import RATINGS, check_procedures

NonNegative = Annotated[float, Field(ge=0)]
EVERY_CLASS = "all"   # the drive_time key of rules that bind every class


class DriveWindow(StrictModel):
    """At most `max_minutes` of driving in any `hours` of race time (ACO / IMSA: 4 h in any 6 h)."""

    hours: Annotated[float, Field(gt=0)]
    max_minutes: Annotated[float, Field(gt=0)]


class DriveTimeRule(StrictModel):
    """Each driver whose rating is in `ratings` (every driver when empty) must drive between min and max,
    at most `window.max_minutes` in any `window.hours`, and at most `max_continuous_minutes` without
    leaving the car (stops where he stays in count), in races whose length `race_hours` gives: one length,
    or a range [from, to]: longer than `from`, up to `to` (so that ranges [4.5, 7], [7, 9] never overlap). `crew_counts` selects crews by how many drivers of a rating they have
    (Asian LMS 2023: the GT Gold driver may drive 1h15, 1h00 beside two Bronzes)."""

    ratings: list[str] = Field(default_factory=list)
    crew_size: Annotated[int, Field(ge=1, le=4)] | None = Field(None, description="Only crews of this size.")
    crew_counts: dict[str, Annotated[int, Field(ge=0, le=4)]] = Field(
        default_factory=dict, description="Only crews with exactly this many drivers of each rating named.")
    race_hours: Annotated[float, Field(gt=0)] | tuple[NonNegative, NonNegative] | None = Field(
        None, description="Only races of this length (h), or longer than `from` and up to `to`.")
    min_minutes: NonNegative = 0.0
    max_minutes: NonNegative | None = None
    window: DriveWindow | None = None
    max_continuous_minutes: Annotated[float, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _check(self) -> DriveTimeRule:
        unknown = [r for r in [*self.ratings, *self.crew_counts] if r not in RATINGS]
        if unknown:
            raise ValueError(f"unknown rating '{unknown[0]}' (expected {', '.join(RATINGS)})")
        if self.max_minutes is not None and self.max_minutes < self.min_minutes:
            raise ValueError("max_minutes is below min_minutes")
        if isinstance(self.race_hours, tuple) and self.race_hours[1] < self.race_hours[0]:
            raise ValueError("race_hours: the range ends before it starts")
        return self

    def applies(self, ratings: tuple[str, ...], hours: float) -> bool:
        """Whether the rule binds a crew with these ratings in a race of `hours`."""
        if self.crew_size is not None and self.crew_size != len(ratings):
            return False
        if any(ratings.count(rating) != count for rating, count in self.crew_counts.items()):
            return False
        span = self.race_hours
        if span is None:
            return True
        if isinstance(span, tuple):
            return span[0] + 1e-9 < hours <= span[1] + 1e-9
        return abs(span - hours) < 1e-9


class DriveTimePenalty(StrictModel):
    """What a car gets for breaking a drive-time rule."""

    kind: Literal["time", "laps", "not_classified", "dsq"]
    seconds: NonNegative = 0.0
    laps: Annotated[int, Field(ge=0)] = 0


class PitRules(StrictModel):
    refuel_tyres_overlap: bool = Field(description="Tyres may be changed while refuelling.")
    min_refuel_s: NonNegative = Field(0.0, description="Minimum refuelling time (GTWC: 37 s).")
    closed_under: list[str] = Field(default_factory=list, description="Procedures that close the pit entry.")
    sc_closed_laps: Annotated[int, Field(ge=0)] = Field(
        0, description="No normal stop in the first N laps behind the Safety Car.")
    caution_stop_fraction: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="The series' habit of pitting under a neutralisation: a car comes in when one starts once "
                          "this share of its planned stint is done (none: the race model's "
                          "strategy.pit_under_neutralisation_fraction).")

    @model_validator(mode="after")
    def _known(self) -> PitRules:
        check_procedures(self.closed_under)
        return self


class Qualifying(StrictModel):
    driver: Literal["lowest_rating", "fastest"] = Field(
        "fastest", description="Who sets the grid time: the lowest-rated driver of the crew, or the fastest.")
    laps: Annotated[int, Field(ge=2)] = 6


class RaceEnd(StrictModel):
    chequered_flag_required: bool = Field(description="A car must take the flag to be classified.")
    min_distance_fraction: Annotated[float, Field(ge=0, le=1)] = Field(
        description="Classified only when covering this share of the class winner's laps.")


class Sporting(StrictModel):
    name: str = Field(min_length=1)
    source: str = ""
    neutralisations: list[str] = Field(min_length=1, description="Procedures race control uses.")
    red_flag: bool = Field(True, description="Race control may stop the race (clock keeps running).")
    procedure_speed_kmh: dict[str, Annotated[float, Field(gt=0)]] = Field(
        default_factory=dict, description="The series' own average speed of the field under a procedure (km/h), "
                                          "where it differs from the race model's.")
    neutralise_factor: Annotated[float, Field(gt=0)] = Field(
        1.0, description="The series neutralises this many times the race model's share of incidents and "
                         "stopped cars (capped at every one): how readily its race control calls a procedure.")
    pit: PitRules
    drive_time: dict[str, list[DriveTimeRule]] = Field(
        default_factory=dict, description=f"Rules per class; those under '{EVERY_CLASS}' bind every class.")
    drive_time_penalty: DriveTimePenalty
    drive_time_minimums_after_red_flag: Literal["scaled", "waived"] = Field(
        "waived", description="After a red flag the minimum drive times shrink in proportion to the time "
                              "lost, or are not enforced.")
    qualifying: Qualifying = Field(default_factory=Qualifying)
    race_end: RaceEnd

    @model_validator(mode="after")
    def _known(self) -> Sporting:
        check_procedures(self.neutralisations, "neutralisations: ")
        check_procedures(self.procedure_speed_kmh, "procedure_speed_kmh: ")
        return self

    def procedure_speed(self, kind: str, model_speed_kmh: float) -> float:
        """The field's average speed under procedure `kind` (km/h): the series' own where it has one."""
        return self.procedure_speed_kmh.get(kind, model_speed_kmh)

    def drive_rules(self, class_name: str, ratings: tuple[str, ...], hours: float) -> list[DriveTimeRule]:
        """The rules binding a crew with these FIA ratings of this class in a race of `hours`."""
        rules = [*self.drive_time.get(EVERY_CLASS, []), *self.drive_time.get(class_name, [])]
        return [rule for rule in rules if rule.applies(ratings, hours)]


def load_sporting(name_or_path: str | Path) -> Sporting:
    return load_model(Sporting, resolve_named(name_or_path, "sporting", "sporting rules"))
