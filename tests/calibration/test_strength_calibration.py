"""tools/calibrate_strength.py measures what docs/strength.md, configs/race-model.yaml and
configs/strength.yaml claim about how much of a car's pace lasts a season."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.config.race_model import load_race_model
from sim.config.strength import load_strength_model
from tools import calibrate_strength as tool
from tools.calibrate import load_imsa_laps

DOC = (Path(__file__).resolve().parents[2] / "docs" / "strength.md").read_text(encoding="utf-8")
ALMS_SPREAD = 0.69


@pytest.fixture(scope="module")
def tables():
    return {name: tool.read_season(name) for name in tool.REAL}


@pytest.fixture(scope="module")
def lap():
    return tool.lap_components(load_imsa_laps()).set_index("class")


@pytest.fixture(scope="module")
def results(tables):
    return tool.results_components(tables).set_index(["series", "class", "kind"])


def test_real_persistence_as_documented(tables):
    table = tool.real_persistence(tables)
    row = table[(table["season"] == "asian-lms-2023") & (table["class"] == "GT")].iloc[0]
    assert round(row["persistence"], 2) == 0.40 and "Asian LMS 2023 (4 races) | GT 0.40, LMP2 0.08, LMP3 0.29" in DOC


def test_imsa_lap_level_split_as_documented(lap, tables):
    drivers = tool.driver_form_sd(tables, yaml.safe_load(open(tool.ROOT / "configs" / "race-model.yaml")))
    for name, row in lap.iterrows():
        race_day = (row["race_sd"] ** 2 - drivers[name] ** 2) ** 0.5
        line = (f"| {name} | {int(row['cars'])} | {int(row['races'])} | {row['season_sd']:.3f} | {row['race_sd']:.3f} | "
                f"{drivers[name]:.3f} | {race_day:.2f} |")
        assert line in DOC, line
    model = load_race_model()
    for alms, imsa in tool.ALMS_FROM_IMSA.items():
        race_day = (lap.loc[imsa, "race_sd"] ** 2 - drivers[imsa] ** 2) ** 0.5
        assert model.classes[alms].race_spread_pct == round(race_day, 2)
        assert model.classes[alms].season_spread_pct == ALMS_SPREAD


def test_estimator_parameters_are_the_measured_split(results, lap):
    model = load_strength_model()
    for (series, name, kind), row in results.iterrows():
        if series == "asian-lms":
            params, tau = model.classes[name], ALMS_SPREAD
        else:
            params, tau = model.series["imsa"].classes[name], lap.loc[name, "season_sd"]
            assert params.prior_sd_pct == round(tau, 2)
        observed = getattr(params, kind)
        assert observed.loading == pytest.approx(max(row["between"], 0.05) / tau, abs=6e-4), (series, name, kind)
        assert observed.noise_pct == pytest.approx(row["within"], abs=6e-4), (series, name, kind)


def test_results_level_split_as_documented(results):
    row = results.loc[("asian-lms", "GT", "pace")]
    assert f"| | GT | average lap | {row['between']:.3f} | {row['within']:.3f} | {row['cars']:.0f} | {row['n']:.0f} |" in DOC
    row = results.loc[("imsa", "GTD", "fastest_lap")]
    assert f"| | | fastest lap | {row['between']:.3f} | {row['within']:.3f} | {row['cars']:.0f} | {row['n']:.0f} |" in DOC


def test_simulated_seasons_show_the_real_between_car_spread_at_the_shipped_spread(results):
    """The simulated-moments fit, checked at its answer: 40 simulated 2023 seasons at the shipped spread show the
    real between-car sd of the average lap, averaged over the three classes (0.461), to about its own noise."""
    model = yaml.safe_load(open(tool.ROOT / "configs" / "race-model.yaml"))
    simulated = tool.simulated_between(model, {}, seasons=40)
    real = [results.loc[("asian-lms", c, "pace"), "between"] for c in ("LMP2", "LMP3", "GT")]
    assert abs(simulated.mean() - sum(real) / 3) < 0.06


def test_reliability_is_not_a_team_property_in_this_data(tables):
    frame, combined = tool.reliability(tables)
    assert len(frame) == 12 and combined > 0.2 and f"Fisher's combined p = {combined:.2f}" in DOC
