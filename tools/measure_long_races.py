"""Measure what long races look like in the real IMSA 2023-24 exports (the long-race targets of
docs/long-races.md and tests/race/test_long_races.py).

Run from the project root: `.venv/bin/python tools/measure_long_races.py [--out DIR] [--check]`.
Reads `data/real/imsa/laps.parquet` and the `*-race-results.csv` classifications (read-only) and
writes, by default into `data/real/imsa/long_races/`, `measured.csv` (one row per race and class),
`measured_drivers.csv` (drive time per class and FIA rating) and `measured_races.csv` (one row per
race: length, neutralisations), then prints the tables. Plain pandas, offline analysis like tools/calibrate.py (whose lap loader and neutralisation
counter it reuses so that both tools read the exports the same way).

Definitions (every figure per race and class unless said otherwise):
- starters: cars in the race classification whose STATUS is not "Not started".
- winner laps / time: LAPS and TOTAL_TIME of the best-placed car of the class in the classification.
- running at the end: the car has a lap under the final flag (FLAG_AT_FL = FF) in the lap export
  (IMSA marks every starter "Classified", so STATUS cannot tell). For races without a lap export
  (Daytona) the proxy is TOTAL_TIME >= overall winner's TOTAL_TIME - 60 s (a car still running
  crosses the line after the leader takes the flag); checked against the lap exports, see `--check`.
- classified 70 %: LAPS >= 70 % of the class winner's laps (the American LMS / ACO distance rule).
- pit stops per car: laps with a PIT_TIME (pit-lane visits: service stops, drive-throughs, repairs),
  counted over the cars running at the end; median, min and max over those cars.
- service stops: pit-lane visits of 20 s to 180 s (drive-throughs are about the pit-lane loss, garage
  repairs longer), same cars.
- fuel stint: the laps from the start or an out-lap up to the next in-lap or the flag; laps and minutes
  (sum of lap times, neutralised laps included, since a stint lasts that long on the clock).
  Longest = the car's longest stint; the class figure is the median over cars and the maximum.
- continuous driving: a run of consecutive laps by the same DRIVER_NUMBER, however many stops it
  spans (double and triple stints), in minutes of lap time; the longest per class.
- drive time: the sum of a driver's lap times (the in-lap and out-lap count for the driver who drove
  them). Per car the most and the least; "share" divides by the winner's race time. Minimums only
  over cars running at the end (a retired car's last driver may have driven a few laps).
- stoppages: laps longer than 15 minutes (red flag, garage repair) add nothing to drive time, stint
  minutes or continuous driving (113 such laps in the 20 races, 46 of them the 2024 Watkins Glen red flag).
- neutralisations: tools.calibrate.fcy_periods - runs of FCY laps of the overall race leader.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

LENGTHS_H = {"1h40": 5 / 3, "2h40": 8 / 3, "6h": 6.0, "10h": 10.0, "12h": 12.0, "24h": 24.0}
LONG = ("6h", "10h", "12h", "24h")
RATING_FIX = {"Platinium": "Platinum", "": "unknown"}
SERVICE_STOP_S = (20.0, 180.0)
DAYTONA_RUNNING_MARGIN_S = 60.0
# A "lap" over 15 minutes is a red-flag stoppage or a garage repair (IMSA 2024 Watkins Glen: 46 laps of
# ~50 min under the red flag); it counts as no driving time and no stint time.
STOPPAGE_LAP_S = 900.0


def find_root(explicit: str | None) -> Path:
    """The project root: --root, else the folder above this file (it must hold data/real/imsa)."""
    candidates = [Path(explicit)] if explicit else [Path(__file__).resolve().parents[1]]
    for root in candidates:
        if (root / "data" / "real" / "imsa" / "laps.parquet").exists():
            return root
    raise SystemExit(f"no data/real/imsa/laps.parquet under {', '.join(map(str, candidates))}")


def race_length(hours: float) -> str:
    """The scheduled length nearest to the winner's time (races end at the first flag after the clock)."""
    return min(LENGTHS_H, key=lambda name: abs(LENGTHS_H[name] - hours))


def load_results(data: Path, parse_time) -> pd.DataFrame:
    """Every IMSA race classification, one row per car, with seconds and the race length."""
    frames = []
    for path in sorted((data / "imsa").glob("*/*/*-race-results.csv")):
        raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        raw.columns = [c.strip() for c in raw.columns]
        frames.append(pd.DataFrame({
            "season": path.parts[-3], "event": path.parent.name, "car": raw["NUMBER"].str.strip(),
            "car_class": raw["CLASS"].str.strip(), "status": raw["STATUS"].str.strip(),
            "position": pd.to_numeric(raw["POSITION"], errors="coerce"), "laps": pd.to_numeric(raw["LAPS"], errors="coerce"),
            "total_s": raw["TOTAL_TIME"].map(parse_time)}))
    df = pd.concat(frames, ignore_index=True)
    df = df[df["status"] != "Not started"].copy()
    # The overall winner's time is the race length on the clock (lapped cars finish later than it).
    winner_s = df["total_s"].where(df["position"] == 1)
    df["race_s"] = winner_s.groupby([df["season"], df["event"]]).transform("max")
    df["length"] = (df["race_s"] / 3600).map(race_length)
    return df


def per_car_from_laps(laps: pd.DataFrame) -> pd.DataFrame:
    """One row per car of the lap exports: running at the end, stops, longest stint and driving run."""
    laps = laps.sort_values(["season", "event", "car", "lap"])
    laps = laps.assign(drive_s=laps["lap_s"].where(laps["lap_s"] <= STOPPAGE_LAP_S, 0.0))
    key = ["season", "event", "car"]
    by_car = laps.groupby(key, sort=False)
    laps = laps.assign(
        fuel_stint=by_car["out_lap"].cumsum(),
        driver_run=(laps["driver_no"] != by_car["driver_no"].shift(1)).groupby([laps[k] for k in key]).cumsum(),
        service=laps["pit_s"].between(*SERVICE_STOP_S))
    stints = laps.groupby(key + ["fuel_stint"]).agg(laps=("lap", "size"), minutes=("drive_s", "sum"))
    stints["minutes"] /= 60
    runs = laps.groupby(key + ["driver_run"])["drive_s"].sum() / 60
    cars = by_car.agg(car_class=("car_class", "first"), running=("flag", lambda s: s.eq("FF").any()),
                      stops=("out_lap", "sum"), last_s=("elapsed_s", "max"))
    cars["service_stops"] = laps.groupby(key)["service"].sum()
    cars["longest_stint_laps"] = stints["laps"].groupby(level=key).max()
    cars["longest_stint_min"] = stints["minutes"].groupby(level=key).max()
    cars["longest_driving_min"] = runs.groupby(level=key).max()
    return cars.reset_index()


def drive_times(laps: pd.DataFrame) -> pd.DataFrame:
    """One row per car and driver: name, FIA rating, hours driven (sum of the lap times they drove)."""
    laps = laps.assign(drive_s=laps["lap_s"].where(laps["lap_s"] <= STOPPAGE_LAP_S, 0.0))
    out = laps.groupby(["season", "event", "car", "car_class", "driver_no"], observed=True).agg(
        driver=("driver", "first"), rating=("rating", "first"), laps=("lap", "size"), hours=("drive_s", "sum"))
    out["hours"] /= 3600
    out["rating"] = out["rating"].astype(str).replace(RATING_FIX)
    return out.reset_index()


def class_table(results: pd.DataFrame, cars: pd.DataFrame, drivers: pd.DataFrame) -> pd.DataFrame:
    """One row per race and class with the figures defined in the module docstring."""
    rows = []
    for (season, event, car_class), entries in results.groupby(["season", "event", "car_class"]):
        winner = entries.sort_values("position").iloc[0]
        race_s = winner["race_s"]
        row = {"season": season, "event": event, "length": winner["length"], "class": car_class,
               "starters": len(entries), "winner_laps": int(winner["laps"]),
               "winner_time_h": round(winner["total_s"] / 3600, 3),
               "classified_70pct_share": round(float((entries["laps"] >= 0.7 * winner["laps"]).mean()), 3)}
        these = cars[(cars["season"] == season) & (cars["event"] == event) & (cars["car_class"] == car_class)]
        if these.empty:   # no lap export: results-only proxy for running at the end
            running = entries["total_s"] >= results.loc[(results["season"] == season)
                                                        & (results["event"] == event), "race_s"].max() - DAYTONA_RUNNING_MARGIN_S
            row.update({"running_share": round(float(running.mean()), 3), "source": "results only"})
            rows.append(row)
            continue
        fin = these[these["running"]]
        crew = drivers[(drivers["season"] == season) & (drivers["event"] == event) & (drivers["car_class"] == car_class)]
        per_car = crew.groupby("car")["hours"].agg(["max", "min", "size"])
        fin_cars = per_car.loc[per_car.index.isin(fin["car"])]
        row.update({
            "source": "laps", "running_share": round(float(these["running"].mean()), 3),
            "stops_median": float(fin["stops"].median()), "stops_min": int(fin["stops"].min()),
            "stops_max": int(fin["stops"].max()),
            "service_stops_median": float(fin["service_stops"].median()),
            "service_stops_min": int(fin["service_stops"].min()), "service_stops_max": int(fin["service_stops"].max()),
            "longest_stint_laps_median": float(these["longest_stint_laps"].median()),
            "longest_stint_laps_max": int(these["longest_stint_laps"].max()),
            "longest_stint_min_median": round(float(these["longest_stint_min"].median()), 1),
            "longest_stint_min_max": round(float(these["longest_stint_min"].max()), 1),
            "longest_driving_min_max": round(float(these["longest_driving_min"].max()), 1),
            "drivers_per_car_median": float(fin_cars["size"].median()),
            "most_drive_h": round(float(per_car["max"].max()), 2),
            "most_drive_share": round(float(per_car["max"].max() * 3600 / race_s), 3),
            "most_drive_h_median_car": round(float(fin_cars["max"].median()), 2),
            "least_drive_h_finishers": round(float(fin_cars["min"].min()), 2),
            "least_drive_h_median_car": round(float(fin_cars["min"].median()), 2)})
        rows.append(row)
    return pd.DataFrame(rows)


def rating_table(drivers: pd.DataFrame, cars: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Drive time per race length, class and FIA rating, over cars running at the end."""
    lengths = results.drop_duplicates(["season", "event"]).set_index(["season", "event"])["length"]
    fin = cars.loc[cars["running"], ["season", "event", "car"]]
    df = drivers.merge(fin, on=["season", "event", "car"])
    df["length"] = [lengths[(s, e)] for s, e in zip(df["season"], df["event"])]
    crew = df.groupby(["season", "event", "car"])["driver_no"].transform("size")
    df["crew_size"] = crew
    return df.groupby(["length", "car_class", "rating"]).agg(
        drivers=("hours", "size"), crew_size_median=("crew_size", "median"), hours_min=("hours", "min"),
        hours_p10=("hours", lambda s: s.quantile(0.1)), hours_median=("hours", "median"),
        hours_p90=("hours", lambda s: s.quantile(0.9)), hours_max=("hours", "max")).round(2).reset_index()


def race_table(fcy: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    lengths = results.drop_duplicates(["season", "event"])[["season", "event", "length", "race_s"]]
    out = fcy.merge(lengths, on=["season", "event"])
    return out.assign(race_h=(out["race_s"] / 3600).round(2)).drop(columns="race_s")


def check_daytona_proxy(results: pd.DataFrame, cars: pd.DataFrame) -> pd.DataFrame:
    """How well the results-only 'running at the end' proxy agrees with the lap exports' final flag."""
    merged = results.merge(cars[["season", "event", "car", "running"]], on=["season", "event", "car"])
    merged["proxy"] = merged["total_s"] >= merged["race_s"] - DAYTONA_RUNNING_MARGIN_S
    return pd.crosstab(merged["running"], merged["proxy"], rownames=["FF lap"], colnames=["proxy"])


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Medians over races per length and class, for the long-versus-short contrast."""
    cols = ["starters", "winner_laps", "running_share", "classified_70pct_share", "stops_median",
            "service_stops_median", "longest_stint_min_max", "longest_driving_min_max", "most_drive_share",
            "least_drive_h_finishers"]
    return table.groupby(["length", "class"])[cols].median().round(3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", help="project root holding data/real (default: auto)")
    parser.add_argument("--out", help="folder for the CSV files (default: data/real/imsa/long_races)")
    parser.add_argument("--check", action="store_true", help="also print the Daytona proxy check")
    args = parser.parse_args(argv)
    root = find_root(args.root)
    sys.dont_write_bytecode = True   # read-only use of the project: leave no __pycache__ behind
    sys.path.insert(0, str(root))
    from tools.calibrate import fcy_periods, load_imsa_laps  # noqa: E402  (the project's own reader)
    from tools.vendor_real_data import parse_time  # noqa: E402

    data = root / "data" / "real"
    laps = load_imsa_laps(data)
    results = load_results(data, parse_time)
    cars = per_car_from_laps(laps)
    drivers = drive_times(laps)
    table = class_table(results, cars, drivers)
    ratings = rating_table(drivers, cars, results)
    races = race_table(fcy_periods(laps), results)

    out = Path(args.out) if args.out else data / "imsa" / "long_races"
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "measured.csv", index=False)
    ratings.to_csv(out / "measured_drivers.csv", index=False)
    races.to_csv(out / "measured_races.csv", index=False)

    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_rows", 400)
    print("== per race and class ==")
    print(table.to_string(index=False))
    print("\n== medians per race length and class ==")
    print(summary(table).to_string())
    print("\n== drive time per race length, class and FIA rating (cars running at the end) ==")
    print(ratings.to_string(index=False))
    print("\n== neutralisations per race ==")
    print(races.to_string(index=False))
    by_length = races.groupby("length").agg(races=("periods", "size"), periods=("periods", "sum"),
                                            hours=("hours", "sum"), minutes_mean=("minutes_mean", "mean"),
                                            fcy_share_time=("fcy_share_time", "mean"))
    by_length["per_hour"] = (by_length["periods"] / by_length["hours"]).round(3)
    print(by_length.round(3).to_string())
    if args.check:
        print("\n== results-only 'running at the end' proxy vs the final-flag lap (races with laps) ==")
        print(check_daytona_proxy(results, cars).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
