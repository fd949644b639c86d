"""Ordering of a classification: points, then countback, then the rulebook's last resort.

Works on plain arrays for every season and title at once: one `np.lexsort` over all competitors.
"""

from __future__ import annotations

import numpy as np

from sim.config.series import TieBreak


def position_counts(competitor: np.ndarray, position: np.ndarray, n_competitors: int) -> np.ndarray:
    """counts[c, k] = how many times competitor c finished in scoring position k + 1."""
    scored = position > 0
    width = int(position[scored].max()) if scored.any() else 0
    counts = np.zeros((n_competitors, width), dtype=np.int64)
    np.add.at(counts, (competitor[scored], position[scored] - 1), 1)
    return counts


def order_competitors(group: np.ndarray, points: np.ndarray, counts: np.ndarray, race_points: np.ndarray,
                      names: np.ndarray, rule: TieBreak,
                      share_identical: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Sort competitors inside each group (season x title); return (order, position of each sorted row).

    Keys, most important first: group, more points, then (countback) more wins, more 2nds ...,
    then the last resort: more points in the latest race, then the one before ... (`latest_result`),
    and always the name last so the order is deterministic. With `shared`, competitors equal on
    every key before the name share a position. Competitors flagged in `share_identical` (co-drivers)
    share a position when their race-by-race records are identical: no sporting criterion can
    separate drivers who shared a car all season, so they are joint champions.
    """
    keys: list[np.ndarray] = [group, -np.round(points, 6)]
    if rule.countback:
        keys += [-counts[:, k] for k in range(counts.shape[1])]
    if rule.last_resort == "latest_result":
        latest_first = np.nan_to_num(race_points[:, ::-1], nan=0.0)
        keys += [-np.round(latest_first[:, k], 6) for k in range(latest_first.shape[1])]
    ranking_keys = len(keys)
    keys.append(names)
    order = np.lexsort(keys[::-1])
    n = len(order)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = group[order][1:] != group[order][:-1]
    if rule.last_resort == "shared":
        differs = new_group.copy()
        for key in keys[1:ranking_keys]:
            sorted_key = key[order]
            differs[1:] |= sorted_key[1:] != sorted_key[:-1]
    else:
        differs = np.ones(n, dtype=bool)
    if share_identical is not None and share_identical.any():
        same_record = ~new_group
        for key in keys[1:ranking_keys]:
            sorted_key = key[order]
            same_record[1:] &= sorted_key[1:] == sorted_key[:-1]
        record = np.round(np.nan_to_num(race_points, nan=-1.0), 6)[order]
        same_record[1:] &= (record[1:] == record[:-1]).all(axis=1)
        flagged = share_identical[order]
        same_record[1:] &= flagged[1:] & flagged[:-1]
        same_record[0] = False
        differs &= ~same_record
    index = np.arange(n)
    group_start = np.maximum.accumulate(np.where(new_group, index, 0))
    run_start = np.maximum.accumulate(np.where(differs, index, 0))
    return order, run_start - group_start + 1
