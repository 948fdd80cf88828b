"""Read the shipped registry files into plain records, checking every field on the way.

Nothing here touches the database: ``read_registry`` either returns a complete, consistent
``RegistryData`` or raises ``DataFileError`` naming the file, line and field, so that the
service that writes it can stay all-or-nothing.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from comity.data import PACKAGE_DATA
from comity.registry.choices import DatePrecision, ParticipationEnd

REGISTRY_DIR = PACKAGE_DATA / "registry"
NATO = "NATO"
NATO_MEMBER = "NATO member"

#: The framework names of the NATO table, mapped to the codes used in labels and the CLI.
FRAMEWORK_CODES = {
    "Partnership for Peace": "PFP",
    "Mediterranean Dialogue": "MD",
    "Istanbul Cooperation Initiative": "ICI",
    "Partners across the globe": "PATG",
}


class DataFileError(ValueError):
    """A shipped or supplied data file that cannot be loaded, located to file, line and field."""

    def __init__(self, file: str, line: int, field: str, message: str) -> None:
        self.file, self.line, self.field = file, line, field
        super().__init__(f"{file}, line {line}, field {field!r}: {message}")


@dataclass(frozen=True)
class StateRecord:
    iso3: str
    iso2: str
    iso_numeric: str
    name: str
    cow_code: int | None
    cow_alpha: str
    cameo_code: str
    stanag_code: str
    capital: str
    capital_lat: float | None
    capital_lng: float | None
    source: str


@dataclass(frozen=True)
class OrganisationRecord:
    code: str
    name: str
    kind: str
    established: date | None
    note: str
    source: str


@dataclass(frozen=True)
class FrameworkRecord:
    code: str
    name: str
    organisation: str
    established: date | None
    note: str
    source: str


@dataclass(frozen=True)
class MembershipRecord:
    organisation: str
    iso3: str
    joined: date
    left: date | None
    note: str
    source: str


@dataclass(frozen=True)
class ParticipationRecord:
    framework: str
    iso3: str
    start: date | None
    start_precision: str
    end: date | None
    end_reason: str
    note: str
    source: str


@dataclass(frozen=True)
class StateNameRecord:
    iso3: str
    name: str
    cow_code: int | None
    cow_alpha: str
    start: date | None
    end: date | None
    usage: str
    source: str


@dataclass
class RegistryData:
    states: list[StateRecord] = field(default_factory=list)
    state_names: list[StateNameRecord] = field(default_factory=list)
    organisations: list[OrganisationRecord] = field(default_factory=list)
    frameworks: list[FrameworkRecord] = field(default_factory=list)
    memberships: list[MembershipRecord] = field(default_factory=list)
    participations: list[ParticipationRecord] = field(default_factory=list)


def rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) of a CSV file (gzip-compressed when its name ends ``.gz``) after
    checking that its header has ``required``. No value means "missing": Namibia's code is ``NA``."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        handle = opener(path, "rt", encoding="utf-8", newline="")
    except OSError as exc:
        raise DataFileError(path.name, 0, "-", f"cannot open: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [name for name in required if name not in (reader.fieldnames or [])]
        if missing:
            raise DataFileError(path.name, 1, missing[0], "column missing from the header")
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise DataFileError(path.name, reader.line_num, "-", "wrong number of fields")
            yield reader.line_num, {k: v.strip() for k, v in row.items()}


def parse_date(text: str, *, file: str, line: int, field: str, allow_month: bool = False) -> tuple[date | None, str]:
    """Parse ``YYYY-MM-DD`` (or ``YYYY-MM`` when allowed); return the date and its precision."""
    if text == "":
        return None, DatePrecision.UNKNOWN
    try:
        if allow_month and re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = (int(p) for p in text.split("-"))
            return date(year, month, 1), DatePrecision.MONTH
        return date.fromisoformat(text), DatePrecision.DAY
    except ValueError:
        expected = "YYYY-MM-DD or YYYY-MM" if allow_month else "YYYY-MM-DD"
        raise DataFileError(file, line, field, f"{text!r} is not a date ({expected})") from None


def require(value: str, pattern: str, *, file: str, line: int, field: str, what: str) -> str:
    """Return ``value`` when it matches ``pattern`` in full, else raise a located error."""
    if not re.fullmatch(pattern, value):
        raise DataFileError(file, line, field, f"{value!r} is not {what}")
    return value


# --- states -------------------------------------------------------------------------------


#: CLDR's pseudo-entries for regions ("European Union", "Outlying Oceania", "Unknown Region"):
#: user-assigned codes that name no state or territory. Kosovo's XKS is kept (see SOURCES.md).
NOT_STATES = frozenset({"QOO", "QUU", "ZZZ"})


def _iso_entries(directory: Path) -> dict[str, dict[str, str]]:
    """ISO 3166-1 entries by alpha-3 code, from the CLDR-derived table (first named row wins)."""
    name = "passport_country_codes_iso_stanag.csv"
    entries: dict[str, dict[str, str]] = {}
    for line, row in rows(directory / name, ("iso2c", "iso3c", "iso3n", "stanag", "capital", "en")):
        if not row["en"] or not row["iso3n"] or row["iso3c"] in entries or row["iso3c"] in NOT_STATES:
            continue  # name variants, regions and non-ISO rows (Ascension, Tristan da Cunha) are skipped
        require(row["iso3c"], "[A-Z]{3}", file=name, line=line, field="iso3c", what="an alpha-3 code")
        require(row["iso2c"], "[A-Z]{2}", file=name, line=line, field="iso2c", what="an alpha-2 code")
        require(row["iso3n"], "[0-9]{3}", file=name, line=line, field="iso3n", what="a 3-digit numeric code")
        entries[row["iso3c"]] = row
    return entries


def _corrections(directory: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Documented fixes to CountryInfo: (CAMEO code, field) -> (wrong value, right value)."""
    name = "crosswalk_corrections.csv"
    return {
        (row["cameo_code"], row["field"]): (row["wrong"], row["right"])
        for _, row in rows(directory / name, ("cameo_code", "field", "wrong", "right", "reason"))
    }


def current_cameo_code(raw: str) -> str:
    """The current code of a CountryInfo entry; date-qualified lists keep the open-ended one.

    ``[YUGHRV <20910625][HRV >20030101]`` -> ``HRV``.
    """
    if not raw.startswith("["):
        return raw
    alternatives = re.findall(r"\[([A-Z]+)\s+([^\]]*)\]", raw)
    open_ended = [code for code, when in alternatives if when.startswith(">")]
    return open_ended[-1] if open_ended else alternatives[-1][0]


def _crosswalk(directory: Path) -> dict[str, tuple[str, int | None]]:
    """CAMEO code and COW code by ISO alpha-3, after the documented corrections."""
    name = "countryinfo_codes_crosswalk.csv"
    fixes = _corrections(directory)
    by_iso: dict[str, tuple[str, int | None]] = {}
    for line, row in rows(directory / name, ("CountryCode", "COW_Numeric", "ISO3166_alpha3")):
        cameo = current_cameo_code(row["CountryCode"])
        for (code, field_name), (wrong, right) in fixes.items():
            if code == cameo and row.get(field_name, "") == wrong:
                row[field_name] = right
        iso3 = row["ISO3166_alpha3"]
        if not re.fullmatch(r"[A-Z]{3}", iso3) or not cameo:
            continue  # sub-state actors (Tibet, Republika Srpska) have no ISO code
        cow_text = row["COW_Numeric"]
        cow = int(cow_text) if cow_text.isdigit() and int(cow_text) != 0 else None
        if iso3 in by_iso:
            raise DataFileError(name, line, "ISO3166_alpha3", f"{iso3} appears twice (add a correction)")
        by_iso[iso3] = (cameo, cow)
    return by_iso


def _cow_states(directory: Path) -> dict[int, str]:
    """COW abbreviations by COW code."""
    name = "cow_states_system_membership.csv"
    result: dict[int, str] = {}
    for line, row in rows(directory / name, ("stateabb", "ccode", "statenme")):
        code = require(row["ccode"], "[0-9]+", file=name, line=line, field="ccode", what="a COW code")
        result[int(code)] = row["stateabb"]
    return result


def _cow_capitals(directory: Path) -> dict[int, tuple[str, float, float]]:
    """The latest capital (name, latitude, longitude) of each COW state."""
    name = "cow_capitals_latlng.csv"
    latest: dict[int, tuple[date, str, float, float]] = {}
    for line, row in rows(directory / name, ("ccode", "capital", "stdate", "enddate", "lat", "lng")):
        code = int(require(row["ccode"], "[0-9]+", file=name, line=line, field="ccode", what="a COW code"))
        end, _ = parse_date(row["enddate"], file=name, line=line, field="enddate")
        try:
            lat, lng = float(row["lat"]), float(row["lng"])
        except ValueError:
            raise DataFileError(name, line, "lat", "coordinates must be numbers") from None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise DataFileError(name, line, "lat", "coordinates out of range")
        if end is not None and (code not in latest or end >= latest[code][0]):
            latest[code] = (end, row["capital"], lat, lng)
    return {code: (cap, lat, lng) for code, (_, cap, lat, lng) in latest.items()}


STATE_SOURCE = (
    "ISO codes, name, STANAG code: passport_country_codes_iso_stanag.csv (Unicode CLDR via alistaire47/passport); "
    "CAMEO and COW codes: countryinfo_codes_crosswalk.csv (openeventdata/CountryInfo) with crosswalk_corrections.csv; "
    "capital coordinates: cow_capitals_latlng.csv (peacesciencer)"
)


def read_states(directory: Path) -> list[StateRecord]:
    """Join the ISO table, the CountryInfo crosswalk and the COW capitals into state records."""
    crosswalk = _crosswalk(directory)
    cow_alpha = _cow_states(directory)
    capitals = _cow_capitals(directory)
    states: list[StateRecord] = []
    for iso3, entry in sorted(_iso_entries(directory).items()):
        cameo, cow = crosswalk.get(iso3, ("", None))
        if cow is not None and cow not in cow_alpha:
            cow = None  # micro-states CountryInfo numbers but COW does not list
        capital, lat, lng = (
            capitals.get(cow, (entry["capital"], None, None))
            if cow is not None
            else (
                entry["capital"],
                None,
                None,
            )
        )
        states.append(
            StateRecord(
                iso3=iso3,
                iso2=entry["iso2c"],
                iso_numeric=entry["iso3n"],
                name=entry["en"],
                cow_code=cow,
                cow_alpha=cow_alpha.get(cow, "") if cow is not None else "",
                cameo_code=cameo,
                stanag_code=entry["stanag"],
                capital=capital,
                capital_lat=lat,
                capital_lng=lng,
                source=STATE_SOURCE,
            )
        )
    return states


def read_historical_states(directory: Path) -> list[StateRecord]:
    """States of the past with no current ISO code (the German Democratic Republic): ISO 3166-3."""
    name = "historical_states.csv"
    capitals = _cow_capitals(directory)
    cow_alpha = _cow_states(directory)
    result = []
    for line, row in rows(directory / name, ("iso3", "iso2", "iso_numeric", "name", "cow_code", "capital", "source")):
        cow = _cow_code(row["cow_code"], file=name, line=line)
        if cow is not None and cow not in cow_alpha:
            raise DataFileError(name, line, "cow_code", f"{cow} is not in the COW state system file")
        _, lat, lng = capitals.get(cow, ("", None, None)) if cow is not None else ("", None, None)
        result.append(
            StateRecord(
                iso3=require(row["iso3"], "[A-Z]{3}", file=name, line=line, field="iso3", what="an alpha-3 code"),
                iso2=require(row["iso2"], "[A-Z]{2}", file=name, line=line, field="iso2", what="an alpha-2 code"),
                iso_numeric=require(
                    row["iso_numeric"], "[0-9]{3}", file=name, line=line, field="iso_numeric", what="a numeric code"
                ),
                name=row["name"],
                cow_code=cow,
                cow_alpha=cow_alpha.get(cow, "") if cow is not None else "",
                cameo_code="",
                stanag_code="",
                capital=row["capital"],
                capital_lat=lat,
                capital_lng=lng,
                source=row["source"],
            )
        )
    return result


def _cow_code(text: str, *, file: str, line: int) -> int | None:
    if text == "":
        return None
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise DataFileError(file, line, "cow_code", f"{text!r} is not a COW code")
    return int(text)


def read_state_names(directory: Path, known: set[str]) -> list[StateNameRecord]:
    """The names (and COW identities) each state bore over time; spells of a state may not overlap."""
    name = "state_names.csv"
    result: list[StateNameRecord] = []
    for line, row in rows(
        directory / name, ("iso3", "name", "cow_code", "cow_alpha", "start", "end", "usage", "source")
    ):
        if row["iso3"] not in known:
            raise DataFileError(name, line, "iso3", f"{row['iso3']!r} is not a known state code")
        start, _ = parse_date(row["start"], file=name, line=line, field="start")
        end, _ = parse_date(row["end"], file=name, line=line, field="end")
        if start is not None and end is not None and end <= start:
            raise DataFileError(name, line, "end", "must come after start")
        if not row["name"] or not row["source"]:
            raise DataFileError(name, line, "name" if not row["name"] else "source", "may not be empty")
        record = StateNameRecord(
            row["iso3"],
            row["name"],
            _cow_code(row["cow_code"], file=name, line=line),
            row["cow_alpha"],
            start,
            end,
            row["usage"],
            row["source"],
        )
        for other in result:
            if other.iso3 == record.iso3 and _overlap(other, record):
                raise DataFileError(name, line, "start", f"overlaps the {other.name!r} spell of {record.iso3}")
        result.append(record)
    return result


def _overlap(a: StateNameRecord, b: StateNameRecord) -> bool:
    lo = max(a.start or date.min, b.start or date.min)
    hi = min(a.end or date.max, b.end or date.max)
    return lo < hi


def with_current_names(states: list[StateRecord], names: list[StateNameRecord]) -> list[StateRecord]:
    """A state's own name is the one in force today: the open-ended spell of ``state_names.csv``
    (the ISO table still says Swaziland and Turkey)."""
    current = {n.iso3: n for n in names if n.end is None}
    return [replace(s, name=current[s.iso3].name) if s.iso3 in current else s for s in states]


# --- organisations, frameworks, memberships ------------------------------------------------


def read_organisations(directory: Path) -> list[OrganisationRecord]:
    name = "organisations.csv"
    result = []
    for line, row in rows(directory / name, ("code", "name", "kind", "established", "note", "source")):
        established, _ = parse_date(row["established"], file=name, line=line, field="established")
        result.append(
            OrganisationRecord(row["code"], row["name"], row["kind"], established, row["note"], row["source"])
        )
    return result


def read_frameworks(directory: Path) -> list[FrameworkRecord]:
    name = "frameworks.csv"
    result = []
    for line, row in rows(directory / name, ("code", "name", "organisation", "established", "note", "source")):
        established, _ = parse_date(row["established"], file=name, line=line, field="established")
        result.append(
            FrameworkRecord(row["code"], row["name"], row["organisation"], established, row["note"], row["source"])
        )
    return result


NATO_TABLE_SOURCE = (
    "nato_members_and_partners.csv (compiled from nato.int topics_49188 and news_20811, NATO enlargement dates "
    "and the Wikipedia articles on the partnership frameworks; see SOURCES.md)"
)


def read_nato_table(directory: Path, known: set[str]) -> tuple[list[MembershipRecord], list[ParticipationRecord]]:
    """NATO memberships and raw framework participations (ends not yet derived)."""
    name = "nato_members_and_partners.csv"
    memberships: list[MembershipRecord] = []
    participations: list[ParticipationRecord] = []
    for line, row in rows(directory / name, ("country", "iso3", "framework", "join_date", "status", "note")):
        iso3 = require(row["iso3"], "[A-Z]{3}", file=name, line=line, field="iso3", what="an alpha-3 code")
        if iso3 not in known:
            raise DataFileError(name, line, "iso3", f"{iso3} is not a known ISO 3166 code")
        framework = row["framework"]
        if framework == NATO_MEMBER:
            joined, _ = parse_date(row["join_date"], file=name, line=line, field="join_date")
            if joined is None:
                raise DataFileError(name, line, "join_date", "a member needs an accession date")
            memberships.append(MembershipRecord(NATO, iso3, joined, None, row["note"], NATO_TABLE_SOURCE))
        elif framework in FRAMEWORK_CODES:
            start, precision = parse_date(row["join_date"], file=name, line=line, field="join_date", allow_month=True)
            participations.append(
                ParticipationRecord(
                    FRAMEWORK_CODES[framework], iso3, start, precision, None, "", row["note"], NATO_TABLE_SOURCE
                )
            )
        else:
            raise DataFileError(name, line, "framework", f"unknown framework {framework!r}")
    return memberships, participations


def read_eu(directory: Path, known: set[str]) -> list[MembershipRecord]:
    name = "eu_membership.csv"
    result = []
    for line, row in rows(directory / name, ("iso3", "joined", "left", "note", "source")):
        if row["iso3"] not in known:
            raise DataFileError(name, line, "iso3", f"{row['iso3']!r} is not a known ISO 3166 code")
        joined, _ = parse_date(row["joined"], file=name, line=line, field="joined")
        left, _ = parse_date(row["left"], file=name, line=line, field="left")
        if joined is None:
            raise DataFileError(name, line, "joined", "a member needs an accession date")
        if left is not None and left <= joined:
            raise DataFileError(name, line, "left", "must come after joined")
        result.append(MembershipRecord("EU", row["iso3"], joined, left, row["note"], row["source"]))
    return result


def apply_changes(directory: Path, participations: list[ParticipationRecord]) -> list[ParticipationRecord]:
    """Apply recorded withdrawals, returns and suspensions to the participation spells."""
    name = "partnership_changes.csv"
    result = list(participations)
    for line, row in rows(directory / name, ("iso3", "framework", "change", "date", "note", "source")):
        code = FRAMEWORK_CODES.get(row["framework"])
        if code is None:
            raise DataFileError(name, line, "framework", f"unknown framework {row['framework']!r}")
        when, _ = parse_date(row["date"], file=name, line=line, field="date")
        if when is None:
            raise DataFileError(name, line, "date", "a change needs a date")
        open_spells = [
            i for i, p in enumerate(result) if p.framework == code and p.iso3 == row["iso3"] and p.end is None
        ]
        change = row["change"]
        if change in (ParticipationEnd.WITHDREW, ParticipationEnd.SUSPENDED):
            if not open_spells:
                raise DataFileError(name, line, "iso3", f"{row['iso3']} has no open {code} participation to end")
            index = open_spells[-1]
            spell = result[index]
            if spell.start is not None and when <= spell.start:
                raise DataFileError(name, line, "date", f"{when} is not after the spell's start {spell.start}")
            note = f"{spell.note}; {row['note']}".strip("; ")
            result[index] = replace(
                spell, end=when, end_reason=change, note=note, source=f"{spell.source}; {row['source']}"
            )
        elif change == "rejoined":
            result.append(
                ParticipationRecord(code, row["iso3"], when, DatePrecision.DAY, None, "", row["note"], row["source"])
            )
        else:
            raise DataFileError(name, line, "change", f"unknown change {change!r} (withdrew, suspended, rejoined)")
    return result


def apply_start_dates(
    directory: Path, known: set[str], participations: list[ParticipationRecord]
) -> list[ParticipationRecord]:
    """Give each spell the start date a source gives, where the NATO table has none.

    The table lists the Istanbul Cooperation Initiative and the partners across the globe without
    dates; ``partnership_dates.csv`` gives each its own, with its precision and source.
    """
    name = "partnership_dates.csv"
    result = list(participations)
    for line, row in rows(directory / name, ("iso3", "framework", "start", "note", "source")):
        code = FRAMEWORK_CODES.get(row["framework"])
        if code is None:
            raise DataFileError(name, line, "framework", f"unknown framework {row['framework']!r}")
        if row["iso3"] not in known:
            raise DataFileError(name, line, "iso3", f"{row['iso3']!r} is not a known state code")
        start, precision = parse_date(row["start"], file=name, line=line, field="start", allow_month=True)
        if start is None:
            raise DataFileError(name, line, "start", "a start date is what this file gives")
        undated = [i for i, p in enumerate(result) if p.framework == code and p.iso3 == row["iso3"] and p.start is None]
        if not undated:
            raise DataFileError(name, line, "iso3", f"{row['iso3']} has no undated {code} participation to date")
        spell = result[undated[0]]
        result[undated[0]] = replace(
            spell, start=start, start_precision=precision, note=row["note"], source=f"{spell.source}; {row['source']}"
        )
    return result


def end_on_accession(
    participations: list[ParticipationRecord], memberships: list[MembershipRecord]
) -> list[ParticipationRecord]:
    """End each NATO partnership spell on the day its state joined NATO.

    The shipped table gives PfP start dates only; a partner stops being a partner when it becomes
    an ally, so the accession date is the spell's end (first day out).
    """
    accession = {m.iso3: m.joined for m in memberships if m.organisation == NATO}
    result = []
    for spell in participations:
        joined = accession.get(spell.iso3)
        if joined is not None and spell.end is None and (spell.start is None or spell.start < joined):
            spell = replace(spell, end=joined, end_reason=ParticipationEnd.JOINED_ALLIANCE)
        result.append(spell)
    return result


def read_registry(directory: Path = REGISTRY_DIR) -> RegistryData:
    """Read and check every registry file; raise ``DataFileError`` at the first problem."""
    states = read_states(directory) + read_historical_states(directory)
    known = {s.iso3 for s in states}
    names = read_state_names(directory, known)
    memberships, raw_participations = read_nato_table(directory, known)
    memberships += read_eu(directory, known)
    dated = apply_start_dates(directory, known, raw_participations)
    # Changes next (Malta's return opens a new spell), then accession ends whatever is open.
    participations = end_on_accession(apply_changes(directory, dated), memberships)
    return RegistryData(
        states=with_current_names(states, names),
        state_names=names,
        organisations=read_organisations(directory),
        frameworks=read_frameworks(directory),
        memberships=memberships,
        participations=participations,
    )
