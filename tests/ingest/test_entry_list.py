"""`--entries-out` and `entries: results_so_far`: a "from here" study from the timing exports alone.

The worked example of docs/ingest.md: the Dubai exports ingested with an entry list, the committed
scenarios/asian-lms-2023-from-exports.yaml built on it, and the same field taken straight from the results.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.config.entries import load_entries
from sim.config.race_model import load_race_model
from sim.config.series import load_series
from sim.ingest import ingest_exports
from sim.ingest.entry_list import assume_ratings, entry_list_from_results, entry_list_yaml
from sim.results import read_results, write_results
from sim.scenario import compile_scenario
from sim.season import simulate_season
from tests.conftest import CONFIGS, run_cli
from tests.ingest.conftest import IMSA, QUALIFYING, RACES, SHIPPED
from tests.season.helpers import scenario_data, write_scenario

AFTER_DUBAI = CONFIGS / "entries" / "asian-lms-2023-after-dubai.yaml"


def dubai_args(out, entries, *extra) -> list[str]:
    """The command of the worked example (docs/ingest.md)."""
    return ["ingest", str(RACES[0]), str(RACES[1]), "--rounds", "1,1", "--hours", "4",
            "--qualifying", str(QUALIFYING[0]), str(QUALIFYING[1]), "--pole", "R2:LMP2=43",
            "--series", "asian-lms-2023", "--out", str(out), "--entries-out", str(entries), *extra]


def test_the_worked_example_writes_the_committed_entry_list(tmp_path):
    out, entries = tmp_path / "dubai.csv", tmp_path / "asian-lms-2023-after-dubai.yaml"
    code, _, err = run_cli(*dubai_args(out, entries))
    assert code == 0, err
    assert entries.read_bytes() == AFTER_DUBAI.read_bytes()
    # the Dubai table is the shipped season table's R1 and R2
    shipped = read_results(SHIPPED)
    pd.testing.assert_frame_equal(read_results(out), shipped[shipped["race"].isin(["R1", "R2"])])


def test_the_entry_list_holds_every_car_with_its_qualifying_ratings():
    entries = {entry.car: entry for entry in load_entries(AFTER_DUBAI).entries}
    dubai = read_results(SHIPPED).query("race == 'R2'")
    assert set(entries) == set(dubai["car"]) and len(entries) == 46
    assert "ASSUMED rating" not in AFTER_DUBAI.read_text(encoding="utf-8")
    car = entries["43"]
    assert (car.team, car.car_class, car.car_model) == ("Inter Europol Competition", "LMP2", "Oreca 07 - Gibson")
    assert [(d.name, d.rating) for d in car.drivers] == [
        ("Nolan SIEGEL", "Silver"), ("Christian BOGLE", "Silver"), ("Charles CREWS", "Bronze")]
    rulebook = load_series("asian-lms-2023")
    for entry in entries.values():
        assert not rulebook.crew_problems(entry.car_class, [d.rating for d in entry.drivers], entry.category)


def test_the_committed_from_here_scenario_runs():
    compiled = compile_scenario("asian-lms-2023-from-exports")
    assert sorted(compiled.plan.fixed_races) == ["R1", "R2"]
    outcome = simulate_season(compiled, seed=4)
    assert outcome.results["race"].unique().tolist() == ["R1", "R2", "R3", "R4"]
    lmp2 = outcome.standings[outcome.standings["title"] == "LMP2 teams"].set_index("car")
    assert lmp2.loc["25", "R1"] == 25 and lmp2.loc["43", "R2"] == 26   # the real winners, #43 from pole
    assert len(outcome.results[outcome.results["race"] == "R3"]) == 46


def test_entries_taken_from_the_results_so_far(tmp_path):
    data = scenario_data("asian-lms-2023-from-exports")
    data["entries"] = "results_so_far"
    data["results_so_far"] = {"file": str(SHIPPED), "through": "R2"}
    path = write_scenario(tmp_path, data)
    code, out, err = run_cli("validate", str(path))
    assert code == 0 and "ok:" in out, err
    compiled = compile_scenario(path)
    written = {e.car: (e.team, e.car_class, e.car_model, tuple((d.name, d.rating) for d in e.drivers))
               for e in load_entries(AFTER_DUBAI).entries}
    built = {e.car: (e.team, e.class_name, e.car_model, tuple(zip(e.drivers, e.ratings))) for e in compiled.entries}
    assert set(built) == set(written)
    for car, (team, car_class, model, crew) in written.items():
        assert built[car][:2] == (team, car_class) and built[car][3] == crew, car
        assert compiled.model.car_model_key(model) == built[car][2], car
    assert simulate_season(compiled, seed=1).results["race"].nunique() == 4


def test_entries_from_results_need_a_results_so_far_block_and_a_car_model(tmp_path):
    from sim.errors import InputError

    data = scenario_data("asian-lms-2023-from-exports")
    data["entries"] = "results_so_far"
    del data["results_so_far"]
    with pytest.raises(InputError, match="no results_so_far block"):
        compile_scenario(write_scenario(tmp_path, data))
    table = read_results(SHIPPED).query("race == 'R1'").drop(columns="car_model")
    write_results(table, tmp_path / "no-models.csv")
    data["results_so_far"] = {"file": str(tmp_path / "no-models.csv")}
    with pytest.raises(InputError, match="results_so_far.car_models.LMP2"):
        compile_scenario(write_scenario(tmp_path, data))
    data["results_so_far"]["car_models"] = {"LMP2": "Oreca 07 - Gibson", "LMP3": "Ligier JS P320",
                                            "GT": "Ferrari 296 GT3"}
    compiled = compile_scenario(write_scenario(tmp_path, data))
    assert {e.car_model for e in compiled.entries if e.class_name == "GT"} == {"Ferrari 296 GT3"}


def test_ratings_not_in_the_exports_are_assumed_and_marked(tmp_path):
    out, entries = tmp_path / "r1.csv", tmp_path / "entries.yaml"
    code, _, err = run_cli("ingest", str(RACES[0]), "--series", "asian-lms", "--out", str(out),
                           "--entries-out", str(entries))
    assert code == 0, err
    text = entries.read_text(encoding="utf-8")
    drivers = sum(len(e.drivers) for e in load_entries(entries).entries)
    assert text.count("}   # ASSUMED rating") == drivers
    assert f"{drivers} marked `# ASSUMED rating`" in text
    rulebook = load_series("asian-lms")
    for entry in load_entries(entries).entries:
        assert not rulebook.crew_problems(entry.car_class, [d.rating for d in entry.drivers])


def test_assumed_ratings_meet_the_crew_rules():
    rulebook = load_series("asian-lms-cups")
    assert assume_ratings(["", "", ""], "LMP2", "", None) == ["Bronze", "Silver", "Silver"]
    assert assume_ratings(["Bronze", "", "Gold"], "GT", "", None) == ["Bronze", "Silver", "Gold"]
    crew = assume_ratings(["Platinum", "", ""], "GT", "Pro-Am", rulebook)
    assert not rulebook.crew_problems("GT", crew, "Pro-Am") and crew[0] == "Platinum"


def test_renamed_cars_long_crews_and_unknown_car_models_are_marked():
    sebring = ingest_exports([next((IMSA / "2023" / "07-sebring-international-raceway").glob("*results.csv"))])
    first = sebring.results.assign(race="R1", round=1)
    first.loc[first["car"] == "31", "team"] = "Whelen Engineering Racing"
    later = sebring.results.assign(race="R2", round=2)
    later.loc[later["car"] == "31", "drivers"] = "Pipo Derani;Alexander Sims;Jack Aitken;Tristan Nunez;Louis Deletraz"
    later.loc[later["car"] == "31", "ratings"] = "Platinum;Platinum;Gold;Gold;Platinum"
    draft = entry_list_from_results(pd.concat([first, later], ignore_index=True), race_model=load_race_model())
    car = next(item for item in draft.entries if item.entry.car == "31")
    assert car.entry.team == "Whelen Engineering Racing Cadillac"
    assert car.earlier_teams == ("Whelen Engineering Racing",)
    assert [d.name for d in car.entry.drivers] == ["Pipo Derani", "Alexander Sims", "Jack Aitken", "Tristan Nunez"]
    assert car.left_out == ("Louis Deletraz",) and car.unknown_model
    text = entry_list_yaml(draft)
    assert '    team: "Whelen Engineering Racing Cadillac"   # earlier this season: Whelen Engineering Racing' in text
    assert "# also raced: Louis Deletraz" in text
    assert '    car_model: "Cadillac V-Series R"   # NOT A CAR MODEL OF configs/race-model.yaml' in text
    # what is written reads back as the same entry list
    import yaml

    from sim.config.entries import EntryList
    from sim.config.loader import parse_model

    assert parse_model(EntryList, yaml.safe_load(text), "<written>") == draft.entry_list
