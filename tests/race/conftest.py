"""Fixtures of the race-model tests: the ALMS 2023 field on the 2023 calendar (real configs for the
venues, rulebook, race model and sporting rules; the entry list is a fixture built from the 2023
timing export, see tests/race/fixtures/alms-2023-entries.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config.loader import read_yaml
from sim.config.scenario import Scenario

FIXTURES = Path(__file__).parent / "fixtures"


def alms_2023_scenario(**changes) -> Scenario:
    data = read_yaml(FIXTURES / "alms-2023.yaml")
    data["entries"] = str(FIXTURES / "alms-2023-entries.yaml")
    data.update(changes)
    return Scenario.model_validate(data)


_compiled: list = []


def compiled_alms_2023():
    """The compiled 2023 fixture scenario, built once per test session."""
    if not _compiled:
        from sim.scenario import compile_scenario

        _compiled.append(compile_scenario(alms_2023_scenario()))
    return _compiled[0]


@pytest.fixture(scope="session")
def alms_2023():
    return compiled_alms_2023()
