"""Simulated long races against the real ones: Sebring 12 h, Petit Le Mans (Road Atlanta 10 h) and the
Daytona 24 h of the IMSA 2023 and 2024 scenarios, run with the real race crews, against the IMSA exports
as measured by tools/measure_long_races.py (data/real/imsa/long_races). The table of docs/long-races.md
comes from tools/compare_long_races.py, which these tests share.

The ranges are the two real races at each venue, widened as each test says (two races are a small sample);
what the model does not reproduce yet is marked xfail (strict: it fails loudly once it is fixed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tools.compare_long_races import LONG_RACES, REAL_CLASS, SCENARIOS, real_ranges, simulated_figures

SEEDS = range(12)   # per race and season: 6 races x 12 ~ 10 s


@pytest.fixture(scope="module")
def simulated() -> dict[str, dict[str, tuple[pd.DataFrame, list[float]]]]:
    """venue -> scenario -> (figures per seed and class, neutralisations per hour per seed)."""
    return {venue: {scenario: simulated_figures(scenario, venue, SEEDS) for scenario in SCENARIOS}
            for venue in LONG_RACES.values()}


@pytest.fixture(scope="module")
def measured(real_data) -> pd.DataFrame:
    return pd.read_csv(real_data / "imsa" / "long_races" / "measured.csv", dtype={"season": str})


def _real_rows(measured: pd.DataFrame, venue: str, season: str) -> pd.DataFrame:
    return measured[(measured["season"] == season) & measured["event"].str.contains(venue)]


@pytest.mark.parametrize("venue", LONG_RACES.values())
def test_overall_winner_distance(simulated, measured, venue):
    """The GTP winner's laps, median over both seasons' simulated races, within the two real races widened
    by 5 % (Sebring 2023 ran 322 laps, 2024 333; the model's Sebring runs fewer cautions than the real ~1
    per hour and so a few more laps)."""
    sim = np.median([laps for scenario in SCENARIOS for laps in
                     simulated[venue][scenario][0].query("`class` == 'GTP'")["winner_laps"]])
    real = [_real_rows(measured, venue, s.split("-")[1]).set_index("class").at["GTP", "winner_laps"] for s in SCENARIOS]
    assert 0.95 * min(real) <= sim <= 1.05 * max(real), (venue, sim, real)


def _class_ratios(simulated, measured, venue: str, classes: tuple[str, ...]) -> list[tuple]:
    """(scenario, class, simulated median, real) of each class winner's laps over the GTP winner's."""
    out = []
    for scenario in SCENARIOS:
        figures, _ = simulated[venue][scenario]
        laps = figures.pivot(index="seed", columns="class", values="winner_laps")
        real = _real_rows(measured, venue, scenario.split("-")[1]).set_index("class")["winner_laps"]
        for name in (c for c in classes if c in laps.columns):
            out.append((scenario, name, float((laps[name] / laps["GTP"]).median()),
                        real[REAL_CLASS.get(name, name)] / real["GTP"]))
    return out


@pytest.mark.parametrize(("venue", "classes"), [("sebring", ("LMP2", "LMP3")),
                                                ("road-atlanta", ("LMP2", "LMP3", "GTD PRO", "GTD")),
                                                ("daytona", ("LMP2", "LMP3", "GTD PRO", "GTD"))])
def test_class_winner_distances_relative_to_gtp(simulated, measured, venue, classes):
    """Each class winner's laps over the GTP winner's, within 0.04 of the real race (LMP2 ~0.97-0.99,
    LMP3 ~0.94-0.96, GT3 ~0.92-0.95); Sebring's GT3 classes below."""
    for scenario, name, sim, real in _class_ratios(simulated, measured, venue, classes):
        assert abs(sim - real) <= 0.04, (venue, scenario, name, sim, real)


def test_sebring_gt3_distances_relative_to_gtp(simulated, measured):
    """Sebring's GT3 winners over the GTP winner's laps, within 0.04 of the real 0.93-0.94. Near the edge
    (0.90-0.92 simulated; 0.90 before IMSA's caution stops, sporting pit.caution_stop_fraction): the model
    still runs fewer cautions there (0.75 /h against 1.0), and under a caution every class runs at the
    same speed."""
    for scenario, name, sim, real in _class_ratios(simulated, measured, "sebring", ("GTD PRO", "GTD")):
        assert abs(sim - real) <= 0.04, (scenario, name, sim, real)


@pytest.mark.parametrize("venue", LONG_RACES.values())
def test_share_of_cars_running_at_the_end(simulated, measured, venue):
    """All classes together: the median simulated race within 0.08 of the real races at the venue (real
    0.68-0.81; a constant failure hazard gave 0.45-0.55 at Daytona before the per-race part was measured)."""
    shares = []
    for scenario in SCENARIOS:
        rows = _real_rows(measured, venue, scenario.split("-")[1])
        shares.append(float((rows["running_share"] * rows["starters"]).sum() / rows["starters"].sum()))
    sims = []
    for scenario in SCENARIOS:
        figures, _ = simulated[venue][scenario]
        sims.append(float(figures.groupby("seed")["running_share"].mean().median()))
    sim = float(np.mean(sims))
    assert min(shares) - 0.08 <= sim <= max(shares) + 0.08, (venue, sim, shares)


@pytest.mark.parametrize("venue", ["sebring", "road-atlanta"])
def test_neutralisations_per_hour(simulated, real_data, venue):
    """Full-course neutralisations per hour within the real long races' range (10-12 h: 0.50-1.20 /h;
    the Daytona export has no laps)."""
    _, real = real_ranges(real_data, "road-atlanta")
    _, sebring = real_ranges(real_data, "sebring")
    low, high = min(real + sebring), max(real + sebring)
    sim = np.median([x for scenario in SCENARIOS for x in simulated[venue][scenario][1]])
    assert low <= sim <= high, (venue, sim, low, high)


@pytest.mark.parametrize("venue", ["sebring", "road-atlanta"])
def test_most_drive_share_of_one_driver(simulated, real_data, venue):
    """The most one driver drives of a 10-12 h race, per class, within the real 0.40-0.53 widened by 0.05
    (strategy.long_race_drive_share; without it the fastest driver took the maximum, 0.58 of the race)."""
    ranges, _ = real_ranges(real_data, venue)
    low, high = ranges["most_drive_share_min"].min() - 0.05, ranges["most_drive_share_max"].max() + 0.05
    for scenario in SCENARIOS:
        figures, _ = simulated[venue][scenario]
        for name, share in figures.groupby("class")["most_drive_share"].median().items():
            assert low <= share <= high, (venue, scenario, name, share, low, high)


@pytest.mark.parametrize("venue", ["sebring", "road-atlanta"])
def test_drivers_within_the_window_rule(simulated, venue):
    """No driver beyond 4 h in a spell in the car (the 4-in-6 rule; his stops inside the spell add a few
    minutes, red flags are left out): the real longest continuous run is 235 min."""
    for scenario in SCENARIOS:
        figures, _ = simulated[venue][scenario]
        assert figures["longest_driving_min"].max() <= 240 + 15, (venue, scenario)


PETIT_STOPS_SHORT = pytest.mark.xfail(
    strict=True, reason="the cars stop 1-2 times less than the real ones at Petit (GTP 11 against 12.5-13.5, "
                        "LMP2 14 against 15-15.5): the real cars also make 1-2 pit-lane visits of 30-50 s a "
                        "race (drive-throughs, fuel-only splashes while the pits are closed), which the model "
                        "does not make (docs/long-races.md)")


@pytest.mark.parametrize("venue", ["sebring", pytest.param("road-atlanta", marks=PETIT_STOPS_SHORT)])
def test_pit_stops_per_car_in_the_real_range(simulated, real_data, venue):
    """Pit stops per car running at the end, median per class, within the two real races' range widened by
    10 % (Sebring real: GTP 14-16, LMP2 16-18, LMP3 14, GTD PRO 12-13, GTD 13-13.5; simulated, 40 seeds per
    season: 14, 16.75, 13, 13, 13 with IMSA's fuel ranges, now that the cars behind close up to the Safety
    Car train instead of the leaders dropping back)."""
    ranges, _ = real_ranges(real_data, venue)
    for scenario in SCENARIOS:
        figures, _ = simulated[venue][scenario]
        for name, stops in figures.groupby("class")["stops_median"].median().items():
            real = REAL_CLASS.get(name, name)
            assert 0.9 * ranges.at[real, "stops_median_min"] <= stops <= 1.1 * ranges.at[real, "stops_median_max"], (
                venue, name, stops)


@pytest.mark.parametrize("venue", ["sebring", "road-atlanta"])
def test_longest_run_and_least_drive_in_the_real_range(simulated, real_data, venue):
    """Per class, the longest time a driver stays in the car at most 5 % over the real races' longest
    (real 167-235 min), and the least a driver of a car running at the end drives at least 0.9 of the
    real races' least (real 1.06-3.12 h: ~3 h at Sebring and ~2.5 h at Petit in the classes with a Bronze
    or Silver minimum, 1.1-3.0 h in GTP and GTD PRO). Without strategy.long_race_least_drive_share the
    plan gave a crew's third professional only his stint target: 1.0-1.6 h in GTP and GTD PRO."""
    ranges, _ = real_ranges(real_data, venue)
    for scenario in SCENARIOS:
        figures, _ = simulated[venue][scenario]
        medians = figures.groupby("class")[["longest_driving_min", "least_drive_h"]].median()
        for name, row in medians.iterrows():
            real = REAL_CLASS.get(name, name)
            assert row["longest_driving_min"] <= 1.05 * ranges.at[real, "longest_driving_min_max"], (venue, name)
            assert row["least_drive_h"] >= 0.9 * ranges.at[real, "least_drive_h_min"], (venue, name)
