"""Random streams: every draw comes from a Generator derived from one root seed.

Season i uses SeedSequence(seed, spawn_key=(i,)), race j of it spawn_key=(i, j), so any season
or race can be replayed alone and two scenarios compared with common random numbers.
"""

from __future__ import annotations

import numpy as np


def season_seed(seed: int, season_index: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed, spawn_key=(season_index,))


def race_seed(seed: int, season_index: int, race_index: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed, spawn_key=(season_index, race_index))


def race_rng(seed: int, season_index: int, race_index: int) -> np.random.Generator:
    """The Generator for race `race_index` (0-based, calendar order) of season `season_index`."""
    return np.random.Generator(np.random.PCG64(race_seed(seed, season_index, race_index)))


def season_rng(seed: int, season_index: int, stream: int) -> np.random.Generator:
    """A season-level stream (participation, entry changes ...) kept apart from the race streams.

    Uses spawn_key=(season, 10_000 + stream) so it never collides with a race index.
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(season_index, 10_000 + stream))))
