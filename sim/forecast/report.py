"""`sim backtest` outputs: tables on the terminal (rich, fitted to its width), CSVs and a calibration plot
(matplotlib, Agg); report.html is sim.forecast.html_report.

Files in the output folder, each written atomically:
- `forecasts.csv`: every forecast point x title x competitor, each forecaster's probability, `won`;
- `scores.csv`: Brier score, log loss and the champion's probability per point, title and forecaster;
- `summary.csv`: their means per forecast point and over all (the terminal table);
- `comparison.csv`: each baseline minus the model, averaged over titles, with its standard error;
- `calibration.csv`, `calibration.png`: forecasts binned by probability against how often they came true.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from rich.console import Console  # noqa: E402

from sim.forecast.backtest import FORECASTERS, BacktestResult  # noqa: E402
from sim.forecast.scoring import calibration  # noqa: E402
from sim.io import atomic_path, make_output_folder, write_csv_atomic  # noqa: E402
from sim.report.console import Column, fitted_table, make_console  # noqa: E402

OUTPUTS = ("forecasts.csv", "scores.csv", "summary.csv", "comparison.csv", "calibration.csv", "calibration.png")
COLOURS = {"model": "tab:red", "prior": "tab:orange", "equal_cars": "tab:blue", "uniform": "tab:grey"}


def calibration_table(result: BacktestResult) -> pd.DataFrame:
    frames = [calibration(result.forecasts, f"p_{name}").assign(forecaster=name) for name in FORECASTERS]
    table = pd.concat(frames, ignore_index=True)
    table["bin"] = table["bin"].astype(str)
    return table[["forecaster", "bin", "forecasts", "mean_p", "frequency"]]


def draw_calibration(axis: Axes, table: pd.DataFrame, title: str) -> None:
    """Forecasts binned by probability against how often they came true, one line per forecaster, the count of
    forecasts beside each point; the diagonal is a perfectly calibrated forecast."""
    axis.plot([0, 1], [0, 1], color="black", linewidth=0.8, linestyle="--", label="perfectly calibrated")
    for name in FORECASTERS:
        rows = table[table["forecaster"] == name]
        if rows.empty:
            continue
        axis.plot(rows["mean_p"], rows["frequency"], marker="o", color=COLOURS[name], label=name.replace("_", " "))
        for row in rows.itertuples():
            axis.annotate(str(row.forecasts), (row.mean_p, row.frequency), textcoords="offset points", xytext=(4, -9),
                          fontsize=6, color=COLOURS[name])
    axis.set(xlim=(0, 1), ylim=(0, 1), xlabel="forecast probability of the title (bin mean)",
             ylabel="share that won the title", title=title)
    axis.legend(loc="upper left", fontsize=8)


def calibration_figure(table: pd.DataFrame, title: str) -> Figure:
    figure, axis = plt.subplots(figsize=(6.4, 6.0))
    draw_calibration(axis, table, title)
    figure.tight_layout()
    return figure


def plot_calibration(table: pd.DataFrame, target: Path, title: str) -> None:
    figure = calibration_figure(table, title)
    with atomic_path(target) as tmp:
        figure.savefig(tmp, format="png", dpi=120)
    plt.close(figure)


def write_outputs(result: BacktestResult, out: Path) -> list[str]:
    folder = make_output_folder(out)
    write_csv_atomic(result.forecasts, folder / "forecasts.csv", float_format="%.6f")
    write_csv_atomic(result.scores, folder / "scores.csv", float_format="%.6f")
    write_csv_atomic(result.summary(), folder / "summary.csv", float_format="%.6f")
    write_csv_atomic(result.comparison(), folder / "comparison.csv", float_format="%.6f")
    table = calibration_table(result)
    write_csv_atomic(table, folder / "calibration.csv", float_format="%.6f")
    plot_calibration(table, folder / "calibration.png",
                     f"{result.scenario}: title forecasts vs what happened ({result.runs} seasons each)")
    return list(OUTPUTS)


def print_summary(result: BacktestResult, console: Console | None = None) -> None:
    """Brier score / log loss per forecast point and forecaster (* the best), then each baseline minus the model."""
    console = console or make_console()
    rows = []
    for point, group in result.summary().groupby("after_race", sort=False):
        by = group.set_index("forecaster")
        best = by["brier"].idxmin()
        rows.append([str(point), str(int(by["titles"].iloc[0]))]
                    + [f"{by.loc[n, 'brier']:.3f} / {by.loc[n, 'log_loss']:.3f}{' *' if n == best else '  '}"
                       for n in FORECASTERS])
    title = (f"{result.scenario} against {Path(result.results).name}: Brier score / log loss of every teams' title "
             f"(lower is better, * the best; {result.runs} seasons per forecast)")
    columns = [Column("after"), Column("titles", True)] + [Column(n.replace("_", " "), True) for n in FORECASTERS]
    console.print(fitted_table(console, title, columns, rows))
    rows = [[r.forecaster.replace("_", " "), str(r.titles), f"{r.brier_minus_model:+.3f} ± {r.brier_se:.3f}",
             f"{r.log_loss_minus_model:+.3f} ± {r.log_loss_se:.3f}"] for r in result.comparison().itertuples()]
    console.print(fitted_table(console, "Each forecast minus the model, over titles ± se (positive: the model is "
                                        "better)", [Column("forecast"), Column("titles", True),
                                                    Column("Brier", True), Column("log loss", True)], rows))
    if result.skipped:
        console.print(f"not scored (the real champion is not among the scenario's cars): {', '.join(result.skipped)}")
