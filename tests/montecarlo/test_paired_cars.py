"""Per-car answers of a paired study: a car's own title and its Le Mans invitation, whatever title gives them,
so a car that changes sub-category is compared across its two cups."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.montecarlo.cars import paired_cars_frame
from sim.montecarlo.paired import paired_frame, run_paired_study
from sim.montecarlo.scenario_kernel import ScenarioKernel
from sim.montecarlo.toy import ToyKernel
from sim.report.studies import paired_frames


def _numbers(frame: pd.DataFrame, **match) -> pd.Series:
    rows = frame
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, match
    return rows.iloc[0]


def test_on_the_toy_the_car_answers_agree_with_the_title_rows() -> None:
    """Without sub-categories a car's own title is its class title: the same numbers as its teams row."""
    result = run_paired_study(ToyKernel(p_first=0.6), ToyKernel(), 800, 5, executor="serial", progress=False)
    cars = paired_cars_frame(result.aggregate, *result.layout)
    titles = paired_frame(result.aggregate, *result.layout)
    car1 = _numbers(cars, car="1")
    teams = _numbers(titles, car="1", kind="teams")
    for stat in ("a", "b", "delta", "se_delta"):
        assert car1[f"{stat}_p_own_title"] == car1[f"{stat}_p_class_title"] == teams[f"{stat}_p_title"]
        assert car1[f"{stat}_p_invitation"] == teams[f"{stat}_p_invitation"]
    assert float(car1["max_abs_z"]) > 2 and list(cars["car"]) == ["1", "2"]   # the faster car moves, first


@pytest.fixture(scope="module")
def gold_cup():
    """Car 10 in Pro-Am (A) and in Gold Cup with a Gold driver for its Platinum (B), same seasons."""
    result = run_paired_study(ScenarioKernel("default"), ScenarioKernel("default-car10-gold-cup"), 6, 3,
                              executor="serial", progress=False)
    return result, paired_frames(result)


def test_a_car_that_changes_cup_is_paired_across_its_two_titles(gold_cup) -> None:
    result, frames = gold_cup
    car10 = _numbers(frames["paired_cars"], car="10")
    assert (car10["category_a"], car10["category_b"]) == ("Pro-Am", "Gold Cup")
    # its own title is the Pro-Am title in A and the Gold Cup title in B
    in_a = _numbers(frames["summary_a"], title="GT Pro-Am teams", car="10")
    in_b = _numbers(frames["summary_b"], title="GT Gold Cup teams", car="10")
    assert car10["a_p_own_title"] == in_a["p_title"] and car10["b_p_own_title"] == in_b["p_title"]
    assert float(car10["delta_p_own_title"]) == pytest.approx(float(in_a["p_title"]) - float(in_b["p_title"]))
    # and its invitation odds are the car's, from any rule (the same on all its teams rows)
    assert car10["a_p_invitation"] == in_a["p_invitation"] and car10["b_p_invitation"] == in_b["p_invitation"]
    # the per-title table cannot pair those two rows: car 10 is in no cup title of both scenarios
    cups = frames["paired"][(frames["paired"]["car"] == "10") & (frames["paired"]["category"] != "")]
    assert cups.empty
    # every car of the field is answered, most significant first
    z = pd.to_numeric(frames["paired_cars"]["max_abs_z"].replace("inf", "1e308"))
    assert len(frames["paired_cars"]) == 42 and z.is_monotonic_decreasing


def test_one_command_answers_a_teams_question(paired_run) -> None:
    """`sim montecarlo default default-car10-gold-cup --paired --focus 10`: the terminal answer and the report."""
    out, err = paired_run.out, paired_run.err
    assert "Changes that matter" in out and "#10 Manthey (GT, Pro-Am -> Gold Cup): Le Mans invitation odds" in out
    assert "GT Pro-Am teams" in out and "GT Gold Cup teams" in out and "Le Mans invitation (any title)" in out
    assert f"wrote {paired_run.folder}: paired.csv, paired_cars.csv" in err
    report = (paired_run.folder / "report.html").read_text(encoding="utf-8")
    assert 'id="focus"' in report and "Car #10: A or B?" in report
