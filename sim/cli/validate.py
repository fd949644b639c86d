"""`sim validate FILE...` (every problem of every config file) and `sim schema KIND` (JSON Schema per kind)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from sim.cli import output
from sim.config.kinds import KINDS, detect_kind, get_kind
from sim.config.loader import CONFIGS, parse_model, read_yaml
from sim.config.scenario import Scenario
from sim.errors import InputError, InputErrors
from sim.io import write_text_atomic


def _errors_of(error: InputError) -> list[InputError]:
    return list(error.errors) if isinstance(error, InputErrors) else [error]


def validate_file(path: Path, kind_name: str | None = None) -> tuple[str | None, list[InputError]]:
    """(kind, problems) of one config file; problems is empty when the file is valid."""
    try:
        data = read_yaml(path)
        kind = get_kind(kind_name) if kind_name else detect_kind(path, data)
    except InputError as error:
        return None, _errors_of(error)
    try:
        config = parse_model(kind.model(), data, path)
    except InputError as error:
        return kind.name, [e if e.file else InputError(path, e.field, e.reason) for e in _errors_of(error)]
    if kind.name == "scenario":
        from sim.config.scenario import with_paths_beside

        return kind.name, scenario_reference_problems(with_paths_beside(config, path.parent), path)
    return kind.name, []


def scenario_reference_problems(scenario: Scenario, path: Path) -> list[InputError]:
    """Problems of the files a scenario names (series, entries, venues) and of their combination."""
    from sim.config.entries import load_entries
    from sim.config.scenario import ENTRIES_FROM_RESULTS
    from sim.config.series import load_series
    from sim.config.venues import load_venues
    from sim.scenario import reference_error

    problems: list[InputError] = []

    def load(loader, reference: str, field: str):
        try:
            return loader(reference)
        except InputError as error:
            problems.extend(reference_error(e, path, field) for e in _errors_of(error))
            return None

    rulebook = load(load_series, scenario.series, "series")
    # `entries: results_so_far` is built from the results table when the scenario is compiled (below)
    entries = load(load_entries, scenario.entries, "entries") if scenario.entries != ENTRIES_FROM_RESULTS else None
    venues = load(lambda _: load_venues(), "", "calendar")
    if venues is not None:
        for index, round_ in enumerate(scenario.calendar.rounds):
            if round_.venue not in venues.venues:
                problems.append(InputError(path, f"calendar.rounds[{index}].venue",
                                           f"unknown venue '{round_.venue}' (known: {', '.join(venues.venues)})"))
    if rulebook is not None and entries is not None and scenario.merge is None:   # merged classes: checked by compile
        entries_file = _entries_path(scenario.entries)
        for index, entry in enumerate(entries.entries):
            ratings = [driver.rating for driver in entry.drivers]
            for problem in rulebook.crew_problems(entry.car_class, ratings, entry.category):
                problems.append(InputError(entries_file, f"entries[{index}] (car {entry.car})",
                                           f"{problem} (series {rulebook.name})"))
    if not problems:   # the scenario features (sim.season_plan) are checked by compiling the scenario
        from sim.scenario import compile_scenario

        try:
            compile_scenario(path)
        except InputError as error:
            problems.extend(_errors_of(error))
    return problems


def _entries_path(reference: str) -> Path:
    path = Path(reference)
    return path if path.suffix in (".yaml", ".yml") else CONFIGS / "entries" / f"{reference}.yaml"


def validate(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Config or scenario YAML files."),
    kind: str | None = typer.Option(None, "--kind", metavar="KIND",
                                    help=f"Treat every file as this kind ({', '.join(KINDS)})."),
) -> None:
    """Check config files and scenarios; report every problem (file: field: reason), exit 2 if any."""
    problems: list[InputError] = []
    for path in files:
        kind_name, found = validate_file(path, kind)
        if found:
            problems.extend(found)
        else:
            typer.echo(f"ok: {path} ({kind_name})")
    if problems:
        # An entry list shared by several scenarios would otherwise report the same problem once per scenario.
        unique = list({problem.message: problem for problem in problems}.values())
        raise InputErrors(unique, report=True)


def schema(
    kind: str = typer.Argument(..., metavar="KIND", help=f"Config kind: {', '.join(KINDS)}."),
    out: Path | None = typer.Option(None, "--out", metavar="FILE", help="Write the JSON Schema here instead of stdout."),
) -> None:
    """Print (or write) the JSON Schema of a config kind, for editors and external checks."""
    model = get_kind(kind).model()
    text = json.dumps(model.model_json_schema(by_alias=True), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(out, text)
        output.wrote(out, f"JSON Schema of {kind}")


def register(app: typer.Typer) -> None:
    app.command("validate", short_help="Check config files and scenarios.")(validate)
    app.command("schema", short_help="JSON Schema of a config kind.")(schema)
