"""Seam for sporting calendar metrics (Monte Carlo: title open at the last round, gaps, ties ...).

They need the season simulator; `compare_calendars(..., sporting=...)` merges whatever this returns
(a DataFrame with a `scenario` column, one row per scenario) into the side-by-side table.
"""

from __future__ import annotations

import importlib
import importlib.util


def sporting_metrics(scenario_paths, runs: int, seed: int):
    """Sporting metrics per scenario from `sim.season`, or None while the season simulator is missing."""
    if importlib.util.find_spec("sim.season") is None:
        print("sporting metrics: not available")
        return None
    season = importlib.import_module("sim.season")
    provider = getattr(season, "calendar_sporting_metrics", None)
    return provider(list(scenario_paths), runs, seed) if provider is not None else None
