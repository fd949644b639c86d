"""Championship-season simulator for multi-class endurance sports-car racing.

The Python API (sim/api.py): `from sim import simulate_race, simulate_season, run_study, run_paired_study`.
"""

__version__ = "0.1.0"

_API = ("PairedStudy", "RaceRun", "SeasonOutcome", "Study", "run_paired_study", "run_study", "simulate_race",
        "simulate_season")
__all__ = list(_API)


def __getattr__(name: str):
    """The API is imported on first use, so `import sim.cli` (every command) does not load pandas & co first."""
    if name in _API:
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
