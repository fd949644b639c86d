"""The real 2023 Asian Le Mans Series: every published standings number is recomputed from the results.

Sources: data/real/asian_lms_2023 (standings_teams.csv: race-report snapshots after R2, R3, R4). The
results are data/asian-lms-2023-results.csv and, straight from the Al Kamel exports, `sim ingest` (its
API and its command); tests/ingest/test_asian_lms_2023.py checks that both are the same table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config.series import load_series
from sim.ingest import ingest_exports
from sim.results import read_results
from sim.rules import compute_standings
from tests.conftest import PROJECT, run_cli
from tests.ingest.conftest import POLES, QUALIFYING, RACES, ingest_args

SHIPPED = PROJECT / "data" / "asian-lms-2023-results.csv"


def published(real_data: Path) -> pd.DataFrame:
    table = pd.read_csv(real_data / "asian_lms_2023" / "standings_teams.csv", dtype=str, keep_default_na=False)
    return table


def test_shipped_results_table_holds_the_four_races():
    shipped = read_results(SHIPPED)
    assert len(shipped) == 179 and set(shipped["race"]) == {"R1", "R2", "R3", "R4"}


def standings_by_api(after: str, tmp_path: Path) -> pd.DataFrame:
    return compute_standings(read_results(SHIPPED), load_series("asian-lms"), after=after)


def standings_by_cli(after: str, tmp_path: Path, results: Path = SHIPPED) -> pd.DataFrame:
    out = tmp_path / f"standings-{after}.csv"
    code, _, err = run_cli("standings", str(results), "--series", "asian-lms", "--after", after, "--out", str(out))
    assert code == 0, err
    return pd.read_csv(out, dtype={"car": str, "category": str}, keep_default_na=False)


def standings_of_ingest_api(after: str, tmp_path: Path) -> pd.DataFrame:
    ingested = ingest_exports(RACES, rounds=[1, 1, 2, 2], qualifying=QUALIFYING, poles=POLES, hours=4)
    return compute_standings(ingested.results, load_series("asian-lms"), after=after)


def standings_of_ingest_cli(after: str, tmp_path: Path) -> pd.DataFrame:
    ingested = tmp_path / "ingested.csv"
    if not ingested.exists():
        code, _, err = run_cli(*ingest_args(ingested))
        assert code == 0, err
    return standings_by_cli(after, tmp_path, ingested)


@pytest.mark.parametrize("compute", [standings_by_api, standings_by_cli, standings_of_ingest_api,
                                     standings_of_ingest_cli],
                         ids=["api", "cli", "ingest-api", "ingest-cli"])
def test_every_published_standings_value_is_reproduced(real_data, tmp_path, compute):
    checked = 0
    for after, snapshot in published(real_data).groupby("after_round"):
        standings = compute(after, tmp_path)
        for row in snapshot.to_dict("records"):
            table = standings[(standings["title"] == f"{row['class']} teams")].reset_index(drop=True)
            mine = table[table["car"] == row["car_number"]].iloc[0]
            assert mine["team"] == row["team"]
            if row["points"]:
                assert float(mine["points"]) == float(row["points"]), row
                checked += 1
            if row["gap_to_leader"]:
                assert float(table["points"].iloc[0] - mine["points"]) == float(row["gap_to_leader"]), row
                checked += 1
            if "tied" in row["note"]:
                # The source lists tied cars in no stated order: the same points, the same block of places.
                tied = snapshot[(snapshot["class"] == row["class"]) & (snapshot["points"] == row["points"])]
                block = table[table["car"].isin(tied["car_number"])]
                assert set(block["points"]) == {float(row["points"])}
                assert set(block["position"]) == set(tied["position"].astype(int))
            else:
                assert int(mine["position"]) == int(row["position"]), row
            checked += 1
    assert checked == 36  # 14 points, 1 gap and 21 places (or tie blocks) in the file


def test_lmp3_title_tie_on_73_goes_to_graff_on_second_places():
    standings = compute_standings(read_results(SHIPPED), load_series("asian-lms"))
    lmp3 = standings[standings["title"] == "LMP3 teams"].head(2)
    assert list(lmp3["car"]) == ["8", "29"] and list(lmp3["points"]) == [73, 73]
    assert list(lmp3["wins"]) == [1, 1]
    assert list(lmp3["position"]) == [1, 2]


def test_pole_point_is_kept_by_a_pole_sitter_that_was_not_classified():
    standings = compute_standings(read_results(SHIPPED), load_series("asian-lms"), after="R1")
    car_43 = standings[(standings["title"] == "LMP2 teams") & (standings["car"] == "43")].iloc[0]
    assert car_43["R1"] == 1 and car_43["points"] == 1


def test_drivers_standings_follow_their_cars():
    standings = compute_standings(read_results(SHIPPED), load_series("asian-lms"))
    drivers = standings[standings["title"] == "LMP2 drivers"].set_index("drivers")
    # DKR's three drivers raced every round in car #3: they score the car's 76.
    for name in ("Salih YOLUC", "Charlie EASTWOOD", "Ayhancan GUVEN"):
        assert drivers.loc[name, "points"] == 76 and drivers.loc[name, "car"] == "3"
    # Co-drivers with identical race-by-race records share their place: DKR's crew are joint champions.
    assert set(drivers.loc[["Salih YOLUC", "Charlie EASTWOOD", "Ayhancan GUVEN"], "position_text"]) == {"1="}
    positions = drivers["position"].to_numpy()
    assert positions[0] == 1 and (np.diff(positions) >= 0).all()
    records = drivers[[race for race in ("R1", "R2", "R3", "R4")]].fillna(-1)
    for _, same_place in drivers.groupby("position"):
        assert len(records.loc[same_place.index].drop_duplicates()) == 1
