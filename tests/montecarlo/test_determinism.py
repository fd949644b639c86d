"""Same seed, same tables byte for byte, whatever the executor, worker count or chunk size."""

from __future__ import annotations

import socket
import time

import pytest

from sim.errors import InputError
from sim.montecarlo.runner import run_study
from sim.montecarlo.toy import FaultInjection, ToyKernel
from tests.montecarlo.conftest import tables_text

RUNS = 600
SEED = 11


@pytest.fixture(scope="module")
def serial_tables() -> dict[str, str]:
    return tables_text(run_study(ToyKernel(), RUNS, SEED, executor="serial", chunk_size=50, progress=False))


@pytest.mark.parametrize("chunk_size", [4, 600])
def test_chunk_size_does_not_change_any_table(serial_tables: dict[str, str], chunk_size: int) -> None:
    result = run_study(ToyKernel(), RUNS, SEED, executor="serial", chunk_size=chunk_size, progress=False)
    assert tables_text(result) == serial_tables


def test_two_processes_equal_serial(serial_tables: dict[str, str]) -> None:
    result = run_study(ToyKernel(), RUNS, SEED, executor="processes", workers=2, chunk_size=23, progress=False)
    assert result.executor == "processes" and result.workers == 2
    assert tables_text(result) == serial_tables


def test_another_seed_changes_the_summary(serial_tables: dict[str, str]) -> None:
    result = run_study(ToyKernel(), RUNS, SEED + 1, executor="serial", chunk_size=50, progress=False)
    assert tables_text(result)["summary"] != serial_tables["summary"]


def test_a_dead_worker_process_is_replaced_without_changing_the_result(serial_tables, tmp_path) -> None:
    fault = FaultInjection(season=130, marker=str(tmp_path / "died"), mode="exit")
    result = run_study(ToyKernel(fault=fault), RUNS, SEED, executor="processes", workers=2, chunk_size=40,
                       progress=False)
    assert (tmp_path / "died").exists()  # the worker really died once
    assert tables_text(result) == serial_tables


@pytest.mark.slow
def test_dask_local_cluster_equals_serial(serial_tables: dict[str, str], dask_cluster) -> None:
    result = run_study(ToyKernel(), RUNS, SEED, executor="dask", scheduler=dask_cluster.scheduler_address,
                       chunk_size=31, progress=False)
    assert result.executor == "dask" and result.workers == 2
    assert tables_text(result) == serial_tables


@pytest.mark.slow
def test_dask_worker_that_dies_is_replaced_without_changing_the_result(serial_tables, dask_cluster,
                                                                         tmp_path) -> None:
    fault = FaultInjection(season=200, marker=str(tmp_path / "died"), mode="exit")
    result = run_study(ToyKernel(fault=fault), RUNS, SEED, executor="dask",
                       scheduler=dask_cluster.scheduler_address, chunk_size=50, progress=False)
    assert (tmp_path / "died").exists()
    assert tables_text(result) == serial_tables


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_scheduler_fails_fast_before_simulating(tmp_path) -> None:
    fault = FaultInjection(season=0, marker=str(tmp_path / "ran"), mode="interrupt")
    started = time.monotonic()
    with pytest.raises(InputError) as error:
        run_study(ToyKernel(fault=fault), 10, 1, executor="dask", scheduler=f"tcp://127.0.0.1:{_closed_port()}")
    assert time.monotonic() - started < 4
    assert error.value.field == "scheduler" and "cannot reach Dask scheduler" in error.value.reason
    assert not (tmp_path / "ran").exists()  # no season was simulated


@pytest.mark.parametrize("address", ["nonsense", "tcp://host-without-port"])
def test_malformed_scheduler_address_is_an_input_error(address: str) -> None:
    with pytest.raises(InputError, match="scheduler"):
        run_study(ToyKernel(), 10, 1, executor="dask", scheduler=address)
