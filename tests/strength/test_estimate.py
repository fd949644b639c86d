"""The strength estimator: it recovers known strengths with honest uncertainty, shrinks to the prior,
discounts outliers and earlier seasons, and reads pace, not reliability, from real results tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.config.series import load_series
from sim.config.strength import load_strength_model
from sim.strength.estimate import ClassPrior, class_prior_sd, estimate_strength
from sim.strength.observations import pace_observations, variance_components
from sim.strength.table import strength_from_results
from tests.conftest import PROJECT

MODEL = load_strength_model()
PARAMS = MODEL.for_class("GT")


def synthetic(theta: dict[str, float], races: int, seed: int, weight: float = 1.0, source: str = "") -> pd.DataFrame:
    """Observations drawn exactly as the estimator's model says, GT parameters."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(races):
        shift = rng.normal(0, 2)
        for car, effect in theta.items():
            for kind in ("pace", "fastest_lap"):
                obs = getattr(PARAMS, kind)
                rows.append({"race": f"R{r + 1}", "class": "GT", "car": car, "team": f"Team {car}", "kind": kind,
                             "y": shift + obs.loading * effect + rng.normal(0, obs.noise_pct),
                             "weight": weight, "source": source})
    return pd.DataFrame(rows)


def test_recovers_known_strengths_with_calibrated_uncertainty():
    rng = np.random.default_rng(5)
    tau = 1.0
    hits, errors = [], []
    for trial in range(12):
        theta = {str(c): float(rng.normal(0, tau)) for c in range(15)}
        estimate = estimate_strength(synthetic(theta, 6, 100 + trial), MODEL, {"GT": ClassPrior(tau)}).set_index("car")
        truth = pd.Series(theta).reindex(estimate.index)
        z = (estimate["mean_pct"] - truth) / estimate["sd_pct"]
        hits.append((z.abs() < 1).mean())
        errors.append(stats.spearmanr(estimate["mean_pct"], truth).statistic)
    # 180 cars: about 68 % of the truths lie within one posterior sd (binomial sd ~3.5 %)
    assert 0.58 <= np.mean(hits) <= 0.78
    assert np.mean(errors) > 0.8


def test_shrinks_to_the_prior_more_the_less_is_seen():
    theta = {"fast": -1.5, "slow": 1.5, "a": 0.0, "b": 0.0}
    prior = {"GT": ClassPrior(1.0)}
    one = estimate_strength(synthetic(theta, 1, 3), MODEL, prior).set_index("car")
    many = estimate_strength(synthetic(theta, 12, 3), MODEL, prior).set_index("car")
    assert many.loc["fast", "sd_pct"] < one.loc["fast", "sd_pct"] < 1.0
    assert many.loc["fast", "mean_pct"] < one.loc["fast", "mean_pct"] < 0 < one.loc["slow", "mean_pct"]
    assert abs(one.loc["fast", "mean_pct"]) < 1.5    # one race: part of the way only
    cars = pd.DataFrame({"class": ["GT"], "car": ["unseen"], "team": ["Nobody"]})
    unseen = estimate_strength(synthetic(theta, 2, 3), MODEL, prior, cars=cars).set_index("car").loc["unseen"]
    assert (unseen["mean_pct"], unseen["sd_pct"], unseen["races"]) == (0.0, 1.0, 0)


def test_an_outlier_race_moves_a_car_less_than_a_gaussian_would():
    theta = {str(c): 0.0 for c in range(10)}
    clean = synthetic(theta, 6, 11)
    obs = clean.copy()
    obs.loc[(obs["car"] == "0") & (obs["race"] == "R1") & (obs["kind"] == "pace"), "y"] += 3.0   # a long stop
    gaussian_model = MODEL.model_copy(update={"degrees_of_freedom": 1e9})
    prior = {"GT": ClassPrior(1.0)}
    shifts = {}
    for name, model in (("robust", MODEL), ("gaussian", gaussian_model)):
        before = estimate_strength(clean, model, prior).set_index("car").loc["0", "mean_pct"]
        after = estimate_strength(obs, model, prior).set_index("car").loc["0", "mean_pct"]
        shifts[name] = after - before
    assert shifts["gaussian"] > 0.1 and abs(shifts["robust"]) < 0.5 * shifts["gaussian"]


def test_an_earlier_season_counts_less_with_a_smaller_weight_and_has_its_own_race_intercepts():
    theta = {str(c): 0.3 * c - 1.0 for c in range(8)}
    prior = {"GT": ClassPrior(1.0)}
    this = synthetic(theta, 2, 21, source="now")
    full = estimate_strength(pd.concat([this, synthetic(theta, 4, 22, 1.0, "before")]), MODEL, prior).set_index("car")
    half = estimate_strength(pd.concat([this, synthetic(theta, 4, 22, 0.5, "before")]), MODEL, prior).set_index("car")
    alone = estimate_strength(this, MODEL, prior).set_index("car")
    assert (full["sd_pct"] < half["sd_pct"]).all() and (half["sd_pct"] < alone["sd_pct"]).all()
    assert (full["races"] == 6).all()   # R1, R2 of each table are different races


def test_prior_offsets_are_taken_out_first():
    theta = {str(c): 0.0 for c in range(6)}
    obs = synthetic(theta, 8, 31)
    obs.loc[obs["car"] == "0", "y"] += obs.loc[obs["car"] == "0", "kind"].map(
        {"pace": PARAMS.pace.loading, "fastest_lap": PARAMS.fastest_lap.loading}) * 1.2
    plain = estimate_strength(obs, MODEL, {"GT": ClassPrior(1.0)}).set_index("car")
    known = estimate_strength(obs, MODEL, {"GT": ClassPrior(1.0, {"0": 1.2})}).set_index("car")
    assert plain.loc["0", "mean_pct"] > 0.6 and abs(known.loc["0", "mean_pct"]) < 0.3


def test_observations_leave_out_retirements_and_cars_far_behind():
    results = pd.DataFrame({
        "race": "R1", "class": "GT", "car": ["1", "2", "3", "4", "5"], "team": "T",
        "status": ["classified", "classified", "dnf", "classified", "dns"], "laps": [100, 100, 60, 90, 0],
        "time_s": [14400.0, 14410.0, 9000.0, 14420.0, None], "fastest_lap_s": [110.0, 110.5, 109.0, 111.0, None]})
    obs = pace_observations(results)
    assert set(obs.loc[obs["kind"] == "pace", "car"]) == {"1", "2"}                 # 4 is 10 laps down
    assert set(obs.loc[obs["kind"] == "fastest_lap", "car"]) == {"1", "2", "3", "4"}
    pace = obs[obs["kind"] == "pace"].set_index("car")["y"]
    assert pace["2"] - pace["1"] == pytest.approx(100 * np.log(14410 / 14400), abs=1e-9)


def test_variance_components_recover_a_known_split():
    rng = np.random.default_rng(8)
    effect = rng.normal(0, 0.5, 400)
    rows = [{"car": str(c), "y": effect[c] + rng.normal(0, 0.3)} for c in range(400) for _ in range(5)]
    parts = variance_components(pd.DataFrame(rows))
    assert parts["sd_between"] == pytest.approx(0.5, abs=0.04) and parts["sd_within"] == pytest.approx(0.3, abs=0.02)


def test_real_asian_lms_2023_estimates_follow_the_season():
    """The estimate after the four races ranks the cars much as their average class position does, in every
    class (Spearman 0.62 GT, 0.43 LMP2, 0.43 LMP3 with fastest laps; positions also carry reliability)."""
    table = pd.read_csv(PROJECT / "data" / "seasons" / "asian-lms-2023.csv", dtype={"car": str, "category": str,
                        "ratings": str}, keep_default_na=False, na_values={"time_s": [""], "fastest_lap_s": [""]})
    estimate = strength_from_results(table, load_series("asian-lms-2023"))
    assert len(estimate) == table.drop_duplicates(["class", "car"]).shape[0]
    average = table.groupby(["class", "car"])["class_position"].mean()
    for name, group in estimate.groupby("class"):
        rho = stats.spearmanr(group["pace_pct"], [average[(name, car)] for car in group["car"]]).statistic
        assert rho > 0.4, name
    assert (estimate["sd_pct"] < estimate["prior_sd_pct"]).all()


def test_prior_sd_of_a_class_by_series():
    from sim.config.race_model import load_race_model

    race_model = load_race_model()
    assert class_prior_sd("LMP2", MODEL, race_model) == race_model.classes["LMP2"].season_spread_pct
    assert class_prior_sd("LMP2", MODEL, race_model, "imsa") == MODEL.series["imsa"].classes["LMP2"].prior_sd_pct
    assert class_prior_sd("Hypercar", MODEL, race_model) == MODEL.default_prior_sd_pct


def test_without_elapsed_times_laps_and_finishing_order_give_the_pace():
    results = pd.DataFrame({
        "race": "R1", "class": "GT", "car": ["1", "2", "3", "4"], "team": "T", "status": "classified",
        "class_position": [1, 2, 3, 4], "laps": [100, 100, 100, 99], "time_s": [None] * 4, "hours": 4.0})
    pace = pace_observations(results).set_index("car")["y"]
    assert pace["1"] < pace["2"] < pace["3"] < pace["4"]
    # three cars on the lead lap share it: 5/6, 1/2 and 1/6 of a lap ahead of the lap count
    assert pace["3"] - pace["1"] == pytest.approx(100 * np.log((100 + 5 / 6) / (100 + 1 / 6)), abs=1e-9)
