"""--target-se: run until every title probability's standard error is at most X, deciding at fixed season
counts in season order, so the same seed gives the same seasons and tables whatever the workers."""

from __future__ import annotations

import json

import pytest

from sim.errors import InputError
from sim.montecarlo.runner import StudyInterrupted, run_study
from sim.montecarlo.stopping import MAX_RUNS, TARGET, make_stop_rule, max_title_se
from sim.montecarlo.toy import ToyKernel
from sim.report.studies import run_montecarlo_command
from tests.montecarlo.conftest import tables_text

SEED, TARGET_SE = 21, 0.02


@pytest.fixture(scope="module")
def serial():
    return run_study(ToyKernel(), None, SEED, executor="serial", target_se=TARGET_SE, progress=False)


def test_stops_at_the_first_decision_point_that_meets_the_target(serial) -> None:
    """A fair two-car title has p ~ 1/2, so SE ~ 0.5 / sqrt(n) reaches 0.02 near n = 625: the study stops at
    the first multiple of 100 where the largest SE is <= 0.02, and it was above it 100 seasons earlier."""
    assert serial.stop_reason == TARGET and serial.runs % 100 == 0 and 600 <= serial.runs <= 700
    assert max_title_se(serial.aggregate) <= TARGET_SE
    before = run_study(ToyKernel(), serial.runs - 100, SEED, executor="serial", progress=False)
    assert max_title_se(before.aggregate) > TARGET_SE
    same_seasons = run_study(ToyKernel(), serial.runs, SEED, executor="serial", chunk_size=serial.runs, progress=False)
    assert tables_text(same_seasons) == tables_text(serial)   # exactly the seasons 0..n-1


@pytest.mark.parametrize("options", [{"executor": "processes", "workers": 2, "chunk_size": 7},
                                     {"executor": "serial", "chunk_size": 250}])
def test_the_same_seasons_and_tables_whatever_the_workers_or_chunks(serial, options) -> None:
    """Chunks run ahead of a decision on other workers are dropped, so 2 processes stop where 1 does."""
    result = run_study(ToyKernel(), None, SEED, target_se=TARGET_SE, progress=False, **options)
    assert result.runs == serial.runs and tables_text(result) == tables_text(serial)


def test_max_runs_stops_a_study_that_cannot_reach_its_target() -> None:
    result = run_study(ToyKernel(), None, SEED, executor="serial", target_se=0.001, max_runs=250, progress=False)
    assert result.stop_reason == MAX_RUNS and result.runs == 250
    assert max_title_se(result.aggregate) > 0.001


def test_an_interrupted_target_study_resumes_to_the_same_result(serial, tmp_path) -> None:
    checkpoint = tmp_path / "study.npz"
    with pytest.raises(StudyInterrupted):
        run_study(ToyKernel(), None, SEED, executor="serial", target_se=TARGET_SE, chunk_size=50,
                  checkpoint=checkpoint, max_chunks=5, progress=False)
    with pytest.raises(InputError) as other:   # a checkpoint belongs to its target
        run_study(ToyKernel(), None, SEED, executor="serial", target_se=0.03, checkpoint=checkpoint, resume=True,
                  progress=False)
    assert other.value.field == "target_se"
    resumed = run_study(ToyKernel(), None, SEED, executor="processes", workers=2, target_se=TARGET_SE,
                        checkpoint=checkpoint, resume=True, progress=False)
    assert resumed.chunks_resumed == 5 and resumed.seasons_run_here == resumed.runs - 250
    assert tables_text(resumed) == tables_text(serial)


def test_default_maximum_always_reaches_the_target_and_bad_values_name_the_option() -> None:
    assert make_stop_rule(0.01).max_runs == 2500          # 0.25 / 0.01^2: p(1-p) <= 1/4
    assert make_stop_rule(0.0001).max_runs == 100_000     # capped: more needs --max-runs
    for value in (0, -0.1, 0.6, float("nan"), "0.01"):
        with pytest.raises(InputError) as error:
            make_stop_rule(value)
        assert error.value.field == "--target-se"
    with pytest.raises(InputError) as error:
        make_stop_rule(0.01, max_runs=0)
    assert error.value.field == "--max-runs"


@pytest.mark.parametrize("options, field", [({"runs": 100, "target_se": 0.01}, "--runs"),
                                            ({"runs": None}, "--runs"),
                                            ({"runs": None, "target_se": 0.7}, "--target-se")])
def test_the_command_wants_runs_or_a_target(tmp_path, options, field) -> None:
    with pytest.raises(InputError) as error:
        run_montecarlo_command(ToyKernel(), seed=1, out_dir=tmp_path / "out", progress=False, **options)
    assert error.value.field == field and not (tmp_path / "out").exists()


def test_manifest_and_report_say_why_the_study_stopped(serial, tmp_path) -> None:
    run_montecarlo_command(ToyKernel(), None, SEED, workers=1, out_dir=tmp_path, target_se=TARGET_SE, plots=False,
                           progress=False)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["runs"] == serial.runs
    # default maximum: 0.25 / 0.02^2 = 625 seasons, rounded up to a decision point
    assert manifest["stop"] == {"reason": TARGET, "target_se": TARGET_SE, "max_runs": 700, "check_every": 100}
    assert manifest["max_se_p_title"] <= TARGET_SE
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"{serial.runs:,} seasons: target reached (every title probability&#39;s SE &lt;= 0.02)" in report
