"""Ordering of a classification: points, then countback, then the rulebook's last resort.

Works on plain arrays for every season and title at once: one `np.lexsort` over all competitors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.series import TieBreak


def position_counts(competitor: np.ndarray, position: np.ndarray, n_competitors: int) -> np.ndarray:
    """counts[c, k] = how many times competitor c finished in scoring position k + 1."""
    scored = position > 0
    width = int(position[scored].max()) if scored.any() else 0
    flat = competitor[scored].astype(np.int64) * width + position[scored] - 1
    return np.bincount(flat, minlength=n_competitors * width).astype(np.int64, copy=False).reshape(n_competitors, width)


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
    ranking = [_descending_rank(points)]
    if rule.countback and counts.shape[1]:
        most = int(counts.max())
        ranking += [(most - column, most + 1) for column in counts.T]
    if rule.last_resort == "latest_result":
        latest_first = np.nan_to_num(race_points[:, ::-1], nan=0.0)
        ranks, bound = _descending_rank(latest_first.ravel())
        ranking += [(column, bound) for column in ranks.reshape(latest_first.shape).T]
    # The keys are packed losslessly into a few int64 words: the same order as one lexsort key each.
    name_code = names - names.min() if len(names) else names
    words = _packed([(group, int(group.max()) + 1 if len(group) else 1)] + ranking
                    + [(name_code, int(name_code.max()) + 1 if len(names) else 1)])
    order = np.lexsort(words[::-1])
    n = len(order)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = group[order][1:] != group[order][:-1]
    # Two competitors have the same record when every ranking key (not the name) is equal.
    same_keys = np.zeros(n, dtype=bool)
    same_keys[1:] = True
    for word in _packed(ranking):
        sorted_word = word[order]
        same_keys[1:] &= sorted_word[1:] == sorted_word[:-1]
    if rule.last_resort == "shared":
        differs = new_group | ~same_keys
    else:
        differs = np.ones(n, dtype=bool)
    if share_identical is not None and share_identical.any():
        same_record = ~new_group & same_keys
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


def _descending_rank(values: np.ndarray) -> tuple[np.ndarray, int]:
    """(rank of each value, number of ranks): 0 for the largest, after rounding to 6 decimals (NaN last).

    Hash-based (distinct values are few), so only the distinct values are sorted."""
    codes, distinct = pd.factorize(np.round(values, 6) + 0.0, use_na_sentinel=False)
    rank_of_distinct = np.empty(len(distinct), dtype=np.int64)
    rank_of_distinct[np.argsort(-np.asarray(distinct), kind="stable")] = np.arange(len(distinct))
    return rank_of_distinct[codes], max(len(distinct), 1)


def _packed(fields: list[tuple[np.ndarray, int]]) -> list[np.ndarray]:
    """Non-negative integer keys (each below its bound), most significant first, packed into as few int64
    words as hold them: comparing the words in order compares the keys lexicographically."""
    words: list[np.ndarray] = []
    used = 63
    for values, bound in fields:
        bits = max(int(bound - 1).bit_length(), 1)
        if used + bits <= 63:
            words[-1] = (words[-1] << bits) | values
            used += bits
        else:
            words.append(np.asarray(values, dtype=np.int64).copy())
            used = bits
    return words
