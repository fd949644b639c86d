"""Forecasts checked against a real season: `sim backtest SCENARIO --results REAL --runs N`.

After each round k of the real season (but the last), the real results so far are kept (`results_so_far`
through the round's last race) and the rest of the season is simulated N times; every teams' title's
odds are then scored against the real champion (the real results run through the scenario's rulebook)
with the Brier score and the log loss (sim.forecast.scoring). Four forecasts side by side:

- `model`: the simulator as shipped: each car's season strength learned from the results so far
  (sim.strength, `strength.from_results_so_far`) and the rest of the race model;
- `prior`: the same simulator without learning (each car's strength drawn from the prior);
- `equal_cars`: the points so far, then every race a fair lottery (sim.forecast.baselines);
- `uniform`: every competitor of the title equally likely.

The model and prior forecasts run the Monte Carlo engine (`sim.montecarlo.run_study`) with the same seed
after every round (common random numbers), so they differ only by what was learned.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.scenario import ResultsSoFar, Scenario, load_scenario
from sim.errors import InputError
from sim.forecast.baselines import equal_cars_results
from sim.forecast.scoring import brier, log_loss
from sim.montecarlo import run_study, summary_frames
from sim.montecarlo.scenario_kernel import ScenarioKernel, study_layout
from sim.results import read_results
from sim.scenario import CompiledRace, CompiledScenario, compile_scenario, resolve_scenario
from sim.season import apply_rules

FORECASTERS = ("model", "prior", "equal_cars", "uniform")
EQUAL_CARS_CHUNK = 250   # seasons per rules-engine pass of the lottery baseline (bounded memory)


@dataclasses.dataclass
class BacktestResult:
    """`forecasts`: one row per (round, title, competitor) with each forecaster's p and `won`;
    `scores`: one row per (round, title, forecaster) with brier, log_loss and the champion's p."""

    scenario: str
    results: str
    runs: int
    seed: int
    forecasts: pd.DataFrame
    scores: pd.DataFrame
    skipped: list[str]
    step: str = "round"            # forecasts after each round, or each race
    executor: str = "serial"
    workers: int | None = None
    wall_time_s: float = 0.0
    scenario_file: str = ""

    def summary(self) -> pd.DataFrame:
        """Mean Brier score, log loss and champion's p per forecast point and forecaster over the titles, then
        over every forecast (`after_race` = "all"); `titles` = the forecasts averaged."""
        metrics = ["brier", "log_loss", "p_champion"]
        per_point = self.scores.groupby(["after_race", "forecaster"], sort=False)[metrics].mean()
        per_point["titles"] = self.scores.groupby(["after_race", "forecaster"], sort=False).size()
        overall = self.scores.groupby("forecaster", sort=False)[metrics].mean()
        overall["titles"] = self.scores.groupby("forecaster", sort=False).size()
        overall.index = pd.MultiIndex.from_tuples([("all", f) for f in overall.index], names=per_point.index.names)
        return pd.concat([per_point, overall]).reset_index()


    def comparison(self) -> pd.DataFrame:
        """Each forecaster against the model: per title its mean score over the forecast points, then the mean
        over titles of (forecaster - model) with its standard error across titles (a title's forecasts share
        one champion, so the titles, not the forecasts, are the independent units). Positive = worse than the model."""
        per_title = self.scores.groupby(["title", "forecaster"], sort=False)[["brier", "log_loss"]].mean()
        rows = []
        for name in FORECASTERS:
            if name == "model":
                continue
            row = {"forecaster": name, "titles": 0}
            for metric in ("brier", "log_loss"):
                delta = (per_title.xs(name, level="forecaster")[metric]
                         - per_title.xs("model", level="forecaster")[metric]).to_numpy()
                row["titles"] = len(delta)
                row[f"{metric}_minus_model"] = float(delta.mean()) if len(delta) else float("nan")
                row[f"{metric}_se"] = float(delta.std(ddof=1) / np.sqrt(len(delta))) if len(delta) > 1 else float("nan")
            rows.append(row)
        return pd.DataFrame(rows)


def _base_scenario(scenario: str | Path | Scenario) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(resolve_scenario(scenario))


def _variant(base: Scenario, real: Path, through: str, learn: bool, race_model: Path | None,
             strength_model: Path | None) -> CompiledScenario:
    options = dict(base.options)
    if race_model is not None:
        options["race_model"] = str(race_model)
    strength = base.strength.model_copy(update={"from_results_so_far": learn}
                                        | ({"model": str(strength_model)} if strength_model else {}))
    variant = base.model_copy(update={"results_so_far": ResultsSoFar(file=str(real), through=through),
                                      "options": options, "strength": strength})
    return compile_scenario(variant)


def _champions(standings: pd.DataFrame, titles: list[str]) -> pd.DataFrame:
    """Teams' champions (position 1) of these titles, one row per season (if any) and title."""
    rows = standings[(standings["kind"] == "teams") & standings["title"].isin(titles)]
    first = rows[pd.to_numeric(rows["position"], errors="coerce") == 1]
    keys = ["season", "title"] if "season" in first.columns else ["title"]
    return first.drop_duplicates(keys)


def _model_odds(compiled: CompiledScenario, runs: int, seed: int, executor: str, workers: int | None) -> pd.DataFrame:
    result = run_study(ScenarioKernel(compiled), runs, seed, executor=executor, workers=workers, progress=False)
    summary = summary_frames(result.aggregate, result.layout)["summary"]
    summary = summary[(summary["kind"] == "teams") & (summary["car"] != "(other)")]
    return pd.DataFrame({"title": summary["title"], "car": summary["car"].astype(str),
                         "p": summary["p_title"].astype(float)})


def _equal_cars_odds(compiled: CompiledScenario, runs: int, seed: int, titles: list[str]) -> pd.DataFrame:
    counts: dict[tuple[str, str], int] = {}
    for start in range(0, runs, EQUAL_CARS_CHUNK):
        seasons = range(start, min(runs, start + EQUAL_CARS_CHUNK))
        standings, _ = apply_rules(equal_cars_results(compiled, seed, seasons), compiled)
        for row in _champions(standings, titles).itertuples():
            key = (row.title, str(row.car))
            counts[key] = counts.get(key, 0) + 1
    return pd.DataFrame([{"title": t, "car": c, "p": n / runs} for (t, c), n in counts.items()],
                        columns=["title", "car", "p"])


def _competitors(compiled: CompiledScenario) -> dict[str, list[tuple[str, str]]]:
    """Teams' titles of the study layout -> its competitors (car, team)."""
    return {title.title: [(c.car, c.team) for c in title.competitors]
            for title in study_layout(compiled).titles if title.kind == "teams"}


def forecast_points(races: Sequence[CompiledRace], step: str) -> list[tuple[int, str]]:
    """(round, last race id kept) of every forecast: after each round but the last (`step="round"`), or after
    each race but the last (`step="race"`: a double-header also after its first race)."""
    rounds = [race.round for race in races]
    if step == "race":
        return [(number, race.race_id) for number, race in zip(rounds, races)][:-1]
    last = {number: race.race_id for number, race in zip(rounds, races)}
    return [(number, last[number]) for number in sorted(last)[:-1]]


def backtest(scenario: str | Path | Scenario, results: str | Path, runs: int, seed: int = 1,
             executor: str = "serial", workers: int | None = None, race_model: Path | None = None,
             strength_model: Path | None = None, step: str = "round",
             progress: Callable[[str], None] | None = None) -> BacktestResult:
    """Score the forecasts made after every round (or race) of a real season (see the module docstring)."""
    started = time.perf_counter()
    real = Path(results).resolve()
    if not real.exists():
        raise InputError(results, None, "file not found")
    base = _base_scenario(scenario)
    table = read_results(real)
    race_ids = base.calendar.race_ids()
    if sorted(table["race"].unique(), key=lambda r: int(r[1:]) if r[1:].isdigit() else 0) != race_ids:
        raise InputError(real, "column race", f"a backtest needs the real results of every race of the calendar "
                                              f"({race_ids[0]}..{race_ids[-1]}), found {', '.join(sorted(table['race'].unique()))}")
    truth_scenario = _variant(base, real, race_ids[-1], False, race_model, strength_model)
    final, _ = apply_rules(truth_scenario.plan.fixed, truth_scenario)
    competitors = _competitors(truth_scenario)
    champions = {row.title: str(row.car) for row in _champions(final, list(competitors)).itertuples()}
    skipped = [title for title in competitors if champions.get(title) not in {car for car, _ in competitors[title]}]
    titles = [title for title in competitors if title not in skipped]
    forecasts = []
    for k, through in forecast_points(truth_scenario.races, step):
        if progress:
            progress(f"after round {k} ({through}): {runs} seasons x 2 forecasts")
        learned = _variant(base, real, through, True, race_model, strength_model)
        unlearned = _variant(base, real, through, False, race_model, strength_model)
        odds = {"model": _model_odds(learned, runs, seed, executor, workers),
                "prior": _model_odds(unlearned, runs, seed, executor, workers),
                "equal_cars": _equal_cars_odds(unlearned, runs, seed, titles)}
        for title in titles:
            cars = [car for car, _ in competitors[title]]
            frame = pd.DataFrame({"after_round": k, "after_race": through, "title": title, "car": cars,
                                  "team": [team for _, team in competitors[title]],
                                  "won": [int(car == champions[title]) for car in cars]})
            for name, found in odds.items():
                mine = found[found["title"] == title].groupby("car")["p"].sum()   # a car under two team names
                frame[f"p_{name}"] = [float(mine.get(car, 0.0)) for car in cars]
            frame["p_uniform"] = 1.0 / len(cars)
            forecasts.append(frame)
    forecasts = pd.concat(forecasts, ignore_index=True) if forecasts else pd.DataFrame()
    return BacktestResult(scenario=base.name, results=str(results), runs=runs, seed=seed, forecasts=forecasts,
                          scores=score(forecasts, runs), skipped=skipped, step=step, executor=executor,
                          workers=workers, wall_time_s=time.perf_counter() - started,
                          scenario_file="" if isinstance(scenario, Scenario) else str(resolve_scenario(scenario)))


def score(forecasts: pd.DataFrame, runs: int) -> pd.DataFrame:
    """Brier score, log loss and the champion's probability per round, title and forecaster."""
    rows = []
    floor = 0.5 / runs
    for (after_race, title), group in forecasts.groupby(["after_race", "title"], sort=False):
        won = group["won"].to_numpy()
        for name in FORECASTERS:
            p = group[f"p_{name}"].to_numpy(dtype=float)
            rows.append({"after_round": int(group["after_round"].iloc[0]), "after_race": after_race, "title": title,
                         "competitors": len(group), "forecaster": name, "p_champion": float(p[won == 1].sum()),
                         "brier": brier(p, won), "log_loss": log_loss(p, won, floor)})
    return pd.DataFrame(rows, columns=["after_round", "after_race", "title", "competitors", "forecaster",
                                       "p_champion", "brier", "log_loss"])


def uniform_check(n: int) -> tuple[float, float]:
    """The uniform forecast's scores over n competitors: Brier 1 - 1/n, log loss ln n (docs, tests)."""
    return 1.0 - 1.0 / n, float(np.log(n))
