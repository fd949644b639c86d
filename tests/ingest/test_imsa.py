"""IMSA race exports (DRIVERn_FIRSTNAME / SECONDNAME / LICENSE, times like `12:00:54.520`) ingest with their
FIA ratings; a whole IMSA season ingests, its part-season cars marked as additional entries."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from sim.ingest import ingest_exports
from tests.conftest import run_cli
from tests.ingest.conftest import IMSA

SEBRING = next((IMSA / "2023" / "07-sebring-international-raceway").glob("*-race-results.csv"))
SEASON_2023 = sorted((IMSA / "2023").glob("*/*-race-results.csv"))


def export_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_sebring_12_hours_through_the_cli_with_ratings(tmp_path):
    out = tmp_path / "sebring.csv"
    code, _, err = run_cli("ingest", str(SEBRING), "--hours", "12", "--out", str(out))
    assert code == 0, err
    table = pd.read_csv(out, dtype={"car": str}, keep_default_na=False)
    source = export_rows(SEBRING)
    assert len(table) == len(source) == 53
    winner = table.iloc[0]
    assert (winner["car"], winner["class"], winner["team"]) == ("31", "GTP", "Whelen Engineering Racing Cadillac")
    assert winner["drivers"] == "Pipo Derani;Alexander Sims;Jack Aitken"
    assert winner["ratings"] == "Platinum;Platinum;Gold"
    assert winner["time_s"] == 12 * 3600 + 53.382 and winner["fastest_lap_s"] == 108.406
    assert winner["car_model"] == "Cadillac V-Series R" and winner["hours"] == 12
    # every car's crew and ratings are the export's, in its order
    for row, mine in zip(source, table.to_dict("records")):
        crew = [(row[f"DRIVER{n}_FIRSTNAME"], row[f"DRIVER{n}_SECONDNAME"], row[f"DRIVER{n}_LICENSE"])
                for n in range(1, 6) if row.get(f"DRIVER{n}_FIRSTNAME")]
        assert mine["drivers"] == ";".join(f"{first} {second}" for first, second, _ in crew)
        assert mine["ratings"] == ";".join(rating for _, _, rating in crew)


def test_class_positions_follow_the_overall_order_in_each_class():
    table = ingest_exports([SEBRING]).results
    for car_class, group in table.groupby("class"):
        expected = [row["NUMBER"] for row in export_rows(SEBRING) if row["CLASS"] == car_class]
        assert group.sort_values("class_position")["car"].tolist() == expected, car_class


def test_the_platinium_spelling_is_a_platinum_rating():
    export = next((IMSA / "2024" / "19-road-atlanta").glob("*-race-results.csv"))
    table = ingest_exports([export]).results
    assert "Platinium" in export.read_text(encoding="utf-8")
    assert set(";".join(table["ratings"]).split(";")) == {"Platinum", "Gold", "Silver", "Bronze"}


@pytest.fixture(scope="module")
def season_2023():
    return ingest_exports(SEASON_2023).results


def test_a_whole_imsa_season(season_2023):
    table = season_2023
    assert table["race"].unique().tolist() == [f"R{n}" for n in range(1, 12)]
    assert (table["ratings"] != "").mean() > 0.99
    daytona = set(zip(table.loc[table["race"] == "R1", "class"], table.loc[table["race"] == "R1", "car"]))
    later = table[table["race"] != "R1"]
    additional = later["entry"] == "additional"
    # a car (number within its class) that did not race the first round is an additional entry, all season
    assert additional.tolist() == [(c, n) not in daytona for c, n in zip(later["class"], later["car"])]
    assert additional.any() and (table.loc[table["race"] == "R1", "entry"] == "season").all()
    every = ingest_exports(SEASON_2023, additional_entries=False).results
    assert set(every["entry"]) == {"season"}
