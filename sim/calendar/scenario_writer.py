"""The top calendars of a search as scenarios that `sim calendar compare` takes
(`sim calendar search ... --write-scenarios DIR [--base SCENARIO]`).

Each candidate becomes `DIR/search-<rank>.yaml`: the searched rounds (venue, Saturday, the constraints'
round format) on a base scenario (default `scenarios/default.yaml`), whose series, entry list,
participation model and other options are kept, so the calendars compare like for like. What belongs to
the base's own calendar is left out (`results_so_far`, `forced_outcomes`). `options.calendar` carries the
search's freight hub, modes and slack, so `compare` finds the metrics (and the objective) the search found.
File references of the base are rewritten relative to DIR, so the written scenarios run from anywhere.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import yaml

from sim.calendar.search_problem import Candidate, SearchProblem, SearchResult
from sim.config.loader import parse_model, shown_path
from sim.config.scenario import Scenario, load_scenario
from sim.io import make_output_folder, write_text_atomic
from sim.scenario import resolve_scenario

PREFIX = "search-"
MARK = "# Written by `sim calendar search --write-scenarios`"
DROPPED = ("results_so_far", "forced_outcomes")   # tied to the base's own calendar


def season_name(first_day: dt.date) -> str:
    """A winter season's name from its first race day: 2025-11-29 -> 2025-26."""
    year = first_day.year if first_day.month >= 7 else first_day.year - 1
    return f"{year}-{(year + 1) % 100:02d}"


def calendar_block(candidate: Candidate, problem: SearchProblem) -> dict[str, Any]:
    """The `calendar:` mapping of a candidate: its rounds in date order, the round format's races."""
    rounds = []
    for planned in candidate.rounds:
        place = problem.ctx.place(planned.venue)
        rounds.append({"venue": planned.venue, "date": planned.first_race_day.isoformat(), "name": place.name,
                       "races": [{"hours": hours, "start_local": start} for hours, start in planned.races]})
    return {"season": season_name(candidate.rounds[0].first_race_day), "rounds": rounds}


def _portable(value: str, folder: Path) -> str:
    """A file reference that resolves from `folder`: existing files as paths relative to it; names as they are."""
    path = Path(value)
    if path.suffix not in (".yaml", ".yml", ".csv", ".parquet") and len(path.parts) < 2:
        return value
    return os.path.relpath(path.resolve(), folder.resolve()) if path.is_file() else value


def relocated(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The base's file references (series, entries, further championships, merged entry lists, race model,
    venues, strength files) rewritten so that they resolve from `folder`."""
    def move(value):
        return _portable(value, folder) if isinstance(value, str) else value

    data = dict(data)
    for key in ("series", "entries"):
        data[key] = move(data[key])
    data["championships"] = [{**c, "series": move(c["series"]), "entries": move(c["entries"])}
                             for c in data.get("championships", [])]
    if data.get("merge"):
        merge = data["merge"]
        data["merge"] = {**merge, "entries": [move(e) for e in merge["entries"]],
                         "class_map": {move(k): v for k, v in merge.get("class_map", {}).items()}}
    data["options"] = {k: move(v) if k in ("race_model", "venues") else v for k, v in data.get("options", {}).items()}
    strength = dict(data.get("strength", {}))
    if strength.get("model"):
        strength["model"] = move(strength["model"])
    if strength.get("from_results"):
        strength["from_results"] = [{**item, "file": move(item["file"])} for item in strength["from_results"]]
    data["strength"] = strength
    return {key: value for key, value in data.items() if value not in ([], {}, None)}


def candidate_scenario(candidate: Candidate, problem: SearchProblem, base: Scenario, base_path: Path, folder: Path) -> dict[str, Any]:
    """The scenario mapping of one candidate (validated: a bad combination is an InputError naming the base)."""
    data = base.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    for key in DROPPED:
        data.pop(key, None)
    ctx = problem.ctx
    options = dict(data.get("options", {}))
    options["calendar"] = {"freight_hub": ctx.hub.key, "freight_modes": list(ctx.modes),
                           **({"min_slack_days": ctx.slack_days} if ctx.slack_days else {})}
    venues = " > ".join(r.venue for r in candidate.rounds)
    data.update(name=f"Search #{candidate.rank}: {venues}",
                description=(f"Rank {candidate.rank} of `sim calendar search` (score {candidate.score:.2f}); "
                             f"{candidate.describe()}. Everything but the calendar from {base_path.name}."),
                calendar=calendar_block(candidate, problem), options=options)
    data = relocated(data, folder)
    parse_model(Scenario, data, f"{base_path} with the searched calendar #{candidate.rank}")
    return data


def header(candidate: Candidate, problem: SearchProblem, base_path: Path) -> str:
    window = problem.window
    return (f"{MARK} (rank {candidate.rank}, score {candidate.score:.2f}):\n"
            f"# {problem.rounds} rounds at {', '.join(problem.venues)} between {window.start} and {window.end}, "
            f"constraints {shown_path(problem.constraints_path)}.\n"
            f"# Series, entries, participation and options from {shown_path(base_path)}; "
            f"`sim calendar compare` takes this file as it is.\n")


def write_candidate_scenarios(result: SearchResult, problem: SearchProblem, base: str | Path, folder: str | Path) -> list[Path]:
    """Write `search-<rank>.yaml` per candidate into `folder` (earlier search-*.yaml of this writer removed)."""
    base_path = resolve_scenario(base)
    scenario = load_scenario(base_path)
    folder = make_output_folder(folder)
    texts = {}
    for candidate in result.candidates:
        data = candidate_scenario(candidate, problem, scenario, base_path, folder)
        texts[folder / f"{PREFIX}{candidate.rank}.yaml"] = header(candidate, problem, base_path) + yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)
    for stale in folder.glob(f"{PREFIX}*.yaml"):
        if stale not in texts and stale.read_text(encoding="utf-8").startswith(MARK):
            stale.unlink()
    for path, text in texts.items():
        write_text_atomic(path, text)
    return list(texts)
