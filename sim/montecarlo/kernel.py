"""The season kernel: the one thing the Monte Carlo engine needs from a scenario.

A kernel is built once per study (it holds the compiled scenario), is picklable so workers can
run it, and turns a chunk of season indices into one standings table and one awards table.
The engine never looks inside it, so the same engine runs the real season and the test toy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import pandas as pd

KINDS = ("teams", "drivers")


@dataclass(frozen=True)
class CompetitorKey:
    """One competitor of one classification, as the standings rows name it."""

    class_name: str
    category: str
    kind: str
    car: str
    team: str
    drivers: str

    def match_key(self, title: str) -> str:
        """Drivers are matched by name (their car list can vary), team rows by car + team."""
        return title_match_key(title, self.kind, self.car, self.team, self.drivers)


def title_match_key(title: str, kind: str, car: str, team: str, drivers: str) -> str:
    if kind == "drivers":
        return f"{title}\x1f{drivers}"
    return f"{title}\x1f{car}\x1f{team}"


@dataclass(frozen=True)
class TitleLayout:
    """A classification (`LMP2 teams`) and its competitors in a fixed order.

    `max_race_points[j]` is the most points one competitor can score in race j (all bonuses
    included): it bounds the points histograms and decides whether a title is still open.
    """

    title: str
    class_name: str
    category: str
    kind: str
    competitors: tuple[CompetitorKey, ...]
    max_race_points: tuple[float, ...]

    @property
    def max_season_points(self) -> float:
        return float(sum(self.max_race_points))


@dataclass(frozen=True)
class StudyLayout:
    """Everything fixed for a whole study: titles and competitors, races, rounds, award rules.

    `rounds[j]` is the round number of race `race_ids[j]`. Points are stored internally as
    integers `points * points_scale` (exact sums whatever the merge order), so every points
    value must be a multiple of 1 / points_scale. Competitors missing from the layout (random
    additional entries) are counted in one extra "other" row per title.
    """

    titles: tuple[TitleLayout, ...]
    race_ids: tuple[str, ...]
    rounds: tuple[int, ...]
    award_rules: tuple[str, ...] = ()
    points_scale: int = 4
    points_bins: int = 40
    extra_positions: int = 8

    def __post_init__(self) -> None:
        if len(self.rounds) != len(self.race_ids):
            raise ValueError("StudyLayout: rounds must give one round number per race id")
        if list(self.rounds) != sorted(self.rounds):
            raise ValueError("StudyLayout: races must be in calendar order (rounds non-decreasing)")
        names = [title.title for title in self.titles]
        if len(set(names)) != len(names):
            raise ValueError("StudyLayout: title names must be unique")
        for title in self.titles:
            if title.kind not in KINDS:
                raise ValueError(f"StudyLayout: title {title.title!r} has kind {title.kind!r}")
            if len(title.max_race_points) != len(self.race_ids):
                raise ValueError(f"StudyLayout: title {title.title!r} needs max_race_points per race")
            keys = [c.match_key(title.title) for c in title.competitors]
            if len(set(keys)) != len(keys):
                raise ValueError(f"StudyLayout: title {title.title!r} lists a competitor twice")
        if self.points_scale < 1 or self.points_bins < 1 or self.extra_positions < 0:
            raise ValueError("StudyLayout: points_scale, points_bins must be >= 1, extra_positions >= 0")

    def digest(self) -> str:
        """A stable hash of the layout: part of a study's fingerprint."""
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def final_round_races(self) -> list[int]:
        """Indices of the races of the last round (the ones still to run 'before the final round')."""
        last = self.rounds[-1] if self.rounds else None
        return [j for j, number in enumerate(self.rounds) if number == last]


@dataclass
class ChunkTables:
    """What a kernel returns for a chunk: standings and awards of every season, with `season`."""

    standings: pd.DataFrame
    awards: pd.DataFrame
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)


STANDINGS_KEY_COLUMNS = ("season", "title", "class", "category", "kind", "position", "car", "team",
                         "drivers", "points")
AWARDS_KEY_COLUMNS = ("season", "recipient", "car", "class", "category", "title", "rule")


@runtime_checkable
class SeasonKernel(Protocol):
    """One season of a scenario, for any season index; built once per study, picklable."""

    def layout(self) -> StudyLayout:
        """The fixed titles, competitors, races and award rules of the study."""
        ...

    def run_chunk(self, seed: int, season_indices: range) -> ChunkTables:
        """Simulate these seasons; season i draws only from `sim.seeds` streams of index i."""
        ...

    def config_files(self) -> Sequence[Path]:
        """Every file the results depend on (scenario and the configs it references)."""
        ...

    def identity(self) -> str:
        """Anything else that changes results (options given in code), as text; may be ''."""
        ...
