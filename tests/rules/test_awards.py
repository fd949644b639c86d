"""Le Mans invitation rules on hand-built tables, config validation, and the real rulebooks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.config.awards import AwardsConfig
from sim.config.loader import parse_model
from sim.config.series import load_series
from sim.errors import InputError
from sim.results import read_results, validate_results
from sim.rules import compute_standings
from sim.rules.awards import AWARD_COLUMNS, award_invitations
from tests.rules.awards_tables import cars, results_table, standings_table
from tests.rules.real_data import american_lms_2006_results


def full_record(*args, **kwargs) -> pd.DataFrame:
    """Every decision: invitations given and candidates / slots passed over, with reasons."""
    return award_invitations(*args, include_not_awarded=True, **kwargs)


def config(*rules, **policy) -> AwardsConfig:
    return AwardsConfig.model_validate({"rules": list(rules), "policy": policy})


def awarded(frame: pd.DataFrame) -> list[tuple[str, str]]:
    given = frame[frame["status"] == "awarded"]
    return list(zip(given["rule"], given["recipient"]))


# ------------------------------------------------------------------ basics


def test_default_config_gives_no_invitations_and_keeps_the_columns():
    entries = cars("LMP2", 3)
    out = full_record(standings_table([("1", "Team 1")], "LMP2"), results_table(entries), AwardsConfig())
    assert out.empty
    assert list(out.columns) == list(AWARD_COLUMNS)


def test_champion_and_runner_up_are_invited_with_readable_reasons():
    entries = cars("LMP2", 4)
    standings = standings_table([("3", "Team 3"), ("1", "Team 1"), ("2", "Team 2"), ("4", "Team 4")], "LMP2")
    out = full_record(standings, results_table(entries), config({"id": "lmp2-top2", "class": "LMP2", "invitations": 2}))
    assert awarded(out) == [("lmp2-top2", "Team 3"), ("lmp2-top2", "Team 1")]
    assert out["reason"].tolist() == ["champion of LMP2 teams", "runner-up of LMP2 teams"]
    assert out["car"].tolist() == ["3", "1"]
    assert out["title"].tolist() == ["LMP2 teams", "LMP2 teams"]
    assert out["slot"].tolist() == [1, 2]


def test_rule_selects_its_category_and_standings_kind():
    entries = cars("GT", 2, category="Pro-Am") + cars("GT", 2, start=10)
    standings = pd.concat([
        standings_table([("10", "Team 10"), ("1", "Team 1")], "GT"),
        standings_table([("2", "Team 2"), ("1", "Team 1")], "GT", category="Pro-Am"),
        standings_table([("1", "Team 1")], "GT", category="Pro-Am", kind="drivers"),
    ])
    rules = config({"id": "gt-proam", "class": "GT", "category": "Pro-Am"})
    out = full_record(standings, results_table(entries), rules)
    assert awarded(out) == [("gt-proam", "Team 2")]
    assert out["category"].tolist() == ["Pro-Am"]
    assert out["title"].tolist() == ["GT Pro-Am teams"]


def test_recipient_car_names_the_car_number():
    entries = cars("GT", 2)
    standings = standings_table([("2", "Team 2"), ("1", "Team 1")], "GT")
    out = full_record(standings, results_table(entries), config({"id": "gt", "class": "GT", "recipient": "car"}))
    assert awarded(out) == [("gt", "2")]


def test_by_default_only_the_invitations_given_are_returned():
    entries = cars("LMP2", 3)
    entries[0]["skip"] = ("R2",)
    standings = standings_table([("1", "Team 1"), ("2", "Team 2"), ("3", "Team 3")], "LMP2")
    rules = config({"id": "lmp2", "class": "LMP2", "invitations": 3}, {"id": "gx", "kind": "efficiency", "classes": ["LMP2"]})
    everything = full_record(standings, results_table(entries), rules)
    given = award_invitations(standings, results_table(entries), rules)
    assert len(everything) == 4
    assert given["recipient"].tolist() == ["Team 2", "Team 3"]
    pd.testing.assert_frame_equal(given, everything[everything["status"] == "awarded"].reset_index(drop=True))


# ------------------------------------------------------------------ eligibility, declines, cap, cascade


def test_champion_who_missed_a_round_is_not_invited_and_the_slot_is_lost_without_cascade():
    entries = cars("LMP2", 3)
    entries[0]["skip"] = ("R2",)
    standings = standings_table([("1", "Team 1"), ("2", "Team 2"), ("3", "Team 3")], "LMP2")
    out = full_record(standings, results_table(entries), config({"id": "lmp2", "class": "LMP2"}))
    assert awarded(out) == []
    assert len(out) == 1
    assert out.loc[0, "status"] == "not_awarded"
    assert out.loc[0, "recipient"] == "Team 1"
    assert "missed round 2" in out.loc[0, "reason"]
    assert "invitation not given" in out.loc[0, "reason"]


def test_cascade_passes_the_invitation_to_the_next_eligible_competitor():
    entries = cars("LMP2", 3)
    entries[0]["skip"] = ("R2",)
    standings = standings_table([("1", "Team 1"), ("2", "Team 2"), ("3", "Team 3")], "LMP2")
    out = full_record(standings, results_table(entries), config({"id": "lmp2", "class": "LMP2"}, cascade=True))
    assert awarded(out) == [("lmp2", "Team 2")]
    assert out["status"].tolist() == ["not_awarded", "awarded"]
    assert "passed down" in out.loc[1, "reason"]


def test_eligibility_can_be_switched_off_and_a_dns_round_still_counts_as_contested():
    entries = cars("LMP2", 2)
    entries[0]["skip"] = ("R2",)
    entries[1]["dns"] = ("R1",)
    standings = standings_table([("1", "Team 1"), ("2", "Team 2")], "LMP2")
    rules = {"id": "lmp2", "class": "LMP2", "invitations": 2}
    assert awarded(full_record(standings, results_table(entries), config(rules, require_full_season=False))) == [
        ("lmp2", "Team 1"), ("lmp2", "Team 2")]
    assert awarded(full_record(standings, results_table(entries), config(rules))) == [("lmp2", "Team 2")]


def test_declined_invitation_by_name_by_rule_and_by_season():
    entries = cars("LMP2", 2) + cars("GT", 2, start=50)
    entries[2]["team"] = "Team 1"  # Team 1 also runs GT car 50
    standings = pd.concat([
        standings_table([("1", "Team 1"), ("2", "Team 2")], "LMP2"),
        standings_table([("50", "Team 1"), ("51", "Team 51")], "GT"),
    ])
    rules = config({"id": "lmp2", "class": "LMP2"}, {"id": "gt", "class": "GT"})
    results = results_table(entries)
    assert awarded(full_record(standings, results, rules, declined=["Team 1"])) == []
    assert awarded(full_record(standings, results, rules, declined=[{"recipient": "Team 1", "rule": "gt"}])) == [
        ("lmp2", "Team 1")]
    assert awarded(full_record(standings, results, rules, declined=[{"recipient": "50"}])) == [("lmp2", "Team 1")]
    other_season = [{"recipient": "Team 1", "season": 7}]
    assert len(awarded(full_record(standings, results, rules, declined=other_season))) == 2
    declined = full_record(standings, results, rules, declined=["Team 1"])
    assert declined["reason"].str.contains("declined").all()


def test_cap_of_two_invitations_per_team_across_classes_in_rule_order():
    entries = cars("LMP2", 2) + cars("LMP3", 2, start=20) + cars("GT", 2, start=50)
    for entry in entries:
        if entry["car"] in ("1", "20", "50"):
            entry["team"] = "Big Team"
    standings = pd.concat([
        standings_table([("1", "Big Team"), ("2", "Team 2")], "LMP2"),
        standings_table([("20", "Big Team"), ("21", "Team 21")], "LMP3"),
        standings_table([("50", "Big Team"), ("51", "Team 51")], "GT"),
    ])
    rules = [{"id": "lmp2", "class": "LMP2"}, {"id": "lmp3", "class": "LMP3"}, {"id": "gt", "class": "GT"}]
    out = full_record(standings, results_table(entries), config(*rules))
    assert awarded(out) == [("lmp2", "Big Team"), ("lmp3", "Big Team")]
    assert "cap" in out.loc[2, "reason"]
    cascaded = full_record(standings, results_table(entries), config(*rules, cascade=True))
    assert awarded(cascaded) == [("lmp2", "Big Team"), ("lmp3", "Big Team"), ("gt", "Team 51")]
    uncapped = full_record(standings, results_table(entries), config(*rules, max_per_competitor=None))
    assert len(awarded(uncapped)) == 3


def test_cap_by_car_counts_cars_not_teams():
    entries = cars("LMP2", 3)
    for entry in entries:
        entry["team"] = "One Team"
    standings = standings_table([("1", "One Team"), ("2", "One Team"), ("3", "One Team")], "LMP2")
    rules = {"id": "lmp2", "class": "LMP2", "invitations": 3, "recipient": "car"}
    assert len(awarded(full_record(standings, results_table(entries), config(rules)))) == 2
    assert awarded(full_record(standings, results_table(entries), config(rules, cap_by="car"))) == [
        ("lmp2", "1"), ("lmp2", "2"), ("lmp2", "3")]


def test_fewer_competitors_than_slots_leaves_recorded_empty_slots():
    entries = cars("LMP3", 1)
    out = full_record(standings_table([("1", "Team 1")], "LMP3"), results_table(entries),
                            config({"id": "lmp3", "class": "LMP3", "invitations": 2}))
    assert out["status"].tolist() == ["awarded", "not_awarded"]
    assert out.loc[1, "recipient"] == ""
    assert "no competitor in place 2" in out.loc[1, "reason"]


# ------------------------------------------------------------------ field size


FIELD_SIZE_LMP2 = {
    "id": "lmp2", "class": "LMP2",
    "field_size": [
        {"min_cars": 6, "max_cars": 11, "invitations": 1},
        {"min_cars": 12, "max_cars": 17, "invitations": 2},
        {"min_cars": 18, "invitations": 3},
    ],
}


@pytest.mark.parametrize(("full_season_cars", "expected"), [(5, 0), (6, 1), (11, 1), (12, 2), (17, 2), (18, 3), (25, 3)])
def test_lmp2_invitations_follow_the_2020_21_field_size_bands(full_season_cars, expected):
    entries = cars("LMP2", full_season_cars)
    order = [(entry["car"], entry["team"]) for entry in entries]
    out = full_record(standings_table(order, "LMP2"), results_table(entries), config(FIELD_SIZE_LMP2))
    assert len(awarded(out)) == expected
    if expected == 0:
        assert out["reason"].tolist() == ["5 full-season LMP2 cars: no invitation under the field-size rule"]


def test_additional_entries_and_cars_missing_a_race_do_not_count_in_the_field_size():
    entries = cars("LMP2", 8)
    entries[0]["entry"] = "additional"
    entries[1]["skip"] = ("R1",)
    entries[2]["dns"] = ("R2",)  # a DNS is still a race taken part in (the car was entered)
    order = [(entry["car"], entry["team"]) for entry in entries]
    rules = config({"id": "lmp2", "class": "LMP2",
                    "field_size": [{"min_cars": 6, "max_cars": 6, "invitations": 1},
                                   {"min_cars": 7, "invitations": 2}]}, require_full_season=False)
    out = full_record(standings_table(order, "LMP2"), results_table(entries), rules)
    assert len(awarded(out)) == 1  # 8 cars - 1 additional - 1 partial = 6 full-season cars


def test_field_size_of_a_category_counts_only_that_category():
    entries = cars("GT", 3, category="Pro-Am") + cars("GT", 5, start=10)
    order = [(entry["car"], entry["team"]) for entry in entries[:3]]
    rules = config({"id": "gt-proam", "class": "GT", "category": "Pro-Am",
                    "field_size": [{"min_cars": 4, "invitations": 1}]})
    out = full_record(standings_table(order, "GT", category="Pro-Am"), results_table(entries), rules)
    assert awarded(out) == []
    assert "3 full-season GT Pro-Am cars" in out.loc[0, "reason"]


# ------------------------------------------------------------------ race, joint and efficiency rules


def test_race_rule_invites_the_top_two_of_each_class_in_the_named_race():
    entries = cars("LMP1", 3) + cars("GT1", 3, start=10)
    results = results_table(entries, races=("R1", "R2", "R3"))
    results.loc[(results["race"] == "R2") & (results["car"] == "1"), "status"] = "dnf"
    rules = config(
        {"id": "plm-lmp1", "kind": "race", "race": "R2", "class": "LMP1", "invitations": 2},
        {"id": "plm-gt1", "kind": "race", "race": "R2", "class": "GT1", "invitations": 2},
        max_per_competitor=None,
    )
    out = full_record(standings_table([], "LMP1"), results, rules)
    assert awarded(out) == [("plm-lmp1", "Team 2"), ("plm-lmp1", "Team 3"), ("plm-gt1", "Team 10"), ("plm-gt1", "Team 11")]
    assert out.loc[0, "reason"] == "winner of R2 LMP1"
    assert out.loc[1, "reason"] == "2nd in R2 LMP1"


def test_race_rule_last_picks_the_final_race_and_a_missing_race_is_reported():
    entries = cars("GT", 2)
    entries.reverse()
    results = results_table(entries, races=("R1", "R2", "R3"))
    last = full_record(standings_table([], "GT"), results, config({"id": "final", "kind": "race", "race": "last", "class": "GT"}))
    assert awarded(last) == [("final", "Team 2")]
    assert last.loc[0, "title"] == "R3 GT"
    missing = full_record(standings_table([], "GT"), results, config({"id": "r9", "kind": "race", "race": "R9", "class": "GT"}))
    assert awarded(missing) == []
    assert "R9 is not in this season's results" in missing.loc[0, "reason"]


def test_joint_classification_adds_points_of_both_series():
    entries = cars("GT", 3)
    standings = pd.concat([
        standings_table([("1", "Team 1"), ("2", "Team 2"), ("3", "Team 3")], "GT", title="ALMS GT"),
        standings_table([("3", "Team 3"), ("2", "Team 2"), ("1", "Team 1")], "GT", title="GTWC Asia GT"),
    ])
    standings.loc[standings["title"] == "GTWC Asia GT", "points"] = [40, 30, 0]
    rules = config({"id": "joint", "kind": "joint", "titles": ["ALMS GT", "GTWC Asia GT"]})
    out = full_record(standings, results_table(entries), rules)
    # Team 3: 15 + 40 = 55, Team 2: 18 + 30 = 48, Team 1: 25 + 0 = 25
    assert awarded(out) == [("joint", "Team 3")]
    assert out.loc[0, "reason"] == "champion of joint ALMS GT + GTWC Asia GT (55 points)"


def test_efficiency_rule_is_skipped_with_a_reason_when_fuel_columns_are_absent():
    out = full_record(standings_table([], "GT"), results_table(cars("GT", 2)),
                            config({"id": "greenx-gt", "kind": "efficiency", "classes": ["GT"]}))
    assert out["status"].tolist() == ["not_awarded"]
    assert out.loc[0, "reason"] == "results have no fuel_used_l or energy_mj column: efficiency rule greenx-gt skipped"


def test_efficiency_winner_has_the_lowest_mean_score_over_the_prototype_classes():
    entries = cars("LMP1", 2) + cars("LMP2", 1, start=10)
    # Same laps and time for all: only the fuel per lap differs. Car 10 (LMP2) burns least in both races.
    fuel = {("R1", "1"): 300.0, ("R1", "2"): 280.0, ("R1", "10"): 250.0,
            ("R2", "1"): 300.0, ("R2", "2"): 240.0, ("R2", "10"): 250.0}
    results = results_table(entries, fuel_used_l=fuel)
    rules = config({"id": "greenx-p", "kind": "efficiency", "classes": ["LMP1", "LMP2"]},
                   {"id": "greenx-gt", "kind": "efficiency", "classes": ["GT"]})
    out = full_record(standings_table([], "LMP1"), results, rules)
    # Car 10: (1 + 1) + (1 + 250/240) = mean 2.0208; car 2: (1 + 280/250) + (1 + 1) = mean 2.06
    assert awarded(out) == [("greenx-p", "Team 10")]
    assert out.loc[0, "reason"] == "winner of Green X LMP1+LMP2 (score 2.0208)"
    assert out.loc[1, "status"] == "not_awarded"
    assert "no GT car has fuel or energy" in out.loc[1, "reason"]


def test_efficiency_prefers_energy_column_and_weights_speed():
    entries = cars("GT", 2)
    energy = {("R1", "1"): 900.0, ("R1", "2"): 1000.0}
    results = results_table(entries, races=("R1",), energy_mj=energy)
    results.loc[results["car"] == "1", "time_s"] = 14400.0 * 1.2  # slower per lap, more frugal
    only_speed = config({"id": "gx", "kind": "efficiency", "classes": ["GT"], "scoring": {"energy_weight": 0}})
    only_energy = config({"id": "gx", "kind": "efficiency", "classes": ["GT"], "scoring": {"fast_weight": 0}})
    assert awarded(full_record(standings_table([], "GT"), results, only_speed)) == [("gx", "Team 2")]
    assert awarded(full_record(standings_table([], "GT"), results, only_energy)) == [("gx", "Team 1")]


# ------------------------------------------------------------------ many seasons


def test_batch_of_seasons_equals_one_call_per_season():
    rules = config(
        {"id": "lmp2", "class": "LMP2", "invitations": 2},
        {"id": "gt", "class": "GT", "field_size": [{"min_cars": 3, "invitations": 1}]},
        {"id": "final", "kind": "race", "race": "last", "class": "GT"},
    )
    seasons = []
    for season in range(3):
        entries = cars("LMP2", 3 + season) + cars("GT", 2 + season, start=50)
        if season == 1:
            entries[3]["skip"] = ("R1",)  # the LMP2 champion (car 4) misses a round
        order_lmp2 = [(e["car"], e["team"]) for e in entries if e["class"] == "LMP2"][::-1]
        order_gt = [(e["car"], e["team"]) for e in entries if e["class"] == "GT"]
        seasons.append((
            results_table(entries, season=season),
            pd.concat([standings_table(order_lmp2, "LMP2", season=season), standings_table(order_gt, "GT", season=season)]),
        ))
    batch = full_record(
        pd.concat([s for _, s in seasons], ignore_index=True), pd.concat([r for r, _ in seasons], ignore_index=True), rules
    )
    assert batch["season"].tolist() == sorted(batch["season"].tolist())
    for season, (results, standings) in enumerate(seasons):
        single = full_record(standings.drop(columns="season"), results.drop(columns="season"), rules)
        part = batch[batch["season"] == season].drop(columns="season").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, single)
    assert batch.groupby("season")["status"].apply(lambda s: int((s == "awarded").sum())).tolist() == [3, 3, 4]


def test_accepts_a_rulebook_object_with_an_awards_field():
    class Rulebook:
        awards = config({"id": "gt", "class": "GT"})

    out = full_record(standings_table([("1", "Team 1")], "GT"), results_table(cars("GT", 1)), Rulebook())
    assert awarded(out) == [("gt", "Team 1")]
    with pytest.raises(TypeError):
        full_record(standings_table([], "GT"), results_table(cars("GT", 1)), object())


# ------------------------------------------------------------------ config validation


@pytest.mark.parametrize(("block", "field", "words"), [
    ({"rules": [{"id": "x", "class": "LMP2", "colour": "red"}]}, "rules[0].colour", "unknown field"),
    ({"rules": [{"id": "x", "kind": "race", "class": "LMP2"}]}, "rules[0]", "needs `race`"),
    ({"rules": [{"id": "x", "kind": "joint"}]}, "rules[0]", "needs `titles`"),
    ({"rules": [{"id": "x", "class": "GT", "field_size": [{"min_cars": 4, "max_cars": 8, "invitations": 1},
                                                         {"min_cars": 8, "invitations": 2}]}]}, "rules[0]", "overlap"),
    ({"rules": [{"id": "x", "class": "GT", "field_size": [{"min_cars": 9, "max_cars": 8, "invitations": 1}]}]},
     "rules[0].field_size[0]", "below min_cars"),
    ({"rules": [{"id": "x", "class": "GT"}, {"id": "x", "class": "LMP2"}]}, "(top level)", "used twice"),
    ({"policy": {"max_per_competitor": 0}}, "policy.max_per_competitor", "greater than or equal to 1"),
    ({"policy": {"recipient": "driver"}}, "policy.recipient", "'team' or 'car'"),
    ({"rules": [{"id": "x", "kind": "efficiency", "classes": ["GT"], "scoring": {"fast_weight": 0, "energy_weight": 0}}]},
     "rules[0].scoring", "cannot all be 0"),
])
def test_bad_awards_blocks_name_the_field(block, field, words):
    with pytest.raises(InputError) as caught:
        parse_model(AwardsConfig, block, "series.yaml")
    assert caught.value.field == field
    assert words in caught.value.reason


# ------------------------------------------------------------------ real rulebooks and real seasons

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def asian_lms_2023():
    """The real 2023 Asian LMS results (converted by the standings engineer) and its 2023 rulebook's standings."""
    results = read_results(ROOT / "data" / "asian-lms-2023-results.csv")
    rulebook = load_series("asian-lms-2023")
    return results, rulebook, compute_standings(results, rulebook)


def test_real_2023_asian_lms_invitations_go_to_the_three_champions(asian_lms_2023):
    results, rulebook, standings = asian_lms_2023
    out = full_record(standings, results, rulebook)
    # grandepremio.com.br 2023-02 / autosport.pt: DKR (LMP2), Graff on countback over MV2S (LMP3), Walkenhorst (GT).
    assert list(zip(out["rule"], out["recipient"], out["car"], out["status"])) == [
        ("lmp2-champion", "DKR Engineering", "3", "awarded"),
        ("lmp3-champion", "Graff Racing", "8", "awarded"),
        ("gt-champion", "Walkenhorst Motorsport", "34", "awarded"),
    ]


def test_real_2023_season_under_the_2023_24_rule_invites_lmp2_and_gt_only(asian_lms_2023):
    results, _, standings = asian_lms_2023
    out = full_record(standings, results, load_series("asian-lms"))
    assert awarded(out) == [("lmp2-champion", "DKR Engineering"), ("gt-champion", "Walkenhorst Motorsport")]


def test_real_2023_declined_lmp2_invitation_passes_to_cool_only_with_cascade(asian_lms_2023):
    results, rulebook, standings = asian_lms_2023
    without = full_record(standings, results, rulebook, declined=[{"recipient": "DKR Engineering"}])
    lmp2 = without[without["rule"] == "lmp2-champion"]
    assert lmp2["status"].tolist() == ["not_awarded"]
    assert lmp2["reason"].tolist() == ["champion of LMP2 teams: declined; invitation not given"]
    cascading = rulebook.awards.model_copy(
        update={"policy": rulebook.awards.policy.model_copy(update={"cascade": True})})
    passed = full_record(standings, results, cascading, declined=["DKR Engineering"])
    # COOL Racing #37 were the LMP2 vice-champions (grandepremio.com.br: 22 points behind DKR).
    assert awarded(passed)[0] == ("lmp2-champion", "COOL Racing")


def test_real_2023_season_under_the_2020_21_field_size_rule(asian_lms_2023):
    results, _, _ = asian_lms_2023
    rulebook = load_series("asian-lms-2020-21")
    out = full_record(compute_standings(results, rulebook), results, rulebook)
    # 9 LMP2 cars, all full-season: 1 invitation; 22 GT cars of which 18 ran all four races: 2.
    assert awarded(out) == [
        ("lmp2-top", "DKR Engineering"), ("gt-top", "Walkenhorst Motorsport"), ("gt-top", "Haupt Racing Team"),
        ("lmp3-champion", "Graff Racing"),
    ]


def test_american_lms_2006_petit_le_mans_winners_and_champions(real_data):
    folder = real_data / "american_lms_2006"
    results = validate_results(american_lms_2006_results(folder))
    rulebook = load_series("american-lms")
    out = full_record(compute_standings(results, rulebook), results, rulebook)
    published_winners = pd.read_csv(folder / "results.csv", dtype=str, keep_default_na=False)
    petit = published_winners[published_winners["race"] == "R9"]
    for klass, team in zip(petit["class"], petit["team"]):
        rows = out[out["rule"] == f"petit-le-mans-{klass.lower()}"]
        assert rows["recipient"].tolist() == [team]
        assert rows["status"].tolist() == ["awarded"]
    teams_table = pd.read_csv(folder / "standings_teams.csv", dtype=str, keep_default_na=False)
    for klass, team in zip(teams_table.loc[teams_table["position"] == "1", "class"],
                           teams_table.loc[teams_table["position"] == "1", "team"]):
        champion = out[(out["rule"] == f"{klass.lower()}-top2") & (out["position"] == 1)]
        assert champion["recipient"].tolist() == [team]
    # Only class winners are published: no fuel or lap data, so Green X is skipped with its reason.
    green = out[out["rule"].str.startswith("green-x")]
    assert (green["status"] == "not_awarded").all()
    assert green["reason"].str.contains("no fuel_used_l or energy_mj").all()
    assert out[out["status"] == "awarded"]["team"].value_counts().max() <= 2


def test_every_rulebook_awards_block_loads_and_runs_on_an_empty_season():
    empty_results = results_table([])
    for path in sorted((ROOT / "configs" / "series").glob("*.yaml")):
        rulebook = load_series(path)
        out = full_record(standings_table([], "LMP2"), empty_results, rulebook)
        assert list(out.columns) == list(AWARD_COLUMNS), path.name
        assert (out["status"] == "not_awarded").all(), path.name


def test_elms_rulebook_invites_lmp2_top_two_pro_am_lmp3_and_gt_winners():
    entries = (cars("LMP2", 3) + cars("LMP2", 2, start=10, category="Pro-Am")
               + cars("LMP3", 2, start=20) + cars("GT", 2, start=50))
    standings = pd.concat([
        standings_table([("2", "Team 2"), ("10", "Team 10"), ("1", "Team 1")], "LMP2"),
        standings_table([("11", "Team 11"), ("10", "Team 10")], "LMP2", category="Pro-Am"),
        standings_table([("21", "Team 21"), ("20", "Team 20")], "LMP3"),
        standings_table([("50", "Team 50"), ("51", "Team 51")], "GT"),
    ])
    out = award_invitations(standings, results_table(entries), load_series("elms"))
    assert awarded(out) == [
        ("lmp2-top2", "Team 2"), ("lmp2-top2", "Team 10"), ("lmp2-pro-am-champion", "Team 11"),
        ("lmp3-champion", "Team 21"), ("gt-champion", "Team 50"),
    ]


def test_gtwc_europe_rulebook_invites_the_bronze_cup_champion_car():
    entries = cars("GT3", 2, category="Pro") + cars("GT3", 2, start=30, category="Bronze Cup")
    standings = pd.concat([
        standings_table([("1", "Team 1"), ("31", "Team 31"), ("30", "Team 30"), ("2", "Team 2")], "GT3"),
        standings_table([("31", "Team 31"), ("30", "Team 30")], "GT3", category="Bronze Cup"),
    ])
    out = award_invitations(standings, results_table(entries), load_series("gtwc-europe"))
    assert list(zip(out["recipient"], out["team"], out["category"])) == [("31", "Team 31", "Bronze Cup")]
