"""Who a competitor is: its entry for the season, not the team-name string of one race.

An entry is a car number within its class (and `entry` kind, and championship in a joint table), for the
whole season. Sponsors rename teams during a season ("Triple Eight JMR" at the first round, "Triple
Eight" after) and crews change, so every row of an entry is scored under the entry's latest team name in
that season (the latest race in calendar order); crews need nothing: a competitor's drivers are already
the union of its rows' crews. The standings and the awards both read the table through `follow_entries`,
so a renamed car is one competitor with one points total, one invitation record, one study row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.rules.points import SEASON, race_order

ENTRY_COLUMNS = ("class", "car", "entry")


def follow_entries(results: pd.DataFrame) -> pd.DataFrame:
    """The results with `team` replaced by each entry's latest team name in its season (the table itself,
    not a copy, when no entry has two names: every simulated season without renames)."""
    if results.empty:
        return results
    keys = [SEASON] if SEASON in results.columns else []
    keys += [c for c in ("championship", *ENTRY_COLUMNS) if c in results.columns]
    entry_code = _codes(results, [c for c in keys if c != SEASON])
    team_code, teams = pd.factorize(results["team"], use_na_sentinel=False)
    # Cheap check first (the Monte Carlo hot path): does any entry have two names over all seasons?
    pairs = pd.unique(entry_code * len(teams) + team_code)
    if len(pairs) == int(entry_code.max()) + 1:
        return results
    if SEASON in results.columns:
        entry_code = _codes(results, keys)
    order = race_order(results)
    race_index = results["race"].map({race: index for index, race in enumerate(order)}).to_numpy()
    # The last row of each entry in calendar order (ties: the table's own order) holds its latest name.
    by_entry = np.lexsort((np.arange(len(results)), race_index, entry_code))
    sorted_entries = entry_code[by_entry]
    last = by_entry[np.r_[sorted_entries[1:] != sorted_entries[:-1], True]]
    latest_team = np.empty(int(entry_code.max()) + 1, dtype=np.int64)
    latest_team[entry_code[last]] = team_code[last]
    renamed = results.copy()
    renamed["team"] = pd.Series(teams, dtype=results["team"].dtype).take(latest_team[entry_code]).to_numpy()
    return renamed


def _codes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """0..k-1: one integer per distinct combination of the columns' values."""
    code = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        column_code, uniques = pd.factorize(frame[column], use_na_sentinel=False)
        # re-numbered after every column, so the mixed-radix number stays below rows x values
        code = pd.factorize(code * len(uniques) + column_code)[0].astype(np.int64)
    return code
