"""Calendar metrics of the shipped scenarios, the comparison table and its sporting seam."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.calendar.metrics import assess_scenario, calendar_metrics, compare_calendars
from sim.config.loader import SCENARIOS
from sim.config.scenario import Scenario
from sim.errors import InputError
from tests.calendar.helpers import scenario

LIKE_FOR_LIKE = ["default", "four-middle-east", "three-plus-one", "one-plus-three", "two-plus-two-searched"]
SEASON_LENGTH = ["all-middle-east", "three-plus-three", "calendar-2024-25"]   # 4, 12 and 6 races
SHIPPED = LIKE_FOR_LIKE + SEASON_LENGTH


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return compare_calendars([SCENARIOS / f"{name}.yaml" for name in SHIPPED]).set_index("scenario")


def test_all_middle_east_has_least_freight_and_travel(table):
    assert table["freight_km"].idxmin() == "all-middle-east"
    assert table["travel_km"].idxmin() == "all-middle-east"
    assert table["freight_cost_eur"].idxmin() == "all-middle-east"


def test_round_and_region_counts(table):
    assert table.loc["default", "regions"] == "Far East 2, Middle East 2"
    assert table.loc["three-plus-three", "regions"] == "Far East 3, Middle East 3"
    assert table.loc["three-plus-three", "races"] == 12
    assert table.loc["calendar-2024-25", "races"] == 6


def test_shipped_calendars_fit_their_freight(table):
    assert (table["freight_gap_violations"] == 0).all()


def test_the_comparison_calendars_differ_from_default_only_in_their_calendar(table):
    """Like for like: 8 races in four double-header rounds, the default's series, field and participation model,
    every region mix of four rounds but one (2 + 2, 0 + 4, 3 + 1, 1 + 3), and no clash to spoil the comparison."""
    from sim.config.scenario import load_scenario

    base = load_scenario(SCENARIOS / "default.yaml")
    for name in LIKE_FOR_LIKE:
        other = load_scenario(SCENARIOS / f"{name}.yaml")
        assert (other.series, other.entries, other.participation) == (base.series, base.entries, base.participation)
        assert [len(r.races) for r in other.calendar.rounds] == [2, 2, 2, 2] and other.calendar.season == "2025-26"
    rows = table.loc[LIKE_FOR_LIKE]
    assert (rows["races"] == 8).all() and (rows["clashes"] == 0).all()
    assert list(rows["regions"]) == ["Far East 2, Middle East 2", "Middle East 4", "Far East 3, Middle East 1",
                                     "Far East 1, Middle East 3", "Far East 2, Middle East 2"]


def test_middle_east_winter_is_drier_than_the_far_east(table):
    assert table.loc["all-middle-east", "expected_wet_races"] < table.loc["default", "expected_wet_races"]


def test_freight_km_adds_hub_legs_to_travel():
    assessment = assess_scenario(SCENARIOS / "default.yaml")
    assert assessment.row["freight_km"] == pytest.approx(sum(leg.km for leg in assessment.legs), abs=0.1)
    assert assessment.row["travel_km"] == pytest.approx(sum(leg.km for leg in assessment.round_legs), abs=0.1)
    assert assessment.legs[0].origin == assessment.legs[-1].destination == "antwerp"


def test_sporting_metrics_merge_from_frame_or_callable():
    paths = [SCENARIOS / "default.yaml", SCENARIOS / "all-middle-east.yaml"]
    frame = pd.DataFrame({"scenario": ["default", "all-middle-east"], "p_title_open_LMP2": [0.4, 0.7]})
    merged = compare_calendars(paths, sporting=frame)
    assert merged.set_index("scenario").loc["all-middle-east", "p_title_open_LMP2"] == 0.7
    seen = []
    merged = compare_calendars(paths, sporting=lambda s: seen.append(s) or frame)
    assert seen == [paths] and "p_title_open_LMP2" in merged.columns
    with pytest.raises(InputError, match="scenario"):
        compare_calendars(paths, sporting=pd.DataFrame({"x": [1]}))


def test_unknown_venue_names_the_round():
    with pytest.raises(InputError) as error:
        calendar_metrics(scenario([("dubai", "2026-01-31", 2), ("atlantis", "2026-02-07", 2)]))
    assert error.value.field == "calendar.rounds[1].venue" and "atlantis" in error.value.reason


def test_bad_calendar_options_are_input_errors():
    with pytest.raises(InputError) as error:
        calendar_metrics(scenario([("dubai", "2026-01-31", 2)], {"calendar": {"freight_hub": "rotterdam"}}))
    assert error.value.field == "options.calendar.freight_hub"
    with pytest.raises(InputError) as error:
        calendar_metrics(scenario([("dubai", "2026-01-31", 2)], {"calendar": {"hub": "antwerp"}}))
    assert error.value.field == "options.calendar.hub" and error.value.reason == "unknown field"
    with pytest.raises(InputError) as error:
        calendar_metrics(scenario([("dubai", "2026-01-31", 2)], {"calendar": {"championships": ["f1"]}}))
    assert error.value.field == "options.calendar.championships"


def test_overlapping_rounds_are_refused():
    """A round that starts before the previous one's last race day is refused when the scenario is read
    (so `sim validate`, seasons and studies refuse it too, not only the calendar metrics)."""
    from sim.config.loader import parse_model

    data = scenario([("dubai", "2026-01-31", 3), ("yas-marina", "2026-02-03", 2)]).model_dump(mode="json")
    data["calendar"]["rounds"][1]["date"] = "2026-02-02"   # the Dubai round races until 2 February
    with pytest.raises(InputError) as error:
        parse_model(Scenario, data, "calendar.yaml")
    assert error.value.field == "calendar"
    assert "rounds[1].date 2026-02-02: the round starts before rounds[0] ends (its last race is on 2026-02-02)" \
        in error.value.reason


def test_venue_missing_coordinates_is_one_line():
    from sim.config.venues import load_venues

    with pytest.raises(InputError) as error:
        load_venues(Path(__file__).parent / "fixtures" / "venues-missing-coordinates.yaml")
    assert "sepang" in error.value.field and "latitude" in error.value.field
    assert "\n" not in error.value.message
