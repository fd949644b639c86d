"""Checkpoint and resume: an interrupted study finishes with the result of an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from sim.errors import InputError
from sim.montecarlo.runner import StudyInterrupted, load_checkpoint, run_study
from sim.montecarlo.toy import FaultInjection, ToyKernel
from sim.report.studies import run_montecarlo_command
from tests.montecarlo.conftest import tables_text

RUNS, SEED, CHUNK = 500, 3, 25
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def uninterrupted() -> dict[str, str]:
    return tables_text(run_study(ToyKernel(), RUNS, SEED, executor="serial", chunk_size=CHUNK, progress=False))


def test_ctrl_c_inside_a_chunk_leaves_a_checkpoint_and_resume_gives_the_same_tables(tmp_path, uninterrupted):
    checkpoint = tmp_path / "study.npz"
    kernel = ToyKernel(fault=FaultInjection(season=260, marker=str(tmp_path / "fired")))
    with pytest.raises(StudyInterrupted) as stopped:
        run_study(kernel, RUNS, SEED, executor="serial", chunk_size=CHUNK, checkpoint=checkpoint, progress=False)
    assert stopped.value.seasons_done == 250  # chunks 0..9 done, chunk 10 (seasons 250..274) interrupted
    _, finished, _ = load_checkpoint(checkpoint)
    assert finished == set(range(10))
    resumed = run_study(kernel, RUNS, SEED, executor="serial", checkpoint=checkpoint, resume=True, progress=False)
    assert resumed.chunks_resumed == 10 and resumed.chunk_size == CHUNK  # chunk size taken from the checkpoint
    assert tables_text(resumed) == uninterrupted


def test_stop_after_some_chunks_then_resume_with_processes(tmp_path, uninterrupted):
    checkpoint = tmp_path / "study.npz"
    with pytest.raises(StudyInterrupted):
        run_study(ToyKernel(), RUNS, SEED, executor="serial", chunk_size=CHUNK, checkpoint=checkpoint,
                  progress=False, max_chunks=7)
    resumed = run_study(ToyKernel(), RUNS, SEED, executor="processes", workers=2, chunk_size=CHUNK,
                        checkpoint=checkpoint, resume=True, progress=False)
    assert resumed.chunks_resumed == 7
    assert tables_text(resumed) == uninterrupted


@pytest.mark.parametrize("change, field", [({"seed": SEED + 1}, "seed"), ({"runs": RUNS + 1}, "runs"),
                                          ({"chunk_size": CHUNK + 1}, "chunk_size"),
                                          ({"kernel": ToyKernel(p_first=0.6)}, "config_hash")])
def test_resume_refuses_a_checkpoint_of_another_study(tmp_path, change, field):
    checkpoint = tmp_path / "study.npz"
    with pytest.raises(StudyInterrupted):
        run_study(ToyKernel(), RUNS, SEED, executor="serial", chunk_size=CHUNK, checkpoint=checkpoint,
                  progress=False, max_chunks=2)
    options = {"kernel": ToyKernel(), "runs": RUNS, "seed": SEED, "chunk_size": CHUNK, **change}
    with pytest.raises(InputError) as error:
        run_study(options.pop("kernel"), executor="serial", checkpoint=checkpoint, resume=True, progress=False,
                  **options)
    assert error.value.field == field and "different study" in error.value.reason


def test_resume_without_a_checkpoint_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no checkpoint"):
        run_study(ToyKernel(), RUNS, SEED, executor="serial", checkpoint=tmp_path / "none.npz", resume=True)


def test_a_corrupt_checkpoint_is_an_input_error(tmp_path):
    checkpoint = tmp_path / "study.npz"
    checkpoint.write_bytes(b"not a checkpoint")
    with pytest.raises(InputError, match="not a readable study checkpoint"):
        run_study(ToyKernel(), RUNS, SEED, executor="serial", checkpoint=checkpoint, resume=True)


def test_command_resume_writes_the_same_summary_csv_and_removes_the_checkpoint(tmp_path):
    fresh, broken = tmp_path / "fresh", tmp_path / "broken"
    run_montecarlo_command(ToyKernel(), RUNS, SEED, workers=1, out_dir=fresh, chunk_size=CHUNK, plots=False,
                           report=False, progress=False)
    kernel = ToyKernel(fault=FaultInjection(season=100, marker=str(tmp_path / "fired")))
    with pytest.raises(StudyInterrupted):
        run_montecarlo_command(kernel, RUNS, SEED, workers=1, out_dir=broken, chunk_size=CHUNK, plots=False,
                               report=False, progress=False)
    assert (broken / "checkpoint.npz").exists() and not (broken / "summary.csv").exists()
    # a new run into that folder may not drop the interrupted study silently
    with pytest.raises(InputError, match="--resume finishes it, --restart discards it"):
        run_montecarlo_command(kernel, RUNS, SEED, workers=1, out_dir=broken, plots=False, report=False, progress=False)
    with pytest.raises(InputError, match="exclude each other"):
        run_montecarlo_command(kernel, RUNS, SEED, workers=1, out_dir=broken, plots=False, report=False, progress=False,
                               resume=True, restart=True)
    run_montecarlo_command(kernel, RUNS, SEED, workers=1, out_dir=broken, resume=True, plots=False, report=False, progress=False)
    assert (broken / "summary.csv").read_bytes() == (fresh / "summary.csv").read_bytes()
    assert (broken / "positions.csv").read_bytes() == (fresh / "positions.csv").read_bytes()
    assert not (broken / "checkpoint.npz").exists()


STUDY_SCRIPT = textwrap.dedent("""
    import sys
    from sim.montecarlo.runner import StudyInterrupted, run_study
    from sim.montecarlo.toy import ToyKernel
    if __name__ == "__main__":
        try:
            run_study(ToyKernel(), int(sys.argv[2]), 3, executor="serial", chunk_size=20, checkpoint=sys.argv[1],
                      progress=False, checkpoint_interval=0.05)
        except StudyInterrupted as stopped:
            print(stopped.seasons_done, flush=True)
            sys.exit(3)
""")


def test_sigterm_on_a_running_process_checkpoints_and_resume_matches(tmp_path):
    runs = 3_000
    checkpoint = tmp_path / "study.npz"
    script = tmp_path / "study.py"
    script.write_text(STUDY_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    process = subprocess.Popen([sys.executable, str(script), str(checkpoint), str(runs)], stdout=subprocess.PIPE,
                               text=True, env=env)
    deadline = time.monotonic() + 30
    while not checkpoint.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 3, out
    seasons_done = int(out.strip())
    _, finished, arrays = load_checkpoint(checkpoint)
    assert 0 < seasons_done < runs and len(finished) * 20 == seasons_done == int(arrays["seasons"])
    resumed = run_study(ToyKernel(), runs, 3, executor="serial", checkpoint=checkpoint, resume=True, progress=False)
    fresh = run_study(ToyKernel(), runs, 3, executor="serial", chunk_size=400, progress=False)
    assert resumed.aggregate.equals(fresh.aggregate)
    assert np.array_equal(resumed.aggregate.position_counts, fresh.aggregate.position_counts)


def test_restart_discards_the_checkpoint_and_runs_the_whole_study(tmp_path):
    kernel = ToyKernel(fault=FaultInjection(season=100, marker=str(tmp_path / "fired")))
    with pytest.raises(StudyInterrupted):
        run_montecarlo_command(kernel, RUNS, SEED, workers=1, out_dir=tmp_path / "out", chunk_size=CHUNK,
                               plots=False, report=False, progress=False)
    result = run_montecarlo_command(kernel, RUNS, SEED, workers=1, out_dir=tmp_path / "out", chunk_size=CHUNK,
                                    plots=False, report=False, progress=False, restart=True)
    assert result.chunks_resumed == 0 and result.seasons_run_here == RUNS
    assert not (tmp_path / "out" / "checkpoint.npz").exists()


def test_the_command_reports_an_interrupted_study_and_exits_130(tmp_path, monkeypatch):
    """click turns Ctrl-C into a bare exit code; `sim` says where the checkpoint is and which option finishes
    the study (--resume), and exits 130."""
    import sim.report.studies as study
    from tests.conftest import run_cli

    def interrupted(*args, **kwargs):
        raise StudyInterrupted(str(tmp_path / "checkpoint.npz"), 40, 100)

    monkeypatch.setattr(study, "run_montecarlo_command", interrupted)
    code, out, err = run_cli("montecarlo", "default", "--runs", "100", "--seed", "1", "--out", str(tmp_path))
    assert code == 130
    assert err.strip() == (f"study interrupted after 40 of 100 seasons; checkpoint saved in "
                           f"{tmp_path / 'checkpoint.npz'}: run the same command with --resume to finish it "
                           "(or --restart to discard it)")
