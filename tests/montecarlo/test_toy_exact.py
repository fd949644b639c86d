"""The Monte Carlo itself: on the two-car toy, estimates converge to the exact values by enumeration."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from sim.montecarlo.runner import run_study
from sim.montecarlo.summary import summary_frames
from sim.montecarlo.toy import ToyKernel

RUNS = 4000


def exact_toy(kernel: ToyKernel) -> dict[str, float]:
    """Enumerate all 2^races outcomes: car 1's title, invitation, points; title open; final gap."""
    factors, (win, second) = kernel.race_factors, kernel.points
    last_round = [j for j, r in enumerate(kernel.rounds) if r == kernel.rounds[-1]]
    final_round_max = sum(win * factors[j] for j in last_round)
    result = dict.fromkeys(("p_title", "p_invitation", "mean_points", "p_open", "mean_gap", "p_tie"), 0.0)
    for outcome in itertools.product((True, False), repeat=len(factors)):
        prob = 1.0
        for first_wins in outcome:
            prob *= kernel.p_first if first_wins else 1 - kernel.p_first
        first = [(win if w else second) * f for w, f in zip(outcome, factors)]
        other = [(second if w else win) * f for w, f in zip(outcome, factors)]
        champion = sum(first) > sum(other)
        before = len(factors) - len(last_round)
        result["p_title"] += prob * champion
        result["p_invitation"] += prob * (champion or outcome[0])
        result["mean_points"] += prob * sum(first)
        result["p_open"] += prob * (abs(sum(first[:before]) - sum(other[:before])) <= final_round_max)
        result["mean_gap"] += prob * abs(sum(first) - sum(other))
        result["p_tie"] += prob * (sum(first) == sum(other))
    return result


def _row(frame: pd.DataFrame, **match: str) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in match.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, match
    return frame[mask].iloc[0].map(lambda v: float(v) if v not in ("",) and _is_number(v) else v)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


@pytest.mark.parametrize("p_first", [0.5, 0.6])
def test_estimates_within_three_standard_errors_of_exact(p_first: float) -> None:
    kernel = ToyKernel(p_first=p_first)
    exact = exact_toy(kernel)
    assert exact["p_tie"] == 0.0  # the half-points final race makes level points impossible
    result = run_study(kernel, RUNS, seed=2024, executor="serial", progress=False)
    frames = summary_frames(result.aggregate, result.layout)
    for title in ("TOY teams", "TOY drivers"):
        car1 = _row(frames["summary"], title=title, car="1")
        assert abs(car1["p_title"] - exact["p_title"]) <= 3 * car1["se_p_title"]
        # Secondary metrics: 4 SE, since a dozen checks at 3 SE would false-alarm ~3 % of seeds.
        assert abs(car1["p_invitation"] - exact["p_invitation"]) <= 4 * car1["se_p_invitation"]
        assert abs(car1["mean_points"] - exact["mean_points"]) <= 4 * car1["se_mean_points"]
        assert abs(car1["mean_position"] - (2 - exact["p_title"])) <= 4 * car1["se_mean_position"]
        row = _row(frames["titles"], title=title)
        assert abs(row["p_open_before_final_round"] - exact["p_open"]) <= 4 * row["se_p_open_before_final_round"]
        assert abs(row["mean_final_gap"] - exact["mean_gap"]) <= 4 * row["se_mean_final_gap"]
        assert row["p_countback_tie"] == 0.0
    # The two cars' title probabilities add up to one (exactly one champion per season).
    summary = frames["summary"]
    teams = summary[(summary["title"] == "TOY teams") & (summary["car"] != "(other)")]
    assert teams["p_title"].astype(float).sum() == pytest.approx(1.0, abs=1e-9)


def test_guest_entry_counts_in_the_other_row() -> None:
    kernel = ToyKernel(guest_probability=0.25)
    result = run_study(kernel, 2000, seed=7, executor="serial", progress=False)
    summary = summary_frames(result.aggregate, result.layout)["summary"]
    other = _row(summary, title="TOY teams", car="(other)")
    se = (0.25 * 0.75 / 2000) ** 0.5
    assert abs(other["p_classified"] - 0.25) <= 3 * se
    assert other["p_title"] == 0.0 and other["mean_points"] == 0.0 and other["mean_position"] == 3.0
    assert summary["car"].iloc[-1] == "(other)"  # unlisted entries are listed last


def test_no_guest_means_no_other_row() -> None:
    result = run_study(ToyKernel(guest_probability=0.0), 200, seed=7, executor="serial", progress=False)
    summary = summary_frames(result.aggregate, result.layout)["summary"]
    assert "(other)" not in set(summary["car"])
    assert set(summary["p_classified"]) == {"1.000000"}
