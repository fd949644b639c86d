"""The calendar search itself: depth-first branch and bound over rounds in date order. Every metric is a
sum over rounds and legs, so a partial calendar's score plus a lower bound for the rounds still to place
bounds every completion."""

from __future__ import annotations

import heapq
import itertools
import math

import numpy as np

from sim.calendar.search_problem import Exclusion, SearchProblem
from sim.calendar.search_tables import SearchTables


class Found(Exception):
    pass


class BranchAndBound:
    """One branch-and-bound run for a set of active constraint names."""

    def __init__(self, problem: SearchProblem, tables: SearchTables, active: set[str], top: int, first_only: bool,
                 distinct: bool = False):
        self.p, self.t, self.active = problem, tables, active
        self.top, self.first_only, self.distinct = top, first_only, distinct
        self.kept: dict[tuple, float] = {}     # distinct: venue order -> its score in the heap
        c = problem.constraints
        V, D = tables.temp.shape
        self.V, self.D, self.N = V, D, problem.rounds
        self.heap: list[tuple[float, int, tuple]] = []
        self.counter = itertools.count()
        self.nodes = 0
        self.dominated = 0
        self.exclusions: dict[str, Exclusion] = {}
        self.option_exclusions: dict[str, Exclusion] = {}
        # Fixed rounds in force: date index -> venue index.
        self.fixed = {}
        for index, fixed in enumerate(c.fixed_rounds):
            if f"fixed_rounds[{index}]" in active:
                self.fixed[tables.dates.index(fixed.date)] = problem.venues.index(fixed.venue)
        self.fixed_dates = np.array(sorted(self.fixed), dtype=int)
        # Region quotas in force (per region index); regions without quota are unbounded.
        R = len(tables.regions)
        self.q_min = np.zeros(R, dtype=int)
        self.q_max = np.full(R, problem.rounds, dtype=int)
        for region, quota in c.quotas().items():
            if f"regions.{region}" in active:
                if region in tables.regions:
                    r = tables.regions.index(region)
                    self.q_min[r] = quota.min
                    self.q_max[r] = quota.max if quota.max is not None else problem.rounds
                elif quota.min > 0:
                    self.q_unreachable = region
        self.min_days = c.min_days_between_rounds if "min_days_between_rounds" in active else None
        self.max_days = c.max_days_between_rounds if "max_days_between_rounds" in active else None
        self.max_per_venue = c.max_rounds_per_venue if "max_rounds_per_venue" in active else problem.rounds
        self.step = max(1, math.ceil(self.min_days / 7)) if self.min_days else 1
        self.option_ok = self._option_mask()
        ok_scores = tables.round_score[self.option_ok]
        min_round = float(ok_scores.min()) if ok_scores.size else 0.0
        usable = tables.leg_fits[:, :, 1:] | ("freight" not in active)
        if self.max_per_venue == 1:
            usable = usable & ~np.eye(V, dtype=bool)[:, :, None]
        leg_scores = tables.leg_score[:, :, 1:][usable]
        min_leg = float(leg_scores.min()) if leg_scores.size else 0.0
        min_back = float(tables.hub_back_score.min())
        self.lower_bound = [r * (min_round + min_leg) + min_back for r in range(self.N + 1)]

    # ------------------------------------------------------------ exclusions bookkeeping
    def _note(self, book: dict, name: str, mask_before: np.ndarray, mask_after: np.ndarray, example) -> np.ndarray:
        removed = mask_before & ~mask_after
        count = int(np.count_nonzero(removed))
        if count:
            entry = book.setdefault(name, Exclusion(name))
            entry.count += count
            if not entry.example:
                v, d = (int(x) for x in np.argwhere(removed)[0])
                entry.example = example(v, d)
        return mask_before & mask_after

    def _label(self, v: int, d: int) -> str:
        return f"{self.p.venues[v]} {self.t.dates[d].isoformat()}"

    def _option_mask(self) -> np.ndarray:
        t, c, active = self.t, self.p.constraints, self.active
        ok = np.ones((self.V, self.D), dtype=bool)
        book = self.option_exclusions
        if self.fixed:
            wrong = np.ones_like(ok)
            for d, v in self.fixed.items():
                wrong[:, d] = False
                wrong[v, d] = True
            ok = self._note(book, "fixed_rounds", ok, wrong,
                            lambda v, d: f"{self._label(v, d)}: that Saturday is fixed for "
                                         f"{self.p.venues[self.fixed[d]]}")
        if "climate.max_temp_c" in active:
            ok = self._note(book, "climate.max_temp_c", ok, t.temp <= c.climate.max_temp_c,
                            lambda v, d: f"{self._label(v, d)}: {t.temp[v, d]:.1f} C > {c.climate.max_temp_c} C")
        if "climate.max_rain_probability" in active:
            limit = c.climate.max_rain_probability
            ok = self._note(book, "climate.max_rain_probability", ok, t.rain <= limit,
                            lambda v, d: f"{self._label(v, d)}: rain probability {t.rain[v, d]:.2f} > {limit}")
        if "no_clash" in active:
            ok = self._note(book, "no_clash", ok, t.hard_clashes == 0,
                            lambda v, d: f"{self._label(v, d)}: clashes with {t.clash_text.get((v, d), '?')}")
        if "daylight" in active:
            ok = self._note(book, "daylight", ok, t.unlit_dark == 0,
                            lambda v, d: f"{self._label(v, d)}: {t.unlit_dark[v, d]:.1f} race hours in darkness, "
                                         f"no floodlights")
        return ok

    # ------------------------------------------------------------ search
    @property
    def threshold(self) -> float:
        if self.first_only or len(self.heap) < self.top:
            return math.inf
        return -self.heap[0][0]

    def run(self) -> None:
        if getattr(self, "q_unreachable", None):
            return
        try:
            self._expand(0, -1, -1, np.zeros(len(self.t.regions), dtype=int), np.zeros(self.V, dtype=int), 0.0, ())
        except Found:
            pass

    def _expand(self, level: int, prev_v: int, prev_d: int, counts: np.ndarray, used: np.ndarray,
                cost: float, path: tuple) -> None:
        self.nodes += 1
        t, N = self.t, self.N
        dates = np.arange(prev_d + 1 if level else 0, self.D)
        if dates.size == 0:
            return
        left = N - level - 1  # rounds still to place after this one
        mask = self.option_ok[:, dates].copy()
        book = self.exclusions

        def example(reason):
            return lambda v, d: " > ".join([*(self._label(*step) for step in path),
                                           self._label(v, int(dates[d]))]) + f": {reason(v, int(dates[d]))}"

        # Room for the remaining rounds at the minimum spacing (window and min gap together).
        room = dates + left * self.step <= self.D - 1
        mask = self._note(book, "window (no room for the remaining rounds)", mask, np.broadcast_to(room, mask.shape),
                          example(lambda v, d: f"{left} more round(s) do not fit before {self.p.window.end}"))
        if self.fixed_dates.size:
            skipped = np.array([any(prev_d < f < d for f in self.fixed_dates) for d in dates])
            later = np.array([np.count_nonzero(self.fixed_dates > d) for d in dates])
            fixed_ok = ~skipped & (later <= left)
            mask = self._note(book, "fixed_rounds", mask, np.broadcast_to(fixed_ok, mask.shape),
                              example(lambda v, d: "a fixed round would be skipped or left without a slot"))
        if level:
            gap_days = (dates - prev_d) * 7
            if self.min_days is not None:
                mask = self._note(book, "min_days_between_rounds", mask,
                                  np.broadcast_to(gap_days >= self.min_days, mask.shape),
                                  example(lambda v, d: f"{(d - prev_d) * 7} days after the previous round < {self.min_days}"))
            if self.max_days is not None:
                mask = self._note(book, "max_days_between_rounds", mask,
                                  np.broadcast_to(gap_days <= self.max_days, mask.shape),
                                  example(lambda v, d: f"{(d - prev_d) * 7} days after the previous round > {self.max_days}"))
            weeks = dates - prev_d
            if "freight" in self.active:
                fits = t.leg_fits[prev_v][:, weeks]
                mask = self._note(book, "freight", mask, fits, example(
                    lambda v, d: f"freight {self.p.venues[prev_v]} -> {self.p.venues[v]} needs "
                                 f"{t.leg_need[prev_v, v, d - prev_d]} days, {t.leg_avail[d - prev_d]} available"))
        reuse_ok = used < self.max_per_venue
        mask = self._note(book, "max_rounds_per_venue", mask, np.broadcast_to(reuse_ok[:, None], mask.shape),
                          example(lambda v, d: f"{self.p.venues[v]} already has {used[v]} round(s)"))
        new_counts = counts[None, :] + np.eye(len(t.regions), dtype=int)[t.region_of]     # (V, R)
        over = (new_counts > self.q_max[None, :]).any(axis=1)
        unmet = np.maximum(self.q_min[None, :] - new_counts, 0)                          # (V, R)
        short = unmet.sum(axis=1) > left
        for v in np.flatnonzero((over | short) & mask.any(axis=1)):
            if over[v]:
                name = f"regions.{t.places[v].region}"
                reason = f"{t.places[v].region} would have {new_counts[v, t.region_of[v]]} rounds"
            else:
                needing = [t.regions[r] for r in np.flatnonzero(unmet[v])]
                name = f"regions.{needing[0]}"
                reason = f"{', '.join(needing)} still need {unmet[v].sum()} round(s), {left} left"
            row = np.zeros_like(mask)
            row[v] = True
            mask = self._note(book, name, mask, ~row, example(lambda vv, d, reason=reason: reason))
        if not mask.any():
            return
        child = cost + t.round_score[:, dates]
        if level:
            child = child + t.leg_score[prev_v][:, dates - prev_d]
        else:
            child = child + t.hub_out_score[:, None]
        if left == 0:
            total = child + t.hub_back_score[:, None]
            for v, d in np.argwhere(mask):
                self._offer(float(total[v, d]), path + ((int(v), int(dates[d])),))
            return
        bound = child + self.lower_bound[left]
        order = np.argwhere(mask)
        order = order[np.argsort(child[mask], kind="stable")]
        for v, d in order:
            if bound[v, d] >= self.threshold:
                self.dominated += 1
                continue
            r = t.region_of[v]
            counts[r] += 1
            used[v] += 1
            self._expand(level + 1, int(v), int(dates[d]), counts, used, float(child[v, d]),
                         path + ((int(v), int(dates[d])),))
            counts[r] -= 1
            used[v] -= 1

    def _offer(self, score: float, path: tuple) -> None:
        if self.first_only:
            self.heap.append((-score, next(self.counter), path))
            raise Found
        if self.distinct:
            # one calendar per venue order (its best dates). Still exact with the bound: a calendar that
            # cannot beat the K-th best cannot improve an order already kept either (it scores no better)
            order = tuple(v for v, _ in path)
            kept = self.kept.get(order)
            if kept is not None:
                if score < kept:
                    self.heap = [item for item in self.heap if tuple(v for v, _ in item[2]) != order]
                    self.heap.append((-score, next(self.counter), path))
                    heapq.heapify(self.heap)
                    self.kept[order] = score
                else:
                    self.dominated += 1
                return
            if len(self.heap) >= self.top:
                if score >= -self.heap[0][0]:
                    self.dominated += 1
                    return
                _, _, dropped = heapq.heappop(self.heap)
                del self.kept[tuple(v for v, _ in dropped)]
            heapq.heappush(self.heap, (-score, next(self.counter), path))
            self.kept[order] = score
            return
        if len(self.heap) < self.top:
            heapq.heappush(self.heap, (-score, next(self.counter), path))
        elif score < -self.heap[0][0]:
            heapq.heapreplace(self.heap, (-score, next(self.counter), path))
        else:
            self.dominated += 1

    def best(self) -> list[tuple[float, tuple]]:
        return sorted(((-neg, path) for neg, _, path in self.heap), key=lambda item: item[0])
