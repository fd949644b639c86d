"""A two-car toy season with an exact answer: checks the Monte Carlo engine, and benchmarks it.

Cars 1 and 2 share each race: car 1 wins with probability `p_first`, the other is second.
Points 25/18 per race, the last race (its own final round) at half points, so the cars can never
tie on points. A guest car (not in the layout) enters a season with `guest_probability`, always
finishes last and scores nothing (it exercises the "other" row). Awards: the teams champion
(`champion`) and the winner of R1 (`opener`). Optional fault injection kills or interrupts a chunk
once, to test resume and worker loss.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.montecarlo.kernel import ChunkTables, CompetitorKey, StudyLayout, TitleLayout
from sim.seeds import race_rng, season_rng

TOY_CLASS = "TOY"
CARS = (("1", "Alpha Racing", "Ann Able"), ("2", "Beta Motorsport", "Bob Baker"))
GUEST = ("99", "Guest Team", "Gus Guest")


@dataclass(frozen=True)
class FaultInjection:
    """Once (a marker file records it): when a chunk holds `season`, raise KeyboardInterrupt or exit."""

    season: int
    marker: str
    mode: str = "interrupt"  # or "exit": the worker process dies abruptly

    def maybe_fire(self, season_indices: range) -> None:
        if self.season in season_indices and not os.path.exists(self.marker):
            Path(self.marker).write_text("fired", encoding="utf-8")
            if self.mode == "exit":
                os._exit(13)
            raise KeyboardInterrupt


@dataclass(frozen=True)
class ToyKernel:
    """Season kernel of the two-car toy championship."""

    p_first: float = 0.5
    points: tuple[float, float] = (25.0, 18.0)
    race_factors: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 0.5)
    rounds: tuple[int, ...] = (1, 1, 2, 2, 3)
    guest_probability: float = 0.25
    fault: FaultInjection | None = None

    @property
    def name(self) -> str:
        return f"toy championship (p_first={self.p_first})"

    @property
    def race_ids(self) -> tuple[str, ...]:
        return tuple(f"R{j + 1}" for j in range(len(self.race_factors)))

    def layout(self) -> StudyLayout:
        max_points = tuple(self.points[0] * f for f in self.race_factors)
        titles = []
        for kind in ("teams", "drivers"):
            competitors = tuple(CompetitorKey(TOY_CLASS, "", kind, car, team, driver)
                                for car, team, driver in CARS)
            titles.append(TitleLayout(f"{TOY_CLASS} {kind}", TOY_CLASS, "", kind, competitors, max_points))
        return StudyLayout(titles=tuple(titles), race_ids=self.race_ids, rounds=self.rounds,
                           award_rules=("champion", "opener"), points_scale=2, points_bins=20, extra_positions=2)

    def config_files(self) -> Sequence[Path]:
        return []

    def identity(self) -> str:
        return (f"toy p_first={self.p_first} points={self.points} factors={self.race_factors} "
                f"rounds={self.rounds} guest={self.guest_probability}")

    def first_car_wins(self, seed: int, season: int) -> list[bool]:
        """Race by race, whether car 1 wins: one uniform draw from the race's own stream."""
        return [bool(race_rng(seed, season, j).random() < self.p_first) for j in range(len(self.race_factors))]

    def run_chunk(self, seed: int, season_indices: range) -> ChunkTables:
        if self.fault is not None:
            self.fault.maybe_fire(season_indices)
        standings_rows, award_rows = [], []
        races = self.race_ids
        for season in season_indices:
            wins_first = self.first_car_wins(seed, season)
            guest = bool(season_rng(seed, season, 0).random() < self.guest_probability)
            race_points = {car: [] for car, _, _ in CARS}
            for j, first_wins in enumerate(wins_first):
                winner, second = ("1", "2") if first_wins else ("2", "1")
                race_points[winner].append(self.points[0] * self.race_factors[j])
                race_points[second].append(self.points[1] * self.race_factors[j])
            wins = {"1": sum(wins_first), "2": len(wins_first) - sum(wins_first)}
            entrants = [(car, team, driver, race_points[car], wins[car]) for car, team, driver in CARS]
            entrants.sort(key=lambda e: (-sum(e[3]), -e[4], e[0]))
            if guest:
                entrants.append((*GUEST, [0.0] * len(races), 0))
            for kind in ("teams", "drivers"):
                for position, (car, team, driver, pts, win_count) in enumerate(entrants, start=1):
                    row = {"season": season, "title": f"{TOY_CLASS} {kind}", "class": TOY_CLASS, "category": "",
                           "kind": kind, "position": position, "car": car, "team": team, "drivers": driver,
                           "points": float(sum(pts))}
                    row.update(dict(zip(races, pts)))
                    row["wins"] = win_count
                    standings_rows.append(row)
            champion = entrants[0]
            award_rows.append({"season": season, "recipient": champion[1], "car": champion[0], "class": TOY_CLASS,
                               "category": "", "title": f"{TOY_CLASS} teams", "rule": "champion",
                               "reason": "teams champion"})
            opener = CARS[0] if wins_first[0] else CARS[1]
            award_rows.append({"season": season, "recipient": opener[1], "car": opener[0], "class": TOY_CLASS,
                               "category": "", "title": "", "rule": "opener", "reason": "winner of R1"})
        standings_columns = ["season", "title", "class", "category", "kind", "position", "car", "team", "drivers",
                             "points", *races, "wins"]
        awards_columns = ["season", "recipient", "car", "class", "category", "title", "rule", "reason"]
        return ChunkTables(pd.DataFrame(standings_rows, columns=standings_columns),
                           pd.DataFrame(award_rows, columns=awards_columns))
