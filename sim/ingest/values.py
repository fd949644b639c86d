"""Cell values of the timing exports: elapsed times, lap counts, statuses and FIA ratings.

ACO exports write times as `4:03'08.373` (h:mm'ss.sss) and laps as `1'49.586`; IMSA's as `12:00:54.520`
(h:mm:ss.sss) and `1:48.406`. Both give short times as `57:05.970` / `10'36.070` (m:ss) or `99.999` (s).
"""

from __future__ import annotations

import math
import re

# h:mm:ss / h:mm'ss, m:ss / m'ss, or seconds; the decimals are optional.
_SECONDS = r"(\d{1,2}(?:\.\d+)?)"
_HOURS_MINUTES_SECONDS = re.compile(rf"(\d+):(\d{{1,2}})[:']{_SECONDS}")
_MINUTES_SECONDS = re.compile(rf"(\d+)[:']{_SECONDS}")
_PLAIN_SECONDS = re.compile(r"\d+(?:\.\d+)?")

# Al Kamel status words (and the usual abbreviations) -> results-table status.
STATUS_WORDS = {
    "classified": "classified", "cl": "classified", "finished": "classified", "running": "classified",
    "not classified": "not_classified", "nc": "not_classified", "not_classified": "not_classified",
    "retired": "dnf", "dnf": "dnf", "ret": "dnf", "did not finish": "dnf",
    "disqualified": "dsq", "dsq": "dsq", "dq": "dsq", "excluded": "dsq", "exc": "dsq",
    "not started": "dns", "dns": "dns", "did not start": "dns", "non starter": "dns",
}
RATING_LETTERS = {"P": "Platinum", "G": "Gold", "S": "Silver", "B": "Bronze"}


def parse_time(text: str) -> float | None:
    """Seconds of an export time, NaN for an empty cell, None when it cannot be read."""
    text = text.strip()
    if not text:
        return math.nan
    match = _HOURS_MINUTES_SECONDS.fullmatch(text)
    if match:
        hours, minutes, seconds = int(match[1]), int(match[2]), float(match[3])
        return hours * 3600 + minutes * 60 + seconds if minutes < 60 and seconds < 60 else None
    match = _MINUTES_SECONDS.fullmatch(text)
    if match:
        minutes, seconds = int(match[1]), float(match[2])
        return minutes * 60 + seconds if seconds < 60 else None
    if _PLAIN_SECONDS.fullmatch(text):
        return float(text)
    return None


def parse_count(text: str) -> int | None:
    """A whole non-negative number (laps, positions), None when it is not one."""
    text = text.strip()
    return int(text) if text.isdigit() and text.isascii() else None


def parse_status(text: str) -> str | None:
    """The results-table status of an export's STATUS cell, None when unknown."""
    return STATUS_WORDS.get(re.sub(r"\s+", " ", text.strip().lower()))


def parse_rating(text: str) -> str | None:
    """FIA rating from a LICENSE cell: `P`/`G`/`S`/`B` (ACO) or the word (IMSA, including its
    `Platinium` spelling); '' when empty, None when unknown."""
    text = text.strip()
    if not text:
        return ""
    word = text.capitalize()
    if word in RATING_LETTERS.values():
        return word
    letter = RATING_LETTERS.get(text[0].upper())
    if letter is not None and (len(text) == 1 or letter.lower().startswith(text.lower()[:4])):
        return letter
    return None
