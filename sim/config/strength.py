"""Parameters of the strength estimator (`configs/strength.yaml`, sim.strength.estimate).

What a pace observation from a results table says about a car's season-long effect (theta, % of the
class reference lap, the race model's `season_spread_pct` units): an observation of kind k in a race is
`intercept(race, k) + loading_k x theta + noise`, the noise Student-t with sd `noise_pct`. Both numbers
per class and kind are measured from real results (tools/calibrate_strength.py; docs/strength.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from sim.config.loader import CONFIGS, StrictModel, load_model

Positive = Annotated[float, Field(gt=0)]


class ObservationModel(StrictModel):
    loading: Positive = Field(description="Observed % per 1 % of season effect (< 1: neutralisations, pit "
                                          "stops and traffic dilute a pace difference in the results).")
    noise_pct: Positive = Field(description="Race-to-race sd of one observation around the car's effect, %.")


class ClassObservations(StrictModel):
    pace: ObservationModel
    fastest_lap: ObservationModel
    prior_sd_pct: Positive | None = Field(
        None, description="Season spread of a class the race model lacks (e.g. IMSA GTD), for `sim strength` "
                          "without a scenario; a race-model class uses its season_spread_pct.")


class SeriesObservations(StrictModel):
    classes: dict[str, ClassObservations] = Field(description="Per class of this series.")


class StrengthModel(StrictModel):
    min_lap_share: Annotated[float, Field(gt=0, le=1)] = Field(
        0.97, description="A car further behind its class winner (laps) gives no pace observation: garage "
                          "time or an incident, i.e. reliability, not pace.")
    fastest_lap_min_share: Annotated[float, Field(gt=0, le=1)] = Field(
        0.5, description="Least share of the winner's laps for a fastest-lap observation.")
    degrees_of_freedom: Annotated[float, Field(ge=1)] = Field(
        4.0, description="Student-t noise: an outlier race (a spin, a slow stop) weighs less than in a Gaussian.")
    default_prior_sd_pct: Positive = Field(description="Prior season spread for a class listed nowhere.")
    classes: dict[str, ClassObservations] = Field(description="Per class, as the results tables spell it "
                                                              "(ACO-style series: Asian LMS, ELMS, ...).")
    series: dict[str, SeriesObservations] = Field(
        default_factory=dict, description="Per series (rulebook name, e.g. imsa): its own classes, first.")
    default: ClassObservations = Field(description="Classes not listed.")

    @model_validator(mode="after")
    def _default_has_no_prior(self) -> StrengthModel:
        if self.default.prior_sd_pct is not None:
            raise ValueError("default.prior_sd_pct: use default_prior_sd_pct")
        return self

    def for_class(self, name: str, series: str = "") -> ClassObservations:
        own = self.series.get(series)
        if own is not None and name in own.classes:
            return own.classes[name]
        return self.classes.get(name, self.default)


def load_strength_model(path: str | Path | None = None) -> StrengthModel:
    return load_model(StrengthModel, path or CONFIGS / "strength.yaml")
