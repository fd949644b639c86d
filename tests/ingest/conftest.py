"""The 2023 Asian LMS timing exports (data/real/asian_lms_2023/raw) and the `sim ingest` command that turns
them into data/asian-lms-2023-results.csv (data/README.md quotes the same command)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PROJECT, REAL_DATA

RAW = REAL_DATA / "asian_lms_2023" / "raw"
RACES = tuple(RAW / name for name in (
    "r1_dubai_race1_hour4_results.csv", "r2_dubai_race2_hour4_results.csv",
    "r3_abudhabi_race1_hour4_results.csv", "r4_abudhabi_race2_hour4_results.csv"))
QUALIFYING = tuple(RAW / name for name in (
    "q_r1r2_dubai_gt_results.csv", "q_r1r2_dubai_lmp2_lmp3_results.csv",
    "q_r3r4_yasmarina_gt_results.csv", "q_r3r4_yasmarina_lmp2_lmp3_results.csv"))
# The two race-2 LMP2 poles are not in any export (race 2's grid is the second-best qualifying laps): the
# Oreca press release (R2, #43) and smi24's paddock notes (R4, #98), see data/real/asian_lms_2023/SOURCE.md.
POLES = ("R2:LMP2=43", "R4:LMP2=98")
SHIPPED = PROJECT / "data" / "asian-lms-2023-results.csv"
IMSA = REAL_DATA / "imsa"


def ingest_args(out: Path, *extra: str) -> list[str]:
    """`sim ingest` arguments that rebuild data/asian-lms-2023-results.csv."""
    return ["ingest", *map(str, RACES), "--rounds", "1,1,2,2", "--hours", "4",
            "--qualifying", *map(str, QUALIFYING), "--pole", ",".join(POLES), "--out", str(out), *extra]
