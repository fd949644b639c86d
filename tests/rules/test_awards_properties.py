"""Invariants of the invitation engine over random fields, standings, absences, refusals and policies."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config.awards import AwardsConfig
from sim.rules.awards import award_invitations
from tests.rules.awards_tables import results_table, standings_table

CLASSES = ("LMP2", "LMP3", "GT")
TEAMS = tuple(f"Team {letter}" for letter in "ABCDEF")


@st.composite
def seasons(draw):
    """A random season: cars of three classes sharing a few teams, random absences and orders."""
    entries = []
    number = 1
    for klass in CLASSES:
        for _ in range(draw(st.integers(0, 6))):
            entries.append({
                "car": str(number), "team": draw(st.sampled_from(TEAMS)), "class": klass,
                "skip": ("R2",) if draw(st.booleans()) and draw(st.booleans()) else (),
            })
            number += 1
    standings = []
    for klass in CLASSES:
        in_class = [(e["car"], e["team"]) for e in entries if e["class"] == klass]
        order = draw(st.permutations(in_class))
        if order:
            standings.append(standings_table(order, klass))
    standings = pd.concat(standings, ignore_index=True) if standings else standings_table([], "GT")
    rules = [
        {"id": f"{klass.lower()}-top", "class": klass, "invitations": draw(st.integers(0, 3))} for klass in CLASSES
    ]
    policy = {
        "cascade": draw(st.booleans()),
        "max_per_competitor": draw(st.sampled_from([1, 2, 3, None])),
        "require_full_season": draw(st.booleans()),
    }
    declined = draw(st.lists(st.sampled_from(TEAMS), max_size=2, unique=True))
    return entries, standings, AwardsConfig.model_validate({"rules": rules, "policy": policy}), declined


def full_record(*args, **kwargs) -> pd.DataFrame:
    return award_invitations(*args, include_not_awarded=True, **kwargs)


def run(entries, standings, awards, declined=()):
    return full_record(standings, results_table(entries, races=("R1", "R2", "R3")), awards, declined)


@settings(max_examples=50, deadline=None)
@given(seasons())
def test_awards_never_exceed_the_slots_of_a_rule_nor_the_cap(season):
    entries, standings, awards, declined = season
    out = run(entries, standings, awards, declined)
    given_out = out[out["status"] == "awarded"]
    for rule in awards.rules:
        assert (given_out["rule"] == rule.id).sum() <= rule.invitations
        assert len(set(out.loc[out["rule"] == rule.id, "slot"])) <= max(rule.invitations, 1)
    cap = awards.policy.max_per_competitor
    if cap is not None and len(given_out):
        assert given_out["team"].value_counts().max() <= cap
    assert not given_out["recipient"].isin(declined).any()
    if awards.policy.require_full_season:
        raced_r2 = {e["class"] for e in entries if not e["skip"]}  # a class nobody ran in R2 did not race it
        full_season = {(e["car"], e["team"]) for e in entries if not e["skip"] or e["class"] not in raced_r2}
        assert set(zip(given_out["car"], given_out["team"])) <= full_season


@settings(max_examples=50, deadline=None)
@given(seasons())
def test_without_cascade_an_ineligible_competitor_never_hands_its_slot_to_someone_else(season):
    entries, standings, awards, declined = season
    awards = awards.model_copy(update={"policy": awards.policy.model_copy(update={"cascade": False})})
    out = run(entries, standings, awards, declined)
    given_out = out[out["status"] == "awarded"]
    # Only the top `invitations` of each classification can ever be invited.
    for rule in awards.rules:
        positions = given_out.loc[given_out["rule"] == rule.id, "position"]
        assert (positions <= rule.invitations).all()
    # Refusing more invitations never gives anyone a new one: the awarded set only shrinks.
    more_declined = list(declined) + [team for team in TEAMS if team not in declined][:1]
    fewer = run(entries, standings, awards, more_declined)
    before = set(zip(given_out["rule"], given_out["car"]))
    after = set(zip(fewer.loc[fewer["status"] == "awarded", "rule"], fewer.loc[fewer["status"] == "awarded", "car"]))
    assert after <= before


@settings(max_examples=50, deadline=None)
@given(seasons())
def test_with_cascade_every_slot_is_filled_while_eligible_candidates_remain(season):
    entries, standings, awards, declined = season
    policy = awards.policy.model_copy(update={"cascade": True})
    awards = awards.model_copy(update={"policy": policy})
    out = run(entries, standings, awards, declined)
    given_out = out[out["status"] == "awarded"]
    held = given_out["team"].value_counts().to_dict()
    for rule in awards.rules:
        filled = (given_out["rule"] == rule.id).sum()
        if filled == rule.invitations:
            continue
        # An unfilled slot means every remaining competitor of the class had a reason to be passed over.
        rows = out[out["rule"] == rule.id]
        taken = set(rows["car"])
        for car, team in zip(*(standings.loc[standings["class"] == rule.class_name, c] for c in ("car", "team"))):
            if car in taken:
                continue
            entry = next(e for e in entries if e["car"] == car)
            raced_r2 = any(not e["skip"] for e in entries if e["class"] == entry["class"])
            full_season = not (entry["skip"] and raced_r2) or not policy.require_full_season
            at_cap = policy.max_per_competitor is not None and held.get(team, 0) >= policy.max_per_competitor
            assert team in declined or not full_season or at_cap, (rule.id, car, team)


@settings(max_examples=30, deadline=None)
@given(seasons())
def test_output_is_deterministic_and_independent_of_input_row_order(season):
    entries, standings, awards, declined = season
    first = run(entries, standings, awards, declined)
    again = run(entries, standings, awards, declined)
    pd.testing.assert_frame_equal(first, again)
    shuffled_standings = standings.iloc[::-1].reset_index(drop=True)
    results = results_table(entries, races=("R1", "R2", "R3"))
    shuffled = full_record(shuffled_standings, results.iloc[::-1].reset_index(drop=True), awards, declined)
    pd.testing.assert_frame_equal(first, shuffled)
