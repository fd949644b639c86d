"""A scenario learns each car's strength from its results so far (on by default, switchable) and from
earlier seasons with a weight; every simulated season then draws from that posterior."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config.scenario import Scenario, StrengthOptions, load_scenario
from sim.errors import InputError
from sim.season import load_compiled
from tests.conftest import PROJECT, SCENARIOS

REAL = PROJECT / "data" / "seasons" / "asian-lms-2023.csv"


def _scenario(**update) -> Scenario:
    return load_scenario(SCENARIOS / "asian-lms-2023-from-r3.yaml").model_copy(update=update)


@pytest.fixture(scope="module")
def learned():
    return load_compiled(SCENARIOS / "asian-lms-2023-from-r3.yaml")


def test_results_so_far_give_each_car_that_raced_its_posterior(learned):
    strength, estimate = learned.plan.strength, learned.plan.strength_estimate.set_index("car")
    prior = dict(zip(strength.cars, strength.sd_pct))
    for car, source, mean, sd in zip(strength.cars, strength.source, strength.mean_pct, strength.sd_pct):
        if source == "results":
            assert estimate.loc[car, "observations"] > 0
            assert (mean, sd) == pytest.approx((estimate.loc[car, "mean_pct"], estimate.loc[car, "sd_pct"]))
            assert sd < estimate.loc[car, "prior_sd_pct"]
        else:
            assert mean == 0.0 and prior[car] == estimate.loc[car, "prior_sd_pct"]
    assert strength.source.count("results") >= 35   # R1 and R2 of 2023: most of the 46 cars ran at pace
    drawn = np.array([learned.plan.draw_strength(4, s) for s in range(400)])
    results = [i for i, s in enumerate(strength.source) if s == "results"]
    np.testing.assert_allclose(drawn[:, results].mean(axis=0), strength.mean_pct[results], atol=0.12)


def test_learning_can_be_switched_off():
    off = load_compiled(_scenario(strength=StrengthOptions(from_results_so_far=False)))
    assert set(off.plan.strength.source) == {"prior"} and off.plan.strength_estimate is None
    assert (off.plan.strength.mean_pct == 0).all()


def test_an_earlier_season_informs_less_with_a_smaller_weight():
    base = load_scenario(SCENARIOS / "asian-lms-2023.yaml")
    assert load_compiled(base).plan.strength_estimate is None
    sd = {}
    for weight in (0.25, 1.0):
        options = StrengthOptions(from_results=[{"file": str(REAL), "weight": weight}])
        compiled = load_compiled(base.model_copy(update={"strength": options}))
        sd[weight] = dict(zip(compiled.plan.strength.cars, compiled.plan.strength.sd_pct))
    assert all(sd[1.0][car] < sd[0.25][car] for car in sd[1.0] if sd[1.0][car] < 1.0)


def test_files_as_plain_text_and_a_missing_file_named_at_its_field():
    options = StrengthOptions.model_validate({"from_results": ["a.csv"]})
    assert options.from_results[0].file == "a.csv" and options.from_results[0].weight == 0.5
    with pytest.raises(InputError, match=r"strength.from_results\[0\].file: file not found: nowhere.csv"):
        load_compiled(_scenario(strength=StrengthOptions(from_results=[{"file": "nowhere.csv"}])))
    with pytest.raises(ValueError):
        StrengthOptions.model_validate({"from_results": [{"file": "a.csv", "weight": 0}]})


def test_sim_validate_reports_a_bad_strength_block(tmp_path):
    import yaml

    from tests.conftest import run_cli

    data = yaml.safe_load((SCENARIOS / "asian-lms-2023-from-r3.yaml").read_text(encoding="utf-8"))
    data["results_so_far"]["file"] = str(PROJECT / "data" / "asian-lms-2023-results.csv")
    data["strength"] = {"from_results": [{"file": "x.csv", "weight": 2}], "learn": True}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = run_cli("validate", str(path))
    assert code == 2
    assert "strength.from_results[0].weight" in out + err and "strength.learn: unknown field" in out + err
    code, out, err = run_cli("validate", str(PROJECT / "configs" / "strength.yaml"))
    assert code == 0 and "(strength)" in out
