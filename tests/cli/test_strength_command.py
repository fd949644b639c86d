"""`sim strength RESULTS --series S [--out F]`: what the model believes about each car of a real season."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import PROJECT, run_cli

REAL = PROJECT / "data" / "seasons" / "asian-lms-2023.csv"


def test_prints_and_writes_every_car(tmp_path):
    out = tmp_path / "strength.csv"
    code, stdout, err = run_cli("strength", str(REAL), "--series", "asian-lms-2023", "--out", str(out))
    assert code == 0, err
    table = pd.read_csv(out, dtype={"car": str})
    assert list(table.columns) == ["class", "car", "team", "pace_pct", "pace_s", "sd_pct", "sd_s", "races",
                                   "observations", "prior_sd_pct", "typical_lap_s"]
    assert len(table) == 46 and set(table["class"]) == {"LMP2", "LMP3", "GT"}
    for _, rows in table.groupby("class"):
        assert rows["pace_pct"].is_monotonic_increasing   # fastest first
    assert (table["pace_s"] - table["pace_pct"] * table["typical_lap_s"] / 100).abs().max() < 0.002   # % of the lap
    assert table["races"].between(0, 4).all() and "Walkenhorst Motorsport" in stdout
    assert "wrote" in err


def test_imsa_classes_use_the_series_own_priors():
    code, stdout, err = run_cli("strength", str(PROJECT / "data" / "seasons" / "imsa-2024.csv"), "--series", "imsa")
    assert code == 0, err
    assert "GTD PRO" in stdout and "GTP" in stdout


@pytest.mark.parametrize("args, message", [
    (["--series", "nowhere"], "unknown series 'nowhere'"),
    (["--series", "imsa"], "unknown class 'GT'"),          # the Asian LMS table under IMSA's rules
    (["--series", "asian-lms-2023", "--strength", "missing.yaml"], "missing.yaml: file not found"),
])
def test_bad_input_one_line_exit_2(args, message):
    code, _, err = run_cli("strength", str(REAL), *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_bad_results_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("race,car\nR1,7\n", encoding="utf-8")
    code, _, err = run_cli("strength", str(bad), "--series", "asian-lms")
    assert code == 2 and "bad.csv" in err and len(err.strip().splitlines()) == 1


def test_the_table_fits_a_narrow_terminal(monkeypatch):
    """Optional columns go first (sd in s, sd in %, s/lap), names are cut, never wrapped."""
    monkeypatch.setenv("COLUMNS", "64")
    code, stdout, err = run_cli("strength", str(REAL), "--series", "asian-lms-2023")
    assert code == 0, err
    lines = stdout.splitlines()
    assert max(len(line) for line in lines) <= 64
    assert "pace %" in stdout and "sd s" not in stdout
    assert sum("│ GT" in line for line in lines) == 22    # one line per GT car
