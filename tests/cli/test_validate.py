"""`sim validate` reports every problem of every file; `sim schema` writes the JSON Schema of a kind."""

from __future__ import annotations

import json

import pytest

from sim.config.kinds import KINDS
from tests.conftest import CONFIGS, PROJECT, run_cli

FIXTURES = PROJECT / "tests" / "fixtures" / "rules"
# Regenerate with `sim schema KIND --out schemas/KIND.json` after changing a config model.
COMMITTED_SCHEMAS = sorted(path.stem for path in (PROJECT / "schemas").glob("*.json"))


def test_every_config_kind_has_its_committed_schema():
    from sim.config.kinds import KINDS

    assert COMMITTED_SCHEMAS == sorted(KINDS)


def test_shipped_rulebooks_and_configs_are_valid():
    files = sorted((CONFIGS / "series").glob("*.yaml")) + [CONFIGS / "venues.yaml"]
    files += sorted((CONFIGS / "entries").glob("*.yaml"))
    code, out, err = run_cli("validate", *map(str, files))
    assert code == 0, err
    assert out.splitlines() == [f"ok: {path} ({'series' if 'series' in path.parts else 'venues' if path.name == 'venues.yaml' else 'entries'})"
                                for path in files]


def test_every_problem_in_every_file_one_line_each(tmp_path):
    files = [FIXTURES / "series-many-problems.yaml", FIXTURES / "series-python-tag.yaml",
             FIXTURES / "series-syntax-error.yaml", CONFIGS / "series" / "elms.yaml", tmp_path / "missing.yaml"]
    code, out, err = run_cli("validate", "--kind", "series", *map(str, files))
    assert code == 2 and "Traceback" not in err
    assert out.splitlines() == [f"ok: {CONFIGS / 'series' / 'elms.yaml'} (series)"]
    lines = err.splitlines()
    many = str(FIXTURES / "series-many-problems.yaml")
    assert lines[:4] == [
        f"error: {many}: classes.LMP2.crew.min_drivers: Input should be greater than or equal to 1",
        f"error: {many}: points.scales[0]: Value error, points rise from position 2 to 3: a scale must never rise",
        f"error: {many}: scoring.team_scoring: Input should be 'per_car' or 'best_car'",
        f"error: {many}: colour: unknown field",
    ]
    assert lines[4].startswith(f"error: {FIXTURES / 'series-python-tag.yaml'}: line 2: YAML tag not allowed")
    assert lines[5].startswith(f"error: {FIXTURES / 'series-syntax-error.yaml'}: line ")
    assert lines[6] == f"error: {tmp_path / 'missing.yaml'}: file not found"
    assert len(lines) == 7


def test_kind_is_detected_from_the_folder_or_the_keys(tmp_path):
    copy = tmp_path / "my-rules.yaml"
    copy.write_text((CONFIGS / "series" / "wec.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run_cli("validate", str(copy))
    assert code == 0 and out.strip() == f"ok: {copy} (series)"
    odd = tmp_path / "odd.yaml"
    odd.write_text("colour: blue\n", encoding="utf-8")
    code, _, err = run_cli("validate", str(odd))
    assert code == 2 and "cannot tell which kind of config this is" in err


def test_scenario_references_are_resolved(tmp_path):
    scenario = tmp_path / "study.yaml"
    scenario.write_text(
        "name: study\nseries: formula-e\nentries: asian-lms-default\n"
        "calendar:\n  rounds:\n  - {venue: atlantis, date: 2025-12-01}\n", encoding="utf-8")
    code, _, err = run_cli("validate", "--kind", "scenario", str(scenario))
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith(f"error: {scenario}: series: unknown series 'formula-e'")
    assert lines[1].startswith(f"error: {scenario}: calendar.rounds[0].venue: unknown venue 'atlantis'")


def test_scenario_entries_are_checked_against_the_rulebook(tmp_path):
    entries = tmp_path / "entries.yaml"
    entries.write_text(
        "entries:\n- {car: '1', team: A, class: LMP2, car_model: Oreca, drivers: [{name: X, rating: Gold}, "
        "{name: Y, rating: Platinum}]}\n- {car: '2', team: B, class: GT, category: Pro-Am, car_model: M4, "
        "drivers: [{name: Z, rating: Bronze}]}\n", encoding="utf-8")
    scenario = tmp_path / "study.yaml"
    scenario.write_text(f"name: study\nseries: asian-lms\nentries: {entries}\n"
                        "calendar:\n  rounds:\n  - {venue: dubai, date: 2025-12-01}\n", encoding="utf-8")
    code, _, err = run_cli("validate", str(scenario), "--kind", "scenario")
    assert code == 2
    assert err.splitlines() == [
        f"error: {entries}: entries[0] (car 1): LMP2: needs at least 1 Bronze driver(s), has 0 (series asian-lms)",
        f"error: {entries}: entries[1] (car 2): GT: needs at least 2 drivers, has 1 (series asian-lms)",
        f"error: {entries}: entries[1] (car 2): class GT has no category 'Pro-Am' (series asian-lms)",
    ]


@pytest.mark.parametrize("kind", COMMITTED_SCHEMAS)
def test_committed_schemas_match_the_models(kind, tmp_path):
    assert {"series", "venues", "entries", "scenario"} <= set(COMMITTED_SCHEMAS)
    out = tmp_path / f"{kind}.json"
    code, _, err = run_cli("schema", kind, "--out", str(out))
    assert code == 0, err
    assert json.loads(out.read_text()) == json.loads((PROJECT / "schemas" / f"{kind}.json").read_text())


def test_series_schema_forbids_unknown_fields():
    code, out, _ = run_cli("schema", "series")
    schema = json.loads(out)
    assert code == 0 and schema["additionalProperties"] is False
    assert list(schema["properties"])[-1] == "awards" and "classes" in schema["required"]


def test_unknown_kind():
    code, _, err = run_cli("schema", "spaceship")
    assert code == 2 and f"unknown config kind 'spaceship' (known: {', '.join(KINDS)})" in err


def test_a_kind_whose_module_is_missing_does_not_break_the_others(monkeypatch, tmp_path):
    from sim.config import kinds

    ghost = kinds.ConfigKind("ghost", "sim.config.no_such_module:Ghost", folders=("configs/ghost",))
    monkeypatch.setitem(kinds.KINDS, "ghost", ghost)
    code, out, _ = run_cli("validate", str(CONFIGS / "series" / "wec.yaml"))
    assert code == 0 and out.startswith("ok:")
    folder = tmp_path / "configs" / "ghost"
    folder.mkdir(parents=True)
    (folder / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    code, _, err = run_cli("validate", str(folder / "a.yaml"))
    assert code == 2 and "its schema module sim.config.no_such_module is not available" in err


def test_a_problem_shared_by_two_scenarios_is_reported_once(tmp_path):
    entries = (PROJECT / "configs" / "entries" / "asian-lms-default.yaml").read_text(encoding="utf-8")
    bad = entries.replace("  - name: Elias SEPPANEN\n    rating: Bronze", "  - name: Elias SEPPANEN\n    rating: Platinum")
    assert bad != entries
    (tmp_path / "entries.yaml").write_text(bad, encoding="utf-8")
    scenario = (f"name: t\nseries: asian-lms-cups\nentries: {tmp_path / 'entries.yaml'}\n"
                "calendar:\n  rounds:\n    - {venue: dubai, date: 2026-01-31}\n")
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(scenario, encoding="utf-8")
    code, _, err = run_cli("validate", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "car 2" in lines[0] and "GT Pro-Am" in lines[0]
