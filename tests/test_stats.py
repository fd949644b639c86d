"""sim.stats: the numbers a study reports from its exact integer sums."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from sim.stats import binomial_se, mean_sd_se, paired_se, spearman


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-10_000, 10_000), min_size=0, max_size=40), st.sampled_from([1, 4, 1000]))
def test_mean_sd_se_from_integer_sums_are_the_sample_statistics(values, scale):
    total, total_sq, n = sum(values), sum(v * v for v in values), len(values)
    mean, sd, se = mean_sd_se(total, total_sq, n, scale)
    if n == 0:
        assert math.isnan(mean) and math.isnan(sd) and math.isnan(se)
        return
    assert mean == pytest.approx(np.mean(values) / scale)
    if n < 2:
        assert math.isnan(sd) and math.isnan(se)
        return
    assert sd == pytest.approx(np.std(values, ddof=1) / scale, abs=1e-12)
    assert se == pytest.approx(sd / math.sqrt(n), abs=1e-12)


def test_binomial_and_paired_errors():
    assert binomial_se(25, 100) == pytest.approx(math.sqrt(0.25 * 0.75 / 100))
    assert math.isnan(binomial_se(0, 0))
    diffs = np.array([1, 0, -1, 1, 1, 0, 0, -1])
    expected = np.std(diffs, ddof=1) / math.sqrt(len(diffs))
    assert paired_se(diffs.sum(), (diffs * diffs).sum(), len(diffs)) == pytest.approx(expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=3, max_size=15), st.integers(0, 2**31 - 1))
def test_spearman_is_pearson_on_average_ranks(values, salt):
    x = np.array(values, dtype=float)
    y = np.random.Generator(np.random.PCG64(salt)).permutation(len(x)).astype(float)
    rho = spearman(x, y)
    if np.ptp(x) == 0:
        assert math.isnan(rho)
        return
    assert rho == pytest.approx(np.corrcoef(scipy_stats.rankdata(x), scipy_stats.rankdata(y))[0, 1])
    assert spearman(np.exp(x), y) == pytest.approx(rho)      # only the order counts
    assert spearman(-x, y) == pytest.approx(-rho)
