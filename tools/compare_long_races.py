"""Simulated long races against the real ones: Sebring 12 h, Petit Le Mans (Road Atlanta 10 h) and the
Daytona 24 h of the IMSA 2023-24 scenarios, figure by figure against the IMSA exports as measured by
tools/measure_long_races.py (data/real/imsa/long_races/measured*.csv).

    .venv/bin/python tools/compare_long_races.py [--seeds 40]

prints the sim-vs-real table of docs/long-races.md. tests/race/test_long_races.py checks the same
figures (`simulated_figures`, `real_ranges`) with fewer seeds.

Figures per race and class, defined as the measuring tool defines them on the exports:
- winner laps: the class winner's laps;
- running share: cars classified at the flag (running, in the IMSA scenarios) over starters;
- stops: pit stops per car running at the end (median over the class);
- longest stint: the longest pit-exit-to-pit-entry run of any car of the class (min);
- longest driving: the longest time a driver stayed in the car, stops he stayed in for included (min);
- most drive: the most any one driver of the class drove (h), and that over the race's length (share);
- least drive: the least any driver of a car running at the end drove (h);
- neutralisations per hour: the race's full-course neutralisations (Safety Car periods; red flags apart).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# the long races: the venue key of the IMSA scenarios (2023 and 2024) and of the measured events
LONG_RACES = {"Sebring 12 h": "sebring", "Petit Le Mans 10 h": "road-atlanta", "Daytona 24 h": "daytona"}
SCENARIOS = ("imsa-2023", "imsa-2024")
REAL_CLASS = {"GTD PRO": "GTDPRO"}   # the exports spell it without the space
RATING_FIX = {"Platinium": "Platinum"}   # and some licences so
STOPPAGE_S = 900.0   # a stop longer than this is a garage repair (tools/measure_long_races.py STOPPAGE_LAP_S)
FIGURES = ("winner_laps", "running_share", "stops_median", "longest_stint_min", "longest_driving_min",
           "most_drive_h", "most_drive_share", "least_drive_h")
# measured.csv column for each figure
REAL_COLUMN = {"winner_laps": "winner_laps", "running_share": "running_share", "stops_median": "stops_median",
               "longest_stint_min": "longest_stint_min_max", "longest_driving_min": "longest_driving_min_max",
               "most_drive_h": "most_drive_h", "most_drive_share": "most_drive_share",
               "least_drive_h": "least_drive_h_finishers"}


class RaceFigures(NamedTuple):
    """One simulated race: figures per class (DataFrame, one row per class) and neutralisations per hour."""

    classes: pd.DataFrame
    neutralisations_per_hour: float


def _longest_run(spans, driver: int, red: list[tuple[float, float]]) -> float:
    """The driver's longest time in the car without getting out: his consecutive stints and the stops
    between them (s), without red flags or garage stops over 15 minutes, as the measuring tool leaves
    out stoppage laps."""
    longest, run, last_end = 0.0, 0.0, None
    for d, start, end in spans:
        if d != driver:
            run, last_end = 0.0, None
            continue
        stopped = sum(max(0.0, min(end, b) - max(start, a)) for a, b in red)
        gap = start - last_end if last_end is not None else 0.0
        run += end - start - stopped + (gap if gap <= STOPPAGE_S else 0.0)
        last_end = end
        longest = max(longest, run)
    return longest


def race_figures(race, outcome) -> RaceFigures:
    """The figures of one simulated race (see the module docstring)."""
    from sim.race.outcome import CLASSIFIED

    f = race.field
    hours = f.race_seconds / 3600
    red = [(start, end) for kind, start, end in outcome.neutralisations if kind == "RED"]
    rows = []
    for name in f.class_order:
        cars = [c for c in range(f.n) if f.classes[c] == name]
        running = [c for c in cars if outcome.status[c] == CLASSIFIED]
        winner = min(cars, key=lambda c: outcome.class_position[c])
        spans = [outcome.drive_spans[c] for c in cars]
        stints = [end - start for car in spans for _, start, end in car]
        spells = [_longest_run(outcome.drive_spans[c], i, red) for c in cars for i in range(len(f.drivers[c]))]
        drive = [t for c in cars for t in outcome.drive_time_s[c]]
        rows.append({
            "class": name, "winner_laps": int(outcome.laps[winner]), "running_share": len(running) / len(cars),
            "stops_median": float(np.median([outcome.pit_stops[c] for c in running])) if running else np.nan,
            "longest_stint_min": max(stints, default=0.0) / 60, "longest_driving_min": max(spells, default=0.0) / 60,
            "most_drive_h": max(drive) / 3600, "most_drive_share": max(drive) / f.race_seconds,
            "least_drive_h": min((min(outcome.drive_time_s[c]) for c in running), default=np.nan) / 3600})
    periods = sum(1 for kind, _, _ in outcome.neutralisations if kind != "RED")
    return RaceFigures(pd.DataFrame(rows), periods / hours)


class RealDriver(NamedTuple):
    """A driver of the real race's classification: 'first last' in lower case, and his FIA rating."""

    name: str
    rating: str


def real_crews(data: Path, season: str, venue: str) -> dict[str, list[RealDriver]]:
    """Car number -> the drivers the real race's classification lists, with their ratings."""
    name = {"sebring": "sebring", "road-atlanta": "road-atlanta", "daytona": "daytona"}[venue]
    path = next((data / "imsa" / season).glob(f"*{name}*/*-race-results.csv"))
    raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    raw.columns = [c.strip() for c in raw.columns]
    crews = {}
    for _, row in raw.iterrows():
        crews[row["NUMBER"].strip()] = [
            RealDriver(f"{row[f'DRIVER{i}_FIRSTNAME']} {row[f'DRIVER{i}_SECONDNAME']}".strip().lower(),
                       RATING_FIX.get(row[f"DRIVER{i}_LICENSE"].strip(), row[f"DRIVER{i}_LICENSE"].strip()))
            for i in range(1, 7) if f"DRIVER{i}_FIRSTNAME" in raw.columns and row[f"DRIVER{i}_FIRSTNAME"].strip()]
    return crews


def with_real_crews(race, crews: dict[str, list[RealDriver]]):
    """The race with each car's crew the drivers who really drove it that day: the scenarios carry a
    season roster (up to four, the endurance-cup driver in every race), the real Sebring and Petit crews
    were three. A real driver missing from the roster (a guest, a stand-in) joins with his real rating and
    the rating's typical pace; a car not in the classification keeps its roster."""
    entries = []
    for entry in race.entries:
        real = crews.get(entry.car)
        if real:
            roster = {driver.lower(): i for i, driver in enumerate(entry.drivers)}
            found = sorted(roster[d.name] for d in real if d.name in roster)
            guests = [d for d in real if d.name not in roster]
            entry = dataclasses.replace(
                entry, drivers=tuple(entry.drivers[i] for i in found) + tuple(d.name.title() for d in guests),
                ratings=tuple(entry.ratings[i] for i in found) + tuple(d.rating for d in guests),
                driver_offsets_s=tuple(entry.driver_offsets_s[i] for i in found) + (0.0,) * len(guests))
        entries.append(entry)
    return race.with_entries(entries)


def simulated_figures(scenario: str, venue: str, seeds: range) -> tuple[pd.DataFrame, list[float]]:
    """Every seed's figures (one row per seed and class) and neutralisations per hour, for one race of a
    scenario, with the real race's crews; each seed is a season of the scenario (its season-long
    strength drawn), as the realism tests of the 4-hour races run them."""
    from sim.race import run_race
    from sim.scenario import compile_scenario
    from sim.seeds import race_rng

    compiled = compile_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    race = next(r for r in compiled.races if r.venue.key == venue)
    race = with_real_crews(race, real_crews(ROOT / "data" / "real", scenario.split("-")[1], venue))
    frames, neutral = [], []
    for seed in seeds:
        pace = compiled.plan.season_pace(race, compiled.plan.draw_strength(seed, 0))
        figures = race_figures(race, run_race(race, race_rng(seed, 0, race.index), season_pace_s=pace))
        frames.append(figures.classes.assign(seed=seed))
        neutral.append(figures.neutralisations_per_hour)
    return pd.concat(frames, ignore_index=True), neutral


def real_ranges(data: Path, event: str) -> tuple[pd.DataFrame, list[float]]:
    """The measured figures of the real races at this venue (2023 and 2024), min and max per class, and
    the neutralisations per hour of each real race (none for Daytona: no lap export)."""
    table = pd.read_csv(data / "imsa" / "long_races" / "measured.csv", dtype={"season": str})
    races = pd.read_csv(data / "imsa" / "long_races" / "measured_races.csv", dtype={"season": str})
    rows = table[table["event"].str.contains(event)]
    ranges = rows.groupby("class")[[REAL_COLUMN[f] for f in FIGURES]].agg(["min", "max"])
    ranges.columns = [f"{figure}_{stat}" for figure in FIGURES for stat in ("min", "max")]
    per_hour = races.loc[races["event"].str.contains(event), "per_hour"].tolist()
    return ranges, per_hour


def comparison(seeds: range) -> pd.DataFrame:
    """Sim (median over seeds and both seasons' fields) vs real (min-max over 2023-24), per race, class, figure."""
    rows = []
    for label, venue in LONG_RACES.items():
        ranges, real_per_hour = real_ranges(ROOT / "data" / "real", venue)
        sims, neutral = [], []
        for scenario in SCENARIOS:
            figures, per_hour = simulated_figures(scenario, venue, seeds)
            sims.append(figures)
            neutral += per_hour
        sim = pd.concat(sims).groupby("class")[list(FIGURES)].median()
        for name, values in sim.iterrows():
            real_name = REAL_CLASS.get(name, name)
            for figure in FIGURES:
                low = ranges.at[real_name, f"{figure}_min"] if real_name in ranges.index else np.nan
                high = ranges.at[real_name, f"{figure}_max"] if real_name in ranges.index else np.nan
                rows.append({"race": label, "class": name, "figure": figure, "sim": values[figure],
                             "real_min": low, "real_max": high})
        rows.append({"race": label, "class": "all", "figure": "neutralisations_per_hour",
                     "sim": float(np.median(neutral)), "real_min": min(real_per_hour, default=np.nan),
                     "real_max": max(real_per_hour, default=np.nan)})
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> str:
    """The table as docs/long-races.md shows it: one line per race and class, 'sim (real min-max)'."""
    def cell(row) -> str:
        fmt = "{:.0f}" if row.figure in ("winner_laps", "longest_stint_min", "longest_driving_min") else "{:.2f}"
        real = "n/a" if np.isnan(row.real_min) else f"{fmt.format(row.real_min)}-{fmt.format(row.real_max)}"
        inside = "" if np.isnan(row.real_min) or row.real_min <= row.sim <= row.real_max else " **out**"
        return f"{fmt.format(row.sim)} ({real}){inside}"

    columns = list(FIGURES) + ["neutralisations_per_hour"]
    lines = ["| race | class | " + " | ".join(columns) + " |", "|" + "---|" * (len(columns) + 2)]
    for (race, name), group in table.groupby(["race", "class"], sort=False):
        cells = {row.figure: cell(row) for row in group.itertuples()}
        lines.append(f"| {race} | {name} | " + " | ".join(cells.get(c, "") for c in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40, help="simulated races per real race (default 40)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    print(markdown(comparison(range(args.seeds))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
