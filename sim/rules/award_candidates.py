"""The competitors in line for a Le Mans invitation under each kind of award rule, per season: by
championship position, by race finish, by a joint classification, or by an efficiency score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config.awards import AwardRule, EfficiencyScoring


@dataclass(frozen=True, slots=True)
class Candidate:
    """One competitor in the order of a rule (standings position, race finish or score rank)."""

    position: int
    team: str
    car: str
    klass: str
    category: str
    title: str
    describe: str  # why this competitor is in line, e.g. "champion of LMP2 teams"


def candidates_by_season(rule: AwardRule, standings: pd.DataFrame, results: pd.DataFrame) -> dict:
    """season -> ordered candidates, or season -> reason text when the rule cannot be applied."""
    if rule.kind == "championship":
        return _championship_candidates(rule, standings)
    if rule.kind == "race":
        return _race_candidates(rule, results)
    if rule.kind == "joint":
        return _joint_candidates(rule, standings)
    return _efficiency_candidates(rule, results)


def _ordinal(position: int) -> str:
    suffix = "th" if 10 <= position % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


def _standing_words(position: int, title: str) -> str:
    if position == 1:
        return f"champion of {title}"
    if position == 2:
        return f"runner-up of {title}"
    return f"{_ordinal(position)} in {title}"


def rule_label(rule: AwardRule, race: str | None = None) -> str:
    """Readable name of what a rule classifies, used as the `title` of its rows."""
    if rule.title:
        return rule.title
    if rule.kind == "joint":
        return "joint " + " + ".join(rule.titles)
    if rule.kind == "efficiency":
        return "Green X " + "+".join(rule.competing_classes)
    if rule.kind == "race":
        race = race or (f"{rule.race} race" if rule.race in ("first", "last") else rule.race)
        return " ".join(part for part in (race, rule.class_name, rule.category) if part)
    return " ".join(part for part in (rule.class_name, rule.category, rule.standings) if part)


def _championship_candidates(rule: AwardRule, standings: pd.DataFrame) -> dict:
    if standings.empty:
        return {}
    if rule.title is not None:
        mask = standings["title"].astype(str) == rule.title
    else:
        mask = (
            (standings["class"].astype(str) == rule.class_name)
            & (standings["category"].fillna("").astype(str) == rule.category)
            & (standings["kind"].astype(str) == rule.standings)
        )
    rows = standings.loc[mask].sort_values(["season", "position"], kind="stable")
    columns = [rows[c].tolist() for c in ("position", "team", "car", "class", "category", "title")]
    seasons = rows["season"].to_numpy()
    starts = np.flatnonzero(np.r_[True, seasons[1:] != seasons[:-1]]) if len(seasons) else np.zeros(0, dtype=np.int64)
    stops = np.r_[starts[1:], len(seasons)]
    return {int(seasons[start]): _StandingsLine(columns, int(start), int(stop))
            for start, stop in zip(starts, stops)}


class _StandingsLine:
    """One season's candidates of a championship rule, in standings order. Built only as far as the
    allocation reads (it stops once the slots are given), not for every row of every season."""

    __slots__ = ("columns", "start", "stop")

    def __init__(self, columns: list[list], start: int, stop: int):
        self.columns, self.start, self.stop = columns, start, stop

    def __len__(self) -> int:
        return self.stop - self.start

    def __iter__(self):
        position, team, car, klass, category, title = self.columns
        for i in range(self.start, self.stop):
            title_text = str(title[i])
            yield Candidate(int(position[i]), str(team[i]), str(car[i]), str(klass[i]),
                            "" if pd.isna(category[i]) else str(category[i]), title_text,
                            _standing_words(int(position[i]), title_text))


def _race_order(results: pd.DataFrame) -> pd.DataFrame:
    """Per season the races in calendar order (round, then the number in the race id)."""
    races = results[["season", "round", "race"]].drop_duplicates().copy()
    races["race"] = races["race"].astype(str)
    races["number"] = pd.to_numeric(races["race"].str.extract(r"(\d+)$")[0], errors="coerce").fillna(0)
    return races.sort_values(["season", "round", "number", "race"], kind="stable")


def _race_candidates(rule: AwardRule, results: pd.DataFrame) -> dict:
    races = _race_order(results)
    assert rule.race is not None   # checked by AwardRule
    race_of = _race_of_season(rule.race, results)
    in_class = results[
        (results["class"].astype(str) == rule.class_name)
        & (results["status"].astype(str) == "classified")
        & (results["race"].astype(str).isin(set(race_of.values())))
    ]
    if rule.category:
        in_class = in_class[in_class["category"].fillna("").astype(str) == rule.category]
    in_class = in_class.sort_values(["season", "class_position"], kind="stable")
    out: dict[int, list[Candidate] | str] = {}
    for season in races["season"].unique():
        if int(season) not in race_of:
            out[int(season)] = f"race {rule.race} is not in this season's results"
    columns = [in_class[c].tolist() for c in ("season", "race", "team", "car", "class")]
    categories = text_column(in_class, "category")
    for (season, race, team, car, klass), category in zip(zip(*columns), categories):
        season = int(season)
        if race_of.get(season) != race:
            continue
        line = out.setdefault(season, [])
        assert isinstance(line, list)   # seasons without the race have their reason, and no rows
        place = len(line) + 1
        label = rule_label(rule, race)
        words = f"winner of {label}" if place == 1 else f"{_ordinal(place)} in {label}"
        line.append(Candidate(place, str(team), str(car), str(klass), str(category), label, words))
    return out


def _joint_candidates(rule: AwardRule, standings: pd.DataFrame) -> dict:
    """Points added over the listed classifications; ties go to the better best position, then name."""
    if standings.empty:
        return {}
    rows = standings[standings["title"].astype(str).isin(rule.titles)].copy()
    if rows.empty:
        return {}
    rows["team"] = rows["team"].astype(str)
    rows["car"] = rows["car"].astype(str)
    rows["category"] = rows["category"].fillna("").astype(str)
    key = ["season", "team"] if (rule.recipient or "team") == "team" else ["season", "team", "car"]
    totals = rows.groupby(key, sort=True).agg(
        points=("points", "sum"), best=("position", "min"), car=("car", "first"),
        klass=("class", "first"), category=("category", "first"),
    ).reset_index()
    totals = totals.sort_values(["season", "points", "best", "team", "car"],
                                ascending=[True, False, True, True, True], kind="stable")
    label = rule_label(rule)
    out: dict[int, list[Candidate]] = {}
    columns = [totals[c].tolist() for c in ("season", "team", "car", "klass", "category", "points")]
    for season, team, car, klass, category, points in zip(*columns):
        line = out.setdefault(int(season), [])
        place = len(line) + 1
        words = f"{_standing_words(place, label)} ({points:g} points)"
        line.append(Candidate(place, team, car, str(klass), category, label, words))
    return out


def _efficiency_candidates(rule: AwardRule, results: pd.DataFrame) -> dict:
    """Green X style: per race, Fast + Efficient (+ Clean) as ratios to the best car; the season mean, or one
    race's score when the rule names a `race`."""
    scoring = rule.scoring or EfficiencyScoring()
    seasons = [int(s) for s in results["season"].unique()]
    has_energy = "energy_mj" in results.columns
    has_fuel = "fuel_used_l" in results.columns
    missing = [c for c in ("laps", "time_s") if c not in results.columns]
    if not (has_energy or has_fuel):
        missing.insert(0, "fuel_used_l or energy_mj")
    if missing:
        reason = f"results have no {', '.join(missing)} column: efficiency rule {rule.id} skipped"
        return dict.fromkeys(seasons, reason)
    classes = rule.competing_classes
    rows = results[results["class"].astype(str).isin(classes) & (results["status"].astype(str) == "classified")]
    out: dict[int, list[Candidate] | str] = {
        season: f"no {'/'.join(classes)} car has fuel or energy, laps and time in this season's results"
        for season in seasons
    }
    label = rule_label(rule)
    if rule.race is not None:
        race_of = _race_of_season(rule.race, results)
        for season in seasons:
            if season not in race_of:
                out[season] = f"race {rule.race} is not in this season's results"
        rows = rows[[race_of.get(int(season)) == race for season, race in zip(rows["season"], rows["race"].astype(str))]]
        label = f"{label} ({rule.race})" if not rule.title else label
    table = green_x_scores(rows, scoring)
    season_scores = table.groupby(["season", "team", "car"], sort=True).agg(
        score=("score", "mean"), klass=("class", "first"), category=("category", "first"),
    ).reset_index().sort_values(["season", "score", "team", "car"], kind="stable")
    columns = [season_scores[c].tolist() for c in ("season", "team", "car", "klass", "category", "score")]
    for season, team, car, klass, category, score in zip(*columns):
        line = out.get(int(season))
        if not isinstance(line, list):
            line = out[int(season)] = []
        place = len(line) + 1
        lead = f"winner of {label}" if place == 1 else f"{_ordinal(place)} in {label}"
        line.append(Candidate(place, team, car, klass, category, label, f"{lead} (score {score:.4f})"))
    return out


def _race_of_season(race: str, results: pd.DataFrame) -> dict[int, str]:
    """season -> the race id a race rule names (`first` / `last` resolved per season)."""
    races = _race_order(results)
    if race in ("first", "last"):
        pick = races.groupby("season").head(1) if race == "first" else races.groupby("season").tail(1)
        return dict(zip(pick["season"].astype(int), pick["race"]))
    present = races[races["race"] == race]
    return dict.fromkeys(present["season"].astype(int), race)


def green_x_scores(rows: pd.DataFrame, scoring: EfficiencyScoring) -> pd.DataFrame:
    """One row per classified car and race with its Fast, Efficient and Clean terms and their weighted sum
    (`score`; lower is better). Each term is the car's figure per lap over the best of the race's rows,
    so the figures are compared over a common distance (the winner's, as the Green X did)."""
    laps = pd.to_numeric(rows["laps"], errors="coerce")
    time_s = pd.to_numeric(rows["time_s"], errors="coerce")
    energy = pd.to_numeric(rows["energy_mj"], errors="coerce") if "energy_mj" in rows.columns else None
    if "fuel_used_l" in rows.columns:
        from_fuel = pd.to_numeric(rows["fuel_used_l"], errors="coerce") * scoring.fuel_energy_mj_per_l
        energy = from_fuel if energy is None else energy.fillna(from_fuel)
    assert energy is not None, "green_x_scores needs energy_mj or fuel_used_l"
    fuels = text_column(rows, "fuel")
    ghg_from_fuel = energy * np.array([scoring.ghg_factors.get(fuel, 1.0) for fuel in fuels], dtype=float)
    ghg = (pd.to_numeric(rows["ghg_mj"], errors="coerce").fillna(ghg_from_fuel) if "ghg_mj" in rows.columns
           else ghg_from_fuel)
    mass = rows["class"].astype(str).map(scoring.mass_kg).fillna(1.0).astype(float) if scoring.mass_kg else 1.0
    usable = ((laps > 0) & (time_s > 0) & (energy > 0)).to_numpy()
    table = pd.DataFrame({
        "season": rows["season"].astype(int), "race": rows["race"].astype(str),
        "team": rows["team"].fillna("").astype(str), "car": rows["car"].astype(str),
        "class": rows["class"].astype(str), "category": text_column(rows, "category"),
        "time_per_lap": time_s / laps, "energy_per_lap_kg": energy / laps / mass, "ghg_per_lap": ghg / laps,
    })[usable]
    group = table.groupby(["season", "race"])
    table["fast"] = table["time_per_lap"] / group["time_per_lap"].transform("min")
    table["efficient"] = table["energy_per_lap_kg"] / group["energy_per_lap_kg"].transform("min")
    best_ghg = group["ghg_per_lap"].transform("min")
    table["clean"] = (table["ghg_per_lap"] / best_ghg).where(best_ghg > 0, 1.0)
    table["score"] = (scoring.fast_weight * table["fast"] + scoring.energy_weight * table["efficient"]
                      + scoring.clean_weight * table["clean"])
    return table


# ---------------------------------------------------------------- allocation


def text_column(frame: pd.DataFrame, column: str, default: str = "") -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), default, dtype=object)
    values = frame[column].fillna(default).astype(str)
    if default:
        values = values.where(values != "", default)
    return values.to_numpy()
