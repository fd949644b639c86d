"""`sim ingest` on the real 2023 Asian LMS exports: four race and four qualifying classifications.

The ingested table is the shipped data/asian-lms-2023-results.csv byte for byte (through the CLI) and
frame for frame (through the API); it agrees with the independent transcription of the same exports
(data/real/asian_lms_2023/results.csv) on every car of every race; and it gives every published
standings value (tests/rules/test_asian_lms_2023.py checks them from it too).
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.errors import InputError
from sim.ingest import ingest_exports
from sim.results import read_results, validate_results
from tests.conftest import run_cli
from tests.ingest.conftest import POLES, QUALIFYING, RACES, SHIPPED, ingest_args
from tests.rules.real_data import asian_lms_2023_results


@pytest.fixture(scope="module")
def ingested():
    return ingest_exports(RACES, rounds=[1, 1, 2, 2], qualifying=QUALIFYING, poles=POLES, hours=4)


def test_cli_writes_the_shipped_table_byte_for_byte(tmp_path):
    out = tmp_path / "results.csv"
    code, _, err = run_cli(*ingest_args(out))
    assert code == 0, err
    assert out.read_bytes() == SHIPPED.read_bytes()
    assert f"wrote {out} (179 rows: 4 races, 46 cars)" in err


def test_repeated_qualifying_options_mean_the_same(tmp_path):
    out = tmp_path / "results.csv"
    args = ["ingest", *map(str, RACES), "--rounds", "1,1,2,2", "--hours", "4", "--out", str(out)]
    for path in QUALIFYING:
        args += ["--qualifying", str(path)]
    for pole in POLES:
        args += ["--pole", pole]
    code, _, err = run_cli(*args)
    assert code == 0, err
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_parquet_output_is_the_same_table(tmp_path, ingested):
    out = tmp_path / "results.parquet"
    code, _, err = run_cli(*ingest_args(out))
    assert code == 0, err
    pd.testing.assert_frame_equal(read_results(out), ingested.results, check_dtype=False)


def test_api_gives_the_shipped_table(ingested):
    pd.testing.assert_frame_equal(ingested.results, read_results(SHIPPED))
    assert ingested.qualifying_rounds == [1, 1, 2, 2]


def test_agrees_with_the_independent_transcription(ingested, real_data):
    """results.csv was typed from the same exports by hand (SOURCE.md): every car, position, status, lap
    count, time and known pole agrees. The one difference is deliberate: that table numbers each race as a
    round, the ingest makes each weekend one round (interfaces s.1: a double-header is one round)."""
    transcribed = validate_results(asian_lms_2023_results(real_data / "asian_lms_2023"))
    mine = ingested.results
    columns = ["race", "car", "team", "class", "drivers", "entry", "class_position", "status", "laps", "time_s",
               "pole", "overall_position", "hours"]
    pd.testing.assert_frame_equal(mine[columns], transcribed[columns], check_dtype=False)
    assert mine.groupby("race")["round"].first().to_dict() == {"R1": 1, "R2": 1, "R3": 2, "R4": 2}
    assert transcribed.groupby("race")["round"].first().to_dict() == {"R1": 1, "R2": 2, "R3": 3, "R4": 4}


def test_poles_come_from_qualifying_and_the_two_known_race_two_poles(ingested):
    table = ingested.results
    poles = sorted(zip(table.loc[table["pole"] == 1, "race"], table.loc[table["pole"] == 1, "class"],
                       table.loc[table["pole"] == 1, "car"]))
    # Class P1 of each weekend's qualifying: Dubai LMP2 #43, LMP3 #11 (the mixed session counted per class),
    # GT #34; Yas Marina LMP2 #98, LMP3 #11, GT #72; plus the two race-2 LMP2 poles given with --pole.
    assert poles == [("R1", "GT", "34"), ("R1", "LMP2", "43"), ("R1", "LMP3", "11"), ("R2", "LMP2", "43"),
                     ("R3", "GT", "72"), ("R3", "LMP2", "98"), ("R3", "LMP3", "11"), ("R4", "LMP2", "98")]
    without = ingest_exports(RACES, rounds=[1, 1, 2, 2], qualifying=QUALIFYING).results
    assert without.loc[without["pole"] == 1, "race"].tolist() == ["R1", "R1", "R1", "R3", "R3", "R3"]
    assert any("no class pole known for R2 LMP2, LMP3, GT" in note
               for note in ingest_exports(RACES, rounds=[1, 1, 2, 2], qualifying=QUALIFYING).notes)


def test_ratings_from_the_qualifying_licences(ingested):
    table = ingested.results.set_index(["race", "car"])
    # q_r1r2_dubai_lmp2_lmp3: #43 Siegel S, Bogle S, Crews B; #3 Yoluc B, Eastwood G (qualified as
    # "Charles", raced as "Charlie"), Guven G; #63 Ali S, Schauerman B, Davison B (raced as "DAYSON").
    assert table.loc[("R1", "43"), "ratings"] == "Silver;Silver;Bronze"
    assert table.loc[("R1", "3"), "ratings"] == "Bronze;Gold;Gold"
    assert table.loc[("R1", "63"), "ratings"] == "Silver;Bronze;Bronze"
    assert (ingested.results["ratings"] != "").all()
    # #98 changed its crew for Yas Marina (Al Harthy for Gomes): each weekend's qualifying rates its crew.
    assert table.loc[("R1", "98"), "drivers"] == "Gonçalo GOMES;Neel JANI;Nikita MAZEPIN"
    assert table.loc[("R3", "98"), "ratings"] == "Platinum;Platinum;Bronze"


def test_every_car_raced_round_one_so_all_are_season_entries(ingested):
    assert set(ingested.results["entry"]) == {"season"}
    # with each race its own round, a car first seen in R2 would be additional: none is
    assert set(ingest_exports(RACES).results["entry"]) == {"season"}


def test_qualifying_rounds_by_file_order_or_as_given():
    given = ingest_exports(RACES, rounds=[1, 1, 2, 2], qualifying=QUALIFYING, qualifying_rounds=[1, 1, 2, 2])
    by_order = ingest_exports(RACES, rounds=[1, 1, 2, 2], qualifying=QUALIFYING)
    pd.testing.assert_frame_equal(given.results, by_order.results)
    # the Yas Marina files given as round 1 too: two files rank the same classes of one round
    with pytest.raises(InputError, match="class GT of round 1 is also ranked by"):
        ingest_exports(RACES, rounds=[1, 1, 2, 2], qualifying=QUALIFYING, qualifying_rounds=[1, 1, 1, 1])


def test_a_pole_given_by_hand_replaces_the_qualifying_one():
    over = ingest_exports(RACES[:1], qualifying=QUALIFYING[:2], poles=["R1:LMP2=3"])
    lmp2 = over.results[over.results["class"] == "LMP2"]
    assert lmp2.loc[lmp2["pole"] == 1, "car"].tolist() == ["3"]
    assert "--pole R1:LMP2=3 replaces the qualifying pole of car 43" in over.notes
