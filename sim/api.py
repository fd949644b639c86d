"""The Python API for notebooks and scripts: a race, a season and a study as pandas DataFrames.

    from sim import simulate_race, simulate_season, run_study, run_paired_study

This is the top layer: it only calls the packages below it (nothing inside sim/ imports it). Scenarios
are a file, a name under scenarios/ (`"default"`) or a compiled scenario. Studies return numbers, not
text: the same tables as the CSVs of `sim montecarlo`, with numeric columns as floats. Progress shows as
a bar on a terminal and as one updating line in Jupyter; `progress=False` is silent.

Studies use local processes by default (`workers=None`: all cores). A script (not a notebook) that
does so needs the usual `if __name__ == "__main__":` guard of Python multiprocessing; `workers=1` runs in
the calling process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from sim.montecarlo.paired import run_paired_study as _run_paired
from sim.montecarlo.runner import StudyResult
from sim.montecarlo.runner import run_study as _run_study
from sim.montecarlo.scenario_kernel import ScenarioKernel
from sim.montecarlo.stopping import max_title_se
from sim.montecarlo.summary import summary_frames
from sim.report.frames import car_invitations, car_titles, numeric
from sim.report.studies import paired_frames
from sim.season import ScenarioRef, SeasonOutcome
from sim.season import simulate_race as _simulate_race
from sim.season import simulate_season as _simulate_season

__all__ = ["PairedStudy", "RaceRun", "SeasonOutcome", "Study", "simulate_race", "simulate_season", "run_study",
           "run_paired_study"]


class RaceRun(NamedTuple):
    """One race: its results table (interfaces s.1) and its event log."""

    results: pd.DataFrame
    events: pd.DataFrame


def simulate_race(scenario: ScenarioRef = "default", race: str = "R1", seed: int = 0, season: int = 0, log: bool = True) -> RaceRun:
    """Race `race` exactly as season `season` of `seed` runs it (participation and forced outcomes too)."""
    results, events = _simulate_race(scenario, race, seed=seed, season=season, log=log)
    return RaceRun(results, events)


def simulate_season(scenario: ScenarioRef = "default", seed: int = 0, index: int = 0) -> SeasonOutcome:
    """Season `index` of `seed`: `.results`, `.standings`, `.standings_by_race`, `.awards`, `.invitations`,
    `.events` (DataFrames); the season `sim montecarlo --seed` runs as number `index`."""
    return _simulate_season(scenario, seed, index)


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    out = numeric(frame)
    if "runs" in out.columns:
        out["runs"] = out["runs"].astype("int64")
    return out


@dataclass
class Study:
    """A finished study: its tables as DataFrames and how it ran."""

    scenario: str
    seed: int
    runs: int
    stop_reason: str
    max_se: float                  # the largest standard error of a title probability
    summary: pd.DataFrame          # per title and competitor: p_title, se_p_title, p_top3, mean_points, ...
    positions: pd.DataFrame        # P1..Pn, not_classified
    titles: pd.DataFrame           # per title: open before the final round, final gap, countback ties
    invitations: pd.DataFrame      # per teams competitor and award rule
    points_by_race: pd.DataFrame   # cumulative points after each race: mean, sd, q10, q50, q90
    cars: pd.DataFrame             # per car: Le Mans invitation odds from any title, and per rule
    seasons: pd.DataFrame | None   # every season's standings (only with seasons=True)
    wall_time_s: float
    result: StudyResult = field(repr=False)

    def favourites(self, kind: str = "teams", top: int = 3) -> pd.DataFrame:
        """The `top` title favourites of each title of `kind`."""
        rows = self.summary[(self.summary["kind"] == kind) & (self.summary["car"] != "(other)")]
        return rows.groupby("title", sort=False).head(top).reset_index(drop=True)


@dataclass
class PairedStudy:
    """Scenario B against A on the same seasons (common random numbers)."""

    scenario_a: str
    scenario_b: str
    seed: int
    runs: int
    stop_reason: str
    paired: pd.DataFrame      # per competitor in both: a_, b_, delta_ (A - B), se_delta_ of each metric
    cars: pd.DataFrame        # per car: own title, class title, invitation; A, B, delta, se; most significant first
    summary_a: pd.DataFrame
    summary_b: pd.DataFrame
    wall_time_s: float
    result: StudyResult = field(repr=False)
    tables: dict[str, pd.DataFrame] = field(repr=False, default_factory=dict)   # the CSV texts

    def car(self, car: str) -> pd.DataFrame:
        """Every teams title car `car` is in, in A or B, with the change (delta = A - B) and its SE."""
        return _numbers(car_titles(self.tables["paired"], self.tables["summary_a"], self.tables["summary_b"],
                                   str(car)))


def _kernel(scenario: ScenarioRef | ScenarioKernel) -> ScenarioKernel:
    return scenario if isinstance(scenario, ScenarioKernel) else ScenarioKernel(scenario)


def _executor(workers: int | None, scheduler: str | None) -> str:
    return "dask" if scheduler else ("serial" if workers == 1 else "processes")


def run_study(scenario: ScenarioRef | ScenarioKernel = "default", runs: int | None = None, seed: int = 0, *, target_se: float | None = None,
              max_runs: int | None = None, workers: int | None = None, scheduler: str | None = None,
              seasons: bool = False, progress: bool = True) -> Study:
    """`runs` seasons of `scenario` (or, with `target_se`, until every title probability's standard error
    is at most target_se, at most `max_runs`). `seasons=True` also returns every season's standings.
    `scheduler`: a Dask scheduler address, or "local:N" for a local cluster of N workers."""
    kernel = _kernel(scenario)
    result = _run_study(kernel, runs, seed, executor=_executor(workers, scheduler), workers=workers,
                        scheduler=scheduler, progress=progress, target_se=target_se, max_runs=max_runs,
                        keep_seasons=seasons)
    frames = summary_frames(result.aggregate, result.layout)
    return Study(scenario=kernel.name, seed=seed, runs=result.runs, stop_reason=result.stop_reason,
                 max_se=max_title_se(result.aggregate), **{name: _numbers(frame) for name, frame in frames.items()},
                 cars=car_invitations(frames["summary"], frames["invitations"]), seasons=result.seasons,
                 wall_time_s=result.wall_time_s, result=result)


def run_paired_study(scenario_a: ScenarioRef | ScenarioKernel = "default",
                     scenario_b: ScenarioRef | ScenarioKernel = "default", runs: int | None = None, seed: int = 0, *,
                     target_se: float | None = None, max_runs: int | None = None, workers: int | None = None,
                     scheduler: str | None = None, progress: bool = True) -> PairedStudy:
    """Scenario B against A on the same seeds and seasons; `.cars` answers per car (the changes that matter
    first), `.car("10")` one car's titles."""
    kernel_a, kernel_b = _kernel(scenario_a), _kernel(scenario_b)
    result = _run_paired(kernel_a, kernel_b, runs, seed, executor=_executor(workers, scheduler), workers=workers,
                         scheduler=scheduler, progress=progress, target_se=target_se, max_runs=max_runs)
    tables = paired_frames(result)
    frames = {name: _numbers(frame) for name, frame in tables.items()}
    return PairedStudy(scenario_a=kernel_a.name, scenario_b=kernel_b.name, seed=seed, runs=result.runs,
                       stop_reason=result.stop_reason, paired=frames["paired"], cars=frames["paired_cars"],
                       summary_a=frames["summary_a"], summary_b=frames["summary_b"],
                       wall_time_s=result.wall_time_s, result=result, tables=tables)

