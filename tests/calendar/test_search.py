"""Calendar search: a 12-venue, 4-round problem, infeasibility explained, contradictory inputs refused."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.calendar.search import build_problem, check_constraints, constraint_names, search_calendars
from sim.config.calendars import SearchConstraints, Window, load_constraints
from sim.config.loader import CONFIGS
from sim.errors import InputError

TWELVE = ["dubai", "yas-marina", "bahrain", "lusail", "sepang", "buriram", "mandalika", "zhuhai", "shanghai",
          "fuji", "suzuka", "bathurst"]
CONSTRAINTS = CONFIGS / "calendar-search" / "two-plus-two.yaml"
WINTER = Window(start=dt.date(2025, 11, 1), end=dt.date(2026, 3, 31))


@pytest.fixture(scope="module")
def twelve_venue_search():
    problem = build_problem(TWELVE, 4, WINTER, load_constraints(CONSTRAINTS), CONSTRAINTS)
    return problem, search_calendars(problem, top=5)


def test_best_calendar_satisfies_every_hard_constraint(twelve_venue_search):
    problem, result = twelve_venue_search
    assert len(result.candidates) == 5
    for candidate in result.candidates:
        assert check_constraints(candidate.rounds, problem) == []
        regions = [r.venue for r in candidate.rounds]
        assert len(set(regions)) == 4
        assert all(r.first_race_day.weekday() == 5 for r in candidate.rounds)
    best = result.candidates[0]
    assert best.row["freight_gap_violations"] == 0 and best.row["clash_people"] == 0
    assert best.row["regions"] == "Far East 2, Middle East 2"


def test_scores_are_the_metric_breakdown_and_ranked(twelve_venue_search):
    _, result = twelve_venue_search
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores)
    for candidate in result.candidates:
        # The row is rounded for reading (0.1 km, 1 EUR, 0.001 races), hence the tolerance.
        assert candidate.score == pytest.approx(sum(candidate.contributions.values()), abs=0.01)


def test_best_beats_every_feasible_hand_made_calendar(twelve_venue_search):
    # Branch and bound must not cut the optimum: enumerate one sub-family exhaustively and compare.
    from sim.calendar.metrics import PlannedRound, assess_plan, objective_breakdown

    problem, result = twelve_venue_search
    fmt = problem.format_races
    saturdays = [WINTER.start + dt.timedelta(days=(5 - WINTER.start.weekday()) % 7 + 7 * k) for k in range(22)]
    best_hand = None
    for far in (("buriram", "zhuhai"), ("zhuhai", "buriram")):
        for middle in (("lusail", "bahrain"), ("dubai", "yas-marina")):
            for d in ((4, 6, 13, 18), (4, 7, 13, 18), (2, 4, 13, 15)):
                rounds = [PlannedRound(v, saturdays[k], fmt) for v, k in zip(far + middle, d)]
                if check_constraints(rounds, problem):
                    continue
                score = sum(objective_breakdown(assess_plan("x", rounds, problem.ctx).row,
                                                problem.constraints.objective).values())
                best_hand = score if best_hand is None else min(best_hand, score)
    assert best_hand is not None
    assert result.candidates[0].score <= best_hand + 0.01  # hand scores come from the rounded row


def test_exclusions_are_counted_with_examples(twelve_venue_search):
    _, result = twelve_venue_search
    for name in ("freight", "max_rounds_per_venue", "regions.Middle East"):
        assert result.exclusions[name].count > 0 and result.exclusions[name].example
    assert result.option_exclusions["climate.max_rain_probability"].example.startswith(("sepang", "mandalika"))


def _tight(**changes) -> SearchConstraints:
    base = {"regions": {"Middle East": 2, "Far East": 2}, "climate": {"max_rain_probability": 0.02}}
    return SearchConstraints.model_validate(base | changes)


def test_infeasible_search_names_a_minimal_conflicting_set():
    problem = build_problem(["dubai", "yas-marina", "sepang", "buriram"], 4, WINTER, _tight())
    result = search_calendars(problem)
    assert result.candidates == []
    assert "climate.max_rain_probability" in result.conflict
    # Minimal: every constraint named is needed (relaxing it admits a calendar), none outside it is.
    from sim.calendar.search import SearchTables, feasible

    tables = SearchTables(problem)
    assert not feasible(problem, tables, set(result.conflict))
    for name in result.conflict:
        assert feasible(problem, tables, set(result.conflict) - {name})
    assert set(result.conflict) <= set(constraint_names(problem))


@pytest.mark.parametrize("changes,rounds,field,words", [
    ({"min_days_between_rounds": 30, "max_days_between_rounds": 14}, 4, "(top level)", "min_days_between_rounds"),
    ({"regions": {"Middle East": 3, "Far East": 2}}, 4, "regions", "at least 5 rounds"),
    ({"regions": {"Middle East": {"min": 3, "max": 1}}}, 4, "regions.Middle East", "min 3 is more than max 1"),
    ({"fixed_rounds": [{"venue": "dubai", "date": "2025-10-04"}]}, 4, "fixed_rounds[0].date", "outside the search window"),
    ({"fixed_rounds": [{"venue": "dubai", "date": "2025-12-03"}]}, 4, "fixed_rounds[0].date", "not a Saturday"),
    ({"fixed_rounds": [{"venue": "spa", "date": "2025-12-06"}]}, 4, "fixed_rounds[0].venue", "not in --venues"),
    ({"objective": {"sporting": 1}}, 4, "objective.sporting", "reserved"),
])
def test_contradictory_constraints_are_one_line_input_errors(changes, rounds, field, words):
    from sim.config.loader import parse_model

    with pytest.raises(InputError) as error:
        constraints = parse_model(SearchConstraints, changes, "c.yaml")
        build_problem(["dubai", "yas-marina", "sepang", "buriram"], rounds, WINTER, constraints, "c.yaml")
    assert words in error.value.reason
    assert field in (error.value.field or "")
    assert "\n" not in error.value.message


def test_unknown_venue_and_short_window_are_input_errors():
    with pytest.raises(InputError, match="atlantis"):
        build_problem(["dubai", "atlantis"], 2, WINTER, SearchConstraints())
    short = Window(start=dt.date(2025, 12, 1), end=dt.date(2025, 12, 14))
    with pytest.raises(InputError, match="2 Saturdays for 4 rounds"):
        build_problem(["dubai", "yas-marina", "sepang", "buriram"], 4, short, SearchConstraints())


def test_top_calendars_are_distinct_venue_orders_unless_dates_are_asked_for(twelve_venue_search):
    """Five date shuffles of one calendar are no choice for an organiser: by default each candidate is its
    own venue order on its best dates, and the bound stays exact (the best calendar is the same)."""
    problem, result = twelve_venue_search
    orders = [tuple(r.venue for r in c.rounds) for c in result.candidates]
    assert len(set(orders)) == len(orders) == 5
    any_dates = search_calendars(problem, top=5, distinct=False)
    assert any_dates.candidates[0].score == result.candidates[0].score
    assert all(a <= b for a, b in zip((c.score for c in any_dates.candidates), (c.score for c in result.candidates)))
    # each distinct order is shown on its best dates: no calendar of the wider list beats it in its order
    for candidate in any_dates.candidates:
        order = tuple(r.venue for r in candidate.rounds)
        if order in orders:
            assert result.candidates[orders.index(order)].score <= candidate.score
