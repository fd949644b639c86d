"""`sim backtest` on the real 2023 Asian LMS season: the real champions, consistent forecasts from every
forecaster, and bad input refused in one line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.errors import InputError
from sim.forecast.backtest import FORECASTERS, backtest, forecast_points
from sim.forecast.report import OUTPUTS, write_outputs
from sim.season import load_compiled
from tests.conftest import PROJECT, SCENARIOS, run_cli

REAL = PROJECT / "data" / "seasons" / "asian-lms-2023.csv"


@pytest.fixture(scope="module")
def result():
    return backtest(SCENARIOS / "asian-lms-2023.yaml", REAL, runs=6, seed=3)   # after round 1 (R2)


def test_forecast_points_after_each_round_or_race():
    races = load_compiled(SCENARIOS / "asian-lms-2023.yaml").races
    assert forecast_points(races, "round") == [(1, "R2")]
    assert forecast_points(races, "race") == [(1, "R1"), (1, "R2"), (2, "R3")]


def test_the_real_champions_are_the_ones_scored(result):
    champions = result.forecasts[result.forecasts["won"] == 1].groupby("title")["car"].unique()
    assert {title: list(cars) for title, cars in champions.items()} == {
        "GT teams": ["34"], "LMP2 teams": ["3"], "LMP3 teams": ["8"]}   # Walkenhorst, DKR, Graff (published)
    assert list(result.forecasts["after_race"].unique()) == ["R2"] and result.skipped == []


def test_every_forecaster_gives_each_title_a_probability_distribution(result):
    for (point, title), rows in result.forecasts.groupby(["after_race", "title"]):
        for name in FORECASTERS:
            assert rows[f"p_{name}"].between(0, 1).all()
            assert rows[f"p_{name}"].sum() == pytest.approx(1.0, abs=1e-5), (point, title, name)   # 6 decimals
        assert rows["p_uniform"].nunique() == 1 and len(rows) == rows["car"].nunique()


def test_scores_match_their_definitions(result):
    scores = result.scores
    assert len(scores) == 3 * len(FORECASTERS)
    uniform = scores[scores["forecaster"] == "uniform"]
    np.testing.assert_allclose(uniform["brier"], 1 - 1 / uniform["competitors"])
    np.testing.assert_allclose(uniform["log_loss"], np.log(uniform["competitors"]))
    summary = result.summary()
    assert list(summary["after_race"].unique()) == ["R2", "all"]
    overall = summary[summary["after_race"] == "all"].set_index("forecaster")
    assert overall.loc["model", "titles"] == 3
    assert overall.loc["uniform", "brier"] > max(overall.loc[name, "brier"] for name in ("model", "prior", "equal_cars"))


def test_outputs_written(result, tmp_path):
    written = write_outputs(result, tmp_path / "out")
    assert written == list(OUTPUTS) and all((tmp_path / "out" / name).exists() for name in OUTPUTS)
    calibration = pd.read_csv(tmp_path / "out" / "calibration.csv")
    assert (calibration.groupby("forecaster")["forecasts"].sum() == len(result.forecasts)).all()


def test_a_season_without_every_race_is_refused(tmp_path):
    partial = tmp_path / "partial.csv"
    table = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    table[table["race"] != "R4"].to_csv(partial, index=False)
    with pytest.raises(InputError, match="needs the real results of every race of the calendar"):
        backtest(SCENARIOS / "asian-lms-2023.yaml", partial, runs=2)


@pytest.mark.parametrize("args, message", [
    (["--runs", "0"], "--runs: must be a whole number > 0"),
    (["--after", "weekend"], "--after: must be one of round, race"),
    (["--strength", "missing.yaml"], "--strength: file not found"),
    (["--workers", "0"], "--workers: must be a whole number >= 1"),
])
def test_cli_bad_options_one_line_exit_2(args, message, tmp_path):
    code, _, err = run_cli("backtest", "asian-lms-2023", "--results", str(REAL), "--out", str(tmp_path / "b"), *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "b").exists()


def test_cli_missing_results_file(tmp_path):
    code, _, err = run_cli("backtest", "asian-lms-2023", "--results", str(tmp_path / "none.csv"))
    assert code == 2 and "none.csv: --results: file not found" in err


def test_comparison_is_each_baseline_minus_the_model_over_titles(result):
    table = result.comparison().set_index("forecaster")
    assert list(table.index) == ["prior", "equal_cars", "uniform"] and (table["titles"] == 3).all()
    scores = result.scores.pivot_table(index="title", columns="forecaster", values="brier")
    assert table.loc["uniform", "brier_minus_model"] == pytest.approx((scores["uniform"] - scores["model"]).mean())


def test_cli_writes_every_output_and_a_report(backtest_run):
    folder = backtest_run.folder
    assert backtest_run.err.splitlines()[-1] == f"wrote {folder}: {', '.join(OUTPUTS)}, report.html"
    assert [line for line in backtest_run.err.splitlines()[:-1] if not line.startswith("after round")] == []
    assert "Each forecast minus the model" in backtest_run.out
    assert (folder / "report.html").stat().st_size > 10_000
    summary = pd.read_csv(folder / "summary.csv")
    assert list(summary["after_race"].unique()) == ["R1", "R2", "R3", "all"]


def test_cli_tables_fit_a_narrow_terminal(monkeypatch, result):
    from sim.forecast.report import print_summary
    from sim.report.console import make_console

    monkeypatch.setenv("COLUMNS", "72")
    console = make_console()
    with console.capture() as captured:
        print_summary(result, console)
    assert max(len(line) for line in captured.get().splitlines()) <= 72
