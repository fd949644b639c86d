"""Race-model parameters (`configs/race-model.yaml`): per-class car and crew behaviour, car models
with Balance of Performance, race control (neutralisations), traffic, weather and start.

These are modelling assumptions calibrated from real data (docs/calibration.md); series rules
(drive times, pit rules, which neutralisation procedures exist) live in `configs/sporting/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.config.loader import CONFIGS, StrictModel, load_model

Rating = Literal["Platinum", "Gold", "Silver", "Bronze"]
RATINGS: tuple[str, ...] = ("Platinum", "Gold", "Silver", "Bronze")
Procedure = Literal["FCY", "SC", "Code60"]
PROCEDURES: tuple[str, ...] = ("FCY", "SC", "Code60")


def check_procedures(names: Iterable[str], prefix: str = "") -> None:
    """Raise ValueError naming the first name that is not a known neutralisation procedure."""
    unknown = [name for name in names if name not in PROCEDURES]
    if unknown:
        raise ValueError(f"{prefix}unknown procedure '{unknown[0]}' (expected {', '.join(PROCEDURES)})")

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Probability = Annotated[float, Field(ge=0, le=1)]


class LogNormal(StrictModel):
    """A positive duration: `median` seconds, log-space standard deviation `sigma`."""

    median: Positive
    sigma: NonNegative = 0.0


def _all_ratings(value: dict[str, float], what: str) -> dict[str, float]:
    missing = [rating for rating in RATINGS if rating not in value]
    if missing:
        raise ValueError(f"{what} needs a value for every rating (missing: {', '.join(missing)})")
    return value


class ClassModel(StrictModel):
    """How the cars and crews of one class behave (before venue, BoP and team offsets)."""

    fuel_capacity_l: Positive
    fuel_per_km_l: Positive = Field(description="Green-flag racing consumption.")
    neutral_fuel_factor: Probability = Field(0.45, description="Consumption under neutralisation vs. green.")
    refuel_rate_l_s: Positive
    reserve_laps: Annotated[int, Field(ge=0)] = Field(1, description="Laps of fuel kept in hand when planning a stint.")
    tyre_change_s: NonNegative
    tyre_stints: Annotated[int, Field(ge=1)] = Field(description="Tyres are changed every N stints.")
    driver_change_s: NonNegative
    pit_time_sigma: NonNegative = Field(0.08, description="Log-space spread of the stationary time.")
    lap_noise_pct: NonNegative = Field(description="Lap-to-lap standard deviation, % of the reference lap.")
    rating_pace_pct: dict[str, float] = Field(description="Lap-time offset by FIA rating, % of the reference lap.")
    season_spread_pct: NonNegative = Field(
        description="Car-to-car pace spread that lasts a season (sd, % of the reference lap): each car's effect "
                    "is drawn once per season from the season's own stream (docs/strength.md).")
    race_spread_pct: NonNegative = Field(
        description="Race-day form of a car on top of its season effect (sd, % of the reference lap), drawn per race.")
    rating_spread_pct: dict[str, NonNegative] = Field(
        description="Driver-to-driver pace spread inside a rating (sd, % of the reference lap), drawn per race.")
    qualifying_gain_pct: NonNegative = Field(2.0, description="A qualifying lap is this much faster than a race lap.")
    qualifying_noise_pct: NonNegative = 0.3
    incident_per_hour: NonNegative = Field(description="Incident hazard per car-hour with a Silver driver, dry, no traffic.")
    rating_incident_factor: dict[str, Positive]
    failure_per_hour: NonNegative = Field(description="Mechanical failure hazard per car-hour.")
    repair_probability: Probability = Field(description="Share of failures repaired in the garage (the rest retire).")
    repair_time_s: LogNormal

    @model_validator(mode="before")
    @classmethod
    def _team_spread_was_split(cls, data):
        """`team_spread_pct` (one spread drawn per race) became a season part and a race part."""
        if isinstance(data, dict) and "team_spread_pct" in data:
            raise ValueError("team_spread_pct was split into season_spread_pct (drawn once per season) and "
                             "race_spread_pct (drawn per race); see docs/strength.md")
        return data

    @model_validator(mode="after")
    def _ratings_complete(self) -> ClassModel:
        _all_ratings(self.rating_pace_pct, "rating_pace_pct")
        _all_ratings(self.rating_incident_factor, "rating_incident_factor")
        _all_ratings(self.rating_spread_pct, "rating_spread_pct")
        unknown = [r for r in (*self.rating_pace_pct, *self.rating_incident_factor, *self.rating_spread_pct)
                   if r not in RATINGS]
        if unknown:
            raise ValueError(f"unknown rating '{unknown[0]}' (expected {', '.join(RATINGS)})")
        return self


class Fuel(StrictModel):
    """A racing fuel: its energy per litre (lower heating value) and its well-to-wheel greenhouse factor
    (gasoline = 1.0), for the race's `energy_mj` and `ghg_mj` result columns (Green X scoring)."""

    energy_mj_per_l: Positive
    ghg_factor: NonNegative = Field(description="Well-to-wheel greenhouse gases per MJ, gasoline = 1.0.")


DEFAULT_FUEL = "e10"
# A race-model file without a `fuels` table: every car burns E10 (California Energy Commission gasoline
# LHV 31.2 MJ/l; greenhouse factor 0.97, assumed; see configs/race-model.yaml).
DEFAULT_FUELS = {DEFAULT_FUEL: {"energy_mj_per_l": 31.2, "ghg_factor": 0.97}}


class CarModel(StrictModel):
    """A car model of a class; BoP as a lap-time offset and a fuel-consumption factor."""

    class_name: str = Field(alias="class", min_length=1)
    aliases: list[str] = Field(default_factory=list, description="Other spellings used in entry lists / timing.")
    bop_pace_pct: float = Field(0.0, description="Lap-time offset after BoP, % of the class reference (+ slower).")
    fuel_factor: Positive = Field(1.0, description="Consumption multiplier vs. the class.")
    fuel_capacity_l: Positive | None = Field(None, description="Tank size when it differs from the class.")
    reliability: Positive = Field(1.0, description="Multiplier on the class failure hazard.")
    fuel: str = Field(DEFAULT_FUEL, min_length=1, description="Key of the race model's `fuels` table.")

    model_config = StrictModel.model_config | {"populate_by_name": True}


class ProcedureModel(StrictModel):
    """One neutralisation procedure: how often it is chosen, how long it lasts, how slow it is."""

    weight: NonNegative = Field(description="Relative chance this procedure is used for a neutralising incident.")
    duration_s: LogNormal
    speed_kmh: Positive = Field(description="Average speed of the field under this procedure (FCY 80 km/h).")
    bunching: bool = Field(False, description="The field bunches up in a train (Safety Car).")
    train_gap_s: NonNegative = Field(1.5, description="Gap between consecutive cars of a class in the train.")


class RedFlagModel(StrictModel):
    probability: Probability = Field(0.0, description="Chance that a neutralising incident is a red flag.")
    duration_s: LogNormal = LogNormal(median=1800, sigma=0.5)


class RaceControlModel(StrictModel):
    neutralise_probability: Probability = Field(description="Share of incidents that neutralise the race.")
    stoppage_neutralise_probability: Probability = Field(
        description="Share of mechanical retirements (car stopped on track) that neutralise the race.")
    extension_share: Probability = Field(
        0.5, description="An incident during a neutralisation extends it by this share of a new one.")
    procedures: dict[str, ProcedureModel]
    red_flag: RedFlagModel = Field(default_factory=RedFlagModel)

    @model_validator(mode="after")
    def _known_procedures(self) -> RaceControlModel:
        check_procedures(self.procedures)
        return self


class IncidentModel(StrictModel):
    """What an incident does to the car involved."""

    retire_probability: Probability
    damage_probability: Probability = Field(description="Car pits for repairs (time lost drawn from damage_time_s).")
    damage_time_s: LogNormal
    spin_time_s: LogNormal = Field(description="Time lost by the car when the incident does no lasting damage.")
    penalty_probability: Probability = Field(description="The car is judged responsible and gets a drive-through.")

    @model_validator(mode="after")
    def _probabilities_sum(self) -> IncidentModel:
        if self.retire_probability + self.damage_probability > 1:
            raise ValueError("retire_probability + damage_probability is more than 1")
        return self


class TrafficModel(StrictModel):
    pass_loss_s: NonNegative = Field(description="Time a faster car loses per slower car it laps.")
    passed_loss_s: NonNegative = Field(description="Time a slower car loses per faster car lapping it.")
    incident_per_pass: NonNegative = Field(description="Extra incident hazard per pass made or suffered per lap.")
    reference_field: dict[str, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Cars per class in the field the venue reference laps were measured in; only the "
                    "traffic beyond that field's is added to the laps.")


class WeatherModel(StrictModel):
    wet_lap_factor: Annotated[float, Field(ge=1)] = Field(description="Lap-time multiplier in the wet.")
    wet_noise_factor: Annotated[float, Field(ge=1)] = 1.5
    wet_incident_factor: Annotated[float, Field(ge=1)]


class StartModel(StrictModel):
    grid_spacing_s: NonNegative = Field(description="Time between consecutive grid slots at the rolling start.")


class StrategyModel(StrictModel):
    pit_under_neutralisation_fraction: Probability = Field(
        description="A car pits when a neutralisation starts once this share of its planned stint is done.")
    drive_time_margin_s: NonNegative = Field(description="Teams plan minimum drive times with this margin.")
    every_driver_drives: bool = Field(
        True, description="Every crew member drives: a driver without a rule minimum (or with a smaller one) is "
                          "planned at least every_driver_min_stint_share of a full-tank stint, after the rule "
                          "minimums of the others; the fastest driver takes the rest within his maximum.")
    every_driver_min_stint_share: Annotated[float, Field(gt=0, le=1)] = Field(
        0.75, description="The least a crew member drives when every_driver_drives, as a share of one full-tank "
                          "stint at his pace (a planning target, not a rule: missing it is no breach).")
    long_race_hours: Annotated[float, Field(gt=0)] = Field(
        8.0, description="Races at least this long are 'long' for the long_race_* settings.")
    long_race_spell_stints: Annotated[float, Field(ge=1)] = Field(
        3.0, description="In long races (with long_race_drive_share), once every minimum is met a driver hands "
                         "over after about this many full-tank stints in a row when another driver may drive.")
    long_race_drive_share: Annotated[float, Field(gt=0, le=1)] | None = Field(
        None, description="In long races, once every minimum is met, the fastest driver hands over when he has "
                          "driven this share of the race (teams share the time among their professionals); "
                          "none: he drives as long as the rules let him.")
    long_race_least_drive_share: Annotated[float, Field(gt=0, le=1)] | None = Field(
        None, description="In long races (with every_driver_drives), each crew member's planning target is at "
                          "least this share of an even split of the race (race length / crew size) and the "
                          "crew's largest rule minimum: teams share a long race among all their drivers; "
                          "none: the stint target only.")


class FailureLengthModel(StrictModel):
    """How the mechanical-failure hazard depends on the race's length. Real retirements are not a constant
    hazard: IMSA 2023-24 fit -ln(share running) ~ 0.109 per race + 0.0115 per car-hour (1 h 40 to 24 h), a
    per-race part worth `per_race_hours` hours of the per-hour part. The classes' failure_per_hour holds at
    `reference_hours` (the 4-hour races it was calibrated on); a race of T hours runs at
    failure_per_hour x (per_race_hours / T + 1) / (per_race_hours / reference_hours + 1)."""

    reference_hours: Annotated[float, Field(gt=0)]
    per_race_hours: NonNegative

    def factor(self, hours: float) -> float:
        return (self.per_race_hours / hours + 1) / (self.per_race_hours / self.reference_hours + 1)


class NightModel(StrictModel):
    """Racing in darkness at a venue without floodlights (sunset to sunrise, from the round's date, start time
    and venue: `sim.sun`). Lap times of a class are multiplied by its `lap_factor` and the incident hazard
    by `incident_factor` while it is dark."""

    lap_factor: dict[str, Annotated[float, Field(gt=0.5, lt=2)]] = Field(
        default_factory=dict, description="Lap-time factor in darkness per class (race-model class or a "
                                          "scenario's merged class name); a class not listed: 1.0.")
    incident_factor: Positive = Field(1.0, description="Incident hazard factor in darkness (all classes).")


class RaceModel(StrictModel):
    classes: dict[str, ClassModel] = Field(min_length=1)
    car_models: dict[str, CarModel] = Field(min_length=1)
    fuels: dict[str, Fuel] = Field(default_factory=lambda: {k: Fuel(**v) for k, v in DEFAULT_FUELS.items()},
                                   description="Fuel types by key: energy per litre and greenhouse factor.")
    race_control: RaceControlModel
    incidents: IncidentModel
    traffic: TrafficModel
    weather: WeatherModel
    start: StartModel
    strategy: StrategyModel
    failure_length: FailureLengthModel | None = Field(
        None, description="Failure hazard by race length (none: the same per hour in every race).")
    night: NightModel = Field(default_factory=NightModel,
                              description="Pace and incidents in darkness (none: darkness changes nothing).")

    @model_validator(mode="after")
    def _car_models_known_classes(self) -> RaceModel:
        seen: dict[str, str] = {}
        for key, car in self.car_models.items():
            if car.class_name not in self.classes:
                raise ValueError(f"car_models.{key}.class: unknown class '{car.class_name}' "
                                 f"(classes: {', '.join(self.classes)})")
            for name in (key, *car.aliases):
                if name in seen and seen[name] != key:
                    raise ValueError(f"car_models.{key}: name '{name}' is also used by '{seen[name]}'")
                seen[name] = key
            if car.fuel not in self.fuels:
                raise ValueError(f"car_models.{key}.fuel: unknown fuel '{car.fuel}' (fuels: {', '.join(self.fuels)})")
        return self

    def car_model_key(self, name: str) -> str | None:
        """The car_models key for a model name or one of its aliases."""
        if name in self.car_models:
            return name
        for key, car in self.car_models.items():
            if name in car.aliases:
                return key
        return None


def load_race_model(path: str | Path | None = None) -> RaceModel:
    return load_model(RaceModel, path or CONFIGS / "race-model.yaml")
