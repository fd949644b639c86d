"""Copy the real data the tests and the calibration need into `data/real/`, so a bare clone works.

Run `.venv/bin/python -m tools.vendor_real_data [--source ../shared/data]` after the shared data
changes. It copies the small files verbatim (Asian LMS 2023 results and Al Kamel timing exports,
American LMS 2006 tables, the IMSA 2023-24 race classifications and weather exports, the 2024-25
Asian LMS entry list, with their SOURCE.md / rules.md notes) and derives one compact table from the
22 MB of IMSA lap exports: `data/real/imsa/laps.parquet`, one row per lap with the columns the
calibration reads (see `LAP_COLUMNS`). Times are parsed to seconds (millisecond exact) and driver
ratings joined from the race classification, exactly as `tools/calibrate.py` used to do on the raw
files. The raw lap exports stay outside the repository.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data"
TARGET = ROOT / "data" / "real"

# Verbatim copies (relative to the source folder); globs allowed.
COPIED = [
    "README.md",
    "asian_lms_2023/*.csv", "asian_lms_2023/*.md", "asian_lms_2023/raw/*.csv",
    "american_lms_2006/*.csv", "american_lms_2006/*.md",
    "imsa/*/*/*-race-results.csv", "imsa/*/*/*-race-weather.csv",
    "asian_lms_2024_25_entries.csv",
]
LAP_COLUMNS = ["season", "event", "car", "car_class", "driver_no", "driver", "rating", "lap", "lap_s",
               "elapsed_s", "pit_s", "in_lap", "flag"]


def parse_time(text: object) -> float:
    """`1'49.586`, `4:03'08.373`, `1:52.613` or `0:00:53.371` -> seconds (NaN when empty)."""
    if not isinstance(text, str) or not text.strip() or text.strip() in {"-", "+"}:
        return float("nan")
    seconds = 0.0
    for part in text.strip().lstrip("+").replace("'", ":").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def read_timing_csv(path: Path) -> pd.DataFrame:
    """Al Kamel/IMSA export: BOM, leading spaces in column names, trailing empty column, text car numbers."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    df.columns = [c.strip() for c in df.columns]
    return df.loc[:, [c for c in df.columns if c and not c.startswith("Unnamed")]]


def compact_laps(source: Path) -> pd.DataFrame:
    """Every lap of every IMSA race with a lap export, in the columns of `LAP_COLUMNS`."""
    frames = []
    for laps_path in sorted((source / "imsa").glob("*/*/*-race-laps.csv")):
        results = read_timing_csv(next(laps_path.parent.glob("*-race-results.csv")))
        laps = read_timing_csv(laps_path)
        ratings = {}
        for _, row in results.iterrows():
            for n in range(1, 7):
                license_ = row.get(f"DRIVER{n}_LICENSE", "")
                if license_:
                    ratings[(row["NUMBER"].strip(), str(n))] = license_
        frame = pd.DataFrame({
            "season": laps_path.parts[-3], "event": laps_path.parent.name, "car": laps["NUMBER"].str.strip(),
            "car_class": laps["CLASS"].str.strip(), "driver_no": laps["DRIVER_NUMBER"].str.strip(),
            "driver": laps["DRIVER_NAME"].str.strip(), "lap": laps["LAP_NUMBER"].astype(int),
            "lap_s": laps["LAP_TIME"].map(parse_time), "elapsed_s": laps["ELAPSED"].map(parse_time),
            "pit_s": laps["PIT_TIME"].map(parse_time),
            "in_lap": laps["CROSSING_FINISH_LINE_IN_PIT"].str.strip().eq("B"),
            "flag": laps["FLAG_AT_FL"].str.strip(),
        })
        frame["rating"] = [ratings.get(key, "") for key in zip(frame["car"], frame["driver_no"])]
        frames.append(frame[LAP_COLUMNS])
    df = pd.concat(frames, ignore_index=True)
    for name in ("season", "event", "car_class", "driver_no", "rating", "flag", "driver", "car"):
        df[name] = df[name].astype("category")
    return df


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the shared data folder")
    args = parser.parse_args(argv)
    source: Path = args.source
    if not (source / "asian_lms_2023").is_dir():
        print(f"{source}: not a shared data folder (no asian_lms_2023/)", file=sys.stderr)
        return 2
    copied = 0
    for pattern in COPIED:
        for path in sorted(source.glob(pattern)):
            target = TARGET / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied += 1
    laps = compact_laps(source)
    out = TARGET / "imsa" / "laps.parquet"
    laps.to_parquet(out, compression="zstd", compression_level=19, index=False)
    print(f"{copied} files copied, {len(laps)} laps in {out.relative_to(ROOT)} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
