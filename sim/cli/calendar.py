"""`sim calendar compare SCENARIO...` and `sim calendar search ...`: calendar planning from the shell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from sim.cli import output
from sim.errors import InputError

calendar_app = typer.Typer(help="Calendar planning: compare calendars, search for the best one.",
                           no_args_is_help=True)


# the inputs both commands read (one definition, so their --help says the same)
VENUES_FILE = typer.Option(None, "--venues-file", metavar="FILE", help="Venue book (default configs/venues.yaml).")
LOGISTICS_FILE = typer.Option(None, "--logistics", metavar="FILE",
                              help="Logistics file (default configs/logistics.yaml).")
CALENDARS_DIR = typer.Option(None, "--calendars", metavar="DIR",
                             help="Other championships' calendars (default configs/calendars/).")


def _inputs(venues_file: Path | None, logistics_file: Path | None, calendars_dir: Path | None) -> dict:
    from sim.config.calendars import load_championships, load_logistics
    from sim.config.venues import load_venues

    return {
        "venues": load_venues(venues_file),
        "venues_path": str(venues_file) if venues_file else None,
        "logistics": load_logistics(logistics_file),
        "logistics_path": str(logistics_file) if logistics_file else None,
        "championships": load_championships(calendars_dir),
    }


@calendar_app.command("compare", short_help="Calendars side by side: freight, clashes, climate, sport.")
def compare(
    scenarios: list[str] = typer.Argument(..., metavar="SCENARIO...",
                                          help="Scenarios to compare side by side (paths or names under scenarios/)."),
    runs: int = typer.Option(200, "--runs", min=0, metavar="N",
                             help="Seasons per scenario for the sporting metrics (0 skips them)."),
    seed: int = typer.Option(1, "--seed", min=0, metavar="S",
                             help="Root seed of the sporting Monte Carlo (common random numbers)."),
    workers: int | None = typer.Option(None, "--workers", min=1, metavar="K",
                                       help="Local processes for the sporting Monte Carlo (default: all cores; "
                                            "1 runs serially)."),
    scheduler: str | None = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                         help="Dask: tcp://HOST:PORT of a running scheduler, or local:N for a "
                                              "local cluster of N workers."),
    out: Path = typer.Option(Path("out/calendar-compare"), "--out", metavar="DIR",
                             help="Folder for comparison.csv, sporting_by_class.csv, comparison.png and "
                                  "report.html."),
    venues_file: Path | None = VENUES_FILE,
    logistics_file: Path | None = LOGISTICS_FILE,
    calendars_dir: Path | None = CALENDARS_DIR,
) -> None:
    """Logistics, clash, climate and (Monte Carlo, common random numbers) sporting metrics side by side."""
    from sim.calendar.html_report import write_calendar_report
    from sim.calendar.metrics import assess_scenario, compare_calendars
    from sim.calendar.report import comparison_chart, print_comparison, write_comparison_csv
    from sim.calendar.sporting import sporting_study
    from sim.calendar.sporting_report import chart_metrics, print_sporting
    from sim.io import check_output_folder, write_csv_atomic
    from sim.scenario import resolve_scenario

    if workers is not None and scheduler:
        raise InputError(None, "--workers", "give either --workers or --scheduler, not both")
    check_output_folder(out)   # before any work: a bad --out is found now, not after the study
    paths = [resolve_scenario(name) for name in scenarios]
    inputs = _inputs(venues_file, logistics_file, calendars_dir)
    assessments = [assess_scenario(path, **inputs) for path in paths]
    study = None
    if runs > 0:
        executor = "dask" if scheduler else ("serial" if workers == 1 else "processes")
        study = sporting_study(paths, runs, seed, executor=executor, workers=workers, scheduler=scheduler,
                               progress=True)
    table = compare_calendars(paths, sporting=study.summary if study is not None else None, **inputs)
    console = output.console()
    sporting_columns = [c for c in study.summary.columns if c != "scenario"] if study is not None else []
    print_comparison(table.drop(columns=sporting_columns), assessments, console)
    if study is not None:
        print_sporting(study, console)
    write_comparison_csv(table, out / "comparison.csv")
    written = [out / "comparison.csv"]
    if study is not None:
        write_csv_atomic(study.detail, out / "sporting_by_class.csv")
        written.append(out / "sporting_by_class.csv")
    else:   # the folder holds this comparison only: no sporting table of an earlier one
        (out / "sporting_by_class.csv").unlink(missing_ok=True)
    comparison_chart(assessments, table, out / "comparison.png",
                     extra_metrics=chart_metrics(study, table) if study is not None else ())
    written.append(out / "comparison.png")
    written.append(write_calendar_report(assessments, table, study, paths, out / "report.html"))
    if study is not None:
        output.note(f"sporting metrics: {study.runs} seasons x {len(paths)} calendars in {study.wall_time_s:.1f} s "
                    f"({study.executor}, {study.workers} worker(s), chunks of {study.chunk_size})")
    output.wrote(out, files=[path.name for path in written])


def _parse_date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(None, field, f"'{text}' is not a date (YYYY-MM-DD)") from None


def _objective(text: str | None, base):
    from sim.config.calendars import ObjectiveWeights
    from sim.config.loader import parse_model

    if not text:
        return base
    weights = base.model_dump()
    for part in text.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in weights:
            raise InputError(None, "--objective", f"unknown metric '{name}' (known: {', '.join(weights)})")
        try:
            weights[name] = float(value)
        except ValueError:
            raise InputError(None, "--objective", f"'{part}' is not METRIC=WEIGHT") from None
    return parse_model(ObjectiveWeights, weights, "--objective")


@calendar_app.command("search", short_help="Search venue orders and dates; rank the best.")
def search(
    venues: str = typer.Option(..., "--venues", metavar="KEYS",
                               help="Comma-separated venue keys (configs/venues.yaml)."),
    rounds: int = typer.Option(..., "--rounds", metavar="N", help="Number of rounds."),
    window: tuple[str, str] | None = typer.Option(None, "--window", metavar="START END",
                                                  help="Dates (YYYY-MM-DD); default: the constraints file's window "
                                                       "(given both, this one)."),
    constraints_file: Path | None = typer.Option(None, "--constraints", metavar="FILE",
                                                 help="Hard constraints and objective (YAML)."),
    objective: str | None = typer.Option(None, "--objective", metavar="WEIGHTS",
                                         help="Weights, e.g. freight_km=1,clashes=10,rain=5."),
    top: int = typer.Option(5, "--top", min=1, metavar="N", help="How many calendars to rank."),
    distinct: bool = typer.Option(True, "--distinct/--any-dates",
                                  help="Rank distinct venue orders, each with its best dates (default); "
                                       "--any-dates also lists the same order on other dates."),
    out: Path | None = typer.Option(None, "--out", metavar="FILE", help="Write the ranked candidates as CSV."),
    write_scenarios: Path | None = typer.Option(
        None, "--write-scenarios", metavar="DIR",
        help="Write each ranked calendar as DIR/search-<rank>.yaml, a scenario `sim calendar compare` takes."),
    base: str = typer.Option("default", "--base", metavar="SCENARIO",
                             help="Scenario whose series, entries, participation and options the written "
                                  "scenarios keep (with --write-scenarios)."),
    venues_file: Path | None = VENUES_FILE,
    logistics_file: Path | None = LOGISTICS_FILE,
    calendars_dir: Path | None = CALENDARS_DIR,
) -> None:
    """Search venue/date assignments under hard constraints and rank them by a weighted objective."""
    from sim.calendar.report import print_search, search_frame
    from sim.calendar.search import build_problem, search_calendars
    from sim.config.calendars import SearchConstraints, load_constraints
    from sim.io import check_output_file, check_output_folder
    from sim.scenario import resolve_scenario

    if out is not None:
        check_output_file(out)   # before the search
    if write_scenarios is not None:
        check_output_folder(write_scenarios)
        resolve_scenario(base)
    constraints = load_constraints(constraints_file) if constraints_file else SearchConstraints()
    constraints = constraints.model_copy(update={"objective": _objective(objective, constraints.objective)})
    span = _window(window, constraints, constraints_file)
    keys = [key.strip() for key in venues.split(",") if key.strip()]
    if not keys:
        raise InputError(None, "--venues", "no venue given")
    inputs = _inputs(venues_file, logistics_file, calendars_dir)
    problem = build_problem(keys, rounds, span, constraints, constraints_file,
                            venue_book=inputs["venues"], logistics=inputs["logistics"],
                            championships=inputs["championships"], venues_path=inputs["venues_path"])
    result = search_calendars(problem, top=top, distinct=distinct)
    print_search(result, problem, output.console())
    if not result.candidates:
        names = " + ".join(result.conflict) if result.conflict else "the window, round count and venues alone"
        raise InputError(constraints_file or "constraints", "constraints",
                         f"infeasible: {names} cannot all hold in the window (a minimal conflicting set: "
                         f"without any one of them the rest of the set can be met)")
    if out is not None:
        from sim.io import write_csv_atomic

        write_csv_atomic(search_frame(result), out)
        output.wrote(out, f"{len(result.candidates)} calendars")
    if write_scenarios is not None:
        from sim.calendar.scenario_writer import PREFIX, write_candidate_scenarios

        written = write_candidate_scenarios(result, problem, base, write_scenarios)
        output.wrote(write_scenarios, f"scenarios on {base}: `sim calendar compare {write_scenarios}/{PREFIX}*.yaml`",
                     files=[path.name for path in written])


def _window(window: tuple[str, str] | None, constraints, constraints_file: Path | None):
    """--window when given (saying so when it replaces the constraints file's), else the file's (or None)."""
    from sim.config.calendars import Window
    from sim.config.loader import parse_model

    if window is None:
        return constraints.window
    start, end = _parse_date(window[0], "--window"), _parse_date(window[1], "--window")
    span = parse_model(Window, {"start": start, "end": end}, "--window")
    if constraints.window is not None and constraints.window != span:
        output.note(f"note: --window {span.start} {span.end} replaces the window of {constraints_file} "
                    f"({constraints.window.start} .. {constraints.window.end})")
    return span


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar", short_help="Compare calendars; search for the best one.")
