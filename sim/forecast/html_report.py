"""report.html of `sim backtest`: the title forecasts made after each round of a real season, scored against
what happened, on one self-contained page (the shared report module sim.report.html).

At the top the scenario, the real results, the seed, the seasons per forecast, the Monte Carlo error and the
version; then the scores of the model against both baselines (and a uniform forecast) per forecast point and
per title, the calibration plot, the forecasts of every title after each round with the real champion
marked, and how the backtest ran. Built from the same tables as the CSVs next to it.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.config.loader import shown_path  # noqa: E402
from sim.forecast.backtest import FORECASTERS, BacktestResult  # noqa: E402
from sim.forecast.report import COLOURS, calibration_figure, calibration_table  # noqa: E402
from sim.montecarlo.manifest import versions  # noqa: E402
from sim.report.html import Columns, Heading, Report, Section, Table, Text, figure_block, write_report  # noqa: E402

NAMES = {"model": "model", "prior": "prior (no learning)", "equal_cars": "equal cars", "uniform": "uniform"}
TOP_CARS = 8


def _pct(p: float) -> str:
    return "" if p is None or not math.isfinite(p) else ("<0.5%" if 0 < p < 0.005 else f"{p:.0%}")


def point_label(after_round: int, after_race: str, step: str) -> str:
    return f"after {after_race}" if step == "race" else f"after round {after_round} ({after_race})"


def scores_section(result: BacktestResult) -> Section:
    summary = result.summary()
    rows, emphasis = [], set()
    for point, group in summary.groupby("after_race", sort=False):
        by = group.set_index("forecaster")
        rows.append([point if point == "all" else f"after {point}", str(int(by["titles"].iloc[0]))]
                    + [f"{by.loc[n, 'brier']:.3f} / {by.loc[n, 'log_loss']:.3f}" for n in FORECASTERS]
                    + [_pct(by.loc["model", "p_champion"])])
        if point == "all":
            emphasis.add(len(rows) - 1)
    table = Table(["forecast", "titles", *(NAMES[n] for n in FORECASTERS), "champion's p (model)"], rows,
                  caption="Brier score / log loss, mean over the titles (lower is better)",
                  numeric=frozenset(range(1, len(FORECASTERS) + 3)), emphasis=frozenset(emphasis))
    comparison = result.comparison()
    versus = Table(["forecaster", "titles", "Brier minus model", "log loss minus model"],
                   [[NAMES[r.forecaster], str(r.titles), f"{r.brier_minus_model:+.3f} ± {r.brier_se:.3f}",
                     f"{r.log_loss_minus_model:+.3f} ± {r.log_loss_se:.3f}"] for r in comparison.itertuples()],
                   caption="Each baseline minus the model, over titles ± standard error across titles (positive: the "
                           "model is better)", numeric=frozenset({1, 2, 3}))
    blocks = [table, versus, figure_block(_scores_figure(result), "Mean Brier score over the titles after each "
                                          "forecast point, per forecaster (lower is better).")]
    if result.skipped:
        blocks.insert(0, Text("Not scored (the real champion is not among the scenario's cars): "
                              + ", ".join(result.skipped), tone="warning"))
    return Section("scores", "Scores against the baselines", blocks, intro=(
        "After each forecast point the rest of the season is simulated and every teams' title is scored against "
        "the real champion. The model learns each car's strength from the results so far; the prior is the same "
        "simulator without learning; equal cars keeps the points so far and makes every remaining race a fair "
        "lottery; uniform gives every competitor the same chance."))


def _scores_figure(result: BacktestResult):
    scores = result.scores
    points = list(dict.fromkeys(scores["after_race"]))
    fig, ax = plt.subplots(figsize=(max(4.5, 0.55 * len(points) + 2.5), 3.0))
    for name in FORECASTERS:
        mine = scores[scores["forecaster"] == name].groupby("after_race", sort=False)["brier"].mean()
        ax.plot(range(len(points)), [mine.get(p, np.nan) for p in points], marker="o", color=COLOURS[name],
                label=NAMES[name])
    ax.set_xticks(range(len(points)), [f"after {p}" for p in points], fontsize=7, rotation=30, ha="right")
    ax.set_ylabel("Brier score (mean over titles)", fontsize=8)
    ax.set_ylim(0, max(1.0, float(scores["brier"].max()) * 1.05))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper right")
    return fig


def titles_section(result: BacktestResult) -> Section:
    scores = result.scores.pivot_table(index=["after_round", "after_race", "title"], columns="forecaster",
                                       values=["brier", "p_champion"], sort=False)
    rows = []
    for (after_round, after_race, title), row in scores.iterrows():
        best = min(FORECASTERS, key=lambda n: row[("brier", n)])
        rows.append([point_label(after_round, after_race, result.step), title]
                    + [f"{row[('brier', n)]:.3f}" + (" *" if n == best else "") for n in FORECASTERS]
                    + [_pct(row[("p_champion", "model")]), _pct(row[("p_champion", "equal_cars")])])
    return Section("per-title", "Scores per title and round", [Table(
        ["forecast", "title", *(f"Brier {NAMES[n]}" for n in FORECASTERS), "champion's p, model",
         "champion's p, equal cars"], rows, caption="Brier score of every forecast (* the best of the four)",
        numeric=frozenset(range(2, len(FORECASTERS) + 4)))])


def calibration_section(result: BacktestResult) -> Section:
    table = calibration_table(result)
    rows = [[NAMES[r.forecaster], r.bin, str(r.forecasts), _pct(r.mean_p), _pct(r.frequency)]
            for r in table.itertuples()]
    figure = figure_block(calibration_figure(table, f"{result.scenario}: forecasts vs what happened"),
                          "Forecasts binned by probability; a calibrated forecaster's points lie on the diagonal "
                          "(counts of forecasts beside the points).")
    return Section("calibration", "Calibration", [Columns([figure, Table(
        ["forecaster", "bin", "forecasts", "mean forecast", "came true"], rows, numeric=frozenset({2, 3, 4}))])],
        intro="Every competitor's title probability at every forecast point: do forecasts of x % come true x % of "
              "the time? With one season the bins hold few forecasts, so read the counts with the points.")


def forecasts_section(result: BacktestResult) -> Section:
    forecasts = result.forecasts
    section = Section("forecasts", "Forecasts per title after each round", intro=(
        "The model's title odds of the leading competitors after each forecast point, the real champion in bold; "
        "the figure follows the champion's probability under each forecaster."))
    if forecasts.empty:
        section.blocks.append(Text("No forecast point: the season has a single round.", tone="note"))
        return section
    points = list(dict.fromkeys(zip(forecasts["after_round"], forecasts["after_race"])))
    for title, rows in forecasts.groupby("title", sort=False):
        wide = rows.pivot_table(index=["car", "team", "won"], columns="after_race", values="p_model", sort=False)
        wide = wide[[race for _, race in points]]
        wide = wide.assign(top=wide.max(axis=1)).sort_values("top", ascending=False, kind="stable")
        champion = wide.index.get_level_values("won") == 1
        shown = wide[((np.arange(len(wide)) < TOP_CARS) & (wide["top"] > 0)) | champion]   # no row of zeros
        cells = [[f"#{car}", team] + [_pct(p) for p in values[:-1]] for (car, team, _), values in
                 zip(shown.index, shown.to_numpy())]
        won = [i for i, (_, _, flag) in enumerate(shown.index) if flag == 1]
        name = next(iter(rows.loc[rows["won"] == 1, "team"]), "?")
        section.blocks.append(Heading(f"{title}: champion {name}"))
        section.blocks.append(Columns([
            Table(["car", "team", *(point_label(k, race, result.step) for k, race in points)], cells,
                  numeric=frozenset(range(2, len(points) + 2)), emphasis=frozenset(won),
                  caption=f"P(title), model, the {len(shown)} most likely of {len(wide)}"),
            figure_block(_champion_figure(rows, points, result.step))]))
    return section


def _champion_figure(rows: pd.DataFrame, points: list[tuple[int, str]], step: str):
    champion = rows[rows["won"] == 1].set_index("after_race")
    fig, ax = plt.subplots(figsize=(max(3.6, 0.5 * len(points) + 2.4), 2.6))
    x = range(len(points))
    for name in FORECASTERS:
        ax.plot(x, [champion[f"p_{name}"].get(race, np.nan) for _, race in points], marker="o", color=COLOURS[name],
                label=NAMES[name])
    ax.set_xticks(x, [point_label(k, race, step).replace("after ", "") for k, race in points], fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("champion's P(title)", fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, loc="upper left")
    return fig


def monte_carlo_error(result: BacktestResult) -> str:
    """The largest binomial SE of a simulated title probability (model and prior forecasts)."""
    p = result.forecasts[["p_model", "p_prior"]].to_numpy(dtype=float) if len(result.forecasts) else np.zeros(1)
    largest = float(np.sqrt(p * (1 - p) / result.runs).max())
    return (f"largest SE of a title probability: {largest:.3f} ({result.runs:,} seasons per forecast; at most "
            f"{0.5 / math.sqrt(result.runs):.3f})")


def about_section(result: BacktestResult) -> Section:
    found = versions()
    rows = [("scenario", f"{result.scenario} ({shown_path(result.scenario_file)})"),
            ("real results", shown_path(result.results)),
            ("forecasts", f"after each {result.step} but the last, {result.runs:,} seasons each for the model and "
                          f"the prior, root seed {result.seed} after every one (common random numbers)"),
            ("executor", f"{result.executor}, {result.workers or 'all cores'} worker(s)"),
            ("wall time", f"{result.wall_time_s:,.1f} s"),
            ("files", "forecasts.csv, scores.csv, summary.csv, comparison.csv, calibration.csv, calibration.png, "
                      "report.html"),
            ("versions", ", ".join(f"{name} {version}" for name, version in found.items()))]
    return Section("about", "About this backtest", [Table([], rows)])


def backtest_report(result: BacktestResult) -> Report:
    found = versions()
    points = result.forecasts["after_race"].nunique() if len(result.forecasts) else 0
    titles = result.forecasts["title"].nunique() if len(result.forecasts) else 0
    report = Report(f"Backtest: {result.scenario}",
                    subtitle=f"Title odds after each {result.step} of a real season ({points} forecast points x "
                             f"{titles} titles), scored against the real champions",
                    facts=[("scenario", f"{result.scenario} ({shown_path(result.scenario_file)})"),
                           ("real results", shown_path(result.results)), ("seed", str(result.seed)),
                           ("seasons", f"{result.runs:,} per forecast"),
                           ("Monte Carlo error", monte_carlo_error(result)),
                           ("version", f"endurance-sim {found.get('endurance-sim', '?')}, "
                                       f"Python {found.get('python', '?')}")],
                    footer=f"sim backtest · {result.scenario} · seed {result.seed} · {result.runs:,} seasons per "
                           f"forecast · endurance-sim {found.get('endurance-sim', '?')}")
    for build in (scores_section, titles_section, calibration_section, forecasts_section, about_section):
        report.add(build(result))
    return report


def write_backtest_report(result: BacktestResult, target: str | Path) -> str:
    """Write report.html of a backtest; returns the file's name."""
    return write_report(backtest_report(result), target).name
