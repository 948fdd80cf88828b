"""Read the shipped UN General Assembly votes and ideal points (``data/assessment/``, SOURCES.md).

The votes are keyed by the source's ISO alpha-2 codes and the ideal points by Correlates of War
abbreviations; ``selectors`` maps both to the registry's ISO alpha-3 codes. A year is a session's
year, as in the source: session 55 opened in September 2000 and is the year 2000 (its December
votes and those of the next summer alike). A malformed line stops the read with a
``DataFileError`` naming file, line and field; nothing is guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from comity.assessment.cohesion import ABSENT, VOTE_CODES
from comity.data import PACKAGE_DATA
from comity.registry.loader import DataFileError, require, rows

ASSESSMENT_DIR = PACKAGE_DATA / "assessment"
VOTES = "un_votes_sessions55_74.csv.gz"
ROLL_CALLS = "un_roll_calls_sessions55_74.csv"
IDEALPOINTS = "unvoting_idealpoints_qss.csv.gz"
#: The UN's sessions start in September of the year ``session + SESSION_YEAR_OFFSET``.
SESSION_YEAR_OFFSET = 1945


@dataclass(frozen=True)
class SourceYear:
    """One session-year of roll calls: a row of vote codes per source code, a column per roll call."""

    year: int
    codes: tuple[str, ...]
    roll_calls: tuple[int, ...]
    matrix: np.ndarray


def _field(row: dict[str, str], name: str, pattern: str, what: str, *, file: str, line: int) -> str:
    return require(row[name], pattern, file=file, line=line, field=name, what=what)


def read_roll_call_years(directory: Path = ASSESSMENT_DIR) -> dict[int, int]:
    """Each roll call's session-year."""
    years: dict[int, int] = {}
    for line, row in rows(directory / ROLL_CALLS, ("rcid", "session")):
        rcid = int(_field(row, "rcid", r"\d{1,7}", "a roll-call id", file=ROLL_CALLS, line=line))
        session = int(_field(row, "session", r"\d{1,3}", "a session number", file=ROLL_CALLS, line=line))
        years[rcid] = session + SESSION_YEAR_OFFSET
    return years


def read_votes(directory: Path = ASSESSMENT_DIR) -> dict[int, SourceYear]:
    """Every session-year's vote matrix; a vote on a roll call the roll-call file lacks is an error."""
    years = read_roll_call_years(directory)
    votes: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for line, row in rows(directory / VOTES, ("rcid", "country_code", "vote")):
        rcid = int(_field(row, "rcid", r"\d{1,7}", "a roll-call id", file=VOTES, line=line))
        code = _field(row, "country_code", r"[A-Z]{2}", "an alpha-2 code", file=VOTES, line=line)
        if row["vote"] not in VOTE_CODES:
            raise DataFileError(VOTES, line, "vote", f"{row['vote']!r} is not yes, abstain or no")
        if rcid not in years:
            raise DataFileError(VOTES, line, "rcid", f"roll call {rcid} is not in {ROLL_CALLS}")
        votes[years[rcid]][code][rcid] = VOTE_CODES[row["vote"]]
    result: dict[int, SourceYear] = {}
    for year, by_code in sorted(votes.items()):
        roll_calls = tuple(sorted({rcid for cast in by_code.values() for rcid in cast}))
        column = {rcid: index for index, rcid in enumerate(roll_calls)}
        codes = tuple(sorted(by_code))
        matrix = np.full((len(codes), len(roll_calls)), ABSENT, dtype=np.int8)
        for index, code in enumerate(codes):
            for rcid, vote in by_code[code].items():
                matrix[index, column[rcid]] = vote
        result[year] = SourceYear(year, codes, roll_calls, matrix)
    return result


#: The QSS extract keeps the Federal Republic's abbreviation GFR after 1990, where COW (and the
#: registry) call unified Germany GMY: the same state, so its later rows are Germany's.
IDEALPOINT_ABBREVIATIONS = {"GFR": "GMY"}
GERMAN_UNIFICATION_YEAR = 1990


def read_idealpoints(directory: Path = ASSESSMENT_DIR) -> dict[int, dict[str, float]]:
    """Each year's ideal point per COW abbreviation (Bailey, Strezhnev & Voeten, 1946-2012).

    A state with two different rows in one year (Nauru, 2000-2012, in the extract) gets none: which
    row is right is not known, and the other would be a guess.
    """
    points: dict[int, dict[str, float]] = defaultdict(dict)
    ambiguous: set[tuple[int, str]] = set()
    for line, row in rows(directory / IDEALPOINTS, ("Year", "CountryAbb", "idealpoint")):
        year = int(_field(row, "Year", r"(19|20)\d\d", "a year", file=IDEALPOINTS, line=line))
        abb = _field(row, "CountryAbb", r"[A-Z]{3,4}", "a COW abbreviation", file=IDEALPOINTS, line=line)
        number = _field(row, "idealpoint", r"-?\d+(\.\d+)?", "a number", file=IDEALPOINTS, line=line)
        if year > GERMAN_UNIFICATION_YEAR:
            abb = IDEALPOINT_ABBREVIATIONS.get(abb, abb)
        if abb in points[year]:
            ambiguous.add((year, abb))
        points[year][abb] = float(number)
    for year, abb in ambiguous:
        del points[year][abb]
    return dict(points)
