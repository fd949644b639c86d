"""Progress: a rich bar on a terminal, one line updated in place in a Jupyter notebook, silence elsewhere."""

from __future__ import annotations

from sim.montecarlo import progress
from sim.montecarlo.runner import run_study
from sim.montecarlo.toy import ToyKernel


class FakeHandle:
    """What IPython's display(..., display_id=True) returns: a handle whose update() redraws in place."""

    def __init__(self, shown: list) -> None:
        self.shown = shown

    def update(self, obj) -> None:
        self.shown.append(obj)


def test_a_notebook_gets_one_line_updated_in_place(monkeypatch) -> None:
    shown: list = []

    def display(obj, display_id=False):
        assert display_id is True     # updatable in place, not a new output line per update
        shown.append(obj)
        return FakeHandle(shown)

    monkeypatch.setattr(progress, "NOTEBOOK_REFRESH_S", 0.0)
    bar = progress.NotebookProgress(1000, 0, display=display)
    bar.update(400, note="max SE 0.0200 (target 0.01)")
    bar.close()
    last = shown[-1]
    assert '<progress value="400" max="1000"' in last._repr_html_()
    assert repr(last).startswith("400/1,000 seasons") and "max SE 0.0200" in repr(last)


def test_notebooks_are_detected_and_silence_is_kept_when_asked(monkeypatch) -> None:
    class ZMQInteractiveShell:   # the class name IPython's Jupyter kernel shell has
        pass

    class FakeIPython:
        @staticmethod
        def get_ipython():
            return ZMQInteractiveShell()

    monkeypatch.setitem(progress.sys.modules, "IPython", FakeIPython)
    assert progress.in_notebook()
    monkeypatch.setattr(progress, "NotebookProgress", lambda total, done: "notebook bar")
    assert progress.make_progress(True, 10, 0) == "notebook bar"
    assert type(progress.make_progress(False, 10, 0)) is progress.Progress
    monkeypatch.delitem(progress.sys.modules, "IPython")
    assert not progress.in_notebook()


def test_a_study_without_progress_prints_nothing(capsys) -> None:
    run_study(ToyKernel(), 50, 1, executor="serial", progress=False)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
