"""Golden seeded outputs of the whole chain (race model -> results -> standings -> awards): a seeded
season of the default scenario and two seeded races of the ALMS 2023 field give, to 0.1 s, the tables
stored in tests/fixtures/golden/. A deliberate model or rules change regenerates them with
`.venv/bin/python tools/golden.py --update` (see that file); anything else that moves them is a bug."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tools import golden


@pytest.fixture(scope="module")
def fresh():
    return golden.season_tables()


@pytest.mark.parametrize("name", ["default-season-results", "default-season-standings",
                                  "default-season-awards", "alms-2023-races"])
def test_seeded_outputs_match_the_golden_tables(fresh, name):
    expected = golden.read_golden(name)
    got = pd.read_csv(io.StringIO(fresh[name].to_csv(index=False)), keep_default_na=False, na_values=[""])
    assert len(got) == len(expected), f"{name}: {len(got)} rows, golden has {len(expected)}"
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=0.051,
                                  obj=f"{name} (regenerate with tools/golden.py --update only for a deliberate change)")
