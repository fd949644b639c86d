"""The race model: one multi-class endurance race as a discrete-event simulation (simpy).

Modules by what they model (docs/race-model.md lists which mechanism lives where): `field` (the
compiled per-car constants), `traffic`, `draws` (the race day's random draws), `clock` (green running
<-> wall time under neutralisations), `drive_rules` and `planner` (drive-time limits and the stint
plan), `pit`, `car` (stints, stops, failures, retirement), `race_control` (incidents, FCY / Code 60 /
Safety Car / red flag), `finish`, `classification`, `outcome` and `log` (what a race returns), and
`simulation` (the wiring).
"""

from sim.race.outcome import RaceOutcome, log_to_frame, outcomes_to_results
from sim.race.simulation import gc_paused, run_race

__all__ = ["RaceOutcome", "gc_paused", "log_to_frame", "outcomes_to_results", "run_race"]
