"""When a study stops: after a fixed number of seasons, or once its title odds are precise enough.

`--runs N` merges every chunk as it arrives (`MergeAll`: integer sums, any order). `--target-se X`
must give the same seasons whatever the workers, so it decides only at fixed season counts (every
`StopRule.every` seasons, and at `max_runs`) on the seasons 0..n-1 exactly: chunks never straddle a
decision point, results are merged in season-index order (`InOrder`; chunks that finish early wait
in a small buffer), and chunks run ahead of the decision are dropped when the study stops. The
criterion is the binomial standard error of every title probability (`se_p_title` of summary.csv).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import InputError
from sim.stats import binomial_se_array

CHECK_EVERY = 100          # seasons between two decisions (fixed: the result must not depend on workers)
MAX_RUNS_CAP = 100_000     # default --max-runs when the worst case would need more
TARGET = "target reached"
MAX_RUNS = "max runs"
FIXED = "runs"


@dataclass(frozen=True)
class StopRule:
    """Stop at the first multiple of `every` seasons where every title probability's standard error is at
    most `target_se`, or at `max_runs`."""

    target_se: float
    max_runs: int
    every: int = CHECK_EVERY

    def is_decision_point(self, seasons: int) -> bool:
        return seasons % self.every == 0 or seasons >= self.max_runs

    def identity(self) -> dict[str, Any]:
        return {"target_se": float(self.target_se), "check_every": int(self.every)}


def worst_case_runs(target_se: float, variance_bound: float = 0.25) -> int:
    """Seasons after which every standard error is at most `target_se` whatever the odds: a probability's
    variance is at most 1/4 (a paired difference of two indicators': 1)."""
    return math.ceil(variance_bound / (target_se * target_se) - 1e-9)


def make_stop_rule(target_se: Any, max_runs: Any = None, every: int = CHECK_EVERY,
                   variance_bound: float = 0.25) -> StopRule:
    """The rule for `--target-se X [--max-runs M]`; bad values are InputErrors naming the option.

    Default max runs: the worst case (always enough to reach the target) rounded up to `every`, at most
    MAX_RUNS_CAP."""
    if isinstance(target_se, bool) or not isinstance(target_se, (int, float)) or not 0 < target_se <= 0.5 \
            or not math.isfinite(target_se):
        raise InputError(None, "--target-se", f"must be a number in (0, 0.5], got {target_se!r}")
    if max_runs is None:
        worst = worst_case_runs(float(target_se), variance_bound)
        max_runs = min(MAX_RUNS_CAP, every * math.ceil(worst / every))
    elif isinstance(max_runs, bool) or not isinstance(max_runs, (int, np.integer)) or max_runs <= 0:
        raise InputError(None, "--max-runs", f"must be a whole number > 0, got {max_runs!r}")
    return StopRule(float(target_se), int(max_runs), every)


def title_standard_errors(position_counts: np.ndarray, runs: int) -> np.ndarray:
    """Binomial standard error of every row's title probability (column 0: final position 1)."""
    return binomial_se_array(position_counts[:, 0], runs)


def max_title_se(aggregate: Any) -> float:
    errors = title_standard_errors(aggregate.position_counts, aggregate.runs)
    return float(errors.max()) if errors.size else 0.0


class MergeAll:
    """A fixed number of seasons: each chunk is merged as soon as it arrives."""

    def __init__(self, execution: Any, chunks: list, on_outcome: Callable | None) -> None:
        self.execution, self.on_outcome = execution, on_outcome
        self.total = chunks[-1].stop if chunks else 0
        self.seasons = sum(len(c.seasons) for c in chunks if c.index in execution.finished)
        self.done = False
        self.reason = FIXED

    def may_submit(self, chunk: Any) -> bool:
        return True

    def accept(self, outcome: Any) -> None:
        if outcome.chunk.index in self.execution.finished:
            return
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        self.execution.state.merge(outcome.state)
        self.execution.finished.add(outcome.chunk.index)
        self.seasons += len(outcome.chunk.seasons)

    def note(self) -> str:
        return ""


class InOrder:
    """`--target-se`: chunks merged in index order, a decision at every decision point of the rule."""

    def __init__(self, execution: Any, chunks: list, on_outcome: Callable | None, rule: StopRule,
                 measure: Callable[[Any], float], window: int) -> None:
        self.execution, self.chunks, self.on_outcome = execution, chunks, on_outcome
        self.rule, self.measure, self.window = rule, measure, max(1, window)
        self.frontier = len(execution.finished)
        if execution.finished != set(range(self.frontier)):
            raise InputError(None, "finished", "the checkpoint of a --target-se study must hold its first chunks")
        self.seasons = chunks[self.frontier - 1].stop if self.frontier else 0
        self.buffer: dict[int, Any] = {}
        self.done = False
        self.reason = ""
        self.last_se: float | None = None
        self.total = rule.max_runs
        if self.frontier:
            self._decide()   # a checkpoint saved right where the target was met: nothing left to run

    def may_submit(self, chunk: Any) -> bool:
        return chunk.index < self.frontier + self.window

    def accept(self, outcome: Any) -> None:
        if self.done or outcome.chunk.index < self.frontier:
            return
        self.buffer[outcome.chunk.index] = outcome
        while not self.done and self.frontier in self.buffer:
            ready = self.buffer.pop(self.frontier)
            if self.on_outcome is not None:
                self.on_outcome(ready)
            self.execution.state.merge(ready.state)
            self.execution.finished.add(self.frontier)
            self.frontier += 1
            self.seasons = ready.chunk.stop
            self._decide()
        if self.done:
            self.buffer.clear()

    def _decide(self) -> None:
        if not self.rule.is_decision_point(self.seasons):
            return
        self.last_se = self.measure(self.execution.state)
        if self.last_se <= self.rule.target_se:
            self.done, self.reason = True, TARGET
        elif self.seasons >= self.rule.max_runs:
            self.done, self.reason = True, MAX_RUNS
        else:   # seasons probably needed, from se ~ 1/sqrt(n): the progress bar's total
            needed = self.seasons * (self.last_se / self.rule.target_se) ** 2
            self.total = min(self.rule.max_runs, self.rule.every * math.ceil(needed / self.rule.every))

    def note(self) -> str:
        if self.last_se is None:
            return f"target SE {self.rule.target_se:g}"
        return f"max SE {self.last_se:.4f} (target {self.rule.target_se:g})"
