"""The Monte Carlo kernel of a real scenario (`ScenarioKernel`) and its study layout: titles and
competitors read off the rules engine itself, the races and the award rules.

Built once per study; workers unpickle it and run chunks of seasons. Each chunk is one results table
(`sim.season.simulate_results`) and one pass of the rules engine, however many seasons it holds.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.config.loader import CONFIGS, resolve_named
from sim.config.scenario import ENTRIES_FROM_RESULTS
from sim.montecarlo.kernel import ChunkTables, CompetitorKey, StudyLayout, TitleLayout
from sim.race import gc_paused
from sim.rules.points import points_table
from sim.scenario import CompiledScenario, resolve_scenario
from sim.season import ScenarioRef, apply_rules, load_compiled, simulate_results
from sim.season_plan import resolve_data_file


class ScenarioKernel:
    """The Monte Carlo season kernel of a scenario (the `sim.montecarlo.kernel.SeasonKernel` protocol)."""

    def __init__(self, scenario: ScenarioRef, scenario_path: Path | None = None) -> None:
        self.compiled = load_compiled(scenario)
        if scenario_path is None and isinstance(scenario, (str, Path)):
            scenario_path = resolve_scenario(scenario)
        self.scenario_path = Path(scenario_path) if scenario_path else None
        self._layout = None

    @property
    def name(self) -> str:
        """The scenario's name (reports and manifests show it)."""
        return self.compiled.name

    def layout(self) -> StudyLayout:
        if self._layout is None:
            self._layout = study_layout(self.compiled)
        return self._layout

    def run_chunk(self, seed: int, season_indices: range) -> ChunkTables:
        with gc_paused():
            results, _ = simulate_results(self.compiled, seed, season_indices, rules_only=True)
            standings, awards = apply_rules(results, self.compiled)
        return ChunkTables(standings=standings, awards=awards)

    def config_files(self) -> list[Path]:
        scenario = self.compiled.scenario
        files = [self.scenario_path] if self.scenario_path else []
        files.append(resolve_named(scenario.series, "series", "series"))
        if scenario.entries != ENTRIES_FROM_RESULTS:   # else the results so far, listed below
            files.append(resolve_named(scenario.entries, "entries", "entry list"))
        for extra in scenario.championships:
            files.append(resolve_named(extra.series, "series", "series"))
            files.append(resolve_named(extra.entries, "entries", "entry list"))
        if scenario.merge is not None:
            files += [resolve_named(name, "entries", "entry list") for name in scenario.merge.entries]
        for sporting in sorted({race.sporting.name for race in self.compiled.races}):
            path = CONFIGS / "sporting" / f"{sporting}.yaml"
            if path.exists():
                files.append(path)
        if scenario.results_so_far is not None:
            files.append(resolve_data_file(scenario.results_so_far.file, self.compiled.source))
        files += [resolve_data_file(item.file, self.compiled.source) for item in scenario.strength.from_results]
        if self.compiled.plan is not None and self.compiled.plan.strength_estimate is not None:   # the estimator's parameters
            model = scenario.strength.model
            files.append(resolve_data_file(model, self.compiled.source) if model else CONFIGS / "strength.yaml")
        files.append(Path(scenario.options.get("race_model", CONFIGS / "race-model.yaml")))
        files.append(Path(scenario.options.get("venues", CONFIGS / "venues.yaml")))
        return [Path(f) for f in files]

    def identity(self) -> str:
        return ""


def synthetic_results(compiled: CompiledScenario) -> pd.DataFrame:
    """One season in which every entry of every race starts (results so far kept as they are).

    Used to read the competitors of a study off the rules engine itself, so that their names match
    the standings rows of the simulated seasons exactly (mid-season entries and other championships too).
    """
    rows = []
    plan = compiled.plan
    for race in compiled.races:
        if plan is not None and race.race_id in plan.fixed_races:
            continue
        position_in_class: dict[str, int] = {}
        for entry in race.entries:
            position_in_class[entry.class_name] = position_in_class.get(entry.class_name, 0) + 1
            rows.append({
                "race": race.race_id, "round": race.round, "car": entry.car, "team": entry.team,
                "class": entry.class_name, "category": entry.category, "drivers": ";".join(entry.drivers),
                "ratings": ";".join(entry.ratings), "entry": entry.entry,
                "class_position": position_in_class[entry.class_name], "status": "classified",
                "laps": 100, "time_s": race.hours * 3600.0, "pole": 0, "hours": race.hours,
                "championship": race.championship})
    frame = pd.DataFrame(rows)
    if plan is None or not plan.multi_championship:
        frame = frame.drop(columns="championship", errors="ignore")
    fixed = plan.fixed_rows(None) if plan is not None else None
    if fixed is not None:
        frame = pd.concat([fixed, frame], ignore_index=True) if len(frame) else fixed
    return frame


def study_layout(compiled: CompiledScenario) -> StudyLayout:
    """Titles, competitors (every entry of the scenario), races and award rules of a study.

    The competitors are read off the rules engine itself: one synthetic season in which every
    entry starts every race, so the names match the standings rows of the real seasons exactly.
    """
    standings, _ = apply_rules(synthetic_results(compiled), compiled)
    # The most one competitor can score in a race: the best scale's win plus its pole point, over
    # every championship of the scenario.
    best = 0.0
    award_rules = []
    for info in compiled.championships:
        table, pole = points_table(info.rulebook)
        best = max(best, float((table.max(axis=1) + pole).max()))
        award_rules += [info.title_prefix + rule.id for rule in info.rulebook.awards.rules]
    max_race_points = tuple(best for _ in compiled.races)
    titles = []
    for title, group in standings.groupby("title", sort=False):
        first = group.iloc[0]
        competitors = tuple(CompetitorKey(str(r.get("class", first["class"])), str(r["category"]), str(r["kind"]),
                                          str(r["car"]), str(r["team"]), str(r["drivers"]))
                            for r in group.to_dict("records"))
        titles.append(TitleLayout(str(title), str(first["class"]), str(first["category"]), str(first["kind"]),
                                  competitors, max_race_points))
    return StudyLayout(titles=tuple(titles), race_ids=tuple(r.race_id for r in compiled.races),
                       rounds=tuple(r.round for r in compiled.races), award_rules=tuple(award_rules))
