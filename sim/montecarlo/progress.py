"""Progress of a study: a rich bar on a terminal, an updating line in a Jupyter notebook, or nothing.

`progress=True` asks for progress wherever it can be shown well: on a terminal (stderr a TTY, not
under CI) a rich bar with seasons/s and ETA; in a Jupyter kernel one HTML line updated in place
(IPython's display handles: no ipywidgets needed, and no stream of text lines in the cell output).
Piped output, CI logs and `progress=False` get nothing.
"""

from __future__ import annotations

import html
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

NOTEBOOK_REFRESH_S = 0.5   # a notebook redraws the whole output cell on each update: not more often


def progress_enabled(progress: bool) -> bool:
    """The terminal bar: on only when asked, stderr is a terminal and not under CI."""
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return bool(progress) and sys.stderr.isatty() and not ci


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where stderr is not a terminal but output cells render HTML)."""
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ipython = shell.get_ipython()
    except AttributeError:
        return False
    return ipython is not None and type(ipython).__name__ == "ZMQInteractiveShell"


class Progress:
    """No progress at all; the base of the visible ones. `update(done, total, note)`, then `close()`."""

    def __init__(self, total: int, done: int) -> None:
        self.total = total
        self._started = time.perf_counter()
        self._done_at_start = done

    def rate(self, done: int) -> float:
        elapsed = max(time.perf_counter() - self._started, 1e-9)
        return (done - self._done_at_start) / elapsed

    def update(self, done: int, total: int | None = None, note: str = "") -> None:
        if total is not None:
            self.total = total

    def close(self) -> None:
        pass


class TerminalProgress(Progress):
    """A rich progress bar on stderr: seasons done, seasons/s, ETA and a note (e.g. the standard error)."""

    def __init__(self, total: int, done: int) -> None:
        super().__init__(total, done)
        self._bar = RichProgress(TextColumn("seasons"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
                                 TextColumn("{task.fields[note]}"), console=Console(stderr=True), transient=False)
        self._task = self._bar.add_task("seasons", total=total, completed=done, rate="", note="")
        self._bar.start()

    def update(self, done: int, total: int | None = None, note: str = "") -> None:
        super().update(done, total, note)
        self._bar.update(self._task, completed=done, total=self.total, rate=f"{self.rate(done):,.1f} seasons/s",
                         note=note)

    def close(self) -> None:
        self._bar.stop()


class ProgressLine:
    """What a notebook shows: a <progress> bar and a line of text (plain text elsewhere)."""

    def __init__(self, done: int, total: int, text: str) -> None:
        self.done, self.total, self.text = done, total, text

    def _repr_html_(self) -> str:
        return (f'<progress value="{self.done}" max="{max(self.total, 1)}" style="width:20em"></progress> '
                f"<span>{html.escape(self.text)}</span>")

    def __repr__(self) -> str:
        return self.text


class NotebookProgress(Progress):
    """One HTML line (a <progress> bar and the figures) in the output cell, replaced in place."""

    def __init__(self, total: int, done: int, display: Callable[..., Any] | None = None) -> None:
        super().__init__(total, done)
        if display is None:
            from IPython.display import display  # only inside Jupyter (IPython is not a dependency)
        self._display = display
        self._handle = display(self._html(done, ""), display_id=True)
        self._shown_at = 0.0
        self._last = (done, "")

    def _html(self, done: int, note: str) -> ProgressLine:
        text = f"{done:,}/{self.total:,} seasons, {self.rate(done):,.1f} seasons/s" + (f", {note}" if note else "")
        return ProgressLine(done, self.total, text)

    def update(self, done: int, total: int | None = None, note: str = "") -> None:
        super().update(done, total, note)
        self._last = (done, note)
        now = time.perf_counter()
        if now - self._shown_at >= NOTEBOOK_REFRESH_S:
            self._shown_at = now
            self._handle.update(self._html(done, note))

    def close(self) -> None:
        self._handle.update(self._html(*self._last))


def make_progress(progress: bool, total: int, done: int) -> Progress:
    """The progress display for where the study runs (see the module docstring)."""
    if progress_enabled(progress):
        return TerminalProgress(total, done)
    if progress and in_notebook():
        return NotebookProgress(total, done)
    return Progress(total, done)
