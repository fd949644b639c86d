"""Common random numbers: A and B on the same seasons; deltas with paired standard errors."""

from __future__ import annotations

import math

import pandas as pd

from sim.montecarlo.paired import paired_frame, run_paired_study
from sim.montecarlo.toy import ToyKernel
from tests.montecarlo.test_toy_exact import exact_toy

RUNS = 3000


def _frame(kernel_a: ToyKernel, kernel_b: ToyKernel, runs: int = RUNS, **options) -> pd.DataFrame:
    result = run_paired_study(kernel_a, kernel_b, runs, 8, executor="serial", progress=False, **options)
    layout_a, layout_b = result.layout
    return paired_frame(result.aggregate, layout_a, layout_b)


def test_a_scenario_against_itself_has_zero_deltas_and_zero_errors() -> None:
    frame = _frame(ToyKernel(), ToyKernel(), runs=500)
    delta_columns = [c for c in frame.columns if c.startswith(("delta_", "se_delta_"))]
    assert set(frame[delta_columns].to_numpy().ravel()) == {"0.000000"}
    assert len(frame) == 4  # 2 cars x 2 titles; the unlisted guest is never paired


def test_faster_car_delta_matches_exact_and_pairing_shrinks_the_error() -> None:
    frame = _frame(ToyKernel(p_first=0.6), ToyKernel(p_first=0.5))
    car1 = frame[(frame["title"] == "TOY teams") & (frame["car"] == "1")].iloc[0]
    exact = exact_toy(ToyKernel(p_first=0.6))["p_title"] - exact_toy(ToyKernel(p_first=0.5))["p_title"]
    delta, se = float(car1["delta_p_title"]), float(car1["se_delta_p_title"])
    assert abs(delta - exact) <= 3 * se
    independent_se = math.sqrt(sum(float(car1[c]) * (1 - float(car1[c])) / RUNS for c in ("a_p_title",
                                                                                          "b_p_title")))
    assert se < 0.75 * independent_se  # common random numbers: the same draws decide both scenarios
    assert float(car1["delta_mean_points"]) > 0


def test_paired_result_does_not_depend_on_chunking() -> None:
    one = _frame(ToyKernel(p_first=0.6), ToyKernel(), runs=600, chunk_size=45)
    other = _frame(ToyKernel(p_first=0.6), ToyKernel(), runs=600, chunk_size=600)
    assert one.to_csv(index=False) == other.to_csv(index=False)
