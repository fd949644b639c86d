"""The race model: one multi-class endurance race as a discrete-event simulation (simpy)."""

from sim.race.api import simulate_race
from sim.race.model import run_race
from sim.race.log import log_to_frame
from sim.race.outcome import RaceOutcome, outcomes_to_results

__all__ = ["RaceOutcome", "log_to_frame", "outcomes_to_results", "run_race", "simulate_race"]
