"""Series rulebooks: every shipped file loads; crew rules by FIA rating; the schema refuses bad rulebooks."""

from __future__ import annotations

import pytest

from sim.config.awards import AwardsConfig
from sim.config.loader import CONFIGS, read_yaml
from sim.config.series import SeriesRulebook, load_series
from sim.errors import InputError, InputErrors
from tests.rules.helpers import rulebook

SHIPPED = ("asian-lms", "elms", "wec", "american-lms", "gtwc-europe")


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_rulebooks_load_by_name_and_by_path(name):
    by_name = load_series(name)
    assert by_name == load_series(CONFIGS / "series" / f"{name}.yaml")
    assert by_name.name == name and isinstance(by_name.awards, AwardsConfig)
    assert list(SeriesRulebook.model_fields)[-1] == "awards"


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_rulebooks_say_what_is_confirmed_and_what_is_assumed(name):
    text = (CONFIGS / "series" / f"{name}.yaml").read_text(encoding="utf-8")
    assert "CONFIRMED" in text and "ASSUMED" in text


def test_sporting_rules_named_for_the_aco_series():
    assert {name: load_series(name).sporting for name in ("asian-lms", "elms", "wec")} == {
        "asian-lms": "asian-lms", "elms": "elms", "wec": "wec"}


def test_lmp2_needs_a_silver_or_bronze_driver():
    elms = load_series("elms")
    assert elms.crew_problems("LMP2", ["Platinum", "Gold", "Silver"]) == []
    assert elms.crew_problems("LMP2", ["Platinum", "Gold", "Gold"]) == [
        "LMP2: needs at least 1 Silver or Bronze driver(s), has 0"]
    assert elms.crew_problems("LMP3", ["Silver", "Silver"]) == ["LMP3: needs at least 1 Bronze driver(s), has 0"]


def test_gtwc_sub_categories_follow_crew_composition():
    gtwc = load_series("gtwc-europe")
    assert gtwc.categories_for("GT3", ["Platinum", "Bronze", "Bronze"]) == ["Pro", "Pro-Am"]
    assert gtwc.categories_for("GT3", ["Gold", "Gold", "Silver"]) == ["Pro", "Gold Cup"]
    assert gtwc.categories_for("GT3", ["Silver", "Silver", "Silver"]) == ["Pro", "Gold Cup", "Silver Cup"]
    assert gtwc.categories_for("GT3", ["Platinum", "Silver", "Bronze"]) == ["Pro", "Bronze Cup"]
    assert gtwc.crew_problems("GT3", ["Platinum", "Platinum", "Bronze"], "Pro-Am") == [
        "GT3 Pro-Am: allows at most 1 Platinum driver(s), has 2",
        "GT3 Pro-Am: needs at least 2 Bronze driver(s), has 1"]


def test_every_problem_of_a_bad_rulebook_is_reported_with_its_field_path(tmp_path):
    data = read_yaml(CONFIGS / "series" / "asian-lms.yaml")
    data["points"]["scales"][0]["points"] = [25, 18, 20]
    data["scoring"]["team_scoring"] = "best_two"
    data["colour"] = "blue"
    with pytest.raises(InputErrors) as caught:
        rulebook(**{k: data[k] for k in ("points", "scoring", "colour")})
    fields = [error.field for error in caught.value.errors]
    assert fields == ["points.scales[0]", "scoring.team_scoring", "colour"]


def test_titles_must_name_known_classes_categories_and_scales():
    with pytest.raises(InputError, match="unknown class 'LMP9'"):
        rulebook(titles=[{"class": "LMP9"}])
    with pytest.raises(InputError, match="class GT has no category 'Pro-Am'"):
        rulebook(titles=[{"class": "GT", "category": "Pro-Am"}])
    with pytest.raises(InputError, match="unknown scale 'sprint'"):
        rulebook(titles=[{"class": "GT", "scale": "sprint"}])
    with pytest.raises(InputError, match="defined twice"):
        rulebook(titles=[{"class": "GT"}, {"class": "GT", "kinds": ["teams"]}])


def test_unknown_series_name_lists_the_known_ones():
    with pytest.raises(InputError, match=r"unknown series 'nascar' \(known: .*asian-lms.*\)"):
        load_series("nascar")
