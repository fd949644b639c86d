"""Le Mans 24 Hours automatic invitations: apply a series' award rules to standings and results.

Pure function over pandas tables; many seasons at once when the tables carry a `season` column.
Definitions (see docs/awards.md):
- a competitor *contested* a round when one of its cars (number within the class: the entry, whatever
  its team name that weekend) has a row (any status) in the results for that round; it is a full-season
  competitor when it contested every round in which its class raced;
- a *full-season car* (field-size count) is a car whose rows all say `entry == 'season'` and that
  has a row in every race of its class.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sim.config.awards import AwardRule, AwardsConfig, AwardsPolicy, DeclinedInvitation
from sim.rules.award_candidates import Candidate, candidates_by_season, rule_label, text_column
from sim.rules.competitors import follow_entries

AWARD_COLUMNS = (
    "recipient", "car", "class", "category", "title", "rule", "reason", "status", "position", "team", "slot",
)
AWARDED = "awarded"
NOT_AWARDED = "not_awarded"
SINGLE_SEASON = 0
STATUS_INDEX = 1 + AWARD_COLUMNS.index("status")  # in the row tuples, which start with the season


def award_invitations(
    standings: pd.DataFrame,
    results: pd.DataFrame,
    rulebook_or_awards: Any,
    declined: Iterable[str | Mapping[str, Any] | DeclinedInvitation] = (),
    include_not_awarded: bool = False,
) -> pd.DataFrame:
    """The invitations given per season, one row each (`status` "awarded"), with the reason.

    `include_not_awarded=True` also returns a `not_awarded` row for every candidate passed over
    (declined, not full season, over the cap) and every slot left empty, with the reason.
    `rulebook_or_awards` is an AwardsConfig or any object with an `awards` attribute (a
    SeriesRulebook). `declined` lists refusals: a team name / car number, or a mapping with
    `recipient` and optional `rule` and `season`. Rules are applied in config order, so an
    earlier rule uses up the per-competitor cap first.
    """
    config = _awards_config(rulebook_or_awards)
    refusals = [_as_declined(item) for item in declined]
    batch = "season" in standings.columns or "season" in results.columns
    standings = _with_season(standings, results, "standings")
    results = _with_season(_own_championship(results, rulebook_or_awards), standings, "results")
    if any(rule.kind in ("race", "efficiency") for rule in config.rules):
        # their candidates come from the results rows: a renamed car is one entrant under its latest
        # name, as in the standings (sim.rules.competitors); the others read the standings
        results = follow_entries(results)
    seasons = sorted(set(results["season"].unique()) | set(standings["season"].unique()))

    context = _SeasonFacts(results)
    per_rule = [candidates_by_season(rule, standings, results) for rule in config.rules]
    slots_by_rule = [_slots_by_season(rule, context) for rule in config.rules]

    rows: list[tuple] = []
    for season in seasons:
        season = int(season)
        held: dict[str, int] = {}
        for rule, candidates_of, slots_of in zip(config.rules, per_rule, slots_by_rule):
            found = candidates_of.get(season)
            if isinstance(found, str):  # the rule cannot be applied: the reason is recorded once
                rows.append(_empty_row(season, rule, 1, found))
                continue
            slots, slot_reason = slots_of(season)
            if slots == 0:
                rows.append(_empty_row(season, rule, 1, slot_reason))
                continue
            rows.extend(
                _allocate(season, rule, config.policy, found or [], slots, held, context, refusals)
            )
    if not include_not_awarded:
        rows = [row for row in rows if row[STATUS_INDEX] == AWARDED]
    frame = pd.DataFrame.from_records(rows, columns=("season",) + AWARD_COLUMNS)
    frame["position"] = frame["position"].astype("Int64")
    frame["slot"] = frame["slot"].astype("int64")
    frame["season"] = frame["season"].astype("int64")
    return frame if batch else frame.drop(columns="season")


def _awards_config(source: Any) -> AwardsConfig:
    if isinstance(source, AwardsConfig):
        return source
    awards = getattr(source, "awards", None)
    if isinstance(awards, AwardsConfig):
        return awards
    raise TypeError(f"expected an AwardsConfig or a rulebook with an `awards` field, got {type(source).__name__}")


def _as_declined(item: str | Mapping[str, Any] | DeclinedInvitation) -> DeclinedInvitation:
    if isinstance(item, DeclinedInvitation):
        return item
    if isinstance(item, str):
        return DeclinedInvitation(recipient=item)
    return DeclinedInvitation.model_validate(dict(item))


def _own_championship(results: pd.DataFrame, source: Any) -> pd.DataFrame:
    """Rows of this series only, when the results also hold another championship's races (joint titles)."""
    name = getattr(source, "name", None)
    if "championship" not in results.columns or not isinstance(name, str):
        return results
    championship = results["championship"].fillna("").astype(str)
    return results[(championship == "") | (championship == name)]


def _with_season(frame: pd.DataFrame, other: pd.DataFrame, name: str) -> pd.DataFrame:
    """The table with an int64 `season` column: taken as is, copied from the other table's only season, or 0."""
    if "season" in frame.columns:
        # Read only from here on, so a table whose season is already int64 is used without a copy.
        return frame if frame["season"].dtype == np.int64 else frame.astype({"season": "int64"})
    frame = frame.copy()
    if "season" in other.columns:
        other_seasons = other["season"].unique()
        if len(other_seasons) > 1:
            raise ValueError(f"{name} has no `season` column but the other table holds several seasons")
        frame["season"] = int(other_seasons[0]) if len(other_seasons) else SINGLE_SEASON
    else:
        frame["season"] = SINGLE_SEASON
    return frame


class _SeasonFacts:
    """Per-season participation facts from the results, computed on first use for every season at once."""

    def __init__(self, results: pd.DataFrame):
        self._results = results

    @cached_property
    def _columns(self) -> dict[str, Any]:
        """Season, round, round bit (arrays), car and class (text columns) of every row."""
        results = self._results
        rounds = pd.Series(results["round"].to_numpy())
        codes, uniques = pd.factorize(rounds, sort=True)
        if len(uniques) > 62:
            raise ValueError("more than 62 distinct rounds: round sets do not fit the participation bit masks")
        self.round_values = list(uniques)
        return {
            "season": results["season"].to_numpy(),
            "round": rounds.to_numpy(),
            "bit": np.left_shift(np.int64(1), codes.astype(np.int64)),
            "car": results["car"].astype(str),
            "class": results["class"].astype(str),
        }

    @cached_property
    def _table(self) -> pd.DataFrame:
        """The same as a table, with race code, category and whether the entry is additional (field sizes)."""
        results = self._results
        return pd.DataFrame({
            **{name: np.asarray(column) for name, column in self._columns.items()},
            "race": pd.factorize(results["race"].astype(str))[0],
            "category": text_column(results, "category"),
            "additional": text_column(results, "entry", default="season") != "season",
        })

    @cached_property
    def _codes(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """(code of each row, distinct values as Python objects) of the columns the masks group by."""
        codes = {}
        for name in ("season", "class", "car"):
            code, distinct = pd.factorize(self._columns[name], use_na_sentinel=False)
            codes[name] = code, np.asarray(distinct, dtype=object)
        return codes

    @cached_property
    def class_mask(self) -> dict[tuple, int]:
        """(season, class) -> bit mask of the rounds in which the class raced."""
        return _bit_masks([self._codes[name] for name in ("season", "class")], self._columns["bit"])

    @cached_property
    def entry_mask(self) -> dict[tuple, int]:
        """(season, class, car) -> bit mask of the rounds that entry contested (under any team name)."""
        return _bit_masks([self._codes[name] for name in ("season", "class", "car")], self._columns["bit"])

    @cached_property
    def field_size(self) -> dict[tuple, int]:
        """(season, class, category) -> full-season cars; category "" counts the whole class."""
        table = self._table
        races_of_class = table.groupby(["season", "class"], sort=False)["race"].nunique().rename("class_races")
        per_car = table.groupby(["season", "class", "car"], sort=False).agg(
            races=("race", "nunique"), category=("category", "first"), additional=("additional", "max"),
        )
        per_car = per_car.join(races_of_class, on=["season", "class"])
        full = per_car[~per_car["additional"] & (per_car["races"] == per_car["class_races"])].reset_index()
        counts: dict[tuple, int] = {}
        for key, value in full.groupby(["season", "class"], sort=False).size().items():
            counts[(key[0], key[1], "")] = int(value)
        for key, value in full.groupby(["season", "class", "category"], sort=False).size().items():
            if key[2]:
                counts[key] = int(value)
        return counts

    def missed_rounds(self, season: int, klass: str, cars: list[str]) -> list:
        """Rounds of the class that none of the competitor's cars contested."""
        needed = self.class_mask.get((season, klass), 0)
        if not needed:
            return []
        have = 0
        for car in cars:
            have |= self.entry_mask.get((season, klass, car), 0)
        missing = needed & ~have
        return [value for bit, value in enumerate(self.round_values) if missing >> bit & 1]


def _bit_masks(keys: list[tuple[np.ndarray, np.ndarray]], bit: np.ndarray) -> dict[tuple, int]:
    """Per distinct combination of the key columns (each as factorised codes and distinct values), the
    bitwise OR of its rows' round bits: OR-ed with numpy, only the combinations become dict entries."""
    group = np.zeros(len(bit), dtype=np.int64)
    for codes, distinct in keys:
        group = group * len(distinct) + codes
    group_code, groups = pd.factorize(group)
    masks = np.zeros(len(groups), dtype=np.int64)
    np.bitwise_or.at(masks, group_code, bit)
    columns = []
    for _, distinct in reversed(keys):
        groups, code = np.divmod(groups, len(distinct))
        columns.append(distinct[code].tolist())
    return dict(zip(zip(*reversed(columns)), masks.tolist()))


# ---------------------------------------------------------------- slots


def _slots_by_season(rule: AwardRule, facts: _SeasonFacts):
    """A function season -> (number of invitations, reason when none)."""
    if rule.field_size is None:
        return lambda season: (rule.invitations, f"rule {rule.id} gives no invitation (invitations: 0)")

    def by_field_size(season: int) -> tuple[int, str]:
        cars = facts.field_size.get((season, rule.class_name, rule.category), 0)
        for band in rule.field_size or ():
            if cars >= band.min_cars and (band.max_cars is None or cars <= band.max_cars):
                if band.invitations:
                    return band.invitations, ""
                break
        where = f"{rule.class_name} {rule.category}".strip()
        return 0, f"{cars} full-season {where} cars: no invitation under the field-size rule"

    return by_field_size


# ---------------------------------------------------------------- candidates


def _allocate(
    season: int,
    rule: AwardRule,
    policy: AwardsPolicy,
    candidates: list[Candidate],
    slots: int,
    held: dict[str, int],
    facts: _SeasonFacts,
    refusals: list[DeclinedInvitation],
) -> list[tuple]:
    """Give the rule's slots down the candidate order; record every candidate passed over and why."""
    rows: list[tuple] = []
    recipient_kind = rule.recipient or policy.recipient
    given = 0
    considered = 0
    for candidate in candidates:
        if given == slots or (not policy.cascade and considered == slots):
            break
        considered += 1
        recipient = candidate.team if recipient_kind == "team" else candidate.car
        cap_key = candidate.team if policy.cap_by == "team" else candidate.car
        problem = _problem(season, rule, policy, candidate, cap_key, held, facts, refusals)
        slot = given + 1 if policy.cascade else considered
        if problem is None:
            given += 1
            held[cap_key] = held.get(cap_key, 0) + 1
            reason = candidate.describe
            if considered > given:
                reason += "; passed down to this competitor"
            rows.append(_row(season, rule, candidate, recipient, reason, AWARDED, slot))
        else:
            consequence = "passed down" if policy.cascade else "invitation not given"
            rows.append(_row(season, rule, candidate, recipient,
                             f"{candidate.describe}: {problem}; {consequence}", NOT_AWARDED, slot))
    unfilled_from = given + 1 if policy.cascade else considered + 1
    for slot in range(unfilled_from, slots + 1):
        why = "no eligible competitor left" if policy.cascade else f"no competitor in place {slot}"
        rows.append(_empty_row(season, rule, slot, f"{rule_label(rule)}: {why}"))
    return rows


def _problem(
    season: int,
    rule: AwardRule,
    policy: AwardsPolicy,
    candidate: Candidate,
    cap_key: str,
    held: dict[str, int],
    facts: _SeasonFacts,
    refusals: list[DeclinedInvitation],
) -> str | None:
    """Why this candidate cannot take the invitation (declined, not full season, over cap), or None."""
    for refusal in refusals:
        if refusal.recipient in (candidate.team, candidate.car) \
                and refusal.rule in (None, rule.id) and refusal.season in (None, season):
            return "declined"
    full_season_needed = policy.require_full_season if rule.require_full_season is None else rule.require_full_season
    if full_season_needed:
        missed = facts.missed_rounds(season, candidate.klass, candidate.car.split(";"))
        if missed:
            return f"did not contest every round (missed round {', '.join(str(r) for r in missed)})"
    if policy.max_per_competitor is not None and held.get(cap_key, 0) >= policy.max_per_competitor:
        return f"already holds {policy.max_per_competitor} invitations (cap)"
    return None


def _row(season, rule: AwardRule, candidate: Candidate, recipient: str, reason: str, status: str, slot: int):
    return (season, recipient, candidate.car, candidate.klass, candidate.category, candidate.title,
            rule.id, reason, status, candidate.position, candidate.team, slot)


def _empty_row(season: int, rule: AwardRule, slot: int, reason: str) -> tuple:
    klass = rule.class_name or "+".join(rule.classes)
    return (season, "", "", klass, rule.category, rule_label(rule), rule.id, reason, NOT_AWARDED, None, "", slot)
