"""Scenario files for the season tests: the shipped scenarios, trimmed or changed in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import SCENARIOS


def scenario_data(name: str) -> dict:
    return yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))


def write_scenario(folder: Path, data: dict, name: str = "scenario.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def short_default(**extra) -> dict:
    """The default scenario cut to two single-race rounds (Sepang, Dubai) of 2 h: fast seasons."""
    data = scenario_data("default")
    data.pop("options", None)
    rounds = data["calendar"]["rounds"]
    data["calendar"]["rounds"] = [
        {**rounds[0], "races": [{"hours": 2, "start_local": "13:00"}]},
        {**rounds[2], "races": [{"hours": 2, "start_local": "15:00"}]},
    ]
    data.update(extra)
    return data
