"""Venues (`configs/venues.yaml`): where races run, how fast each class laps there, and the climate.

Used by the race model (pace, pit loss, weather) and by calendar planning (coordinates, region,
climate by month).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from sim.config.loader import CONFIGS, StrictModel, load_model

REGIONS = ("Middle East", "Far East", "Europe", "North America", "Oceania", "South America")
Region = Literal["Middle East", "Far East", "Europe", "North America", "Oceania", "South America"]

Positive = Annotated[float, Field(gt=0)]
Probability = Annotated[float, Field(ge=0, le=1)]
Monthly = Annotated[list[float], Field(min_length=12, max_length=12)]


class Climate(StrictModel):
    """Monthly climate, January first: used for wet-race odds and heat risk."""

    temp_max_c: Monthly = Field(description="Average daily maximum air temperature per month (deg C).")
    rain_probability: Annotated[list[Probability], Field(min_length=12, max_length=12)] = Field(
        description="Chance that a race day in this month is wet (0-1).")


class Venue(StrictModel):
    name: str
    country: str
    region: Region
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    timezone_utc_offset_h: float = 0.0
    lap_km: Positive
    pit_lane_loss_s: Positive = Field(description="Time lost driving through the pit lane at the limiter vs. a racing lap.")
    reference_lap_s: dict[str, Positive] = Field(
        description="Typical race lap (median green-flag lap of a good car) per class, in seconds.")
    incident_factor: Positive = Field(1.0, description="Track's incident rate relative to the class base hazard.")
    floodlit: bool = False
    climate: Climate
    source: str = ""


class VenueBook(StrictModel):
    venues: dict[str, Venue]

    @field_validator("venues")
    @classmethod
    def _not_empty(cls, value: dict[str, Venue]) -> dict[str, Venue]:
        if not value:
            raise ValueError("no venues defined")
        return value


def load_venues(path: str | Path | None = None) -> VenueBook:
    return load_model(VenueBook, path or CONFIGS / "venues.yaml")
