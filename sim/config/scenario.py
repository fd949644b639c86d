"""Scenarios (`scenarios/*.yaml`) and their calendars: a runnable study.

A scenario names a series rulebook, an entry list and a calendar (rounds with venue, date,
races and their length). Races are numbered R1, R2, ... in calendar order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, model_validator

from sim.config.loader import StrictModel, load_model


class RaceSpec(StrictModel):
    hours: Annotated[float, Field(gt=0, le=30)] = 4.0
    start_local: str = Field("15:00", pattern=r"^\d{2}:\d{2}$", description="Local start time, HH:MM.")
    laps: Annotated[int, Field(gt=0)] | None = Field(None, description="Race over a distance instead of a time.")


class Round(StrictModel):
    venue: str = Field(description="Key in configs/venues.yaml.")
    date: dt.date = Field(description="Date of the first race of the round.")
    races: list[RaceSpec] = Field(default_factory=lambda: [RaceSpec()], min_length=1)
    name: str = ""


class Calendar(StrictModel):
    season: str = ""
    rounds: list[Round] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Calendar":
        for index in range(1, len(self.rounds)):
            if self.rounds[index].date < self.rounds[index - 1].date:
                raise ValueError(
                    f"rounds[{index}].date {self.rounds[index].date} is before rounds[{index - 1}].date "
                    f"{self.rounds[index - 1].date}: rounds must be in date order")
        return self

    def race_ids(self) -> list[str]:
        count = sum(len(r.races) for r in self.rounds)
        return [f"R{i}" for i in range(1, count + 1)]


class Scenario(StrictModel):
    name: str
    description: str = ""
    series: str = Field(description="Rulebook name under configs/series/ or a path to one.")
    entries: str = Field(description="Entry list name under configs/entries/ or a path to one.")
    calendar: Calendar
    options: dict[str, Any] = Field(default_factory=dict)


def load_scenario(path: str | Path) -> Scenario:
    return load_model(Scenario, path)
