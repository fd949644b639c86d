"""The Monte Carlo engine on the real default scenario (races, rules, awards, participation).

The toy-kernel tests prove the engine; these prove the real kernel keeps its promises: the same
summary.csv whatever the executor, worker count or chunk size, and any season replayed alone.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.montecarlo.scenario_kernel import ScenarioKernel
from sim.report.studies import run_montecarlo_command
from sim.season import simulate_season
from tests.conftest import run_cli

RUNS = 6
SEED = 20


@pytest.fixture(scope="module")
def kernel() -> ScenarioKernel:
    return ScenarioKernel("default")


@pytest.fixture(scope="module")
def serial_out(kernel, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    run_montecarlo_command(kernel, RUNS, SEED, workers=1, out_dir=out, chunk_size=RUNS, parquet=True,
                           plots=False, report=False, progress=False)
    return out


@pytest.fixture(scope="module")
def serial_summary(serial_out) -> bytes:
    return (serial_out / "summary.csv").read_bytes()


def test_summary_has_the_contract_columns(serial_summary):
    from io import BytesIO

    summary = pd.read_csv(BytesIO(serial_summary), dtype=str, keep_default_na=False)
    for column in ("class", "category", "kind", "car", "team", "p_title", "p_top3", "mean_points",
                   "mean_position", "p_invitation"):
        assert column in summary.columns
    teams = summary[summary["kind"] == "teams"]
    # Exactly one champion per title and season: title probabilities of a classification sum to 1
    # (up to the 6 printed decimals of each row).
    grouped = teams.assign(p=pd.to_numeric(teams["p_title"])).groupby("title")["p"]
    assert ((grouped.sum() - 1).abs() <= 1e-6 * grouped.count()).all(), grouped.sum()


@pytest.mark.slow
def test_processes_and_chunk_sizes_give_the_same_summary(kernel, serial_summary, tmp_path):
    run_montecarlo_command(kernel, RUNS, SEED, workers=2, out_dir=tmp_path, chunk_size=1, plots=False, report=False,
                           progress=False)
    assert (tmp_path / "summary.csv").read_bytes() == serial_summary


@pytest.mark.slow
def test_dask_cluster_gives_the_same_summary(kernel, serial_summary, dask_cluster, tmp_path):
    run_montecarlo_command(kernel, RUNS, SEED, scheduler=dask_cluster.scheduler_address, out_dir=tmp_path,
                           chunk_size=4, plots=False, report=False, progress=False)
    assert (tmp_path / "summary.csv").read_bytes() == serial_summary


def test_a_season_replays_alone_from_its_index(serial_out):
    parts = sorted(serial_out.glob("seasons/*.parquet"))
    assert parts, "the serial study wrote no per-season Parquet drill-down"
    seasons = pd.concat([pd.read_parquet(part) for part in parts], ignore_index=True)
    index = 4
    inside = seasons[seasons["season"] == index].drop(columns="season").reset_index(drop=True)
    alone = simulate_season("default", SEED, index).standings.reset_index(drop=True)
    columns = ["title", "position", "car", "team", "drivers", "points"]
    pd.testing.assert_frame_equal(inside[columns].astype(str), alone[columns].astype(str))


def test_cli_montecarlo_writes_the_outputs(study_run):
    """`sim montecarlo default --runs 8 --seed 4 --workers 1 --no-plots` (the session's study_run)."""
    for name in ("summary.csv", "positions.csv", "manifest.json", "report.html"):
        assert (study_run.folder / name).exists()
    assert "Title odds" in study_run.out and study_run.err.startswith(f"wrote {study_run.folder}: summary.csv")


@pytest.mark.parametrize("args, field", [
    (["--runs", "0"], "--runs"),
    (["--runs", "-5"], "--runs"),
])
def test_cli_rejects_bad_runs_before_simulating(tmp_path, args, field):
    code, _, err = run_cli("montecarlo", "default", *args, "--seed", "1", "--out", str(tmp_path))
    assert code == 2 and field in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "summary.csv").exists()
