"""Scores of title forecasts against what happened: Brier score, log loss, calibration bins.

A title forecast gives each competitor a probability of winning; exactly one of them won. Brier score
= sum over competitors of (p - won)^2 (0 perfect, 2 worst; a uniform forecast over n scores 1 - 1/n);
log loss = -ln p(champion) (0 perfect; uniform: ln n). A Monte Carlo estimate can give the champion 0:
probabilities are floored at `floor` (half a season of the study) and renormalised before the log.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

BINS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1.0)


def brier(p: np.ndarray, won: np.ndarray) -> float:
    p, won = np.asarray(p, float), np.asarray(won, float)
    return float(np.sum((p - won) ** 2))


def log_loss(p: np.ndarray, won: np.ndarray, floor: float) -> float:
    p = np.maximum(np.asarray(p, float), floor)
    p = p / p.sum()
    return float(-math.log(p[np.asarray(won, bool)].sum()))


def calibration(forecasts: pd.DataFrame, column: str, bins: Sequence[float] = BINS) -> pd.DataFrame:
    """Per probability bin of `column`: forecasts, mean forecast and how often they won (`won` 0/1)."""
    p = forecasts[column].astype(float)
    binned = pd.cut(p, list(bins), include_lowest=True)
    table = forecasts.groupby(binned, observed=True).agg(forecasts=(column, "size"), mean_p=(column, "mean"),
                                                         frequency=("won", "mean"))
    return table.reset_index(names="bin")
