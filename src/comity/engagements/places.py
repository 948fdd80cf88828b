"""Where an engagement took place, for the map: its own coordinates, a sourced base, or a capital.

Most shipped records have no coordinates of their own: the air-policing rotations name a base
(``Siauliai``), the eFP battlegroups their host nation (``Estonia``). Rather than leave them off
the map, a record is placed by the first rule that applies, and the map says which one:

1. ``recorded``: the record's own latitude and longitude;
2. ``base``: its location is a base in ``data/engagements/bases.csv``, whose coordinates are the
   ones the aerodrome's publisher gives (SOURCES.md names each);
3. ``capital``: its location is exactly the name of a state in the registry; it is drawn at that
   state's capital (``cow_capitals_latlng.csv``), which stands for the country, not a site.

Anything else (a sea, a region, several countries, no location) has no place: the map counts
and lists those records instead of guessing. The rules are pure functions of the record's
fields, so the selector that applies them (``selectors.engagement_places``) stays a read.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from comity.data import PACKAGE_DATA

BASES_FILE = PACKAGE_DATA / "engagements" / "bases.csv"

RECORDED, BASE, CAPITAL = "recorded", "base", "capital"


@dataclass(frozen=True)
class Base:
    """A base as ``bases.csv`` holds it: the key used in records, its name and coordinates."""

    key: str
    name: str
    country: str
    latitude: float
    longitude: float
    published: str
    source: str


@dataclass(frozen=True)
class Place:
    """A point on the map and the rule that gave it (``basis`` says it in words)."""

    latitude: float
    longitude: float
    precision: str
    basis: str


def read_bases(path: Path = BASES_FILE) -> dict[str, Base]:
    """The bases file keyed by the lower-cased name records use in ``location``."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["base"].strip().lower(): Base(
                key=row["base"].strip(),
                name=row["name"].strip(),
                country=row["country"].strip(),
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                published=row["published"].strip(),
                source=row["source"].strip(),
            )
            for row in csv.DictReader(handle)
        }


@cache
def shipped_bases() -> dict[str, Base]:
    """The shipped bases, read once per process."""
    return read_bases()


#: Degrees, minutes, seconds and hemisphere; the signs (degree, prime, double prime) optional.
_PART = r"(?P<{0}_d>\d{{1,3}})\u00b0?(?P<{0}_m>\d{{2}})[\u2032']?(?P<{0}_s>\d{{2}}(?:\.\d+)?)[\u2033\"]?"
_DMS = re.compile(_PART.format("lat") + r"(?P<ns>[NS])\s+" + _PART.format("lng") + r"(?P<ew>[EW])")


def parse_published(text: str) -> tuple[float, float]:
    """Degrees from a coordinate pair as aerodrome publications write it: ``555338N 0232342E``
    (an AIP's ARP) or degrees, minutes and seconds with their signs (a Wikipedia infobox).
    ``ValueError`` for anything else."""
    match = _DMS.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a published coordinate pair: {text!r}")
    parts = match.groupdict()

    def degrees(prefix: str, negative: bool) -> float:
        value = float(parts[f"{prefix}_d"]) + float(parts[f"{prefix}_m"]) / 60 + float(parts[f"{prefix}_s"]) / 3600
        return -value if negative else value

    return degrees("lat", parts["ns"] == "S"), degrees("lng", parts["ew"] == "W")


def place_of(
    *,
    latitude: float | None,
    longitude: float | None,
    location: str,
    capitals: dict[str, tuple[str, float | None, float | None]],
    bases: dict[str, Base] | None = None,
) -> Place | None:
    """The place of one record by the rules above, or ``None`` when it has none.

    ``capitals`` maps a lower-cased state name to (name, capital latitude, capital longitude).
    """
    if latitude is not None and longitude is not None:
        return Place(latitude, longitude, RECORDED, "coordinates on the record")
    key = location.strip().lower()
    if not key:
        return None
    base = (shipped_bases() if bases is None else bases).get(key)
    if base is not None:
        return Place(base.latitude, base.longitude, BASE, f"{base.name}, as published")
    state = capitals.get(key)
    if state is not None and state[1] is not None and state[2] is not None:
        return Place(state[1], state[2], CAPITAL, f"capital of {state[0]} (the record names only the country)")
    return None
