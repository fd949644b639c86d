"""Venues (`configs/venues.yaml`): where races run, how fast each class laps there, and the climate.

Used by the race model (pace, pit loss, weather) and by calendar planning (coordinates, region,
climate by month).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

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
    timezone_utc_offset_h: float = Field(0.0, description="Standard-time offset from UTC, hours (used without `timezone`).")
    timezone: str | None = Field(None, description="IANA time zone (e.g. America/New_York): local clock times, "
                                 "daylight-saving time included; its standard offset must be `timezone_utc_offset_h`.")
    lap_km: Positive
    pit_lane_loss_s: Positive = Field(description="Time lost driving through the pit lane at the limiter vs. a racing lap.")
    reference_lap_s: dict[str, Positive] = Field(
        description="Typical race lap (median green-flag lap of a good car) per class, in seconds.")
    incident_factor: Positive = Field(1.0, description="Track's incident rate relative to the class base hazard.")
    floodlit: bool = Field(False, description="Track lit for night racing: darkness changes nothing there.")
    climate: Climate
    source: str = ""


    @model_validator(mode="after")
    def _timezone_matches_offset(self) -> Venue:
        if self.timezone is None:
            return self
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{self.timezone}' (an IANA name such as Europe/Paris)") from None
        winter, summer = (dt.datetime(2023, month, 15, tzinfo=zone).utcoffset() for month in (1, 7))
        assert winter is not None and summer is not None
        standard = min(winter, summer).total_seconds() / 3600
        if standard != self.timezone_utc_offset_h:
            raise ValueError(f"time zone {self.timezone} is UTC{standard:+g} in standard time, not "
                             f"timezone_utc_offset_h {self.timezone_utc_offset_h:+g}")
        return self


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
