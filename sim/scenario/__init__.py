"""Compile a scenario once: load every config it names, cross-check them, and freeze one `CompiledRace`
per race of the calendar (`compile`: the scenario, `entries`: the fields, `compiled`: the records)."""

from sim.scenario.compile import compile_scenario, reference_error, resolve_scenario
from sim.scenario.compiled import CompiledEntry, CompiledRace, CompiledScenario, VenueParams

__all__ = ["CompiledEntry", "CompiledRace", "CompiledScenario", "VenueParams", "compile_scenario", "reference_error",
           "resolve_scenario"]
