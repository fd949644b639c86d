"""Time `sim calendar search` on the 12-venue, 4-round problem of the issue (target: well under a minute).

Venues: 4 Middle East, 7 Far East, Bathurst; window Nov 2025 - Mar 2026 (22 Saturdays); constraints
configs/calendar-search/two-plus-two.yaml (2 ME + 2 FE, freight gaps, no clash, climate, daylight).
Prints JSON: seconds per repeat (tables + branch and bound + re-assessing the top 5), nodes, best score.
Run: .venv/bin/python benchmarks/bench_calendar_search.py
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time

from sim.calendar.search import build_problem, check_constraints, search_calendars
from sim.config.calendars import Window, load_constraints
from sim.config.loader import CONFIGS

VENUES = ["dubai", "yas-marina", "bahrain", "lusail", "sepang", "buriram", "mandalika", "zhuhai", "shanghai",
          "fuji", "suzuka", "bathurst"]
WINDOW = Window(start=dt.date(2025, 11, 1), end=dt.date(2026, 3, 31))
REPEATS = 3


def main() -> dict:
    path = CONFIGS / "calendar-search" / "two-plus-two.yaml"
    constraints = load_constraints(path)
    seconds, result, problem = [], None, None
    for _ in range(REPEATS):
        started = time.perf_counter()
        problem = build_problem(VENUES, 4, WINDOW, constraints, path)
        result = search_calendars(problem, top=5)
        seconds.append(time.perf_counter() - started)
    best = result.candidates[0]
    report = {
        "venues": len(VENUES), "rounds": 4, "saturdays": result.saturdays,
        "median_s": round(statistics.median(seconds), 3), "max_s": round(max(seconds), 3),
        "nodes": result.nodes, "cut_by_bound": result.dominated,
        "best": best.describe(), "best_score": round(best.score, 3),
        "best_violations": check_constraints(best.rounds, problem),
    }
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
