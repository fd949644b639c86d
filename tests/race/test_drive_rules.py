"""The window and continuous-driving limits over a car's stints (sim.race.drive_rules), without a race."""

from __future__ import annotations

import math

from sim.race.drive_rules import DriveSpan, StintLimits, longest_spell, most_in_window, spell_breach, stint_cap

H = 3600.0
# driver 0: 0-2 h and 2h01-3h30 (stays in: one spell), driver 1: 3h31-5h, driver 0 again: 5h01-6h
SPANS = [DriveSpan(0, 0.0, 2 * H), DriveSpan(0, 2 * H + 60, 3.5 * H), DriveSpan(1, 3.5 * H + 60, 5 * H),
         DriveSpan(0, 5 * H + 60, 6 * H)]
WINDOW = StintLimits(window_s=(6 * H, 6 * H), window_max_s=(4 * H, 4 * H), continuous_max_s=(math.inf, math.inf))
SPELL = StintLimits(window_s=(math.inf, math.inf), window_max_s=(math.inf, math.inf),
                    continuous_max_s=(3 * H, 3 * H))


def test_most_in_window_and_longest_spell():
    assert math.isclose(most_in_window(SPANS, 0, 6 * H), 3.5 * H - 60 + H - 60)   # 0-6 h holds all his driving
    assert math.isclose(most_in_window(SPANS, 1, 6 * H), 1.5 * H - 60)
    assert math.isclose(longest_spell(SPANS, 0), 3.5 * H)                         # the stop he stayed in counts
    assert math.isclose(longest_spell(SPANS, 1), 1.5 * H - 60)


def test_breaches():
    assert spell_breach(SPANS, WINDOW, 2) == 0          # 4h58 in the first 6 h
    assert spell_breach(SPANS, SPELL, 2) == 0           # 3h30 without getting out
    assert spell_breach(SPANS[:1] + SPANS[2:], SPELL, 2) is None


def test_stint_cap_is_what_the_rules_leave():
    # at 5h01 driver 0 drove 3h29 in the last 6 h: 31 min left; driver 1 drove 1h29 in it
    assert math.isclose(stint_cap(WINDOW, SPANS[:3], 0, 5 * H + 60, None), 4 * H - (3.5 * H - 60))
    assert math.isclose(stint_cap(WINDOW, SPANS[:3], 1, 5 * H + 60, None), 4 * H - (1.5 * H - 60))
    # continuous: the driver staying in since 0 has 3 h - 2h01 left at 2h01; a driver getting in has 3 h
    assert math.isclose(stint_cap(SPELL, SPANS[:1], 0, 2 * H + 60, 0.0), H - 60)
    assert stint_cap(SPELL, SPANS[:1], 1, 2 * H + 60, None) == 3 * H
