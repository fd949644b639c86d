"""report.html, read as a file: self-contained (no external resource), every section, what the study was."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd

from sim.report.html import Columns, Figure, Report, Section, Table, Text, figure_block, render_report

RESOURCE_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "data", "poster", "action", "background"}


class Page(HTMLParser):
    """Tags, resource attributes, section ids and visible text of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.resources: list[str] = []
        self.sections: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in RESOURCE_ATTRIBUTES and value:
                self.resources.append(value)
            if name == "style" and value:
                self.styles.append(value)
            if tag == "section" and name == "id":
                self.sections.append(value)
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            self.styles.append(data)
        elif data.strip():
            self.text.append(data.strip())

    @property
    def words(self) -> str:
        return " ".join(self.text)


def assert_self_contained(page: Page) -> None:
    """Nothing the browser would fetch: no script, link or iframe, only in-page (#) references, no url()."""
    assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)
    external = [r for r in page.resources if not r.startswith(("#", "data:"))]
    assert not external, external[:5]
    assert not [s for s in page.styles if re.search(r"url\(|@import", s)]


def test_a_study_report_is_self_contained_and_complete(study_run) -> None:
    text = (study_run.folder / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    assert_self_contained(page)
    assert page.sections == ["glance", "titles", "positions", "points", "invitations", "about"]
    manifest = json.loads((study_run.folder / "manifest.json").read_text())
    words = page.words
    for fact in ("Asian LMS style, 2 Far East + 2 Middle East", "scenarios/default.yaml", "seed", "8 seasons (--runs)",
                 "Monte Carlo error", f"largest SE of a title probability: {manifest['max_se_p_title']:.4f}",
                 "endurance-sim 0.1.0"):
        assert fact in words, fact
    assert "report.html" in manifest["outputs"]
    # title odds with their errors, as summary.csv has them
    summary = pd.read_csv(study_run.folder / "summary.csv", dtype=str, keep_default_na=False)
    favourite = summary[summary["title"] == "GT teams"].iloc[0]
    p, se = float(favourite["p_title"]), float(favourite["se_p_title"])
    assert f"{p:.1%} ± {100 * se:.1f}" in words
    # every teams title has its odds figure, its positions heatmap and its points panels
    teams_titles = list(dict.fromkeys(summary.loc[summary["kind"] == "teams", "title"]))
    assert page.tags.count("svg") == 2 * len(teams_titles) + 1   # + the invitations figure
    assert text.count('class="heatmap"') == len(teams_titles)


def test_a_paired_report_answers_the_focus_car(paired_run) -> None:
    page = Page((paired_run.folder / "report.html").read_text(encoding="utf-8"))
    assert_self_contained(page)
    assert page.sections == ["changes", "focus", "titles", "about"]
    words = page.words
    assert "Asian LMS style, car 10 in Gold Cup" in words and "scenarios/default-car10-gold-cup.yaml" in words
    assert "Pro-Am -> Gold Cup" in words and "Le Mans invitation odds" in words


def test_the_report_module_renders_any_sections_without_touching_the_text() -> None:
    """A later command (a calendar comparison, a backtest) builds its own sections: text is escaped, figures
    are inline SVG with their own ids."""
    import matplotlib.pyplot as plt

    figures = []
    for _ in range(2):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0])
        figures.append(figure_block(fig, "a line"))
    report = Report("Backtest <2024>", facts=[("seed", "1")], sections=[
        Section("one", "One", [Text("a < b & c"), Columns(figures)]),
        Section("two", "Two", [Table(["x", "y"], [["1", "<b>"]], numeric=frozenset({0}))])])
    text = render_report(report)
    page = Page(text)
    assert page.sections == ["one", "two"] and page.tags.count("svg") == 2
    assert "Backtest &lt;2024&gt;" in text and "a &lt; b &amp; c" in text and "&lt;b&gt;" in text
    clip_ids = re.findall(r'<clipPath id="([^"]+)"', text)
    assert clip_ids and len(clip_ids) == len(set(clip_ids))   # two figures never share an id
    assert isinstance(figures[0], Figure) and not re.search(r'<svg[^>]* height="', text)


def test_a_calendar_report_is_self_contained_and_complete(calendar_run) -> None:
    """`sim calendar compare`: the calendars, what the comparison was, and the numbers of its CSVs side by side."""
    from sim.calendar.report import cell

    text = (calendar_run.folder / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    assert_self_contained(page)
    assert page.sections == ["calendars", "freight", "clashes", "climate", "sporting", "about"]
    words = page.words
    for fact in ("default, four-middle-east", "scenarios/four-middle-east.yaml", "SEED", "4 per calendar",
                 "Monte Carlo error", "largest SE of a probability or correlation", "endurance-sim 0.1.0"):
        assert fact in words or fact.lower() in words.lower(), fact
    table = pd.read_csv(calendar_run.folder / "comparison.csv").set_index("scenario")
    for name in ("default", "four-middle-east"):   # freight, clashes and climate as comparison.csv has them
        for column in ("freight_km", "freight_cost_eur", "clashes", "expected_wet_races"):
            assert cell(table.loc[name, column]) in words, (name, column)
    detail = pd.read_csv(calendar_run.folder / "sporting_by_class.csv", keep_default_na=False)
    row = detail[(detail["scenario"] == "four-middle-east") & (detail["scope"] == "all")
                 & (detail["metric"] == "gap")].iloc[0]
    assert f"{row['mean']:.1f} ± {row['se']:.1f}" in words                       # mean ± se
    assert f"{row['delta_vs_first']:+.1f} ± {row['se_delta']:.1f}" in words      # paired difference vs default
    # the timeline names the other championships' events (SVG text stays text), the route map, the bars
    assert "FIA WEC: Qatar 1812 km 2026" in words and "IMSA WeatherTech: Rolex 24 at Daytona 2026" in words
    assert "hub: antwerp" in words and "Le Mans invitations: Europe teams" in words   # route map, sporting bars
    assert page.tags.count("svg") >= 6   # timeline, route map, freight and climate bars, sporting bars four a row


def test_a_backtest_report_scores_every_forecast(backtest_run) -> None:
    """`sim backtest`: the scores against both baselines, the calibration plot, the forecasts per title."""
    page = Page((backtest_run.folder / "report.html").read_text(encoding="utf-8"))
    assert_self_contained(page)
    assert page.sections == ["scores", "per-title", "calibration", "forecasts", "about"]
    words = page.words
    for fact in ("Backtest: Asian LMS 2023", "scenarios/asian-lms-2023.yaml", "data/seasons/asian-lms-2023.csv",
                 "6 per forecast", "Monte Carlo error", "endurance-sim 0.1.0"):
        assert fact in words, fact
    summary = pd.read_csv(backtest_run.folder / "summary.csv")
    for _, row in summary.iterrows():   # every forecast point and forecaster, as summary.csv has it
        assert f"{row['brier']:.3f} / {row['log_loss']:.3f}" in words
    comparison = pd.read_csv(backtest_run.folder / "comparison.csv").set_index("forecaster")
    equal = comparison.loc["equal_cars"]
    assert f"{equal['brier_minus_model']:+.3f} ± {equal['brier_se']:.3f}" in words
    for champion in ("LMP2 teams: champion DKR Engineering", "LMP3 teams: champion Graff Racing",
                     "GT teams: champion Walkenhorst Motorsport"):
        assert champion in words
    assert "after R1" in words and "after R3" in words
    assert page.tags.count("svg") == 2 + 3   # scores by point, calibration, one per title
