"""Building small scenarios in memory for calendar tests (real venues, logistics and calendars)."""

from __future__ import annotations

from sim.config.scenario import Scenario


def scenario(rounds, options=None, name="test") -> Scenario:
    """`rounds` = [(venue, 'YYYY-MM-DD', races), ...] with 4-hour races starting 13:00."""
    return Scenario.model_validate({
        "name": name, "series": "asian-lms", "entries": "asian-lms-default",
        "calendar": {"rounds": [{"venue": venue, "date": date,
                                 "races": [{"hours": 4, "start_local": "13:00"}] * races}
                                for venue, date, races in rounds]},
        "options": options or {},
    })
