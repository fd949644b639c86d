"""Le Mans 24 Hours automatic-invitation rules of a series: the `awards:` block of a rulebook.

A list of award rules (who earns an invitation) and one policy (eligibility, cap per competitor,
recipient, cascade). The default `AwardsConfig()` gives no invitations.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from sim.config.loader import StrictModel

RuleKind = Literal["championship", "race", "joint", "efficiency"]
Recipient = Literal["team", "car"]
StandingsKind = Literal["teams", "drivers"]


class FieldSizeBand(StrictModel):
    """`invitations` when the number of full-season cars is in [min_cars, max_cars] (max open if absent)."""

    min_cars: int = Field(ge=0)
    max_cars: int | None = Field(default=None, ge=0)
    invitations: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> FieldSizeBand:
        if self.max_cars is not None and self.max_cars < self.min_cars:
            raise ValueError(f"max_cars {self.max_cars} is below min_cars {self.min_cars}")
        return self


class EfficiencyScoring(StrictModel):
    """Green X style score per car and race (Clean + Fast + Efficient): lower is better; each term is a ratio
    to the best car of the rule's classes in that race, so a car best at everything scores the sum of weights.

    score = fast_weight * (time per lap / best time per lap)                                   # Fast
          + energy_weight * (energy per lap [per kg] / best energy per lap [per kg])           # Efficient
          + clean_weight * (greenhouse-weighted energy per lap / best)                         # Clean
    Per lap = scaled to a common distance (the winner's). Energy is `energy_mj` (or `fuel_used_l` x
    `fuel_energy_mj_per_l`); per kg when `mass_kg` gives the car's class mass; greenhouse-weighted energy is
    `ghg_mj` (or energy x `ghg_factors[fuel]`, 1.0 for a fuel not listed). The season score is the mean of a
    car's race scores (races where it was classified).
    """

    fast_weight: float = Field(default=1.0, ge=0)
    energy_weight: float = Field(default=1.0, ge=0)
    clean_weight: float = Field(default=0.0, ge=0)
    # Used only when the results have `fuel_used_l` but no `energy_mj`.
    fuel_energy_mj_per_l: float = Field(default=33.5, gt=0)
    mass_kg: dict[str, float] = Field(default_factory=dict, description="Car mass per class (Efficient per kg).")
    ghg_factors: dict[str, float] = Field(default_factory=dict,
                                          description="Greenhouse factor per fuel when results have no ghg_mj.")

    @model_validator(mode="after")
    def _some_weight(self) -> EfficiencyScoring:
        if self.fast_weight == 0 and self.energy_weight == 0 and self.clean_weight == 0:
            raise ValueError("fast_weight, energy_weight and clean_weight cannot all be 0")
        if any(mass <= 0 for mass in self.mass_kg.values()):
            raise ValueError("mass_kg values must be positive")
        if any(factor < 0 for factor in self.ghg_factors.values()):
            raise ValueError("ghg_factors cannot be negative")
        return self


class AwardRule(StrictModel):
    """One way to earn invitations.

    kind:
    - `championship`: the top `invitations` of a standings classification, chosen by
      `class` + `category` + `standings` (teams/drivers), or by an explicit standings `title`.
    - `race`: the top `invitations` of `class` (and `category`) in one race (`race`: an id such
      as `R4`, or `first` / `last`), e.g. Petit Le Mans class winners.
    - `joint`: points summed over several standings `titles` (e.g. a classification shared with
      another series whose standings rows are passed in too); the top `invitations` earn one.
    - `efficiency`: Green X style winner among `classes`, lowest season score (`scoring`), or lowest
      score of one race when `race` is given; from the results columns `fuel_used_l`/`energy_mj`
      (`ghg_mj` / `fuel` for the Clean term), `laps`, `time_s`.
    The number of invitations is `invitations`, or, when `field_size` is given, the band that holds
    the number of full-season cars of `class` (and `category`).
    """

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(min_length=1)
    kind: RuleKind = "championship"
    class_name: str | None = Field(default=None, alias="class", min_length=1)
    classes: list[str] = Field(default_factory=list)
    category: str = ""
    standings: StandingsKind = "teams"
    title: str | None = Field(default=None, min_length=1)
    titles: list[str] = Field(default_factory=list)
    race: str | None = Field(default=None, min_length=1)
    invitations: int = Field(default=1, ge=0)
    field_size: list[FieldSizeBand] | None = None
    recipient: Recipient | None = None
    # Overrides the policy's full-season condition for this rule (e.g. a race winner's invitation).
    require_full_season: bool | None = None
    scoring: EfficiencyScoring | None = None

    @model_validator(mode="after")
    def _fields_for_kind(self) -> AwardRule:
        if self.kind == "championship" and self.class_name is None and self.title is None:
            raise ValueError("a championship rule needs `class` (or a standings `title`)")
        if self.kind == "race":
            if self.class_name is None:
                raise ValueError("a race rule needs `class`")
            if self.race is None:
                raise ValueError("a race rule needs `race` (a race id such as R4, or first / last)")
        if self.kind == "joint" and not self.titles:
            raise ValueError("a joint rule needs `titles` (the standings classifications to add up)")
        if self.kind == "efficiency" and not (self.classes or self.class_name):
            raise ValueError("an efficiency rule needs `classes` (or `class`)")
        if self.kind != "efficiency" and self.scoring is not None:
            raise ValueError("`scoring` only applies to efficiency rules")
        if self.kind != "joint" and self.titles:
            raise ValueError("`titles` only applies to joint rules")
        if self.kind not in ("race", "efficiency") and self.race is not None:
            raise ValueError("`race` only applies to race and efficiency rules")
        if self.field_size is not None:
            if self.class_name is None:
                raise ValueError("`field_size` needs `class` (the class whose full-season cars are counted)")
            _check_bands(self.field_size)
        return self

    @property
    def competing_classes(self) -> list[str]:
        """Classes whose cars compete for this rule."""
        if self.classes:
            return list(self.classes)
        return [self.class_name] if self.class_name else []


def _check_bands(bands: list[FieldSizeBand]) -> None:
    ordered = sorted(bands, key=lambda band: band.min_cars)
    for low, high in zip(ordered, ordered[1:]):
        if low.max_cars is None or low.max_cars >= high.min_cars:
            raise ValueError(f"field_size bands overlap (band from {low.min_cars} and band from {high.min_cars})")


class AwardsPolicy(StrictModel):
    """Conditions applied to every rule of the series."""

    # The entrant must have contested every round in which its class raced (any row in the results).
    require_full_season: bool = True
    # At most this many invitations per competitor (team or car, per `cap_by`) across all rules; null = no cap.
    max_per_competitor: int | None = Field(default=2, ge=1)
    cap_by: Recipient = "team"
    # Who receives an invitation unless a rule says otherwise.
    recipient: Recipient = "team"
    # When a candidate is ineligible, declines or is over the cap: pass the invitation down the order
    # (True) or do not give it (False; no confirmed rule lets a declined invitation pass down).
    cascade: bool = False


class AwardsConfig(StrictModel):
    """The `awards:` block of a rulebook: no rules (no invitations) by default."""

    rules: list[AwardRule] = Field(default_factory=list)
    policy: AwardsPolicy = Field(default_factory=AwardsPolicy)

    @model_validator(mode="after")
    def _unique_ids(self) -> AwardsConfig:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"award rule id '{rule.id}' is used twice")
            seen.add(rule.id)
        return self


class DeclinedInvitation(StrictModel):
    """An invitation refused: by `recipient` (team name or car number), optionally for one rule / season."""

    recipient: str = Field(min_length=1)
    rule: str | None = None
    season: int | None = None
