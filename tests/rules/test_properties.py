"""Invariants of the points and standings engine over random races (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import compute_standings, score_races
from sim.rules.points import points_table
from tests.rules.helpers import rulebook, table

BOOKS = {name: rulebook(name) for name in ("asian-lms", "elms", "wec", "american-lms")}
HOURS = {"asian-lms": 4.0, "elms": 4.0, "wec": 6.0, "american-lms": 2.75}
CLASS = {"asian-lms": "LMP2", "elms": "LMP2", "wec": "LMP2", "american-lms": "LMP2"}
STATUS = st.sampled_from(["classified"] * 6 + ["not_classified", "dnf", "dsq", "dns"])


@st.composite
def season(draw):
    """A rulebook name and 1-3 races of 1-20 cars (random statuses, entries, categories and poles)."""
    name = draw(st.sampled_from(sorted(BOOKS)))
    return name, table(season_rows(draw, name))


def season_rows(draw, name: str) -> list[dict]:
    """Rows of 1-3 races of 1-20 cars under rulebook `name`."""
    n_cars = draw(st.integers(1, 20))
    rows = []
    for index in range(draw(st.integers(1, 3))):
        order = draw(st.permutations(list(range(n_cars))))
        pole = draw(st.integers(0, n_cars - 1))
        for position, car in enumerate(order, start=1):
            rows.append({
                "race": f"R{index + 1}", "round": index + 1, "car": str(car), "team": f"T{car % 7}",
                "class": CLASS[name], "category": "Pro-Am" if name == "elms" and car % 3 == 0 else "",
                "drivers": f"D{car};D{car + 100}", "ratings": "",
                "entry": "additional" if draw(st.integers(0, 9)) == 0 else "season",
                "class_position": position, "status": draw(STATUS), "laps": draw(st.integers(0, 120)),
                "time_s": HOURS[name] * 3600, "pole": int(car == pole), "hours": HOURS[name]})
    return rows


def position_points(scored: pd.DataFrame) -> pd.Series:
    return scored["points"] - scored["pole_points"]


@settings(max_examples=30, deadline=None)
@given(season())
def test_points_never_rise_as_position_falls(case):
    name, results = case
    scored = score_races(results, BOOKS[name]).sort_values(["scope", "race", "class_position"])
    # Among the cars that score (a classified car behind an unclassified one is not "lower").
    scored = scored[scored["position"] > 0].assign(position_points=position_points)
    for _, group in scored.groupby(["scope", "race"], observed=True):
        assert (np.diff(group["position_points"].to_numpy()) <= 1e-9).all()


@settings(max_examples=30, deadline=None)
@given(season())
def test_disqualified_and_unclassified_cars_score_no_position_points(case):
    name, results = case
    scored = score_races(results, BOOKS[name])
    losers = scored["status"].isin(["dsq", "not_classified", "dns"])
    assert (position_points(scored)[losers] == 0).all()
    assert (scored.loc[losers, "position"] == 0).all()


@settings(max_examples=30, deadline=None)
@given(season())
def test_position_points_of_a_race_add_up_to_the_scale_over_its_scoring_cars(case):
    name, results = case
    book = BOOKS[name]
    points, _ = points_table(book)
    scored = score_races(results, book)
    for (_, _), group in scored.groupby(["scope", "race"], observed=True):
        scoring = int((group["position"] > 0).sum())
        scale = book.points.scales[0] if len(book.points.scales) == 1 else next(
            s for s in book.points.scales if s.hours and s.hours.contains(HOURS[name]))
        index = [s.name for s in book.points.scales].index(scale.name)
        expected = sum(points[index, min(p, points.shape[1] - 1)] for p in range(1, scoring + 1))
        assert abs(position_points(group).sum() - expected) < 1e-9
        assert sorted(group.loc[group["position"] > 0, "position"]) == list(range(1, scoring + 1))


@settings(max_examples=25, deadline=None)
@given(season(), st.randoms(use_true_random=False))
def test_standings_are_a_strict_deterministic_total_order(case, random):
    name, results = case
    book = BOOKS[name]
    standings = compute_standings(results, book)
    shuffled = results.sample(frac=1.0, random_state=random.randint(0, 2**31)).reset_index(drop=True)
    # Race order comes from the rounds, so a shuffled table gives the very same standings.
    pd.testing.assert_frame_equal(compute_standings(shuffled, book), standings)
    for _, group in standings.groupby("title", sort=False):
        positions = group["position"].to_numpy()
        assert (np.diff(group["points"].to_numpy()) <= 1e-9).all()
        if book.tie_break.last_resort == "shared" or group["kind"].iloc[0] == "drivers":
            # Ties may stand (rulebook) and co-drivers with identical records always share a place;
            # a shared place is a run of equal points, the next place skips the shared ones.
            assert positions[0] == 1 and (np.diff(positions) >= 0).all()
            assert ((positions - 1) == np.maximum.accumulate(np.where(np.r_[True, np.diff(positions) > 0],
                                                                      np.arange(len(positions)), 0))).all()
            tied = group.groupby("position")["points"].nunique()
            assert (tied == 1).all()
            if book.tie_break.last_resort != "shared":
                races = [c for c in group.columns if c.startswith("R") and c[1:].isdigit()]
                records = group[races].fillna(-1).round(6)
                for _, same in group.groupby("position"):
                    assert len(records.loc[same.index].drop_duplicates()) == 1
        else:
            assert list(positions) == list(range(1, len(group) + 1))


@settings(max_examples=20, deadline=None)
@given(st.data(), st.sampled_from(sorted(BOOKS)), st.sampled_from([None, 1, 2]))
def test_seasons_stacked_in_one_table_rank_as_each_season_alone(data, name, best_results):
    # The Monte Carlo scores a chunk of seasons in one pass; every season must come out as if alone.
    book = rulebook(name, scoring={"best_results": best_results})
    seasons = {number: season_rows(data.draw, name) for number in data.draw(
        st.lists(st.integers(0, 500), min_size=2, max_size=4, unique=True))}
    stacked = table(*[[{**row, "season": number} for row in rows] for number, rows in seasons.items()])
    batch = compute_standings(stacked, book)
    assert set(batch["season"].unique()) <= set(seasons)
    for number, rows in seasons.items():
        alone = compute_standings(table(rows), book)
        mine = batch[batch["season"] == number].drop(columns="season").reset_index(drop=True)
        if alone.empty:  # nobody scored in any title that season
            assert mine.empty
            continue
        not_held = [column for column in mine.columns if column not in alone.columns]  # other seasons' races
        assert mine[not_held].isna().all().all()
        pd.testing.assert_frame_equal(mine[list(alone.columns)], alone)
