"""Great-circle distances on a spherical Earth (haversine), for freight and travel legs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.config.calendars import Logistics
from sim.config.venues import VenueBook
from sim.errors import InputError

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_matrix_km(latitudes: Sequence[float] | np.ndarray, longitudes: Sequence[float] | np.ndarray) -> np.ndarray:
    """Pairwise great-circle distances (km) between points, as an n x n array."""
    phi = np.radians(np.asarray(latitudes, dtype=float))
    lam = np.radians(np.asarray(longitudes, dtype=float))
    half_dphi = (phi[:, None] - phi[None, :]) / 2
    half_dlambda = (lam[:, None] - lam[None, :]) / 2
    a = np.sin(half_dphi) ** 2 + np.cos(phi[:, None]) * np.cos(phi[None, :]) * np.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))



@dataclass(frozen=True)
class Place:
    """A venue or freight hub reduced to what planning needs."""

    key: str
    name: str
    region: str
    latitude: float
    longitude: float
    floodlit: bool = False
    utc_offset_h: float = 0.0          # standard time, used without a time zone
    timezone: str | None = None        # IANA name: local clock with daylight-saving time
    temp_max_c: tuple[float, ...] = ()
    rain_probability: tuple[float, ...] = ()


def venue_place(key: str, book: VenueBook, path: str | Path = "configs/venues.yaml", field: str | None = None,
                where: str | Path | None = None) -> Place:
    """The venue `key` of a VenueBook as a Place, checked to have coordinates.

    An unknown key is reported against `where` (the file that names the venue) and `field`.
    """
    venue = book.venues.get(key)
    if venue is None:
        known = ", ".join(sorted(book.venues))
        raise InputError(where or path, field or "venues", f"unknown venue '{key}' (known: {known})")
    for coordinate in ("latitude", "longitude"):
        if getattr(venue, coordinate, None) is None:
            raise InputError(path, f"venues.{key}.{coordinate}", "venue has no coordinates")
    climate = getattr(venue, "climate", None)
    return Place(key=key, name=venue.name, region=venue.region, latitude=venue.latitude,
                 longitude=venue.longitude, floodlit=bool(getattr(venue, "floodlit", False)),
                 utc_offset_h=float(getattr(venue, "timezone_utc_offset_h", 0.0) or 0.0),
                 timezone=getattr(venue, "timezone", None),
                 temp_max_c=tuple(climate.temp_max_c) if climate else (),
                 rain_probability=tuple(climate.rain_probability) if climate else ())


def hub_place(key: str, logistics: Logistics, path: str | Path = "configs/logistics.yaml", field: str = "freight_hub") -> Place:
    hub = logistics.hubs.get(key)
    if hub is None:
        raise InputError(path, field, f"unknown freight hub '{key}' (known: {', '.join(sorted(logistics.hubs))})")
    return Place(key=key, name=hub.name, region=hub.region, latitude=hub.latitude, longitude=hub.longitude)
