"""Calendar figures: every other championship's event is drawn with its label, and no two labels collide."""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt

from sim.calendar.figures import (
    OtherEvent,
    axis_width,
    days_per_char,
    draw_other_events,
    other_events,
    stack_labels,
    timeline_figure,
)
from sim.calendar.metrics import assess_scenario
from sim.config.loader import SCENARIOS


def test_stacked_labels_never_share_a_lane_with_an_overlapping_one():
    events = [OtherEvent("FIA WEC", f"event {i}", dt.date(2026, 1, 1) + dt.timedelta(days=3 * i),
                         dt.date(2026, 1, 2) + dt.timedelta(days=3 * i)) for i in range(12)]
    per_char = days_per_char(axis_width(14))
    lanes = stack_labels(events, per_char)
    spans = [(e.start.toordinal(), e.start.toordinal() + len(e.label) * per_char) for e in events]
    for i, (start_i, end_i) in enumerate(spans):
        for j in range(i):
            if lanes[i] == lanes[j]:
                assert spans[j][1] <= start_i or end_i <= spans[j][0], (i, j)
    assert max(lanes) > 0   # events three days apart cannot all fit one lane


def test_every_event_of_the_season_is_labelled_with_its_series():
    assessments = [assess_scenario(SCENARIOS / "default.yaml"), assess_scenario(SCENARIOS / "four-middle-east.yaml")]
    seasons = other_events(assessments)
    assert list(seasons) == [dt.date(2025, 10, 1)]             # one season: one lane of events, once each
    events = seasons[dt.date(2025, 10, 1)]
    assert len({(e.series, e.name) for e in events}) == len(events)
    fig, ax = plt.subplots(figsize=(14, 3))
    draw_other_events(ax, events, dt.date(2025, 10, 1), "2025-26")
    labels = {text.get_text() for text in ax.texts}
    plt.close(fig)
    assert labels == {e.label for e in events}
    assert "FIA WEC: Qatar 1812 km 2026" in labels and "24H Series Middle East Trophy: 24H Dubai 2026" in labels


def test_calendars_of_two_seasons_get_a_lane_each():
    assessments = [assess_scenario(SCENARIOS / "default.yaml"), assess_scenario(SCENARIOS / "calendar-2024-25.yaml")]
    fig = timeline_figure(assessments)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    plt.close(fig)
    assert "Other championships' events (2024-25)" in titles and "Other championships' events (2025-26)" in titles
