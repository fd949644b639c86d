"""Persistence of class positions: the real seasons' values of ../shared/domain.md, and the measure itself."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sim.strength.persistence import class_persistence, mean_persistence, pair_rho, persistence
from tests.conftest import PROJECT


def _table(path):
    return pd.read_csv(path, dtype={"car": str, "category": str, "ratings": str}, keep_default_na=False)


def test_real_asian_lms_2023_as_domain_md_says():
    by_class = persistence(_table(PROJECT / "data" / "asian-lms-2023-results.csv")).set_index("class")
    assert by_class["persistence"].round(2).to_dict() == {"GT": 0.40, "LMP2": 0.08, "LMP3": 0.29}
    assert (by_class["pairs"] == 6).all() and (by_class["races"] == 4).all()


@pytest.mark.parametrize("season, expected", [
    ("2023", {"GTD": 0.05, "GTD PRO": -0.02, "GTP": 0.03, "LMP2": 0.07, "LMP3": 0.21}),
    ("2024", {"GTD": 0.12, "GTD PRO": 0.05, "GTP": 0.17, "LMP2": 0.06})])
def test_real_imsa_seasons_as_domain_md_says(season, expected):
    by_class = persistence(_table(PROJECT / "data" / "seasons" / f"imsa-{season}.csv")).set_index("class")
    assert by_class["persistence"].round(2).to_dict() == expected


def test_same_order_every_race_is_one_and_a_reversal_is_minus_one():
    rows = [{"race": f"R{r}", "car": str(c), "class": "GT", "status": "classified", "class_position": c}
            for r in (1, 2, 3) for c in range(1, 7)]
    assert persistence(pd.DataFrame(rows))["persistence"].iloc[0] == pytest.approx(1.0)
    two = pd.DataFrame([{"race": f"R{r}", "car": str(c), "class": "GT", "status": "classified",
                         "class_position": c if r == 1 else 7 - c} for r in (1, 2) for c in range(1, 7)])
    assert persistence(two)["persistence"].iloc[0] == pytest.approx(-1.0)


def test_cars_that_did_not_start_are_left_out_and_seasons_are_kept_apart():
    rows = [{"season": s, "race": f"R{r}", "car": str(c), "class": "LMP2", "class_position": c,
             "status": "dns" if (c == 4 and r == 2) else "classified"} for s in (0, 1) for r in (1, 2) for c in (1, 2, 3, 4)]
    table = persistence(pd.DataFrame(rows))
    assert list(table["season"]) == [0, 1] and (table["persistence"] == 1.0).all()
    summary = mean_persistence(pd.DataFrame(rows))
    assert summary.loc[0, "persistence"] == 1.0 and summary.loc[0, "seasons"] == 2


@settings(deadline=None, max_examples=200)
@given(st.integers(3, 25), st.integers(0, 2**32 - 1))
def test_pair_rho_is_spearmans_rho(n, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.permutation(n) + 1, rng.permutation(n) + 1
    assert pair_rho(a, b) == pytest.approx(stats.spearmanr(a, b).statistic, abs=1e-12)


def test_pairs_with_fewer_than_three_common_cars_do_not_count():
    matrix = np.array([[1, 2, 3, np.nan], [np.nan, np.nan, 1, 2], [3, 2, 1, np.nan]])
    value, pairs = class_persistence(matrix)
    assert pairs == 1 and value == pytest.approx(-1.0)
    assert math.isnan(pair_rho(np.array([1, 2]), np.array([2, 1])))
