"""The Python API (`from sim import ...`): DataFrames back, silent when asked, and the README example runs."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

import sim
from tests.conftest import PROJECT

API = ("simulate_race", "simulate_season", "run_study", "run_paired_study", "Study", "PairedStudy", "RaceRun",
       "SeasonOutcome")


def readme_example() -> str:
    """The Python block of the README's "Python API" section, exactly as a reader copies it."""
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_as_written(tmp_path) -> None:
    script = tmp_path / "example.py"
    script.write_text(readme_example(), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    for expected in ("GT Pro-Am teams", "largest standard error of a title probability", "Manthey"):
        assert expected in done.stdout
    assert done.stderr == ""   # progress=False: nothing on stderr


def test_everything_is_importable_from_the_package() -> None:
    for name in API:
        assert getattr(sim, name) is getattr(sim.api, name)
    assert set(API) <= set(sim.__all__)


def test_nothing_inside_the_package_imports_the_api() -> None:
    """sim/api.py is the top layer: the package itself never depends on it."""
    for path in (PROJECT / "sim").rglob("*.py"):
        if path.name == "api.py" or path == PROJECT / "sim" / "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"from sim import|import sim\.api|from sim\.api|sim\.api\b", source), path


@pytest.fixture(scope="module")
def study():
    return sim.run_study("default", runs=6, seed=2, workers=1, seasons=True, progress=False)


def test_a_study_comes_back_as_numbers(study, capsys) -> None:
    assert study.runs == 6 and study.stop_reason == "runs" and 0 < study.max_se <= 0.5 / 6 ** 0.5 + 1e-12
    for frame in (study.summary, study.positions, study.points_by_race):
        assert pd.api.types.is_float_dtype(frame["p_title" if "p_title" in frame else frame.columns[-1]])
    assert study.summary["runs"].dtype == "int64"
    # every title's odds sum to one over its competitors
    teams = study.summary[study.summary["kind"] == "teams"]
    assert (teams.groupby("title")["p_title"].sum() - 1).abs().max() < 1e-5
    # the per-season standings, when asked: every season, the same champions as the summary counts
    seasons = study.seasons
    assert sorted(seasons["season"].unique()) == list(range(6))
    champions = seasons[(seasons["position"] == 1) & (seasons["title"] == "GT teams")]
    counted = study.summary[(study.summary["title"] == "GT teams")].set_index("car")["p_title"] * 6
    assert champions["car"].value_counts().to_dict() == {car: round(n) for car, n in counted.items() if n > 0}
    assert capsys.readouterr().err == ""   # progress=False is silent


def test_a_paired_study_answers_per_car() -> None:
    answer = sim.run_paired_study("default", "default-car10-gold-cup", runs=3, seed=2, workers=1, progress=False)
    car10 = answer.car("10").set_index("title")
    assert {"GT Pro-Am teams", "GT Gold Cup teams", "GT teams"} <= set(car10.index)
    assert pd.isna(car10.loc["GT Pro-Am teams", "b_p_title"]) and pd.isna(car10.loc["GT Gold Cup teams", "a_p_title"])
    assert answer.cars["a_p_invitation"].dtype == float and len(answer.cars) == 42


def test_a_race_is_a_results_table_and_an_event_log() -> None:
    race = sim.simulate_race("default", race="R2", seed=1)
    results, events = race
    assert {"race", "car", "class_position", "status", "laps"} <= set(results.columns) and len(events) > 0
    assert (results["race"] == "R2").all()
