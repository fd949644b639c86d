"""`sim race` (one race of a scenario -> results table and event log) and `sim bench` (race-model speed)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

from sim.errors import InputError


def _check_seed(seed: int) -> None:
    if seed < 0:
        raise InputError(None, "--seed", f"must be a non-negative integer, got {seed}")


def race_command(scenario: str, race: str, seed: int, out: Path | None, log: Path | None,
                 index: int = 0) -> None:
    """Race `race` exactly as season `index` of `seed` runs it (`sim season --seed --index`): the same
    participation draw, race stream and forced outcomes, so the rows equal that season's."""
    from sim.io import write_table_atomic
    from sim.results import REQUIRED_COLUMNS, validate_results, write_results
    from sim.season import load_compiled, simulate_race

    _check_seed(seed)
    if index < 0:
        raise InputError(None, "--index", f"must be a whole number >= 0, got {index}")
    compiled = load_compiled(scenario)
    results, events = simulate_race(compiled, race, seed=seed, season=index, log=log is not None)
    validate_results(results, f"simulated {race}")
    from sim.cli import output

    darkness = compiled.race(race).darkness_text()
    if darkness:
        output.note(f"{race}: {darkness}; night lap and incident factors applied (configs/race-model.yaml night)")

    if log is not None:
        write_table_atomic(events, log)
        output.wrote(log, f"event log, {len(events)} events")
    if out is not None:
        write_results(results, out)
        output.wrote(out, f"{race} of season {index}, seed {seed}: {len(results)} cars")
    else:
        ordered = list(REQUIRED_COLUMNS) + [c for c in results.columns if c not in REQUIRED_COLUMNS]
        results[ordered].to_csv(sys.stdout, index=False)


def bench_command(scenario: str, races: int, seed: int, repeat: int) -> dict:
    """Run `races` races (cycling through the scenario's calendar) `repeat` times; report the median."""
    from sim.race import run_race
    from sim.scenario import compile_scenario
    from sim.seeds import race_rng

    _check_seed(seed)
    if races < 1:
        raise InputError(None, "--races", f"must be at least 1, got {races}")
    compiled = compile_scenario(scenario)
    calendar = compiled.races
    for compiled_race in calendar:
        _ = compiled_race.field  # build the arrays once, outside the timing
    timings, laps, events = [], 0, 0
    for _ in range(repeat):
        rngs = [race_rng(seed, i // len(calendar), i % len(calendar)) for i in range(races)]
        laps = events = 0
        start = time.perf_counter()
        for i, rng in enumerate(rngs):
            outcome = run_race(calendar[i % len(calendar)], rng)
            laps += outcome.car_laps
            events += outcome.events
        timings.append(time.perf_counter() - start)
    timings.sort()
    elapsed = timings[len(timings) // 2]
    cars = sum(len(calendar[i % len(calendar)].entries) for i in range(races)) / races
    return {"ms_per_race": round(1000 * elapsed / races, 4), "car_laps_per_s": round(laps / elapsed),
            "races": races, "events_per_race": round(events / races, 1), "cars_per_race": round(cars, 1),
            "repeats": repeat}


def register(app: typer.Typer) -> None:
    @app.command("race", short_help="One simulated race: results table and event log.")
    def race(
        scenario: str = typer.Argument(..., metavar="SCENARIO", help="Scenario file, or its name under scenarios/."),
        race_id: str = typer.Option(..., "--race", metavar="RACE",
                                    help="Race id, e.g. R3 (the third race of the season)."),
        seed: int = typer.Option(..., "--seed", metavar="N", help="Root seed of the study."),
        index: int = typer.Option(0, "--index", metavar="I",
                                  help="Season index: the race as season I of the seed runs it."),
        out: Path | None = typer.Option(None, "--out", metavar="FILE",
                                           help="Results CSV/Parquet; stdout when absent."),
        log: Path | None = typer.Option(None, "--log", metavar="FILE",
                                           help="Write the event log (CSV/Parquet) here."),
    ) -> None:
        """Simulate one race of a scenario and write its results table: the race exactly as
        `sim season SCENARIO --seed N --index I` runs it (participation, forced outcomes included)."""
        race_command(scenario, race_id, seed, out, log, index)

    @app.command("bench", short_help="Race-model speed: one JSON line.")
    def bench(
        scenario: str = typer.Argument(..., metavar="SCENARIO", help="Scenario file, or its name under scenarios/."),
        races: int = typer.Option(200, "--races", metavar="N", help="Races to simulate per timing run."),
        seed: int = typer.Option(0, "--seed", metavar="N", help="Root seed of the races (season i, race j)."),
        repeat: int = typer.Option(3, "--repeat", min=1, metavar="N", help="Timing runs; the median is reported."),
    ) -> None:
        """Measure the race model: prints one JSON line {"ms_per_race", "car_laps_per_s", "races", ...} on
        stdout (a human summary on stderr)."""
        report = bench_command(scenario, races, seed, repeat)
        typer.echo(f"{report['races']} races x {report['repeats']} runs, {report['cars_per_race']} cars per race, "
                   f"{report['events_per_race']} simulation events per race", err=True)   # stdout: the JSON only
        typer.echo(json.dumps(report))
