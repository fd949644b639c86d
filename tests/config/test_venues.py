"""configs/venues.yaml: loads, has every venue the calendar and race model need, and its facts hold up."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.config.venues import REGIONS, load_venues

EARTH_RADIUS_KM = 6371.0088

REQUIRED = [
    "dubai", "yas-marina", "sepang", "bahrain", "lusail", "buriram", "fuji", "suzuka", "shanghai", "zhuhai",
    "inje", "mandalika", "sebring", "road-atlanta", "daytona", "watkins-glen", "spa", "le-mans", "portimao",
    "paul-ricard", "imola", "barcelona", "monza", "bathurst", "mid-ohio", "lime-rock", "laguna-seca",
    "road-america", "vir", "mosport", "long-beach", "indianapolis", "detroit",
]
# Venues of the Asian LMS (2013-2025) and ELMS calendars: they need the ALMS/ELMS class paces.
ALMS_ELMS = ["dubai", "yas-marina", "sepang", "bahrain", "buriram", "fuji", "shanghai", "zhuhai", "inje",
             "spa", "le-mans", "portimao", "paul-ricard", "imola", "barcelona", "monza"]
NORTH_AMERICA = ["sebring", "road-atlanta", "daytona", "watkins-glen", "mid-ohio", "lime-rock", "laguna-seca",
                 "road-america", "vir", "mosport", "long-beach", "indianapolis", "detroit"]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def venues():
    return load_venues().venues


def distance(venues, a: str, b: str) -> float:
    return haversine_km(venues[a].latitude, venues[a].longitude, venues[b].latitude, venues[b].longitude)


def test_every_required_venue_is_present(venues):
    assert not set(REQUIRED) - set(venues)


@pytest.mark.parametrize("key", ALMS_ELMS)
def test_alms_elms_venues_have_the_three_class_paces(venues, key):
    laps = venues[key].reference_lap_s
    assert {"LMP2", "LMP3", "GT"} <= set(laps)
    # LMP2 is the fastest of the three classes everywhere; GT3 the slowest or level with LMP3.
    assert laps["LMP2"] < laps["LMP3"] <= laps["GT"]


@pytest.mark.parametrize("key", NORTH_AMERICA)
def test_american_venues_carry_imsa_and_american_lms_classes(venues, key):
    laps = venues[key].reference_lap_s
    assert laps["GTP"] < laps["LMP2"] < laps["LMP3"] <= laps["GTD"] + 0.5
    assert laps["GTD PRO"] <= laps["GTD"] + 0.5  # pro crews: level with or faster than Pro-Am GTD
    assert laps["P1"] < laps["P2"] < laps["GT1"] < laps["GT2"]
    assert venues[key].region == "North America"


def test_average_speeds_are_plausible_for_every_class(venues):
    for key, venue in venues.items():
        for car_class, lap_s in venue.reference_lap_s.items():
            kph = venue.lap_km / lap_s * 3600
            assert 120 < kph < 240, f"{key} {car_class}: {kph:.0f} km/h"


def test_regions_and_coordinates(venues):
    assert {v.region for v in venues.values()} <= set(REGIONS)
    assert venues["dubai"].region == venues["yas-marina"].region == "Middle East"
    assert venues["sepang"].region == "Far East"
    assert venues["bathurst"].region == "Oceania" and venues["bathurst"].latitude < 0
    for venue in venues.values():
        assert round(venue.latitude, 3) == venue.latitude and round(venue.longitude, 3) == venue.longitude


# Reference coordinates from the circuits' Wikipedia infoboxes (more decimals than the config keeps).
WIKIPEDIA = {
    "dubai": (25.0506333, 55.2391278),
    "yas-marina": (24.46722, 54.60306),
    "sepang": (2.76083, 101.73833),
    "buriram": (14.9628444, 103.0849972),
    "inje": (38.00139, 128.29194),
}


@pytest.mark.parametrize(("a", "b", "km"), [
    ("dubai", "yas-marina", 91.3),      # great circle; the road trip is about 110 km
    ("sepang", "dubai", 5556.0),
    ("sepang", "buriram", 1365.0),
    ("sebring", "daytona", 194.0),
    ("le-mans", "spa", 501.0),
    ("fuji", "suzuka", 225.0),
    ("bahrain", "lusail", 112.0),
])
def test_known_great_circle_distances(venues, a, b, km):
    assert distance(venues, a, b) == pytest.approx(km, rel=0.01)


@pytest.mark.parametrize(("a", "b"), [("dubai", "yas-marina"), ("sepang", "dubai"), ("buriram", "inje"),
                                      ("sepang", "yas-marina")])
def test_distances_match_published_coordinates(venues, a, b):
    published = haversine_km(*WIKIPEDIA[a], *WIKIPEDIA[b])
    assert distance(venues, a, b) == pytest.approx(published, rel=0.01)


def test_lap_lengths_match_the_alms_timing_exports(venues, real_data):
    # FL_KPH x FL_TIME of the winner gives the lap length the timing system used.
    for race, key in [("r1_dubai_race1", "dubai"), ("r3_abudhabi_race1", "yas-marina")]:
        row = pd.read_csv(real_data / "asian_lms_2023" / "raw" / f"{race}_hour4_results.csv", dtype=str).iloc[0]
        minutes, seconds = row["FL_TIME"].split("'")
        lap_s = int(minutes) * 60 + float(seconds)
        assert float(row["FL_KPH"]) * lap_s / 3600 == pytest.approx(venues[key].lap_km, rel=0.003)


def test_climate_is_consistent_with_geography(venues):
    dubai, sepang, spa = venues["dubai"].climate, venues["sepang"].climate, venues["spa"].climate
    # Gulf summer heat, tropical all-year warmth, Ardennes winter.
    assert max(dubai.temp_max_c) > 40 and min(sepang.temp_max_c) > 30 and spa.temp_max_c[0] < 6
    # The desert is dry in the ALMS season (Feb); the Malaysian December monsoon is wet.
    assert dubai.rain_probability[1] < 0.1 < 0.3 < sepang.rain_probability[11]
    # Southern hemisphere: Bathurst is warmest in January.
    assert venues["bathurst"].climate.temp_max_c.index(max(venues["bathurst"].climate.temp_max_c)) == 0


def test_street_circuits_have_higher_incident_factor(venues):
    assert venues["long-beach"].incident_factor > 1 and venues["detroit"].incident_factor > 1
    assert venues["dubai"].incident_factor == 1.0
