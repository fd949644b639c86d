"""Validated configuration: rulebooks, venues, cars, entry lists, calendars, scenarios."""

from sim.config.loader import CONFIGS, SCENARIOS, StrictModel, load_model, parse_model, read_yaml

__all__ = ["CONFIGS", "SCENARIOS", "StrictModel", "load_model", "parse_model", "read_yaml"]
