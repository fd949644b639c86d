"""Measure what darkness does to the real IMSA 2023-24 races that run into the night (the night factors of
`configs/race-model.yaml` `night:` and docs/long-races.md "Night running").

Run from the project root: `.venv/bin/python tools/measure_night.py`. Reads `data/real/imsa/laps.parquet`
(read-only), the real start times (`start_local`) of scenarios/imsa-2023.yaml and imsa-2024.yaml and the
venues of configs/venues.yaml; prints the tables. Plain pandas and scipy.stats, offline like
tools/measure_long_races.py.

A lap's clock time is the race start + its elapsed_s (time at the line); it is dark from sunset to
sunrise (sim.sun, NOAA formulas, the venue's time zone with daylight-saving time). Only races with
darkness are used: Sebring 12 h and Petit Le Mans 10 h of both years (every other IMSA race with a lap
export, the 6-hour Watkins Glen and Indianapolis included, ends before sunset).
- pace: green-flag racing laps (tools.calibrate.green_laps) of the same car and driver, the median lap of
  each driver in the last 2 h of daylight vs the first 2 h of darkness after a 30-minute dusk that is left
  out; per class the mean of the drivers' ratios (dark / day) with a t-based 95 % interval. Fuel loads
  are alike in both windows (stints of ~1 h); the track cools after sunset, which the ratio includes.
- cautions: starts of the race leader's FCY periods (tools.calibrate.fcy_periods' definition) in
  daylight vs darkness, per hour over all four races; rate ratio with an exact (binomial) 95 % interval.
- retirements: cars whose last lap is not under the final flag, by the clock time of their last lap,
  per car-hour running in daylight vs darkness; rate ratio with the same interval.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.sun import Clock, darkness_intervals  # noqa: E402
from tools.calibrate import green_laps, load_imsa_laps  # noqa: E402

WINDOW_S = 7200.0   # daylight and darkness windows compared, each side of the dusk
DUSK_S = 1800.0     # left out: half an hour from sunset (civil twilight)
EVENT_VENUE = {"sebring": "sebring", "road-atlanta": "road-atlanta", "watkins-glen": "watkins-glen",
               "bricks": "indianapolis", "indianapolis": "indianapolis"}


def race_starts() -> dict[tuple[str, str], tuple[dt.date, str, float]]:
    """(season, venue) -> (date, start_local, hours) of the real IMSA rounds."""
    starts = {}
    for season in ("2023", "2024"):
        scenario = yaml.safe_load((ROOT / f"scenarios/imsa-{season}.yaml").read_text())
        for rnd in scenario["calendar"]["rounds"]:
            race = rnd["races"][0]
            date = rnd["date"] if isinstance(rnd["date"], dt.date) else dt.date.fromisoformat(rnd["date"])
            starts[(season, rnd["venue"])] = (date, race["start_local"], float(race["hours"]))
    return starts


def venue_clock(key: str) -> Clock:
    venue = yaml.safe_load((ROOT / "configs/venues.yaml").read_text())["venues"][key]
    return Clock(venue["latitude"], venue["longitude"], venue["timezone_utc_offset_h"], venue.get("timezone"))


def with_darkness(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[tuple[str, str], float]]:
    """The laps of races that ran into darkness, with `sunset_s` (race seconds of the first sunset)."""
    starts = race_starts()
    sunsets: dict[tuple[str, str], float] = {}
    for season, event in df[["season", "event"]].drop_duplicates().itertuples(index=False):
        venue = next((v for k, v in EVENT_VENUE.items() if k in event), None)
        if venue is None or (season, venue) not in starts:
            continue
        date, start_local, hours = starts[(season, venue)]
        dark = darkness_intervals(venue_clock(venue), date, start_local, hours)
        if dark:
            sunsets[(season, event)] = dark[0][0]
    keys = pd.MultiIndex.from_frame(df[["season", "event"]])
    df = df[keys.isin(list(sunsets))].copy()
    df["sunset_s"] = [sunsets[(s, e)] for s, e in zip(df["season"], df["event"])]
    return df, sunsets


def pace_effect(df: pd.DataFrame) -> pd.DataFrame:
    """Per class: drivers' median green lap in the first dark hours over the last daylight hours."""
    laps = green_laps(df)
    laps = laps[laps["lap_s"] < 900]
    since = laps["elapsed_s"] - laps["sunset_s"]
    side = np.select([(since >= -WINDOW_S) & (since < 0), (since >= DUSK_S) & (since < DUSK_S + WINDOW_S)],
                     ["day", "dark"], "")
    laps = laps.assign(side=side)[side != ""]
    per = laps.groupby(["season", "event", "car_class", "car", "driver", "side"])["lap_s"].agg(["median", "size"])
    per = per[per["size"] >= 5]["median"].unstack("side").dropna()
    per["ratio"] = per["dark"] / per["day"]
    rows = []
    for car_class, group in per.groupby("car_class"):
        ratios = group["ratio"].to_numpy()
        half = stats.t.ppf(0.975, len(ratios) - 1) * ratios.std(ddof=1) / np.sqrt(len(ratios))
        rows.append({"class": car_class, "drivers": len(ratios), "dark_over_day": round(ratios.mean(), 4),
                     "ci95_low": round(ratios.mean() - half, 4), "ci95_high": round(ratios.mean() + half, 4),
                     "median": round(float(np.median(ratios)), 4),
                     "p_value": round(float(stats.ttest_1samp(ratios, 1.0).pvalue), 4)})
    return pd.DataFrame(rows)


def rate_ratio(dark_events: int, dark_hours: float, day_events: int, day_hours: float) -> dict[str, float]:
    """Darkness / daylight rate with an exact 95 % interval (conditional binomial on the event split)."""
    total = dark_events + day_events
    share = dark_hours / (dark_hours + day_hours)
    low, high = stats.binomtest(dark_events, total, share).proportion_ci(0.95, method="exact")

    def to_ratio(p: float) -> float:
        return (p / (1 - p)) * day_hours / dark_hours if p < 1 else float("inf")

    return {"dark": dark_events, "dark_h": round(dark_hours, 2), "day": day_events, "day_h": round(day_hours, 2),
            "dark_per_h": round(dark_events / dark_hours, 3), "day_per_h": round(day_events / day_hours, 3),
            "ratio": round(to_ratio(dark_events / total), 3), "ci95_low": round(to_ratio(low), 3),
            "ci95_high": round(to_ratio(high), 3),
            "p_value": round(float(stats.binomtest(dark_events, total, share).pvalue), 4)}


def cautions(df: pd.DataFrame) -> dict[str, float]:
    """FCY period starts of the race leader in daylight vs darkness, per hour, all races together."""
    dark_n = day_n = 0
    dark_h = day_h = 0.0
    for _, race in df.groupby(["season", "event"], observed=True):
        sunset, end = race["sunset_s"].iloc[0], race["elapsed_s"].max()
        leader = race[race["car"] == race.loc[race["elapsed_s"].idxmax(), "car"]].sort_values("lap")
        leader = leader[leader["flag"] != "FF"]
        is_fcy = leader["flag"].eq("FCY").to_numpy()
        starts = np.flatnonzero(is_fcy & ~np.r_[False, is_fcy[:-1]])
        # the period begins during the lap before its first FCY lap at the line
        at = leader["elapsed_s"].to_numpy()[starts] - leader["lap_s"].to_numpy()[starts]
        dark_n += int((at >= sunset).sum())
        day_n += int((at < sunset).sum())
        dark_h += (end - sunset) / 3600
        day_h += sunset / 3600
    return rate_ratio(dark_n, dark_h, day_n, day_h)


def retirements(df: pd.DataFrame) -> dict[str, float]:
    """Cars stopping for good in daylight vs darkness, per car-hour running."""
    dark_n = day_n = 0
    dark_h = day_h = 0.0
    for _, car in df.groupby(["season", "event", "car"], observed=True):
        sunset, last = car["sunset_s"].iloc[0], car["elapsed_s"].max()
        day_h += min(last, sunset) / 3600
        dark_h += max(0.0, last - sunset) / 3600
        if not car["flag"].eq("FF").any():
            dark_n += int(last >= sunset)
            day_n += int(last < sunset)
    return rate_ratio(dark_n, dark_h, day_n, day_h)


def main() -> int:
    df, sunsets = with_darkness(load_imsa_laps())
    print("races into darkness (sunset, hours after the start):")
    for (season, event), at in sorted(sunsets.items()):
        print(f"  {season} {event}: {at / 3600:.2f} h")
    pd.set_option("display.width", 160)
    print("\npace, dark / daylight (same driver, green laps):")
    print(pace_effect(df).to_string(index=False))
    print("\ncautions (leader's FCY period starts):", cautions(df))
    print("retirements (per car-hour):", retirements(df))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
