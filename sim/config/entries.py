"""Entry lists (`configs/entries/<name>.yaml`): cars, teams, crews with FIA ratings, home regions.

Crew rules (which ratings a class or sub-category needs) live in the series rulebook and are
checked when a scenario is compiled, not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.config.loader import StrictModel, load_model, resolve_named

Rating = Literal["Platinum", "Gold", "Silver", "Bronze"]


class Driver(StrictModel):
    name: str = Field(min_length=1)
    rating: Rating
    pace_offset_s: float = Field(0.0, description="This driver's lap-time offset vs. the rating's typical pace (s/lap; + is slower).")


class Entry(StrictModel):
    car: str = Field(min_length=1, description="Car number as text: '7' and '007' are different cars.")
    team: str = Field(min_length=1)
    car_class: str = Field(alias="class", min_length=1)
    category: str = Field("", description="Sub-category inside the class (Pro-Am, Gold Cup ...); empty if none.")
    car_model: str = Field(min_length=1, description="Key into the race model's car models (BoP).")
    drivers: list[Driver] = Field(min_length=1, max_length=4)
    home_region: str = Field("Europe", description="Where the team is based; drives the participation model.")
    entry: Literal["season", "additional"] = "season"
    pace_offset_s: float = Field(0.0, description="Team/car quality: lap-time offset vs. the class reference (s/lap).")
    reliability: Annotated[float, Field(gt=0)] = Field(1.0, description="Multiplier on the class failure hazard.")

    model_config = StrictModel.model_config | {"populate_by_name": True}


class EntryList(StrictModel):
    name: str = ""
    source: str = ""
    entries: list[Entry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_cars(self) -> EntryList:
        seen: set[str] = set()
        for index, entry in enumerate(self.entries):
            if entry.car in seen:
                raise ValueError(f"entries[{index}].car '{entry.car}' is listed twice")
            seen.add(entry.car)
        return self


def load_entries(name_or_path: str | Path) -> EntryList:
    return load_model(EntryList, resolve_named(name_or_path, "entries", "entry list"))
