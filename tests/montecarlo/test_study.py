"""run_montecarlo_command: what `sim montecarlo` does (validation, outputs, manifest, plots)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.errors import InputError
from sim.montecarlo.toy import FaultInjection, ToyKernel
from sim.report.studies import run_montecarlo_command, run_paired_command

REQUIRED = ["class", "category", "kind", "car", "team", "p_title", "p_top3", "mean_points", "mean_position",
            "p_invitation", "sd_points", "se_p_title"]


def test_outputs_manifest_and_plots(tmp_path) -> None:
    result = run_montecarlo_command(ToyKernel(), 300, 4, workers=1, out_dir=tmp_path, parquet=True, progress=False)
    summary = pd.read_csv(tmp_path / "summary.csv", keep_default_na=False)
    assert set(REQUIRED) <= set(summary.columns)
    assert summary["p_title"].astype(float).between(0, 1).all()
    positions = pd.read_csv(tmp_path / "positions.csv", keep_default_na=False)
    assert {"P1", "P2", "not_classified"} <= set(positions.columns)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["seed"] == 4 and manifest["runs"] == 300 and len(manifest["config_hash"]) == 64
    assert {"python", "numpy", "pandas", "simpy", "endurance-sim"} <= set(manifest["versions"])
    assert manifest["executor"] == "serial" and manifest["seasons_per_s"] > 0
    for name in ("title_probabilities.png", "positions_heatmap.png", "points_fan.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "report.html" in manifest["outputs"] and manifest["stop"] == {"reason": "runs"}
    assert len(list((tmp_path / "seasons").glob("part-*.parquet"))) == result.chunks
    assert not (tmp_path / "checkpoint.npz").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # atomic writes left nothing behind
    # summary.csv holds no run-dependent numbers: a second run with another chunking is byte-identical.
    again = tmp_path / "again"
    run_montecarlo_command(ToyKernel(), 300, 4, workers=1, out_dir=again, chunk_size=13, plots=False, report=False,
                           progress=False)
    assert (again / "summary.csv").read_bytes() == (tmp_path / "summary.csv").read_bytes()


def test_a_rerun_removes_what_it_does_not_write_again(tmp_path) -> None:
    """Plots and per-season Parquet of an earlier study in the folder would pass for this run's."""
    run_montecarlo_command(ToyKernel(), 60, 4, workers=1, out_dir=tmp_path, parquet=True, progress=False)
    assert (tmp_path / "points_fan.png").exists() and (tmp_path / "seasons").is_dir()
    run_montecarlo_command(ToyKernel(), 60, 5, workers=1, out_dir=tmp_path, plots=False, report=False, progress=False)
    assert not list(tmp_path.glob("*.png")) and not (tmp_path / "seasons").exists()
    assert not (tmp_path / "report.html").exists()
    assert json.loads((tmp_path / "manifest.json").read_text())["seed"] == 5


@pytest.mark.parametrize("options, field", [
    ({"runs": 0}, "--runs"), ({"runs": -5}, "--runs"), ({"seed": -1}, "--seed"),
    ({"workers": 0}, "--workers"), ({"workers": 2, "scheduler": "tcp://127.0.0.1:1"}, "--workers"),
    ({"chunk_size": 0}, "--chunk-size"),
])
def test_bad_options_fail_before_any_season(tmp_path, options, field) -> None:
    marker = tmp_path / "ran"
    kernel = ToyKernel(fault=FaultInjection(season=0, marker=str(marker)))
    arguments = {"runs": 10, "seed": 1, "out_dir": tmp_path / "out", "progress": False, **options}
    with pytest.raises(InputError) as error:
        run_montecarlo_command(kernel, **arguments)
    assert error.value.field == field
    assert not marker.exists() and not (tmp_path / "out").exists()


def test_output_path_that_is_a_file_is_an_input_error(tmp_path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        run_montecarlo_command(ToyKernel(), 10, 1, workers=1, out_dir=target, progress=False)


def test_paired_command_writes_deltas(tmp_path) -> None:
    run_paired_command(ToyKernel(p_first=0.6), ToyKernel(), 200, 3, workers=1, out_dir=tmp_path, progress=False)
    paired = pd.read_csv(tmp_path / "paired.csv", keep_default_na=False)
    assert {"delta_p_title", "se_delta_p_title", "delta_mean_points"} <= set(paired.columns)
    assert (tmp_path / "summary_a.csv").exists() and (tmp_path / "summary_b.csv").exists()
    assert json.loads((tmp_path / "manifest.json").read_text())["paired"] is True


def test_progress_bar_is_off_under_ci_and_without_a_terminal(monkeypatch) -> None:
    from sim.montecarlo import runner

    monkeypatch.setattr(runner.sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "true")
    assert not runner.progress_enabled(True)
    monkeypatch.setenv("CI", "")
    assert runner.progress_enabled(True) and not runner.progress_enabled(False)
    monkeypatch.setattr(runner.sys.stderr, "isatty", lambda: False, raising=False)
    assert not runner.progress_enabled(True)
