"""Bad input is refused when a scenario is compiled: one InputError naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.config.race_model import load_race_model
from sim.config.sporting import load_sporting
from sim.errors import InputError
from sim.scenario import compile_scenario
from tests.conftest import CONFIGS, run_cli
from tests.race.conftest import FIXTURES, alms_2023_scenario


def _write(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _entries() -> dict:
    return yaml.safe_load((FIXTURES / "alms-2023-entries.yaml").read_text(encoding="utf-8"))


def test_real_configs_load():
    model = load_race_model()
    assert {"LMP2", "LMP3", "GT"} <= set(model.classes)
    for name in ("Ferrari 296 GT3", "Porsche 911 GT3 R", "BMW M4 GT3", "Mercedes-AMG GT3 EVO",
                 "Aston Martin Vantage AMR GT3", "Lamborghini Huracan GT3 EVO2", "McLaren 720S GT3",
                 "Audi R8 LMS GT3 evo II", "Corvette Z06 GT3.R", "Ford Mustang GT3", "Oreca 07 - Gibson",
                 "Ligier JS P320 - Nissan", "Duqueine D08 - Nissan", "Ginetta G61-LT-P3"):
        assert model.car_model_key(name) == name
    for name in ("asian-lms", "elms", "wec"):
        assert load_sporting(name).name == name


def test_venue_without_class_pace(tmp_path):
    venues = yaml.safe_load((CONFIGS / "venues.yaml").read_text(encoding="utf-8"))
    del venues["venues"]["dubai"]["reference_lap_s"]["LMP3"]
    path = _write(tmp_path / "venues.yaml", venues)
    with pytest.raises(InputError) as error:
        compile_scenario(alms_2023_scenario(options={"venues": str(path)}))
    assert error.value.file == str(path)
    assert error.value.field == "venues.dubai.reference_lap_s"
    assert "LMP3" in error.value.reason


def test_crew_breaking_rating_rules(tmp_path):
    entries = _entries()
    for driver in entries["entries"][0]["drivers"]:
        driver["rating"] = "Platinum"   # the asian-lms-2023 rulebook requires a Bronze
    path = _write(tmp_path / "entries.yaml", entries)
    with pytest.raises(InputError) as error:
        compile_scenario(alms_2023_scenario(entries=str(path)))
    assert error.value.file == str(path)
    assert error.value.field == "entries[0].drivers"
    assert "Bronze" in error.value.reason


def test_unknown_car_model(tmp_path):
    entries = _entries()
    entries["entries"][3]["car_model"] = "Oreca 09 - Gibson"
    path = _write(tmp_path / "entries.yaml", entries)
    with pytest.raises(InputError) as error:
        compile_scenario(alms_2023_scenario(entries=str(path)))
    assert (error.value.file, error.value.field) == (str(path), "entries[3].car_model")
    assert "unknown car model" in error.value.reason


def test_car_model_of_another_class(tmp_path):
    entries = _entries()
    entries["entries"][0]["car_model"] = "Ferrari 296 GT3"   # car 25 is an LMP2
    path = _write(tmp_path / "entries.yaml", entries)
    with pytest.raises(InputError) as error:
        compile_scenario(alms_2023_scenario(entries=str(path)))
    assert error.value.field == "entries[0].car_model"


@pytest.mark.parametrize("section, key, value, field", [
    ("classes.LMP2", "tyre_change_s", -5, "classes.LMP2.tyre_change_s"),
    ("classes.GT", "repair_time_s", {"median": -60, "sigma": 0.5}, "classes.GT.repair_time_s.median"),
    ("race_control.procedures.FCY", "duration_s", {"median": 0, "sigma": 0.5},
     "race_control.procedures.FCY.duration_s.median"),
    ("incidents", "spin_time_s", {"median": -1}, "incidents.spin_time_s.median"),
])
def test_negative_durations_in_race_model(tmp_path, section, key, value, field):
    model = yaml.safe_load((CONFIGS / "race-model.yaml").read_text(encoding="utf-8"))
    node = model
    for part in section.split("."):
        node = node[part]
    node[key] = value
    path = _write(tmp_path / "race-model.yaml", model)
    with pytest.raises(InputError) as error:
        compile_scenario(alms_2023_scenario(options={"race_model": str(path)}))
    assert (error.value.file, error.value.field) == (str(path), field)


def test_negative_race_length(tmp_path):
    scenario = yaml.safe_load((FIXTURES / "alms-2023.yaml").read_text(encoding="utf-8"))
    scenario["entries"] = str(FIXTURES / "alms-2023-entries.yaml")
    scenario["calendar"]["rounds"][1]["races"][0]["hours"] = -4
    path = _write(tmp_path / "scenario.yaml", scenario)
    code, out, err = run_cli("race", str(path), "--race", "R1", "--seed", "1")
    assert code == 2
    assert err.count("\n") == 1
    assert str(path) in err and "calendar.rounds[1].races[0].hours" in err


def test_negative_drive_time_in_sporting_rules(tmp_path):
    sporting = yaml.safe_load((CONFIGS / "sporting" / "asian-lms.yaml").read_text(encoding="utf-8"))
    sporting["drive_time"]["LMP3"][0]["min_minutes"] = -50
    path = _write(tmp_path / "sporting.yaml", sporting)
    with pytest.raises(InputError) as error:
        load_sporting(path)
    assert (error.value.file, error.value.field) == (str(path), "drive_time.LMP3[0].min_minutes")


def test_drive_time_rules_no_crew_can_meet(tmp_path):
    sporting = yaml.safe_load((CONFIGS / "sporting" / "asian-lms.yaml").read_text(encoding="utf-8"))
    sporting["drive_time"]["GT"] = [{"race_hours": 4, "min_minutes": 100}]   # 3 drivers x 100 min > 4 h
    _write(tmp_path / "asian-lms.yaml", sporting)
    series = yaml.safe_load((CONFIGS / "series" / "asian-lms-2023.yaml").read_text(encoding="utf-8"))
    series["sporting"] = str(tmp_path / "asian-lms.yaml")
    series_path = _write(tmp_path / "series.yaml", series)
    with pytest.raises(InputError) as error:
        compile_scenario(alms_2023_scenario(series=str(series_path)))
    assert error.value.field == "drive_time.GT"
    assert "cannot meet" in error.value.reason


def test_unknown_venue_names_scenario_field():
    scenario = alms_2023_scenario()
    data = scenario.model_dump(mode="json")
    data["calendar"]["rounds"][0]["venue"] = "monza-oval"
    with pytest.raises(InputError) as error:
        compile_scenario(type(scenario).model_validate(data))
    assert error.value.field == "calendar.rounds[0].venue"


def test_unknown_race_id_exit_code():
    code, _, err = run_cli("race", str(FIXTURES / "alms-2023.yaml"), "--race", "R9", "--seed", "1")
    assert code == 2 and "R9" in err


def test_every_driver_share_out_of_range(tmp_path):
    """The every-driver-drives target is a share of one stint: 0 or more than 1 is refused."""
    assert load_race_model().strategy.every_driver_drives is True   # the default in the real config
    model = yaml.safe_load((CONFIGS / "race-model.yaml").read_text(encoding="utf-8"))
    model["strategy"]["every_driver_min_stint_share"] = 1.5
    path = _write(tmp_path / "race-model.yaml", model)
    with pytest.raises(InputError) as err:
        load_race_model(path)
    assert "strategy.every_driver_min_stint_share" in str(err.value)
