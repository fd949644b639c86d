"""Fixtures of the Monte Carlo tests: a small Dask cluster, and helpers comparing summaries."""

from __future__ import annotations

import pytest

from sim.montecarlo.summary import summary_frames


def tables_text(result) -> dict[str, str]:
    """Every summary table of a study as CSV text (what the CLI writes byte for byte)."""
    return {name: frame.to_csv(index=False) for name, frame in summary_frames(result.aggregate, result.layout).items()}


@pytest.fixture(scope="session")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield cluster
    finally:
        cluster.close()
