"""Reference lookups for normalising events: CAMEO codes, Goldstein weights, PLOVER types, countries.

Everything is read from files shipped with comity (``comity/data/events`` and the registry's
CountryInfo crosswalk), once per process, so ingest never needs ``shared/`` or the network.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

from comity.data import PACKAGE_DATA
from comity.events.schema import QUAD_BY_ROOT
from comity.registry.loader import REGISTRY_DIR, _crosswalk, current_cameo_code, rows

EVENTS_DATA = PACKAGE_DATA / "events"

#: ICEWS writes a few countries under names that neither the ISO (CLDR) table nor CountryInfo
#: uses. Each entry is the ICEWS spelling found in the Dataverse sample -> ISO 3166-1 alpha-3.
ICEWS_NAME_ALIASES = {
    "OCCUPIED PALESTINIAN TERRITORY": "PSE",
    "DEMOCRATIC REPUBLIC OF CONGO": "COD",
    "THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA": "MKD",
    "MOLDOVA, REPUBLIC OF": "MDA",
    "HOLY SEE": "VAT",
}


def _tsv(path: Path) -> dict[str, str]:
    """A two-column GDELT lookup file (header line first) as a dict."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        return {row[0].strip(): row[1].strip() for row in reader if row}


@cache
def cameo_codes() -> dict[str, str]:
    """CAMEO event code -> description (2-, 3- and 4-digit codes, leading zeros kept)."""
    return _tsv(EVENTS_DATA / "CAMEO.eventcodes.txt")


@cache
def goldstein_scale() -> dict[str, float]:
    """CAMEO event code -> Goldstein (1992) weight, -10 to +10."""
    return {code: float(value) for code, value in _tsv(EVENTS_DATA / "CAMEO.goldsteinscale.txt").items()}


@cache
def cameo_to_plover() -> dict[str, str]:
    """CAMEO code -> PLOVER event type, as listed in CAMEO2PLOVER-2021 (codes without a type skipped)."""
    mapping: dict[str, str] = {}
    text = (EVENTS_DATA / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        match = re.match(r"\s*(\d{2,4})\s*:\s*([A-Z]+)", line.split("#", 1)[0])
        if match:
            mapping[match.group(1)] = match.group(2)
    return mapping


def plover_type(cameo_code: str) -> str | None:
    """The PLOVER type of a CAMEO code: the longest listed prefix (0314 -> 031 -> 03) wins.

    CAMEO2PLOVER lists some 4-digit codes only through their 3-digit parent; the prefix rule
    is how the file is meant to be read (a child code inherits its parent's category).
    """
    mapping = cameo_to_plover()
    for length in (4, 3, 2):
        found = mapping.get(cameo_code[:length]) if len(cameo_code) >= length else None
        if found:
            return found
    return None


@cache
def plover_quad_class() -> dict[str, int]:
    """PLOVER type -> QuadClass, only where every CAMEO code mapped to the type shares one class.

    PLOVER records carry no CAMEO code; this derives the class from CAMEO2PLOVER instead of
    assigning one by hand. Types whose CAMEO codes span several classes are left out.
    """
    classes: dict[str, set[int]] = defaultdict(set)
    for code, kind in cameo_to_plover().items():
        classes[kind].add(QUAD_BY_ROOT[code[:2]])
    return {kind: next(iter(found)) for kind, found in classes.items() if len(found) == 1}


@cache
def cameo_country_to_iso3() -> dict[str, str]:
    """CAMEO country code -> ISO alpha-3, the registry's corrected crosswalk inverted.

    Territory codes (``USAGUM``) map to the territory's ISO code (``GUM``). Where one CAMEO code
    stands for several ISO entries (``FRA`` for France, Mayotte and Saint Barthelemy), the entry
    whose ISO code equals the CAMEO code wins.
    """
    by_cameo: dict[str, list[str]] = defaultdict(list)
    for iso3, (cameo, _cow) in _crosswalk(REGISTRY_DIR).items():
        by_cameo[cameo].append(iso3)
    result = {}
    for cameo, isos in by_cameo.items():
        if len(isos) == 1:
            result[cameo] = isos[0]
        elif cameo in isos:
            result[cameo] = cameo
    return result


@cache
def fips_to_iso3() -> dict[str, str]:
    """FIPS 10-4 country code (GDELT's geography columns) -> ISO alpha-3, unambiguous entries only.

    CountryInfo's FIPS column has gaps and duplicates (``SA`` for both Saudi Arabia and South
    Africa, ``CG`` for both Congos); a code listed for more than one state maps to nothing.
    """
    to_iso = cameo_country_to_iso3()
    found: dict[str, set[str]] = defaultdict(set)
    for _, row in rows(REGISTRY_DIR / "countryinfo_codes_crosswalk.csv", ("CountryCode", "FIPS_10")):
        iso3 = to_iso.get(current_cameo_code(row["CountryCode"]))
        if iso3 and re.fullmatch(r"[A-Z]{2}", row["FIPS_10"]):
            found[row["FIPS_10"]].add(iso3)
    return {fips: next(iter(isos)) for fips, isos in found.items() if len(isos) == 1}


@cache
def country_name_to_iso3() -> dict[str, str]:
    """Upper-cased country name (as ICEWS writes them) -> ISO alpha-3.

    CountryInfo names (``UNITED_STATES`` -> ``UNITED STATES``) first, then the English names of
    the ISO (CLDR) table where CountryInfo has no such name, then ``ICEWS_NAME_ALIASES``.
    """
    to_iso = cameo_country_to_iso3()
    names: dict[str, str] = {}
    for _, row in rows(REGISTRY_DIR / "countryinfo_codes_crosswalk.csv", ("CountryCode", "CountryName")):
        iso3 = to_iso.get(current_cameo_code(row["CountryCode"]))
        if iso3:
            names[row["CountryName"].replace("_", " ").upper()] = iso3
    for _, row in rows(REGISTRY_DIR / "passport_country_codes_iso_stanag.csv", ("iso3c", "en")):
        if row["en"] and re.fullmatch(r"[A-Z]{3}", row["iso3c"]):
            names.setdefault(row["en"].upper(), row["iso3c"])
    names.update(ICEWS_NAME_ALIASES)
    return names
