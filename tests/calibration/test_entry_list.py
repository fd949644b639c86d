"""configs/entries/asian-lms-2024-25.yaml reproduces the real 2024-25 entry list and keeps the crew rules."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.config.entries import load_entries


@pytest.fixture(scope="module")
def entries():
    return load_entries("asian-lms-2024-25").entries


@pytest.fixture(scope="module")
def source(real_data):
    return pd.read_csv(real_data / "asian_lms_2024_25_entries.csv", dtype=str)


def test_every_car_of_the_source_with_its_class_team_and_model(entries, source):
    ours = {(e.car, e.car_class, e.team, e.car_model) for e in entries}
    theirs = set(zip(source["car"], source["class"], source["team"], source["vehicle"]))
    assert ours == theirs
    assert {e.car_class for e in entries} == {"LMP2", "LMP3", "GT"}


def test_crew_rules(entries):
    for entry in entries:
        ratings = [d.rating for d in entry.drivers]
        assert "Bronze" in ratings, entry.car
        if entry.car_class == "LMP2":
            assert {"Silver", "Bronze"} & set(ratings), entry.car


def test_cars_missing_race_one_are_additional(entries, source):
    not_in_r1 = set(source.loc[~source["races_entered"].str.contains(r"\bR1\b"), "car"])
    assert {e.car for e in entries if e.entry == "additional"} == not_in_r1 == {"8", "46", "88", "98", "99"}


def test_drivers_come_from_the_source(entries, source):
    listed = dict(zip(source["car"], source["drivers"].str.split(";")))
    for entry in entries:
        assert all(d.name in listed[entry.car] for d in entry.drivers), entry.car
        assert entry.home_region in {"Europe", "Far East", "Middle East", "North America", "Oceania"}
