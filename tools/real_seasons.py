"""Real seasons as results tables (interfaces s.1) for the strength estimator and `sim backtest`.

`.venv/bin/python -m tools.real_seasons` writes, under data/seasons/:
- `asian-lms-2023.csv`: data/asian-lms-2023-results.csv with each car's fastest lap (`fastest_lap_s`, the
  FL_TIME of the hour-4 timing exports in data/real/asian_lms_2023/raw);
- `imsa-2023.csv`, `imsa-2024.csv`: the IMSA WeatherTech race classifications in data/real/imsa (verbatim
  Al Kamel exports), with the compact lap table telling who was running at the end.
Offline, like tools/calibrate.py: never imported by the simulator. The IMSA tables, and their limits:
- one race per round, R1.. in date order; `team` = the car's team name at its first race (the exports
  change it with the sponsors; the championship follows the car); `hours` = the winner's time rounded down to 10 minutes
  (24, 12, 10, 6, 2h40, 1h40);
- `class` as IMSA spells it (`GTDPRO` -> `GTD PRO`); `car` = the car number (text); `team` as exported;
- `class_position` = order inside the class by the overall position (IMSA classifies every starter);
- `status`: `dnf` for a car with no lap under the final flag in the lap table (IMSA's own classification
  lists it as Classified: IMSA scores every starter by position), else `classified`; Daytona has no lap
  file, so every starter there is `classified`; `dns` for `Not started`;
- `ratings` from `DRIVERn_LICENSE` (`Platinium` read as Platinum); `time_s` = TOTAL_TIME; `fastest_lap_s`
  = FL_TIME; `pole` 0 (qualifying is not in the data); `entry` = season for every car (IMSA scores
  part-time entries too).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from tools.vendor_real_data import parse_time

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "real"
OUT = ROOT / "data" / "seasons"
RATING = {"Platinium": "Platinum", "Platinum": "Platinum", "Gold": "Gold", "Silver": "Silver", "Bronze": "Bronze"}
CLASS = {"GTDPRO": "GTD PRO"}


def _drivers(row: pd.Series) -> tuple[str, str]:
    names, ratings = [], []
    for n in range(1, 7):
        first, last = row.get(f"DRIVER{n}_FIRSTNAME", ""), row.get(f"DRIVER{n}_SECONDNAME", "")
        if not (isinstance(first, str) and first.strip()) and not (isinstance(last, str) and last.strip()):
            continue
        names.append(f"{first} {last}".strip())
        licence = row.get(f"DRIVER{n}_LICENSE", "")
        ratings.append(RATING.get(licence, "") if isinstance(licence, str) else "")
    return ";".join(names), ";".join(ratings) if all(ratings) else ""


def running_at_end(data: Path, season: str) -> dict[str, set[str]]:
    """Per event folder name: the cars with a lap under the final flag (FF) in the lap table."""
    laps = pd.read_parquet(data / "imsa" / "laps.parquet", columns=["season", "event", "car", "flag"])
    laps = laps[laps["season"].astype(str) == season]
    finished = laps[laps["flag"].astype(str) == "FF"]
    return {str(event): set(group["car"].astype(str)) for event, group in finished.groupby("event", observed=True)}


def green_stints(laps: pd.DataFrame) -> pd.DataFrame:
    """Every pit-to-pit stint (not the first, not the one the flag ends) run without a caution lap: one row
    per stint with its season, event, class and laps, from the lap table (`in_lap` ends a stint)."""
    laps = laps.sort_values(["season", "event", "car", "lap"])
    car = ["season", "event", "car"]
    after_stop = laps.groupby(car, observed=True)["in_lap"].shift(1, fill_value=False).astype(int)
    laps = laps.assign(stint=after_stop.groupby([laps[k] for k in car], observed=True).cumsum(),
                       caution=laps["flag"].astype(str) != "GF")
    stints = laps.groupby(car + ["stint"], observed=True).agg(
        car_class=("car_class", "first"), laps=("lap", "size"), pitted=("in_lap", "last"), caution=("caution", "any"))
    stints = stints.reset_index()
    return stints[(stints["stint"] > 0) & stints["pitted"] & ~stints["caution"]]


def fuel_range_km(data: Path, reserve_laps: int = 1) -> dict[str, float]:
    """Per IMSA class (as scenarios spell it): km run on a tank, measured in the lap table (RANGE_MIN_GREEN_STINTS)."""
    from sim.config.venues import load_venues

    venues = load_venues(ROOT / "configs" / "venues.yaml").venues
    laps = pd.read_parquet(data / "imsa" / "laps.parquet",
                           columns=["season", "event", "car", "car_class", "lap", "in_lap", "flag"])
    stints = green_stints(laps)
    per_race = stints.groupby(["season", "event", "car_class"], observed=True)["laps"].agg(["size", "max"]).reset_index()
    per_race = per_race[per_race["size"] >= RANGE_MIN_GREEN_STINTS]
    lap_km = per_race["event"].astype(str).map(lambda e: venues[VENUES[e.split("-", 1)[1]]].lap_km)
    per_race = per_race.assign(km=(per_race["max"] + reserve_laps) * lap_km)
    return {CLASS.get(str(c), str(c)): float(g["km"].median()) for c, g in per_race.groupby("car_class", observed=True)}


def imsa_fuel_per_km(data: Path) -> dict[str, float]:
    """Per IMSA class, the consumption (l/km) that gives the borrowed class's tank the measured range."""
    from sim.config.race_model import load_race_model

    model = load_race_model(ROOT / "configs" / "race-model.yaml")
    borrowed = {c: model.classes[spec[0]] for c, spec in IMSA_CLASSES.items()}
    ranges = {reserve: fuel_range_km(data, reserve) for reserve in {b.reserve_laps for b in borrowed.values()}}
    return {c: round(b.fuel_capacity_l / ranges[b.reserve_laps][c], 4) for c, b in borrowed.items()}


def imsa_season(data: Path, season: str) -> pd.DataFrame:
    """The IMSA WeatherTech season's race classifications as one results table."""
    running = running_at_end(data, season)
    frames = []
    for index, path in enumerate(sorted((data / "imsa" / season).glob("*/*-race-results.csv"))):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        raw["overall"] = pd.to_numeric(raw["POSITION"], errors="coerce").fillna(len(raw)).astype(int)
        raw = raw.sort_values("overall", kind="stable")
        event = path.parent.name
        started = raw["STATUS"] != "Not started"
        time_s = raw["TOTAL_TIME"].map(parse_time)
        hours = math.floor(time_s[started].max() / 600) * 600 / 3600
        finished = running.get(event)   # None: no lap file (Daytona)
        running_now = raw["NUMBER"].isin(finished) if finished is not None else pd.Series(True, raw.index)
        status = np.where(~started, "dns", np.where(running_now, "classified", "dnf"))
        drivers = raw.apply(_drivers, axis=1, result_type="expand")
        frame = pd.DataFrame({
            "race": f"R{index + 1}", "round": index + 1, "car": raw["NUMBER"], "team": raw["TEAM"].str.strip(),
            "class": raw["CLASS"].map(lambda c: CLASS.get(c, c)), "category": "", "drivers": drivers[0],
            "ratings": drivers[1], "entry": "season", "class_position": 0, "status": status,
            "laps": raw["LAPS"].replace("", "0").astype(int), "time_s": time_s.round(3), "pole": 0,
            "overall_position": raw["overall"], "hours": round(hours, 4),
            "fastest_lap_s": raw["FL_TIME"].map(parse_time).round(3), "event": event})
        frame["class_position"] = frame.groupby("class").cumcount() + 1
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    # a car's team name changes with its sponsors: the championship follows the car (its first name kept)
    table["team"] = table.groupby("car")["team"].transform("first")
    return table


def asian_lms_2023(data: Path) -> pd.DataFrame:
    """The shipped 2023 Asian LMS results table with each car's fastest lap from the timing exports."""
    from tools.calibrate import load_alms_2023

    table = pd.read_csv(ROOT / "data" / "asian-lms-2023-results.csv", dtype={"car": str, "category": str,
                                                                               "ratings": str}, keep_default_na=False)
    raw = load_alms_2023(data)
    fastest = dict(zip(zip(raw["race"], raw["NUMBER"]), raw["fl_s"].round(3)))
    table["fastest_lap_s"] = [fastest.get(key, float("nan")) for key in zip(table["race"], table["car"])]
    return table


# ---------------------------------------------------------------- IMSA scenarios (entries, calendar)
VENUES = {"daytona-international-speedway": "daytona", "sebring-international-raceway": "sebring",
          "long-beach-street-circuit": "long-beach", "weathertech-raceway-laguna-seca": "laguna-seca",
          "watkins-glen-international": "watkins-glen", "canadian-tire-motorsport-park": "mosport",
          "lime-rock-park": "lime-rock", "road-america": "road-america", "virginia-international-raceway": "vir",
          "indianapolis-motor-speedway-rc": "indianapolis", "tire-rack.com-battle-on-the-bricks": "indianapolis",
          "road-atlanta": "road-atlanta", "detroit-street-course": "detroit"}
# How the race model runs each IMSA class: borrowed behaviour, venue pace key, and IMSA's own spreads
# (tools/calibrate_strength.py, IMSA 2023-24 lap level: season = configs/strength.yaml series.imsa prior_sd_pct;
# race = race-to-race sd less the driver form).
IMSA_CLASSES = {"GTP": ("LMP2", 0.21, 0.36), "LMP2": ("LMP2", 0.40, 0.51), "LMP3": ("LMP3", 0.70, 0.37),
                "GTD PRO": ("GT", 0.15, 0.30), "GTD": ("GT", 0.28, 0.29)}
# A class's fuel range: its longest all-green pit-to-pit stint of a race (the out-lap to the in-lap, no
# caution lap in it: a car that ran to its tank's end), plus the reserve lap the race model keeps in hand,
# times the lap length; the median over the 2023-24 races where the class ran at least this many such stints
# (fewer: cautions cut every stint short, and the longest says nothing of the tank).
RANGE_MIN_GREEN_STINTS = 5


GTP_MODELS = ("Acura ARX-06", "BMW M Hybrid V8", "Cadillac V-LMDh", "Cadillac V-Series R", "Cadillac V-Series.R",
              "Lamborghini SC63", "Porsche 963")


def _crew(row: pd.Series) -> list[dict]:
    """Up to four drivers (the entry schema's limit) with their rating; an unknown rating is Silver (assumed)."""
    crew = []
    for n in range(1, 7):
        first, last = row.get(f"DRIVER{n}_FIRSTNAME", ""), row.get(f"DRIVER{n}_SECONDNAME", "")
        name = f"{first} {last}".strip()
        if name and len(crew) < 4:
            crew.append({"name": name, "rating": RATING.get(row.get(f"DRIVER{n}_LICENSE", ""), "Silver")})
    return crew


def imsa_scenario(data: Path, season: str) -> tuple[dict, dict]:
    """(entry list, scenario) of the real season: each race's field exactly its starters (entry changes)."""
    events = sorted((data / "imsa" / season).glob("*/*-race-results.csv"))
    fields, rounds, first = [], [], {}
    for _index, path in enumerate(events):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        stamp, event = path.name.split("-")[0], path.parent.name.split("-", 1)[1]
        hours = math.floor(raw["TOTAL_TIME"].map(parse_time).max() / 600) * 600 / 3600
        rounds.append({"venue": VENUES[event], "date": f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}",
                       "name": event.replace("-", " ").title(),
                       "races": [{"hours": round(hours, 4), "start_local": f"{stamp[8:10]}:{stamp[10:12]}"}]})
        cars = {}
        for _, row in raw.iterrows():
            entry = {"car": row["NUMBER"], "team": row["TEAM"].strip(), "class": CLASS.get(row["CLASS"], row["CLASS"]),
                     "car_model": row["VEHICLE"].strip(), "drivers": _crew(row)}
            cars[entry["car"]] = first.setdefault(entry["car"], entry)
        fields.append(cars)
    changes = []
    for index in range(1, len(fields)):
        before, now = fields[index - 1], fields[index]
        withdraw = [car for car in before if car not in now]
        add = [now[car] for car in now if car not in before]
        if withdraw or add:
            changes.append({"from_round": index + 1, **({"withdraw": withdraw} if withdraw else {}),
                            **({"add": add} if add else {})})
    classes = sorted({e["class"] for e in fields[0].values()} | {e["class"] for c in changes for e in c.get("add", [])})
    name = f"imsa-{season}"
    fuel = imsa_fuel_per_km(data)
    entries = {"name": name, "source": f"data/real/imsa/{season} race classifications (tools/real_seasons.py)",
               "entries": list(fields[0].values())}
    scenario = {
        "name": f"IMSA {season}", "description": f"The real {season} IMSA WeatherTech season: every race's real field.",
        "series": "imsa", "entries": name,
        "merge": {"entries": [], "class_map": {name: {c: c for c in classes}},
                  "classes": {c: {"model": IMSA_CLASSES[c][0], "pace": c, "season_spread_pct": IMSA_CLASSES[c][1],
                                  "race_spread_pct": IMSA_CLASSES[c][2], "fuel_per_km_l": fuel[c]} for c in classes},
                  "car_models": {m: {"class": "GTP"} for m in GTP_MODELS}},
        "calendar": {"season": season, "rounds": rounds},
        "entry_changes": changes}
    return entries, scenario


HEADER = """# GENERATED by tools/real_seasons.py from data/real/imsa/{season} (do not edit by hand). The real {season}
# IMSA WeatherTech season for `sim backtest` and the persistence of an IMSA-like field (docs/forecasting.md,
# docs/strength.md). CONFIRMED: calendar, race lengths (winner's time rounded down to 10 min), start times,
# every race's starters (entry_changes), cars, teams, car models, crews and FIA ratings (first four drivers
# of a car's first race). ASSUMED: a rating missing from the export is Silver; the IMSA classes run the race
# model's LMP2 (GTP, LMP2), LMP3 and GT (GTD PRO, GTD) behaviour at their own venue pace with IMSA's
# measured spreads; BoP 0 for the GTP cars; no qualifying points (configs/series/imsa.yaml). MEASURED: each
# class's fuel_per_km_l = the borrowed class's tank over the class's range in the 2023-24 lap table (its longest
# all-green stint of a race + the reserve lap, median over races; tools/real_seasons.py fuel_range_km): GTP 187 km,
# LMP2 147, LMP3 188, GTD PRO 187, GTD 191 (the borrowed ACO classes: LMP2 179, LMP3 175, GT 172).
"""


def write_yaml(path: Path, data: dict, header: str) -> None:
    import yaml

    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")


def main() -> int:
    if not DATA.exists():
        print(f"data folder not found: {DATA}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    tables = {"asian-lms-2023": asian_lms_2023(DATA)}
    tables |= {f"imsa-{season}": imsa_season(DATA, season) for season in ("2023", "2024")}
    for name, table in tables.items():
        target = OUT / f"{name}.csv"
        table.to_csv(target, index=False)
        print(f"{target.relative_to(ROOT)}: {table['race'].nunique()} races, {len(table)} rows")
    for season in ("2023", "2024"):
        entries, scenario = imsa_scenario(DATA, season)
        header = HEADER.format(season=season)
        write_yaml(ROOT / "configs" / "entries" / f"imsa-{season}.yaml", entries, header)
        write_yaml(ROOT / "scenarios" / f"imsa-{season}.yaml", scenario, header)
        print(f"configs/entries/imsa-{season}.yaml, scenarios/imsa-{season}.yaml: {len(scenario['calendar']['rounds'])} "
              f"rounds, {len(scenario['entry_changes'])} entry changes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
