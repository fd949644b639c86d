"""Self-contained HTML reports: a header of facts, then sections of text, tables and inline SVG figures.

A report is data (`Report`, `Section`, and the blocks `Text`, `Heading`, `Table`, `Figure`, `Columns`) rendered by one jinja2
template (package data under sim/report/templates/); figures are matplotlib figures inlined as SVG, so
the file has no external resource and opens offline. A command builds its own sections and calls
`write_report`; `sim montecarlo` (sim.report.study), paired studies (sim.report.paired_report) do so,
and any later study (calendar comparisons, backtests) adds sections the same way:

    report = Report("Backtest", facts=[("scenario", name), ("seed", "1")])
    report.add(Section("calibration", "Calibration", [Text("..."), Table.from_frame(frame), figure_block(fig)]))
    write_report(report, out / "report.html")
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from sim.io import write_text_atomic

if TYPE_CHECKING:   # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure as MatplotlibFigure

TEMPLATE = "report.html.j2"
_figure_ids = itertools.count()


@dataclass
class Text:
    """A paragraph of plain text (escaped); `tone` "note" or "warning" frames it."""

    text: str
    tone: str = ""
    kind: str = "text"


@dataclass
class Heading:
    """A sub-heading inside a section."""

    text: str
    kind: str = "heading"


@dataclass
class Table:
    """A table of already formatted cells; `numeric` columns are right-aligned, `emphasis` rows bold,
    `styles` colours cells (a heatmap as a table: exact numbers, text that can be read and copied)."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    numeric: frozenset[int] = frozenset()
    emphasis: frozenset[int] = frozenset()
    styles: Sequence[Sequence[str]] | None = None   # per cell CSS (e.g. a heatmap's colours), or None
    css_class: str = ""
    kind: str = "table"

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, columns: Mapping[str, str] | None = None,
                   formats: Mapping[str, Callable[[object], str]] | None = None, caption: str = "",
                   numeric: Iterable[str] = (), emphasis: Iterable[int] = ()) -> Table:
        """Columns `columns` (source name -> header; default all) with per-column `formats`."""
        columns = dict(columns or {name: name for name in frame.columns})
        formats = formats or {}
        rows = [[formats.get(name, _cell)(record[name]) for name in columns] for record in frame.to_dict("records")]
        numeric_names = set(numeric)
        return cls(list(columns.values()), rows, caption,
                   frozenset(i for i, name in enumerate(columns) if name in numeric_names), frozenset(emphasis))


@dataclass
class Figure:
    """An inline SVG figure with its caption (the SVG is the figure's own text, made by `figure_block`)."""

    svg: Markup
    caption: str = ""
    kind: str = "figure"


@dataclass
class Columns:
    """Blocks side by side (e.g. a figure and its table), wrapping below each other on narrow screens."""

    blocks: list
    kind: str = "columns"


@dataclass
class Section:
    id: str
    title: str
    blocks: list = field(default_factory=list)
    intro: str = ""


@dataclass
class Report:
    """The document: title, the facts a reader must see first (scenario, seed, runs, error, version)."""

    title: str
    subtitle: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""

    def add(self, section: Section) -> Section:
        self.sections.append(section)
        return section


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def figure_block(fig: MatplotlibFigure, caption: str = "") -> Figure:
    """A matplotlib figure as inline SVG (text kept as text, so it is searchable and scales), then closed.

    Each figure gets its own id salt: several SVGs in one page must not share clip-path or marker ids.
    """
    import matplotlib  # only when a figure is drawn (a study without plots never loads matplotlib)
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"fig{next(_figure_ids)}"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", text[text.index("<svg"):], count=1, flags=re.S)
    # natural width, but never wider than the page; the height follows from the viewBox's aspect ratio
    svg = re.sub(r'(<svg[^>]*?) height="[^"]*"', r'\1 role="img"', svg, count=1)
    return Figure(Markup(svg), caption)


def _environment() -> Environment:
    return Environment(loader=PackageLoader("sim.report", "templates"), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def render_report(report: Report) -> str:
    return _environment().get_template(TEMPLATE).render(report=report)


def write_report(report: Report, target: str | Path) -> Path:
    """Render and write atomically; returns the path."""
    write_text_atomic(target, render_report(report))
    return Path(target)
