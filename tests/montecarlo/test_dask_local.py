"""`--scheduler local:N`: a Dask LocalCluster started for the study and closed with it."""

from __future__ import annotations

import pytest

from sim.errors import InputError
from sim.montecarlo.executors import local_cluster_size
from sim.montecarlo.toy import ToyKernel
from sim.report.studies import run_montecarlo_command


@pytest.mark.slow
def test_local_two_workers_give_the_summary_of_processes(tmp_path) -> None:
    pytest.importorskip("distributed")
    run_montecarlo_command(ToyKernel(), 400, 6, workers=2, out_dir=tmp_path / "processes", chunk_size=30,
                           plots=False, report=False, progress=False)
    result = run_montecarlo_command(ToyKernel(), 400, 6, scheduler="local:2", out_dir=tmp_path / "dask",
                                    chunk_size=30, plots=False, report=False, progress=False)
    assert result.executor == "dask-local" and result.workers == 2
    for name in ("summary.csv", "positions.csv", "titles.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "processes" / name).read_bytes()


@pytest.mark.parametrize("address", ["local:0", "local:two", "local:"])
def test_a_bad_local_cluster_size_is_an_input_error(address) -> None:
    with pytest.raises(InputError) as error:
        local_cluster_size(address)
    assert error.value.field == "scheduler"


def test_local_sizes() -> None:
    assert local_cluster_size("local:3") == 3 and local_cluster_size("tcp://host:8786") is None
    assert local_cluster_size("localhost:8786") is None     # a scheduler address, not a local cluster
    assert local_cluster_size("local") >= 1
