"""Read the shipped defence-expenditure files into ``burden.Figure`` records, each with its provenance.

No database: the files are public reference facts that change only with a new release of comity
(``docs/assessment.md`` says why they are not loaded into tables). Every figure takes its source,
edition and estimate/verified flags from ``editions.csv``, so a figure without a provenance row,
or a file that disagrees with it (a ``2024e`` column not marked as an estimate), stops the read
with a ``DataFileError`` naming file, line and field.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from comity.assessment.burden import Figure, Measure, Provenance
from comity.data import PACKAGE_DATA
from comity.registry.loader import DataFileError, require, rows

ASSESSMENT_DIR = PACKAGE_DATA / "assessment"
NATO_TABLE = "nato_defence_expenditure_pct_gdp_2014_2024.csv"
NATO_CODES = "nato_table_country_codes.csv"
PASSPORT = "nato_defence_expenditure_2012_2019_passport.csv"
SIPRI = "sipri_milex_share_gdp_nato_2012_2024.csv"
EDITIONS = "editions.csv"
YES_NO = {"yes": True, "no": False}


@dataclass(frozen=True)
class _Edition:
    file: str
    first_year: int
    last_year: int
    measure: Measure
    provenance: Provenance


def _year(text: str, *, file: str, line: int, field: str) -> int:
    return int(require(text, r"(19|20)\d\d", file=file, line=line, field=field, what="a year"))


def _flag(text: str, *, file: str, line: int, field: str) -> bool:
    if text not in YES_NO:
        raise DataFileError(file, line, field, f"{text!r} is not yes or no")
    return YES_NO[text]


def read_editions(directory: Path) -> list[_Edition]:
    result: list[_Edition] = []
    fields = ("file", "first_year", "last_year", "measure", "source", "edition", "estimate", "verified", "note")
    for line, row in rows(directory / EDITIONS, fields):
        first = _year(row["first_year"], file=EDITIONS, line=line, field="first_year")
        last = _year(row["last_year"], file=EDITIONS, line=line, field="last_year")
        if last < first:
            raise DataFileError(EDITIONS, line, "last_year", "comes before first_year")
        if row["measure"] not in set(Measure):
            raise DataFileError(EDITIONS, line, "measure", f"unknown measure {row['measure']!r}")
        require(row["edition"], r"\d{4}(-\d{2})?", file=EDITIONS, line=line, field="edition", what="YYYY or YYYY-MM")
        if not row["source"]:
            raise DataFileError(EDITIONS, line, "source", "every figure names its source")
        provenance = Provenance(
            source=row["source"],
            edition=row["edition"],
            estimate=_flag(row["estimate"], file=EDITIONS, line=line, field="estimate"),
            verified=_flag(row["verified"], file=EDITIONS, line=line, field="verified"),
            note=row["note"],
        )
        edition = _Edition(row["file"], first, last, Measure(row["measure"]), provenance)
        if any(_overlaps(edition, other) for other in result):
            raise DataFileError(EDITIONS, line, "first_year", "overlaps another row of the same file and measure")
        result.append(edition)
    return result


def _overlaps(a: _Edition, b: _Edition) -> bool:
    same = (a.file, a.measure) == (b.file, b.measure)
    return same and a.first_year <= b.last_year and b.first_year <= a.last_year


class _Provenances:
    """The provenance of each (file, measure, year), or a located error when there is none."""

    def __init__(self, editions: list[_Edition]) -> None:
        self.editions = editions

    def of(self, file: str, measure: Measure, year: int, *, line: int, field: str) -> Provenance:
        for edition in self.editions:
            if (edition.file, edition.measure) == (file, measure) and edition.first_year <= year <= edition.last_year:
                return edition.provenance
        raise DataFileError(file, line, field, f"no row of {EDITIONS} gives the provenance of {measure} in {year}")


def _value(text: str, *, file: str, line: int, field: str) -> float | None:
    """A share in per cent; an empty cell is a missing figure (never a zero)."""
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(file, line, field, f"{text!r} is not a number") from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise DataFileError(file, line, field, f"{text!r} is not a share in per cent (0 to 100)")
    return value


def _nato_table(directory: Path, provenances: _Provenances) -> Iterator[Figure]:
    """The wide 2014-2024 table: one row per country, one column per year (``2024e``: estimate)."""
    codes: dict[str, str] = {}
    for line, row in rows(directory / NATO_CODES, ("country", "iso3", "note")):
        if row["iso3"]:
            require(row["iso3"], "[A-Z]{3}", file=NATO_CODES, line=line, field="iso3", what="an alpha-3 code")
        codes[row["country"]] = row["iso3"]
    for line, row in rows(directory / NATO_TABLE, ("Country",)):
        if row["Country"] not in codes:
            raise DataFileError(NATO_TABLE, line, "Country", f"{row['Country']!r} is not in {NATO_CODES}")
        iso3 = codes[row["Country"]]
        if not iso3:  # an aggregate (NATO Total, NATO Europe and Canada), not an Ally
            continue
        for column, text in row.items():
            if column == "Country":
                continue
            year = _year(column.removesuffix("e"), file=NATO_TABLE, line=1, field=column)
            provenance = provenances.of(NATO_TABLE, Measure.DEFENCE_SHARE_GDP, year, line=line, field=column)
            if column.endswith("e") and not provenance.estimate:
                raise DataFileError(EDITIONS, 0, "estimate", f"{NATO_TABLE} marks {column} as an estimate")
            value = _value(text, file=NATO_TABLE, line=line, field=column)
            if value is not None:
                yield Figure(iso3, year, Measure.DEFENCE_SHARE_GDP, value, provenance)


PASSPORT_COLUMNS = {
    Measure.DEFENCE_SHARE_GDP: "Defense expenditure (% real GDP)",
    Measure.EQUIPMENT_SHARE: "Equipment expenditure (%)",
}


def _passport(directory: Path, provenances: _Provenances) -> Iterator[Figure]:
    """The long 2012-2019 table; its STANAG 1059 codes are the ISO alpha-3 codes of these Allies."""
    for line, row in rows(directory / PASSPORT, ("country_stanag", "year", *PASSPORT_COLUMNS.values())):
        iso3 = require(
            row["country_stanag"], "[A-Z]{3}", file=PASSPORT, line=line, field="country_stanag", what="a code"
        )
        year = _year(row["year"], file=PASSPORT, line=line, field="year")
        for measure, column in PASSPORT_COLUMNS.items():
            value = _value(row[column], file=PASSPORT, line=line, field=column)
            if value is not None:
                provenance = provenances.of(PASSPORT, measure, year, line=line, field=column)
                yield Figure(iso3, year, measure, value, provenance)


def _sipri(directory: Path, provenances: _Provenances) -> Iterator[Figure]:
    share = "Military expenditure (% of GDP)"
    for line, row in rows(directory / SIPRI, ("Code", "Year", share)):
        iso3 = require(row["Code"], "[A-Z]{3}", file=SIPRI, line=line, field="Code", what="an alpha-3 code")
        year = _year(row["Year"], file=SIPRI, line=line, field="Year")
        value = _value(row[share], file=SIPRI, line=line, field=share)
        if value is not None:
            provenance = provenances.of(SIPRI, Measure.SIPRI_SHARE_GDP, year, line=line, field=share)
            yield Figure(iso3, year, Measure.SIPRI_SHARE_GDP, value, provenance)


def read_burden_figures(directory: Path = ASSESSMENT_DIR) -> list[Figure]:
    """Every shipped figure, or ``DataFileError`` for the first one that cannot be read."""
    provenances = _Provenances(read_editions(directory))
    figures: dict[tuple[str, int, Measure, str], Figure] = {}
    for file, read in ((NATO_TABLE, _nato_table), (PASSPORT, _passport), (SIPRI, _sipri)):
        for figure in read(directory, provenances):
            key = (figure.iso3, figure.year, figure.measure, figure.provenance.edition)
            if key in figures:
                raise DataFileError(file, 0, figure.iso3, f"two figures of {figure.measure} in {figure.year}")
            figures[key] = figure
    return list(figures.values())
