"""Multi-class traffic: the time a car loses per lap to the other classes, and its share of the
incident hazard.

A car of class c laps `sum_k n_k (1 - lap_c / lap_k)` cars of the slower classes k and is lapped
`sum_k n_k (lap_c / lap_k - 1)` times by the faster ones per lap; each pass costs `pass_loss_s` /
`passed_loss_s` and raises the incident hazard by `incident_per_pass`. The venue reference laps already
hold the traffic of the field they were measured in (`traffic.reference_field`), so only the difference
is added to a car's lap. Traffic is an average per lap from the class mix, not an on-track interaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from sim.config.race_model import TrafficModel


class ClassTraffic(NamedTuple):
    """Per class: seconds lost per lap to traffic, and passes made + suffered per lap."""

    loss_s: dict[str, float]
    passes: dict[str, float]


def class_traffic(class_names: Sequence[str], reference_lap_s: Mapping[str, float], counts: Mapping[str, int],
                  rules: TrafficModel) -> ClassTraffic:
    """The traffic of a field with `counts` cars per class (`rules`: the race model's traffic block)."""
    ref = {name: reference_lap_s[name] for name in class_names}
    loss, passes = {}, {}
    for name in class_names:
        lap = ref[name]
        made = sum(counts.get(other, 0) * (1 - lap / ref[other]) for other in ref if ref[other] > lap)
        suffered = sum(counts.get(other, 0) * (lap / ref[other] - 1) for other in ref if ref[other] < lap)
        loss[name] = rules.pass_loss_s * made + rules.passed_loss_s * suffered
        passes[name] = made + suffered
    return ClassTraffic(loss, passes)


def reference_traffic(class_names: Sequence[str], reference_lap_s: Mapping[str, float], rules: TrafficModel) -> ClassTraffic:
    """The traffic already inside the venue's reference laps (the field they were measured in)."""
    counts = {name: rules.reference_field.get(name, 0) for name in class_names}
    return class_traffic(class_names, reference_lap_s, counts, rules)


def incident_factor(passes: float, rules: TrafficModel) -> float:
    """How much a car's traffic raises its incident hazard."""
    return 1 + rules.incident_per_pass * passes
