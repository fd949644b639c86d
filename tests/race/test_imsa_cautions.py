"""IMSA's caution rate (configs/sporting/imsa.yaml `neutralise_factor`) against the 2023-24 lap exports:
the simulated cautions over hours of every race of both seasons (Daytona apart: no lap export), pooled and
by race length, within two Poisson standard errors of the real count (91 cautions in 94 h; the race
model's own shares gave 0.74 /h, outside)."""

from __future__ import annotations

import math

import pytest

from tools.imsa_cautions import length_band, real_rates, simulated_rates


@pytest.fixture(scope="module")
def rates(real_data):
    return simulated_rates(range(4)), real_rates(real_data)


def _within_two_errors(sim, real, label: str) -> None:
    cautions, hours = float((real["per_hour"] * real["hours"]).sum()), float(real["hours"].sum())
    rate, error = cautions / hours, math.sqrt(cautions) / hours
    simulated = float((sim["per_hour"] * sim["hours"]).sum() / sim["hours"].sum())
    assert abs(simulated - rate) <= 2 * error, (label, simulated, rate, error)


def test_cautions_per_hour_over_both_seasons(rates):
    sim, real = rates
    _within_two_errors(sim, real, "all")


@pytest.mark.parametrize("band", ["1h40-2h40", "6 h", "10-12 h"])
def test_cautions_per_hour_by_race_length(rates, band):
    sim, real = rates
    _within_two_errors(sim[length_band(sim["hours"]) == band], real[length_band(real["hours"]) == band], band)

