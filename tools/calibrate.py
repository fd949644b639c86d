"""Measure the race model's calibration figures from the real data in data/real/ and print them.

Run `.venv/bin/python -m tools.calibrate`. docs/calibration.md records the output and the method;
tests/calibration/test_calibrate.py checks that the two agree. Plain pandas: this is offline analysis,
never imported by the simulator.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from tools.vendor_real_data import parse_time

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "real"   # copied from ../shared/data by tools/vendor_real_data.py

ALMS_RACES = {  # race id -> (raw export, venue key in configs/venues.yaml)
    "R1": ("r1_dubai_race1_hour4_results.csv", "dubai"),
    "R2": ("r2_dubai_race2_hour4_results.csv", "dubai"),
    "R3": ("r3_abudhabi_race1_hour4_results.csv", "yas-marina"),
    "R4": ("r4_abudhabi_race2_hour4_results.csv", "yas-marina"),
}
RATINGS = ["Platinum", "Gold", "Silver", "Bronze"]
# Laps slower than this multiple of the stint median are traffic moments, offs or slow zones, not pace.
STINT_OUTLIER = 1.07


# ---------------------------------------------------------------- Asian LMS 2023 (results exports)
def load_alms_2023(data: Path = DATA) -> pd.DataFrame:
    """The four hour-4 result exports, one row per car, with times in seconds."""
    frames = []
    for race, (name, venue) in ALMS_RACES.items():
        raw = pd.read_csv(data / "asian_lms_2023" / "raw" / name, dtype=str)
        raw = raw.loc[:, ~raw.columns.str.startswith("Unnamed")]
        raw.insert(0, "race", race)
        raw.insert(1, "venue", venue)
        frames.append(raw)
    df = pd.concat(frames, ignore_index=True)
    df["laps"] = df["LAPS"].astype(int)
    df["total_s"] = df["TOTAL_TIME"].map(parse_time)
    df["fl_s"] = df["FL_TIME"].map(parse_time)
    df["overall"] = df["POSITION"].astype(int)
    df["classified"] = df["STATUS"].eq("Classified")
    return df.sort_values(["race", "overall"], ignore_index=True)


def alms_race_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per race and class: winner distance and time, chasers' laps, gap of 2nd, classified share, fastest laps."""
    rows = []
    for (race, car_class), cars in df.groupby(["race", "CLASS"], sort=True):
        cars = cars.sort_values("overall")
        winner, second = cars.iloc[0], cars.iloc[1]
        laps = cars["laps"].to_numpy()
        same_lap = second["laps"] == winner["laps"]
        rows.append({
            "race": race, "venue": winner["venue"], "class": car_class, "cars": len(cars),
            "winner_laps": int(winner["laps"]), "winner_time_s": round(winner["total_s"], 3),
            "laps_2nd": int(laps[1]), "laps_3rd": int(laps[2]), "laps_5th": int(laps[4]),
            "gap_2nd_s": round(second["total_s"] - winner["total_s"], 3) if same_lap else float("nan"),
            "gap_2nd_laps": int(winner["laps"] - second["laps"]),
            "classified_share": round(cars["classified"].mean(), 3),
            "fastest_lap_s": round(cars["fl_s"].min(), 3),
            "top5_median_fl_s": round(cars["fl_s"].nsmallest(5).median(), 3),
            "winner_avg_lap_s": round(winner["total_s"] / winner["laps"], 2),
        })
    return pd.DataFrame(rows)


def alms_class_ratios(summary: pd.DataFrame) -> pd.DataFrame:
    """Winner laps of LMP3 and GT relative to LMP2, per race and on average."""
    wide = summary.pivot(index="race", columns="class", values="winner_laps")
    out = pd.DataFrame({"LMP3/LMP2": wide["LMP3"] / wide["LMP2"], "GT/LMP2": wide["GT"] / wide["LMP2"]})
    out.loc["mean"] = out.mean()
    return out.round(4)


def alms_reference_laps(summary: pd.DataFrame, green_over_best: dict[str, float]) -> pd.DataFrame:
    """Venue reference lap per class: mean over races of the top-5 median fastest lap x the IMSA class ratio."""
    imsa_equivalent = {"LMP2": "LMP2", "LMP3": "LMP3", "GT": "GTD"}
    rows = []
    for (venue, car_class), group in summary.groupby(["venue", "class"]):
        best = group["top5_median_fl_s"].mean()
        ratio = green_over_best[imsa_equivalent[car_class]]
        rows.append({"venue": venue, "class": car_class, "top5_median_fl_s": round(best, 3),
                     "ratio": ratio, "reference_lap_s": round(best * ratio, 1)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- IMSA 2023-24 (lap exports)
def load_imsa_laps(data: Path = DATA) -> pd.DataFrame:
    """Every lap of every IMSA race with a lap export (the compact table `tools/vendor_real_data.py`
    derives from them: seconds, flags, pit markers and driver ratings), with stints and race length."""
    df = pd.read_parquet(data / "imsa" / "laps.parquet")
    for name in df.columns:
        if isinstance(df[name].dtype, pd.CategoricalDtype):
            df[name] = df[name].astype(str)
    df = df.sort_values(["season", "event", "car", "lap"], ignore_index=True)
    by_car = df.groupby(["season", "event", "car"], sort=False)
    df["out_lap"] = df["pit_s"].notna()
    df["prev_flag"] = by_car["flag"].shift(1).fillna("GF")
    # Stint number: a new stint starts on each out-lap.
    df["stint"] = by_car["out_lap"].cumsum()
    race_end = df.groupby(["season", "event"])["elapsed_s"].transform("max")
    df["race_hours"] = race_end / 3600.0
    return df


def green_laps(df: pd.DataFrame) -> pd.DataFrame:
    """Racing laps: green at the line, not an in- or out-lap, not the opening lap or a restart lap."""
    mask = (df["flag"] == "GF") & (df["prev_flag"] == "GF") & ~df["in_lap"] & ~df["out_lap"] & (df["lap"] > 1)
    return df.loc[mask]


def green_over_best(df: pd.DataFrame) -> pd.Series:
    """Per class: median over races of the top-5 cars' (median green lap / fastest lap)."""
    green = green_laps(df)
    per_car = green.groupby(["season", "event", "car_class", "car"])["lap_s"].agg(["median", "min", "count"])
    per_car = per_car[per_car["count"] >= 20]
    ratios = (per_car.groupby(level=[0, 1, 2], group_keys=False)
              .apply(lambda cars: (cars.nsmallest(5, "min")["median"] / cars.nsmallest(5, "min")["min"]).median()))
    return ratios.groupby(level=2).median().round(4)


def imsa_reference_laps(df: pd.DataFrame) -> pd.DataFrame:
    """Per event and class: median over the 5 fastest cars (by median) of each car's median green lap."""
    green = green_laps(df)
    per_car = green.groupby(["event", "season", "car_class", "car"])["lap_s"].agg(["median", "count"])
    per_car = per_car[per_car["count"] >= 20]["median"]
    top5 = per_car.groupby(level=[0, 1, 2]).apply(lambda cars: cars.nsmallest(5).median())
    return top5.unstack("car_class").round(1)


def alms_time_budget(summary: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Class winner's time beyond laps x reference lap: what pit stops, neutralisations and traffic cost."""
    ref = references.set_index(["venue", "class"])["reference_lap_s"]
    out = summary[["race", "venue", "class", "winner_laps", "winner_time_s"]].copy()
    out["reference_lap_s"] = [ref[(v, c)] for v, c in zip(out["venue"], out["class"])]
    out["excess_s"] = (out["winner_time_s"] - out["winner_laps"] * out["reference_lap_s"]).round(0)
    out["excess_pct"] = (out["excess_s"] / out["winner_time_s"] * 100).round(1)
    return out


def lap_time_spread(df: pd.DataFrame) -> pd.DataFrame:
    """Per class: lap-to-lap sd within a stint, and car-to-car sd of median pace within a race."""
    green = green_laps(df)
    key = ["season", "event", "car_class", "car", "stint", "driver"]
    stint_median = green.groupby(key)["lap_s"].transform("median")
    clean = green.loc[green["lap_s"] < STINT_OUTLIER * stint_median].copy()
    clean["rel"] = clean["lap_s"] / clean.groupby(key)["lap_s"].transform("median") - 1
    stints = clean.groupby(key).agg(n=("lap_s", "size"), sd_s=("lap_s", "std"), sd_rel=("rel", "std"))
    stints = stints[stints["n"] >= 8]
    within = stints.groupby(level="car_class").agg(stints=("n", "size"), sd_within_stint_s=("sd_s", "median"),
                                                   sd_within_stint_pct=("sd_rel", "median"))
    car_median = green.groupby(["season", "event", "car_class", "car"])["lap_s"].agg(["median", "count"])
    car_median = car_median[car_median["count"] >= 20]["median"]
    per_race = car_median.groupby(level=[0, 1, 2]).agg(["std", "mean", "size"])
    per_race = per_race[per_race["size"] >= 4]
    per_race["cv"] = per_race["std"] / per_race["mean"]
    between = per_race.groupby(level="car_class").agg(races=("cv", "size"), sd_car_median_s=("std", "median"),
                                                      sd_car_median_pct=("cv", "median"))
    out = within.join(between)
    out["sd_within_stint_pct"] = (out["sd_within_stint_pct"] * 100).round(2)
    out["sd_car_median_pct"] = (out["sd_car_median_pct"] * 100).round(2)
    return out.round(3)


def rating_pace_gap(df: pd.DataFrame) -> pd.DataFrame:
    """Per class and FIA rating: each driver's median green lap vs the fastest driver of the same car."""
    green = green_laps(df)
    per_driver = green.groupby(["season", "event", "car_class", "car", "driver", "rating"])["lap_s"].agg(
        ["median", "count"]).reset_index()
    per_driver = per_driver[(per_driver["count"] >= 10) & per_driver["rating"].isin(RATINGS)]
    best = per_driver.groupby(["season", "event", "car"])["median"].transform("min")
    per_driver["gap_s"] = per_driver["median"] - best
    per_driver["gap_pct"] = per_driver["gap_s"] / best * 100
    table = per_driver.groupby(["car_class", "rating"]).agg(drivers=("gap_s", "size"), gap_s=("gap_s", "median"),
                                                            gap_pct=("gap_pct", "median"))
    return table.round(2)


def stints(df: pd.DataFrame) -> pd.DataFrame:
    """Completed stints (ended by a pit stop), one row each, with laps, minutes and race-length bucket."""
    by = ["season", "event", "car_class", "car", "stint"]
    grouped = df.groupby(by)
    table = grouped.agg(laps=("lap", "size"), minutes=("lap_s", "sum"), ends_in_pit=("in_lap", "last"),
                        race_hours=("race_hours", "first")).reset_index()
    table = table[table["ends_in_pit"]]
    table["minutes"] = table["minutes"] / 60
    table["race_length"] = pd.cut(table["race_hours"], [0, 3.5, 7, 13], labels=["<=3h", "6h", "10-12h"])
    return table


def stint_lengths(df: pd.DataFrame) -> pd.DataFrame:
    """Median and 90th percentile stint length (laps and minutes) per class and race length."""
    table = stints(df)
    # Green-flag fuel stints only: drop short splash / damage stops (under 40% of the class median).
    typical = table.groupby(["car_class", "race_length"], observed=True)["minutes"].transform("median")
    full = table[table["minutes"] >= 0.4 * typical]
    return full.groupby(["car_class", "race_length"], observed=True).agg(
        stints=("laps", "size"), laps_median=("laps", "median"), laps_p90=("laps", lambda s: s.quantile(0.9)),
        minutes_median=("minutes", "median"), minutes_p90=("minutes", lambda s: s.quantile(0.9))).round(1)


def pit_stops(df: pd.DataFrame) -> pd.DataFrame:
    """PIT_TIME (pit-lane entry to exit) per class, with and without a driver change, green vs FCY."""
    df = df.assign(prev_driver=df.groupby(["season", "event", "car"])["driver_no"].shift(1))
    stops = df[df["out_lap"]].copy()
    stops["driver_change"] = stops["driver_no"] != stops["prev_driver"]
    # Long garage visits (repairs) are not pit stops: keep stops under 3 minutes.
    stops = stops[stops["pit_s"] < 180]
    return stops.groupby(["car_class", "driver_change"]).agg(
        stops=("pit_s", "size"), median_s=("pit_s", "median"), p10_s=("pit_s", lambda s: s.quantile(0.1)),
        p90_s=("pit_s", lambda s: s.quantile(0.9))).round(1)


def fcy_periods(df: pd.DataFrame) -> pd.DataFrame:
    """Neutralisations per race from the race leader's laps: count, per hour, length in laps and minutes."""
    rows = []
    for (season, event), race in df.groupby(["season", "event"]):
        leader_car = race.loc[race["elapsed_s"].idxmax(), "car"]
        leader = race[race["car"] == leader_car].sort_values("lap")
        leader = leader[leader["flag"] != "FF"]
        is_fcy = leader["flag"].eq("FCY").to_numpy()
        starts = np.flatnonzero(is_fcy & ~np.r_[False, is_fcy[:-1]])
        lengths_laps, lengths_min = [], []
        for start in starts:
            end = start
            while end + 1 < len(is_fcy) and is_fcy[end + 1]:
                end += 1
            lengths_laps.append(end - start + 1)
            lengths_min.append(leader["lap_s"].iloc[start:end + 1].sum() / 60)
        hours = race["race_hours"].iloc[0]
        rows.append({"season": season, "event": event, "hours": round(hours, 2), "periods": len(starts),
                     "per_hour": round(len(starts) / hours, 3),
                     "laps_mean": round(float(np.mean(lengths_laps)), 2) if lengths_laps else 0.0,
                     "minutes_mean": round(float(np.mean(lengths_min)), 2) if lengths_min else 0.0,
                     "fcy_share_time": round(sum(lengths_min) / (hours * 60), 3),
                     "opening_fcy": bool(is_fcy[:2].any())})
    return pd.DataFrame(rows)


def retirements(df: pd.DataFrame) -> pd.DataFrame:
    """Cars not running at the end (no lap under the final flag) per class, and the rate per car-hour."""
    per_car = df.groupby(["season", "event", "car_class", "car"]).agg(
        finished=("flag", lambda s: s.eq("FF").any()), hours=("elapsed_s", "max"))
    per_car["hours"] /= 3600
    out = per_car.groupby(level="car_class").agg(starters=("finished", "size"),
                                                 not_running=("finished", lambda s: int((~s).sum())),
                                                 car_hours=("hours", "sum"))
    out["dnf_share"] = out["not_running"] / out["starters"]
    out["rate_per_car_hour"] = out["not_running"] / out["car_hours"]
    total = out[["starters", "not_running", "car_hours"]].sum()
    out.loc["all"] = [total["starters"], total["not_running"], total["car_hours"],
                      total["not_running"] / total["starters"], total["not_running"] / total["car_hours"]]
    return out.round(4)


def pit_lane_loss(df: pd.DataFrame) -> pd.DataFrame:
    """Per event: the quickest green stop (in-lap + out-lap - 2 x car median green lap), an upper bound
    on the pit-lane drive-through loss (it includes the shortest stationary time)."""
    green_median = green_laps(df).groupby(["season", "event", "car"])["lap_s"].median()
    df = df.assign(prev_lap_s=df.groupby(["season", "event", "car"])["lap_s"].shift(1),
                   prev_in=df.groupby(["season", "event", "car"])["in_lap"].shift(1, fill_value=False))
    stops = df[df["out_lap"] & df["prev_in"].astype(bool) & (df["flag"] == "GF") & (df["prev_flag"] == "GF")]
    ref = green_median.reindex(pd.MultiIndex.from_frame(stops[["season", "event", "car"]])).to_numpy()
    stops = stops.assign(excess_s=stops["lap_s"].to_numpy() + stops["prev_lap_s"].to_numpy() - 2 * ref)
    return stops.groupby(["event", "season"]).agg(stops=("excess_s", "size"), min_loss_s=("excess_s", "min"),
                                                  median_pit_time_s=("pit_s", "median")).round(1)


def traffic_effect(df: pd.DataFrame) -> pd.DataFrame:
    """Per class: share of green laps more than 7% slower than the stint median. The exports do not say
    where the other cars were, so this is an upper bound on the laps lost to traffic (offs count too)."""
    green = green_laps(df)
    key = ["season", "event", "car_class", "car", "stint", "driver"]
    ratio = green["lap_s"] / green.groupby(key)["lap_s"].transform("median")
    return (ratio.ge(STINT_OUTLIER).groupby(green["car_class"]).mean() * 100).round(2).rename("slow_lap_pct").to_frame()


def main() -> int:
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_rows", 200)
    if not DATA.exists():
        print(f"data folder not found: {DATA}", file=sys.stderr)
        return 2
    alms = load_alms_2023()
    summary = alms_race_summary(alms)
    print("== Asian LMS 2023: per race and class ==")
    print(summary.to_string(index=False))
    print("\n== Asian LMS 2023: winner laps relative to LMP2 ==")
    print(alms_class_ratios(summary).to_string())
    laps = load_imsa_laps()
    ratios = green_over_best(laps)
    print("\n== IMSA: median green lap / fastest lap (top-5 cars) ==")
    print(ratios.to_string())
    references = alms_reference_laps(summary, ratios.to_dict())
    print("\n== Reference laps for the ALMS venues ==")
    print(references.to_string(index=False))
    print("\n== Asian LMS 2023: winner time beyond laps x reference lap (stops + neutralisations + traffic) ==")
    print(alms_time_budget(summary, references).to_string(index=False))
    print(f"classified share, all classes and races: {alms['classified'].mean():.3f} "
          f"({int(alms['classified'].sum())} of {len(alms)} starters)")
    print("\n== IMSA: reference race lap per event and class (top-5 median of car median green laps) ==")
    print(imsa_reference_laps(laps).to_string())
    print("\n== IMSA: lap-time spread ==")
    print(lap_time_spread(laps).to_string())
    print("\n== IMSA: pace gap by FIA rating (driver median green lap vs the car's fastest driver) ==")
    print(rating_pace_gap(laps).to_string())
    print("\n== IMSA: stint lengths (stints ended by a stop) ==")
    print(stint_lengths(laps).to_string())
    print("\n== IMSA: pit stops (PIT_TIME, stops under 3 min) ==")
    print(pit_stops(laps).to_string())
    fcy = fcy_periods(laps)
    print("\n== IMSA: FCY periods per race (race leader's laps) ==")
    print(fcy.to_string(index=False))
    total_hours = fcy["hours"].sum()
    print(f"all races: {fcy['periods'].sum()} periods in {total_hours:.1f} h = "
          f"{fcy['periods'].sum() / total_hours:.3f} per hour; mean length "
          f"{np.average(fcy['laps_mean'], weights=fcy['periods']):.2f} laps / "
          f"{np.average(fcy['minutes_mean'], weights=fcy['periods']):.2f} min; "
          f"races with an opening-lap FCY: {int(fcy['opening_fcy'].sum())} of {len(fcy)}")
    print("\n== IMSA: cars not running at the end ==")
    print(retirements(laps).to_string())
    print("\n== IMSA: pit-lane loss (quickest green stop) ==")
    print(pit_lane_loss(laps).to_string())
    print("\n== IMSA: share of green laps > 7% slower than the stint median (traffic, offs) ==")
    print(traffic_effect(laps).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
