"""A study follows the car, not its team name: a car renamed during the season is one competitor row.

The 2023 Asian LMS from R2 with car #34 entered at R1 as "Walkenhorst JMR" (the entry list, and so every
simulated race, says "Walkenhorst Motorsport"): the layout has one #34, and the seasons in which #34 never
races again (its latest name is then the R1 one) still count on that row, not on "(other)".
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.montecarlo.aggregate import aggregate_chunk
from sim.montecarlo.layout_index import layout_index
from sim.montecarlo.paired import Matching
from sim.montecarlo.scenario_kernel import ScenarioKernel
from tests.conftest import PROJECT
from tests.season.helpers import scenario_data, write_scenario

REAL = PROJECT / "data" / "asian-lms-2023-results.csv"


def renamed_scenario(folder, participation: dict | None = None):
    table = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    table = table[table["race"] == "R1"].copy()
    table.loc[table["car"] == "34", "team"] = "Walkenhorst JMR"
    table.to_csv(folder / "so-far.csv", index=False)
    data = scenario_data("asian-lms-2023-from-r3")
    data["results_so_far"] = {"file": str(folder / "so-far.csv")}
    if participation:
        data["participation"] = participation
    return write_scenario(folder, data)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("renamed")
    return ScenarioKernel(renamed_scenario(folder, {"entries": {"34": 0.0}, "default": 1.0}))


def test_the_layout_lists_the_car_once_under_its_latest_name(kernel):
    gt = next(title for title in kernel.layout().titles if title.title == "GT teams")
    cars = [(c.car, c.team) for c in gt.competitors if c.car == "34"]
    assert cars == [("34", "Walkenhorst Motorsport")]


def test_seasons_where_the_car_keeps_its_old_name_count_on_its_row(kernel):
    layout = kernel.layout()
    seasons = range(0, 3)
    tables = kernel.run_chunk(11, seasons)
    gt = tables.standings[tables.standings["title"] == "GT teams"]
    # #34 raced only R1 (it enters no simulated round): its latest name in every season is the R1 one
    assert set(gt.loc[gt["car"] == "34", "team"]) == {"Walkenhorst JMR"}
    aggregate = aggregate_chunk(tables, layout, seasons)
    index = layout_index(layout)
    title = index.title_to_index["GT teams"]
    competitors = layout.titles[title].competitors
    row = index.offsets[title] + [c.car for c in competitors].index("34")
    assert aggregate.appearances[row] == len(seasons)
    assert aggregate.appearances[index.other_rows[title]] == 0


def test_paired_scenarios_match_a_car_renamed_in_one_of_them(tmp_path):
    data = scenario_data("asian-lms-2023-from-r3")
    data["entry_changes"] = [{"from_round": 2, "update": [{"car": "34", "team": "Walkenhorst Racing"}]}]
    plain = ScenarioKernel("asian-lms-2023-from-r3").layout()
    renamed = ScenarioKernel(write_scenario(tmp_path, data)).layout()
    gt = next(title for title in renamed.titles if title.title == "GT teams")
    assert [c.team for c in gt.competitors if c.car == "34"] == ["Walkenhorst Racing"]
    matching = Matching.of(plain, renamed)
    index_a, index_b = layout_index(plain), layout_index(renamed)
    for title in ("GT teams", "LMP2 teams"):
        a = index_a.title_to_index[title]
        rows = [row for row in matching.rows_a if index_a.row_title[row] == a]
        assert len(rows) == len(plain.titles[a].competitors), title
    row_a = index_a.key_to_row["GT teams\x1f34\x1fWalkenhorst Motorsport"]
    row_b = index_b.key_to_row["GT teams\x1f34\x1fWalkenhorst Racing"]
    assert matching.rows_b[list(matching.rows_a).index(row_a)] == row_b
