"""Driver names across exports and the FIA ratings known for them.

The race exports write `Gonçalo GOMES`, the qualifying exports `Gonçalo` + `Gomes`: names are matched on
a key without case, accents, spaces or punctuation. Given names differ too (`Charlie EASTWOOD` races,
`Charles Eastwood` qualified) and so does spelling (`James DAYSON` raced, `James Davison` qualified): inside
one car's crew of one round, the family name is enough when only one driver of the crew has it, and else a
name at least SIMILAR_NAME alike (difflib's ratio) to exactly one driver of the crew. A rating comes from the
car's own row first, then from that round's qualifying classification (same car: full name, family name,
similar name), then from the same name anywhere else in the season.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from sim.ingest.classification import Driver

SIMILAR_NAME = 0.8   # `jamesdayson` / `jamesdavison` 0.87; different people of one crew score far lower


def name_key(name: str) -> str:
    """`Gonçalo GOMES` and `Goncalo Gomes` -> `goncalogomes`."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch)).casefold()


def family_key(name: str) -> str:
    """The key of the last word of a name: `Paul DI RESTA` and `Paul Di Resta` -> `resta`."""
    words = name.split()
    return name_key(words[-1]) if words else ""


class RatingBook:
    """FIA ratings seen in the exports: per (round, car, driver) and per driver for the season."""

    def __init__(self) -> None:
        self._by_car: dict[tuple[int, str, str], str] = {}
        self._by_family: dict[tuple[int, str, str], set[str]] = {}
        self._crew: dict[tuple[int, str], dict[str, str]] = {}
        self._by_driver: dict[str, str] = {}

    def add(self, round_number: int, car: str, drivers: Iterable[Driver]) -> None:
        for driver in drivers:
            if driver.rating:
                key = name_key(driver.name)
                self._by_car.setdefault((round_number, car, key), driver.rating)
                self._by_family.setdefault((round_number, car, family_key(driver.name)), set()).add(driver.rating)
                self._crew.setdefault((round_number, car), {}).setdefault(key, driver.rating)
                self._by_driver.setdefault(key, driver.rating)

    def rating(self, round_number: int, car: str, driver: Driver) -> str:
        """The driver's rating ('' when no export gives it)."""
        if driver.rating:
            return driver.rating
        key = name_key(driver.name)
        found = self._by_car.get((round_number, car, key))
        if found:
            return found
        family = self._by_family.get((round_number, car, family_key(driver.name)), set())
        if len(family) == 1:
            return next(iter(family))
        similar = [rating for other, rating in self._crew.get((round_number, car), {}).items()
                   if difflib.SequenceMatcher(None, key, other).ratio() >= SIMILAR_NAME]
        if len(similar) == 1:
            return similar[0]
        return self._by_driver.get(key, "")

    def crew_ratings(self, round_number: int, car: str, drivers: tuple[Driver, ...]) -> str:
        """`;`-joined ratings of a crew in its order, or '' unless every driver's rating is known."""
        ratings = [self.rating(round_number, car, driver) for driver in drivers]
        return ";".join(ratings) if ratings and all(ratings) else ""
