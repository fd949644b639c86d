"""Great-circle distances between real venues (configs/venues.yaml) against an ellipsoidal reference."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calendar.geo import EARTH_RADIUS_KM, distance_matrix_km, haversine_km
from sim.config.venues import load_venues


def vincenty_km(lat1, lon1, lat2, lon2) -> float:
    """WGS-84 ellipsoidal distance (Vincenty inverse): an independent reference for the sphere."""
    a, f = 6378137.0, 1 / 298.257223563
    b = a * (1 - f)
    big_l = math.radians(lon2 - lon1)
    u1, u2 = math.atan((1 - f) * math.tan(math.radians(lat1))), math.atan((1 - f) * math.tan(math.radians(lat2)))
    lam = big_l
    for _ in range(200):
        sin_sigma = math.hypot(math.cos(u2) * math.sin(lam),
                               math.cos(u1) * math.sin(u2) - math.sin(u1) * math.cos(u2) * math.cos(lam))
        cos_sigma = math.sin(u1) * math.sin(u2) + math.cos(u1) * math.cos(u2) * math.cos(lam)
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = math.cos(u1) * math.cos(u2) * math.sin(lam) / sin_sigma
        cos2_alpha = 1 - sin_alpha ** 2
        cos_2sm = cos_sigma - 2 * math.sin(u1) * math.sin(u2) / cos2_alpha if cos2_alpha else 0.0
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm ** 2)))
        if abs(lam - previous) < 1e-12:
            break
    u_sq = cos2_alpha * (a ** 2 - b ** 2) / b ** 2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = big_b * sin_sigma * (cos_2sm + big_b / 4 * (cos_sigma * (-1 + 2 * cos_2sm ** 2)
                                                       - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma ** 2) * (-3 + 4 * cos_2sm ** 2)))
    return b * big_a * (sigma - delta) / 1000


# (venue, venue, rounded map distance in km): a coarse guard (5%) against swapped or mistyped coordinates;
# the 1% check is against the WGS-84 ellipsoid distance of the same coordinates.
PAIRS = [
    ("dubai", "yas-marina", 90),
    ("sepang", "buriram", 1360),
    ("buriram", "dubai", 5100),
    ("sepang", "dubai", 5560),
    ("bahrain", "lusail", 110),
    ("fuji", "suzuka", 225),
    ("sepang", "bathurst", 6400),
    ("le-mans", "sebring", 7200),
]


@pytest.mark.parametrize("first,second,rough_km", PAIRS)
def test_real_venue_distances_within_one_percent(first, second, rough_km):
    venues = load_venues().venues
    a, b = venues[first], venues[second]
    ours = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
    reference = vincenty_km(a.latitude, a.longitude, b.latitude, b.longitude)
    assert abs(ours - reference) / reference < 0.01
    assert abs(ours - rough_km) / rough_km < 0.05


def test_quarter_meridian_is_a_quarter_of_the_circumference():
    assert haversine_km(0, 0, 90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM / 2)


coordinates = st.tuples(st.floats(-89.9, 89.9), st.floats(-180, 180))


@settings(deadline=None)   # timing belongs in benchmarks: a busy CI machine must not fail it
@given(coordinates, coordinates, coordinates)
def test_distance_is_a_metric(p, q, r):
    pq = haversine_km(*p, *q)
    assert pq == pytest.approx(haversine_km(*q, *p), abs=1e-6)
    assert 0 <= pq <= math.pi * EARTH_RADIUS_KM + 1e-6
    assert pq <= haversine_km(*p, *r) + haversine_km(*r, *q) + 1e-6
    assert haversine_km(*p, *p) == pytest.approx(0, abs=1e-6)


def test_matrix_matches_pairwise():
    venues = load_venues().venues
    keys = ["dubai", "sepang", "fuji", "bathurst"]
    matrix = distance_matrix_km([venues[k].latitude for k in keys], [venues[k].longitude for k in keys])
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            expected = haversine_km(venues[a].latitude, venues[a].longitude, venues[b].latitude, venues[b].longitude)
            assert matrix[i, j] == pytest.approx(expected, abs=1e-6)
