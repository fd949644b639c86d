"""One championship season of a scenario: every race through the race model, then the rules.

Season i draws race j from `sim.seeds.race_rng(seed, i, j)`, so a season replays alone and two
scenarios share common random numbers (`simulate_race` replays one race of a season). Many seasons at a
time, one results table per chunk and one rules-engine pass over it, are `simulate_results` +
`apply_rules`, which the Monte Carlo kernel (`sim.montecarlo.scenario_kernel`) calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario
from sim.errors import InputError
from sim.forced_outcomes import apply_forced
from sim.race import RaceOutcome, log_to_frame, outcomes_to_results, run_race
from sim.rules import award_invitations, compute_standings
from sim.scenario import CompiledRace, CompiledScenario, compile_scenario, resolve_scenario
from sim.seeds import race_rng


@dataclass
class SeasonOutcome:
    """Everything one season produced: results, standings after every race, awards, event log."""

    scenario: str
    seed: int
    index: int
    results: pd.DataFrame
    standings: pd.DataFrame
    standings_by_race: pd.DataFrame
    awards: pd.DataFrame
    events: pd.DataFrame

    @property
    def invitations(self) -> pd.DataFrame:
        if "status" not in self.awards.columns:
            return self.awards
        return self.awards[self.awards["status"] == "awarded"]


ScenarioRef = str | Path | Scenario | CompiledScenario   # a file, a name under scenarios/, or already loaded


def load_compiled(scenario: ScenarioRef) -> CompiledScenario:
    """A CompiledScenario from a path, a scenario name under scenarios/, or one already compiled."""
    if isinstance(scenario, CompiledScenario):
        return scenario
    if isinstance(scenario, (str, Path)):
        return compile_scenario(resolve_scenario(scenario))
    return compile_scenario(scenario)


def season_race(compiled: CompiledScenario, seed: int, season: int, race: CompiledRace, presence: np.ndarray | None,
                with_log: bool = False, strength: np.ndarray | None = None) -> tuple[CompiledRace, RaceOutcome] | None:
    """Race `race` as season `season` of `seed` runs it: the cars the participation draw (`presence`,
    from `plan.draw_presence`) brings, with their season-long strength (`strength`, from
    `plan.draw_strength`), the race's own stream, forced outcomes imposed. Returns (the race as run, its
    outcome), or None when nobody enters it. `sim race` and the seasons share this."""
    plan = compiled.plan
    run = plan.race_variant(race, presence) if plan is not None else race
    if not run.entries:
        return None
    season_pace = plan.season_pace(run, strength) if plan is not None else None
    outcome = run_race(run, race_rng(seed, season, race.index), log=with_log, season_pace_s=season_pace)
    if plan is not None and race.index in plan.forced:
        outcome = apply_forced(run, outcome, plan.forced[race.index])
    return run, outcome


def simulate_race(scenario: ScenarioRef, race: str = "R1", seed: int | None = None, rng: np.random.Generator | None = None,
                  season: int = 0, log: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate one race of a scenario (path, name, Scenario or CompiledScenario).

    With `seed`: the race exactly as season `season` of that seed runs it in `sim season` / the Monte
    Carlo (its participation and season-strength draws, `sim.seeds.race_rng(seed, season, race_index)`,
    forced outcomes), so the rows equal that season's. With an explicit `rng`: the race model alone on the
    race's full entry list, every car at its prior pace (no season-long effect). Returns (results table,
    event log) as DataFrames (the log empty with `log=False`).
    """
    compiled = load_compiled(scenario)
    compiled_race = compiled.race(race)
    if rng is not None:
        outcome = run_race(compiled_race, rng, log=log)
        return outcomes_to_results(compiled_race, outcome), log_to_frame(compiled_race, outcome)
    if seed is None:
        raise InputError(None, "seed", "give a seed or a numpy Generator")
    if season < 0:
        raise InputError(None, "season", f"must be a whole number >= 0, got {season}")
    plan = compiled.plan
    if plan is not None and compiled_race.race_id in plan.fixed_races:
        raise InputError(compiled.source, "--race", f"{race} is already run in this scenario (results_so_far): "
                                                    "its real results are kept, not simulated")
    presence = plan.draw_presence(seed, season) if plan is not None else None
    strength = plan.draw_strength(seed, season) if plan is not None else None
    ran = season_race(compiled, seed, season, compiled_race, presence, with_log=log, strength=strength)
    if ran is None:
        raise InputError(compiled.source, "--race", f"no car enters {race} in season {season} of seed {seed}")
    run, outcome = ran
    results = outcomes_to_results(run, outcome)
    if plan is not None and plan.multi_championship:
        results["championship"] = results["race"].map(plan.race_championship)
    return results, log_to_frame(run, outcome)


def simulate_results(compiled: CompiledScenario, seed: int, season_indices: Sequence[int],
                     with_log: bool = False, rules_only: bool = False) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Results table of these seasons (with a `season` column), built once for the whole batch.

    Per season: who enters each round (participation, season stream), the races not yet run (race
    streams), forced outcomes imposed on them; the results so far are put in front unchanged.
    `rules_only` leaves out the model columns no rulebook of the scenario reads (fastest laps, drive times).
    """
    plan = compiled.plan
    races, outcomes, seasons, logs = [], [], [], []
    for season in season_indices:
        presence = plan.draw_presence(seed, season) if plan is not None else None
        strength = plan.draw_strength(seed, season) if plan is not None else None
        for race in compiled.races:
            if plan is not None and race.race_id in plan.fixed_races:
                continue
            ran = season_race(compiled, seed, season, race, presence, with_log, strength)
            if ran is None:
                continue
            run, outcome = ran
            races.append(run)
            outcomes.append(outcome)
            seasons.append(int(season))
            if with_log:
                log = log_to_frame(run, outcome)
                log.insert(0, "season", int(season))
                logs.append(log)
    if outcomes:
        leave_out = ()
        if rules_only:
            leave_out = ("fastest_lap_s",)
            if not any(info.rulebook.scoring.driver_min_drive_time_s > 0 for info in compiled.championships):
                leave_out += ("drive_time_s",)
        results = outcomes_to_results(races, outcomes, season=seasons, leave_out=leave_out)
        if plan is not None and plan.multi_championship:
            results["championship"] = results["race"].map(plan.race_championship)
    else:
        results = None
    fixed = plan.fixed_rows(season_indices) if plan is not None else None
    if fixed is not None:
        results = fixed if results is None else pd.concat([fixed, results], ignore_index=True)
    if results is None:
        results = outcomes_to_results([], [], season=[])
    return results, logs


def apply_rules(results: pd.DataFrame, compiled: CompiledScenario,
                include_not_awarded: bool = False, after: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Final standings (or after race `after`) and Le Mans awards of every season in `results`.

    With several championships, each is scored with its own rulebook (joint titles see them all);
    the titles and award rules of the further championships carry their prefix, and both tables get a
    `championship` column.
    """
    championships = compiled.championships
    if len(championships) == 1:
        standings = compute_standings(results, compiled.rulebook, after=after)
        awards = award_invitations(standings, results, compiled.rulebook, include_not_awarded=include_not_awarded)
        return standings, awards
    all_standings, all_awards = [], []
    for info in championships:
        standings = compute_standings(results, info.rulebook, after=after)
        awards = award_invitations(standings, results, info.rulebook, include_not_awarded=include_not_awarded)
        if info.title_prefix:
            standings = standings.assign(title=info.title_prefix + standings["title"].astype(str))
            if len(awards):
                awards = awards.assign(title=info.title_prefix + awards["title"].astype(str),
                                       rule=info.title_prefix + awards["rule"].astype(str))
        standings.insert(1 if "season" in standings.columns else 0, "championship", info.name)
        awards = awards.assign(championship=info.name)
        all_standings.append(standings)
        all_awards.append(awards)
    return (pd.concat(all_standings, ignore_index=True, sort=False),
            pd.concat(all_awards, ignore_index=True, sort=False))


def standings_after_each_race(results: pd.DataFrame, compiled: CompiledScenario) -> pd.DataFrame:
    """Standings after every race of one season, stacked with a leading `after` column."""
    frames = []
    for race in compiled.races:
        after, _ = apply_rules(results, compiled, after=race.race_id) if _has_race(results, race.race_id) else (None, None)
        if after is None:
            continue
        after.insert(0, "after", race.race_id)
        frames.append(after)
    if not frames:
        return pd.DataFrame()
    stacked = pd.concat(frames, ignore_index=True)
    # the last race's table has every race column in calendar order (R1 ... Rn, then wins)
    order = list(frames[-1].columns)
    return stacked[order + [c for c in stacked.columns if c not in order]]


def _has_race(results: pd.DataFrame, race_id: str) -> bool:
    return bool((results["race"] == race_id).any())


def simulate_season(scenario: ScenarioRef, seed: int, index: int = 0) -> SeasonOutcome:
    """One season (index `index` of the studies run with `seed`): results, standings, awards, log."""
    compiled = load_compiled(scenario)
    results, logs = simulate_results(compiled, seed, [index], with_log=True)
    results = results.drop(columns="season")
    standings, awards = apply_rules(results, compiled, include_not_awarded=True)
    events = pd.concat(logs, ignore_index=True).drop(columns="season") if logs else pd.DataFrame()
    return SeasonOutcome(scenario=compiled.name, seed=seed, index=index, results=results,
                         standings=standings, standings_by_race=standings_after_each_race(results, compiled),
                         awards=awards, events=events)
