"""Aggregates: exact order-free merging, fixed size whatever the runs, strict matching to the layout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.montecarlo.aggregate import Aggregate, aggregate_chunk
from sim.montecarlo.kernel import ChunkTables, CompetitorKey, StudyLayout, TitleLayout
from sim.montecarlo.runner import load_checkpoint, plan_chunks, run_study, save_checkpoint, study_identity
from sim.montecarlo.summary import histogram_quantiles, summary_frames
from sim.montecarlo.toy import ToyKernel

KERNEL = ToyKernel()
LAYOUT = KERNEL.layout()
CHUNKS = [aggregate_chunk(KERNEL.run_chunk(5, c.seasons), LAYOUT, c.seasons) for c in plan_chunks(120, 10)]


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(CHUNKS))))
def test_merging_in_any_order_gives_identical_arrays(order: list[int]) -> None:
    forward = Aggregate.empty(LAYOUT)
    for chunk in CHUNKS:
        forward.merge(chunk)
    shuffled = Aggregate.empty(LAYOUT)
    for i in order:
        shuffled.merge(CHUNKS[i])
    assert forward.equals(shuffled)
    assert int(forward.seasons) == 120


def test_aggregate_size_does_not_grow_with_runs() -> None:
    small = run_study(KERNEL, 10, 1, executor="serial", progress=False).aggregate
    large = run_study(KERNEL, 3000, 1, executor="serial", progress=False).aggregate
    assert small.nbytes == large.nbytes == Aggregate.empty(LAYOUT).nbytes
    assert int(large.seasons) == 3000 and int(large.position_counts.sum()) > int(small.position_counts.sum())


def test_counts_are_consistent_with_the_seasons() -> None:
    agg = run_study(KERNEL, 400, 9, executor="serial", progress=False).aggregate
    # Two cars in every season and title: each title has exactly one champion and one runner-up per season.
    for t in range(len(LAYOUT.titles)):
        rows = slice(3 * t, 3 * t + 2)
        assert agg.position_counts[rows, 0].sum() == 400 and agg.position_counts[rows, 1].sum() == 400
        assert (agg.cum_hist[rows].sum(axis=2) == 400).all()
        assert agg.title_seasons[t] == 400 and agg.gap_seasons[t] == 400
    assert agg.awards_given.tolist() == [400, 400]  # one champion and one R1 winner per season
    assert agg.points_hist.sum(axis=1)[[0, 1]].tolist() == [400, 400]


def test_checkpoint_round_trip_is_exact(tmp_path) -> None:
    agg = Aggregate.empty(LAYOUT)
    for chunk in CHUNKS:
        agg.merge(chunk)
    identity = {"kind": "study", "seed": 5}
    save_checkpoint(tmp_path / "c.npz", identity, {0, 3}, agg)
    saved, finished, arrays = load_checkpoint(tmp_path / "c.npz")
    assert saved == identity and finished == {0, 3}
    assert Aggregate.from_arrays(arrays).equals(agg)


def _tiny_layout(points_scale: int = 2) -> StudyLayout:
    competitors = (CompetitorKey("X", "", "teams", "5", "Five", "A"), CompetitorKey("X", "", "teams", "6", "Six", "B"))
    return StudyLayout(titles=(TitleLayout("X teams", "X", "", "teams", competitors, (10.0,)),),
                       race_ids=("R1",), rounds=(1,), points_scale=points_scale, points_bins=4)


def _standings(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["season", "title", "class", "category", "kind", "position", "car", "team",
                                       "drivers", "points", "R1"])


def test_unknown_competitor_goes_to_the_other_row_and_unknown_title_is_an_error() -> None:
    layout = _tiny_layout()
    table = _standings([(0, "X teams", "X", "", "teams", 1, "7", "Seven", "C", 10.0, 10.0),
                        (0, "X teams", "X", "", "teams", 2, "5", "Five", "A", 6.0, 6.0)])
    agg = aggregate_chunk(ChunkTables(table, pd.DataFrame()), layout, range(0, 1))
    assert agg.appearances.tolist() == [1, 0, 1] and agg.position_counts[2, 0] == 1
    summary = summary_frames(agg, layout)["summary"]
    assert summary["car"].tolist() == ["5", "6", "(other)"]
    assert summary["p_classified"].tolist() == ["1.000000", "0.000000", "1.000000"]
    wrong = table.assign(title="Y teams")
    with pytest.raises(ValueError, match="not in the study layout"):
        aggregate_chunk(ChunkTables(wrong, pd.DataFrame()), layout, range(0, 1))


def test_points_finer_than_the_scale_are_refused() -> None:
    table = _standings([(0, "X teams", "X", "", "teams", 1, "5", "Five", "A", 10.0, 10.25)])
    with pytest.raises(ValueError, match="multiples of 1/2"):
        aggregate_chunk(ChunkTables(table, pd.DataFrame()), _tiny_layout(2), range(0, 1))
    aggregate_chunk(ChunkTables(table, pd.DataFrame()), _tiny_layout(4), range(0, 1))


def test_countback_tie_and_open_title_are_counted() -> None:
    layout = _tiny_layout()
    table = _standings([(0, "X teams", "X", "", "teams", 1, "5", "Five", "A", 10.0, 10.0),
                        (0, "X teams", "X", "", "teams", 2, "6", "Six", "B", 10.0, 10.0),
                        (1, "X teams", "X", "", "teams", 1, "6", "Six", "B", 10.0, 10.0),
                        (1, "X teams", "X", "", "teams", 2, "5", "Five", "A", 4.0, 4.0)])
    agg = aggregate_chunk(ChunkTables(table, pd.DataFrame()), layout, range(0, 2))
    assert agg.countback_ties.tolist() == [1]
    assert agg.gap_sum.tolist() == [12] and agg.gap_seasons.tolist() == [2]  # (0 + 6) points x scale 2
    assert agg.title_open.tolist() == [2]  # one-race season: open before it starts


def test_drivers_title_gap_and_open_look_past_the_champions_co_drivers() -> None:
    """Co-drivers share the champion's place (1=, the next crew is 3rd here): the final gap and the
    open-before-the-final-round test compare the champion's crew with the best other crew, not with his
    own co-driver, who is level with him all season."""
    competitors = (CompetitorKey("X", "", "drivers", "5", "Five", "A1"),
                   CompetitorKey("X", "", "drivers", "5", "Five", "A2"),
                   CompetitorKey("X", "", "drivers", "6", "Six", "B1"))
    layout = StudyLayout(titles=(TitleLayout("X drivers", "X", "", "drivers", competitors, (25.0, 10.0)),),
                         race_ids=("R1", "R2"), rounds=(1, 2), points_scale=2, points_bins=4)
    rows = []
    for season, (a, b) in enumerate((((12, 10), (8, 5)), ((25, 10), (0, 5)))):
        for driver in ("A1", "A2"):
            rows.append((season, "X drivers", "X", "", "drivers", 1, "5", "Five", driver, sum(a), a[0], a[1]))
        rows.append((season, "X drivers", "X", "", "drivers", 3, "6", "Six", "B1", sum(b), b[0], b[1]))
    table = pd.DataFrame(rows, columns=["season", "title", "class", "category", "kind", "position", "car", "team",
                                        "drivers", "points", "R1", "R2"])
    agg = aggregate_chunk(ChunkTables(table, pd.DataFrame()), layout, range(0, 2))
    assert agg.gap_seasons.tolist() == [2] and agg.gap_sum.tolist() == [(9 + 30) * 2]
    assert agg.countback_ties.tolist() == [0]
    assert agg.title_open.tolist() == [1]   # 12 v 8 with 10 to come: open; 25 v 0: decided


def test_histogram_quantiles_interpolate_inside_bins() -> None:
    counts = np.array([0, 10, 10, 0])
    assert histogram_quantiles(counts, 5.0, (0.0, 0.25, 0.5, 1.0)) == pytest.approx([5.0, 7.5, 10.0, 15.0])
    assert all(np.isnan(histogram_quantiles(np.zeros(4), 1.0, (0.5,))))


def test_layout_refuses_inconsistent_definitions() -> None:
    competitor = CompetitorKey("X", "", "teams", "5", "Five", "A")
    title = TitleLayout("X teams", "X", "", "teams", (competitor, competitor), (10.0,))
    with pytest.raises(ValueError, match="twice"):
        StudyLayout(titles=(title,), race_ids=("R1",), rounds=(1,))
    with pytest.raises(ValueError, match="one round number per race"):
        StudyLayout(titles=(), race_ids=("R1", "R2"), rounds=(1,))


def test_study_identity_changes_with_the_kernel() -> None:
    from sim.montecarlo.runner import StudyJob

    one = study_identity(StudyJob(ToyKernel(), LAYOUT, 1), 1, 10, 5)
    other = study_identity(StudyJob(ToyKernel(p_first=0.7), LAYOUT, 1), 1, 10, 5)
    assert one["config_hash"] != other["config_hash"] and one["layout"] == other["layout"]
