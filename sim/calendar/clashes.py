"""Date clashes between a calendar's rounds and other championships' events.

A round occupies the paddock from `event_days_before_race` days before race 1 to its last race day.
Two events clash when they share a day or are at most `buffer_days` apart (days from the end of the
earlier to the start of the later; 0 = back-to-back days do not clash, sharing a day does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.config.calendars import ChampionshipCalendar, PaddockOverlap


@dataclass(frozen=True)
class Clash:
    round_index: int            # 0-based position in the calendar
    round_name: str
    championship: str           # key (file stem)
    event: str
    event_start: dt.date
    event_end: dt.date
    days_apart: int             # <= 0: the two share days
    teams: tuple[str, ...]
    drivers: tuple[str, ...]

    @property
    def people(self) -> int:
        return len(self.teams) + len(self.drivers)


def days_apart(first_a: dt.date, last_a: dt.date, first_b: dt.date, last_b: dt.date) -> int:
    """Days from the end of the earlier span to the start of the later one; <= 0 when they overlap."""
    return max((first_b - last_a).days, (first_a - last_b).days)


def round_clashes(round_index: int, round_name: str, first_day: dt.date, last_day: dt.date,
                  championships: dict[str, ChampionshipCalendar], buffer_days: int,
                  overlaps: dict[str, PaddockOverlap] | None = None) -> list[Clash]:
    """Every event of `championships` within `buffer_days` of the span [first_day, last_day]."""
    found = []
    for key, calendar in championships.items():
        overlap = (overlaps or {}).get(key, calendar.paddock_overlap)
        for event in calendar.events:
            apart = days_apart(first_day, last_day, event.start, event.last_day)
            if apart <= buffer_days:
                found.append(Clash(round_index, round_name, key, event.name, event.start, event.last_day,
                                   apart, tuple(overlap.teams), tuple(overlap.drivers)))
    return found


def summarise_clashes(clashes: list[Clash]) -> dict[str, int]:
    """Clash count, people-clashes (sum over clashes) and distinct teams/drivers affected."""
    teams = {team for clash in clashes for team in clash.teams}
    drivers = {driver for clash in clashes for driver in clash.drivers}
    return {
        "clashes": len(clashes),
        "clash_people": sum(clash.people for clash in clashes),
        "clash_teams": len(teams),
        "clash_drivers": len(drivers),
    }
