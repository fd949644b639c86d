"""Forecasts checked against real seasons (`sim backtest`): scoring, baselines, the backtest, its report."""

from sim.forecast.backtest import FORECASTERS, BacktestResult, backtest
from sim.forecast.scoring import brier, calibration, log_loss

__all__ = ["FORECASTERS", "BacktestResult", "backtest", "brier", "calibration", "log_loss"]
