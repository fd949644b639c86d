"""Statistics of a study from exact integer sums: means, standard deviations and standard errors of a
mean, of a proportion and of a paired difference, and Spearman's rank correlation (scipy).

Monte Carlo aggregates keep counts, sums and sums of squares as integers so that they merge exactly in
any order (`sim.montecarlo.mergeable`); these turn them into the numbers a study reports. The numerator
n x sum_sq - sum^2 is formed in exact integers before the one division, so no cancellation creeps in.
"""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np
from scipy import stats


class MeanSE(NamedTuple):
    mean: float
    sd: float       # sample standard deviation
    se: float       # standard error of the mean


def mean_sd_se(total: int, total_sq: int, n: int, scale: float = 1) -> MeanSE:
    """Mean, sample sd and standard error of the mean of n values stored as integers `value x scale`,
    from their sum and sum of squares (NaN where n is too small)."""
    if n <= 0:
        return MeanSE(math.nan, math.nan, math.nan)
    mean = total / n / scale
    if n < 2:
        return MeanSE(mean, math.nan, math.nan)
    variance = max(n * int(total_sq) - int(total) ** 2, 0) / (n * (n - 1))
    sd = math.sqrt(variance)
    return MeanSE(mean, sd / scale, sd / scale / math.sqrt(n))


def binomial_se(count: int, n: int) -> float:
    """Standard error of a proportion count / n (NaN without seasons)."""
    if n <= 0:
        return math.nan
    p = count / n
    return math.sqrt(max(p * (1 - p), 0.0) / n)


def binomial_se_array(counts: np.ndarray, n: int) -> np.ndarray:
    """`binomial_se` of every count (0 without seasons: nothing is known, nothing to wait for)."""
    if n <= 0:
        return np.zeros(np.shape(counts))
    p = np.asarray(counts) / n
    return np.sqrt(np.maximum(p * (1 - p), 0.0) / n)


def paired_se(total: np.ndarray, total_sq: np.ndarray, n: int) -> np.ndarray:
    """Standard error of the mean per-season difference of a paired metric, from its sums (0/1/-1 values:
    the float numerator is exact far beyond any study's size)."""
    total, total_sq = np.asarray(total, dtype=float), np.asarray(total_sq, dtype=float)
    if n < 2:
        return np.full(total.shape, np.nan)
    return np.sqrt(np.maximum((n * total_sq - total * total) / (n * (n - 1)), 0.0) / n)


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (ties share their average rank); NaN if either side has no spread."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        return float(stats.spearmanr(np.asarray(x, float), np.asarray(y, float)).statistic)
