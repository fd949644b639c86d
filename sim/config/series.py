"""Series rulebooks (`configs/series/<name>.yaml`): classes, crews, points scales, scoring and titles.

Everything the rules engine (`sim.rules`) needs to turn a results table into standings lives here
as data; `docs/rules.md` explains the format with an example.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from sim.config.awards import AwardsConfig
from sim.config.loader import StrictModel, load_model, resolve_named

Rating = Literal["Platinum", "Gold", "Silver", "Bronze"]
Kind = Literal["teams", "drivers"]
KINDS: tuple[Kind, ...] = ("teams", "drivers")
NonNegative = Annotated[float, Field(ge=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]

# Race ids of intermediate classifications (Spa 24h at 6h / 12h) are `<race>@<segment>`, e.g. `R3@6h`.
SEGMENT_SEPARATOR = "@"


class CrewRule(StrictModel):
    """The number of drivers whose rating is one of `ratings` must lie in [min, max]."""

    ratings: list[Rating] = Field(min_length=1)
    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=0)

    def problem(self, crew: list[str]) -> str | None:
        count = sum(rating in self.ratings for rating in crew)
        names = " or ".join(self.ratings)
        if count < self.min:
            return f"needs at least {self.min} {names} driver(s), has {count}"
        if self.max is not None and count > self.max:
            return f"allows at most {self.max} {names} driver(s), has {count}"
        return None


class Crew(StrictModel):
    """Crew composition by FIA rating: size limits plus rating-count rules."""

    min_drivers: int = Field(1, ge=1)
    max_drivers: int | None = Field(None, ge=1)
    rules: list[CrewRule] = Field(default_factory=list)

    def problems(self, crew: list[str]) -> list[str]:
        found = []
        if len(crew) < self.min_drivers:
            found.append(f"needs at least {self.min_drivers} drivers, has {len(crew)}")
        if self.max_drivers is not None and len(crew) > self.max_drivers:
            found.append(f"allows at most {self.max_drivers} drivers, has {len(crew)}")
        found += [problem for rule in self.rules if (problem := rule.problem(crew))]
        return found


class Category(StrictModel):
    """A sub-category inside a class (Pro-Am, Gold Cup ...), defined by its crew composition."""

    description: str = ""
    crew: Crew = Field(default_factory=Crew)


class CarClass(StrictModel):
    description: str = ""
    crew: Crew = Field(default_factory=Crew, description="Rules every crew of the class must meet.")
    categories: dict[str, Category] = Field(default_factory=dict)


class HoursRange(StrictModel):
    """Scheduled race length in hours: min <= hours < max (either end open when absent)."""

    min: NonNegative | None = None
    max: NonNegative | None = None

    def contains(self, hours: float) -> bool:
        return (self.min is None or hours >= self.min) and (self.max is None or hours < self.max)


class PointsScale(StrictModel):
    """Points by scoring position; which races use it: by race id, by segment, by race length, or by default.

    A race takes the first scale that lists its id in `races`; an intermediate classification
    (`R3@6h`) the first that lists its segment (`6h`) in `segments`; otherwise the first scale whose
    `hours` range holds the race's scheduled length (results column `hours`); otherwise the scale
    without any condition (the default).
    """

    name: str = Field(min_length=1)
    points: list[NonNegative] = Field(min_length=1, description="Points for scoring positions 1, 2, 3 ...")
    beyond: NonNegative = Field(0.0, description="Points for every scoring car classified behind the list.")
    pole: NonNegative = Field(0.0, description="Points for the class pole-sitter (results column `pole`).")
    races: list[str] = Field(default_factory=list)
    segments: list[str] = Field(default_factory=list)
    hours: HoursRange | None = None

    @model_validator(mode="after")
    def _never_rising(self) -> PointsScale:
        for index in range(1, len(self.points)):
            if self.points[index] > self.points[index - 1]:
                raise ValueError(f"points rise from position {index} to {index + 1}: a scale must never rise")
        if self.beyond > self.points[-1]:
            raise ValueError("`beyond` is more than the last position's points")
        return self

    @property
    def is_default(self) -> bool:
        return not self.races and not self.segments and self.hours is None


class Classification(StrictModel):
    """Who is classified when the results leave it open (status `dnf`: retired before the flag)."""

    min_distance_fraction: Fraction | None = Field(
        0.7, description="A retired car covering this share of its class winner's laps is classified.")
    retired_cars_classified: bool = Field(
        True, description="False: taking the chequered flag is required, `dnf` never scores.")
    min_distance_fraction_by_class: dict[str, Fraction] = Field(
        default_factory=dict,
        description="Classes with their own classification distance (American LMS 2012: PC and GTC 50 %); a "
                    "car of such a class covering it is classified whether it retired or ran short at the flag.")


class ShortenedBand(StrictModel):
    below_fraction: Fraction = Field(description="Leader's time / scheduled time below this ...")
    factor: Fraction = Field(description="... multiplies the position points by this.")


class ShortenedRaces(StrictModel):
    """Reduced points for races stopped early (needs results columns `hours` and `time_s`)."""

    bands: list[ShortenedBand] = Field(default_factory=list)
    min_green_laps: int = Field(0, ge=0, description="Fewer green-flag laps (column `green_laps`) scores nothing.")


class Scoring(StrictModel):
    additional_entries: Literal["skip", "hold_position", "score"] = Field(
        "skip", description="skip: no points, the cars behind move up; hold_position: no points, "
                            "nobody moves up; score: they score like season entries.")
    team_scoring: Literal["per_car", "best_car"] = Field(
        "per_car", description="Teams' titles per car, or a team scores only its best car in each race.")
    driver_min_drive_time_s: NonNegative = Field(
        0.0, description="Drivers below this drive time (column `drive_time_s`, when known) score nothing.")
    best_results: int | None = Field(
        None, ge=1, description="Drop scores: only a competitor's best N race scores count.")
    pole_in_categories: bool = Field(
        True, description="The class pole point also counts in the pole car's sub-category classification.")
    pole_requires_classification: bool = Field(
        False, description="The pole point needs the car to be classified in that race.")


class TieBreak(StrictModel):
    countback: bool = Field(True, description="Equal points: most wins, then most 2nd places, and so on.")
    last_resort: Literal["latest_result", "name", "shared"] = Field(
        "latest_result", description="Still equal: more points in the latest race (then the one before ...), "
                                     "then by name; or `name` only; or `shared`: the tie stands (`1=`).")


class Title(StrictModel):
    """One or more classifications: class x category x kind, optionally joint across championships."""

    model_config = ConfigDict(populate_by_name=True)

    class_name: str = Field(alias="class", min_length=1)
    category: str = Field("", description="Sub-category; empty for the class-wide classification.")
    kinds: list[Kind] = Field(default_factory=lambda: list(KINDS), min_length=1)
    name: str | None = Field(None, min_length=1, description="Title prefix; default `<class> [<category>]`.")
    championships: list[str] = Field(
        default_factory=list,
        description="Joint classification: races of these championships (results column `championship`) "
                    "are scored together; empty means this series only.")
    scale: str | None = Field(None, description="Use this points scale for every race of the title.")

    @property
    def label(self) -> str:
        return self.name or " ".join(part for part in (self.class_name, self.category) if part)

    def title_id(self, kind: str) -> str:
        return f"{self.label} {kind}"


class PointsRules(StrictModel):
    scales: list[PointsScale] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> PointsRules:
        names = [scale.name for scale in self.scales]
        duplicated = sorted({name for name in names if names.count(name) > 1})
        if duplicated:
            raise ValueError(f"scale name(s) used twice: {', '.join(duplicated)}")
        return self


class SeriesRulebook(StrictModel):
    name: str = Field(min_length=1, description="Championship id; results rows of this championship "
                                                "have an empty or equal `championship` column.")
    description: str = ""
    season: str = ""
    classes: dict[str, CarClass] = Field(min_length=1)
    points: PointsRules
    classification: Classification = Field(default_factory=Classification)
    shortened_races: ShortenedRaces = Field(default_factory=ShortenedRaces)
    scoring: Scoring = Field(default_factory=Scoring)
    tie_break: TieBreak = Field(default_factory=TieBreak)
    titles: list[Title] = Field(min_length=1)
    sporting: str | None = Field(None, description="Race-conduct rules: configs/sporting/<name>.yaml.")
    awards: AwardsConfig = Field(default_factory=AwardsConfig)

    @model_validator(mode="after")
    def _titles_refer_to_known_things(self) -> SeriesRulebook:
        scale_names = {scale.name for scale in self.points.scales}
        seen: set[str] = set()
        scopes: dict[str, tuple] = {}
        for index, title in enumerate(self.titles):
            where = f"titles[{index}]"
            scope = (title.class_name, title.category, tuple(title.championships), title.scale)
            if scopes.setdefault(title.label, scope) != scope:
                raise ValueError(f"{where}: name '{title.label}' is used by another title scored differently")
            car_class = self.classes.get(title.class_name)
            if car_class is None:
                raise ValueError(f"{where}: unknown class '{title.class_name}' (classes: {', '.join(self.classes)})")
            if title.category and title.category not in car_class.categories:
                raise ValueError(f"{where}: class {title.class_name} has no category '{title.category}'")
            if title.scale is not None and title.scale not in scale_names:
                raise ValueError(f"{where}: unknown scale '{title.scale}'")
            for kind in title.kinds:
                if title.title_id(kind) in seen:
                    raise ValueError(f"{where}: title '{title.title_id(kind)}' is defined twice")
                seen.add(title.title_id(kind))
        return self

    def crew_problems(self, class_name: str, ratings: list[str], category: str = "") -> list[str]:
        """What a crew (FIA ratings) breaks of its class's and sub-category's rules; empty when fine."""
        car_class = self.classes.get(class_name)
        if car_class is None:
            return [f"unknown class '{class_name}'"]
        problems = [f"{class_name}: {problem}" for problem in car_class.crew.problems(ratings)]
        if category:
            rule = car_class.categories.get(category)
            if rule is None:
                return problems + [f"class {class_name} has no category '{category}'"]
            problems += [f"{class_name} {category}: {problem}" for problem in rule.crew.problems(ratings)]
        return problems

    def categories_for(self, class_name: str, ratings: list[str]) -> list[str]:
        """The sub-categories of the class whose crew composition this crew meets."""
        car_class = self.classes.get(class_name)
        if car_class is None:
            return []
        return [name for name, rule in car_class.categories.items() if not rule.crew.problems(ratings)]


def load_series(name_or_path: str | Path) -> SeriesRulebook:
    """A rulebook by name (`asian-lms` -> configs/series/asian-lms.yaml) or by path."""
    return load_model(SeriesRulebook, resolve_named(name_or_path, "series", "series"))
