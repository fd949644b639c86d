"""Brier score, log loss and calibration bins: their known values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.forecast.backtest import uniform_check
from sim.forecast.scoring import brier, calibration, log_loss


def test_perfect_and_worst_forecasts():
    won = np.array([0, 1, 0])
    assert brier(np.array([0, 1, 0]), won) == 0 and log_loss(np.array([0, 1, 0]), won, 1e-9) == pytest.approx(0, abs=1e-8)
    assert brier(np.array([1, 0, 0]), won) == 2


@pytest.mark.parametrize("n", [2, 9, 22])
def test_uniform_forecast_scores(n):
    p, won = np.full(n, 1 / n), np.eye(n)[0]
    assert (brier(p, won), log_loss(p, won, 1e-6)) == pytest.approx(uniform_check(n))
    assert uniform_check(n) == pytest.approx((1 - 1 / n, math.log(n)))


def test_a_champion_given_zero_gets_the_floor_not_infinity():
    p, won = np.array([1.0, 0.0]), np.array([0, 1])
    assert log_loss(p, won, 0.005) == pytest.approx(-math.log(0.005 / 1.005))


def test_calibration_bins_count_and_average():
    frame = pd.DataFrame({"p": [0.01, 0.03, 0.6, 0.65, 0.9], "won": [0, 0, 1, 0, 1]})
    table = calibration(frame, "p").set_index("bin")
    assert table["forecasts"].sum() == 5
    row = table.loc[pd.Interval(0.5, 0.7)]
    assert (row["forecasts"], row["mean_p"], row["frequency"]) == (2, pytest.approx(0.625), 0.5)
