"""The dateline that opens a lede: where the story was filed and, when it says, on which day.

    SPRINGFIELD, Ill. — Mayor Jane Roe said …
    SPRINGFIELD, Ill.—Jane Roe said …
    Springfield, Illinois, March 3, 2014 - The mayor …
    LONDON (Reuters) - The Bank of England …      (ingest has already taken the agency out)
    Taipei, Taiwan — Thousands of lanterns …

A dateline is a place (one to four comma-separated capitalised parts), an optional date, an
optional agency in brackets, and a dash. So that an ordinary opening (`Barack Obama - the
president - said`) is not read as one, it must also show a dateline's marks: a place in
capitals, a date, an agency, or a place of two parts (`City, Country`). The text keeps the
dateline; extraction parses it apart from the sentence after it, so the first name of the
lede is read as a name, not as the end of a place.
"""

from __future__ import annotations

import datetime

from build_tools import patterns
from build_tools.model import Dateline

MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


def parse(lede: str) -> Dateline | None:
    match = patterns.DATELINE_OPENING.match(lede)
    if match is None:
        return None
    place = match["place"].strip().rstrip(",")
    day = _date(match["month"], match["day"], match["year"]) if match["month"] else None
    if match["month"] and day is None:
        return None  # `May 40, 2014` is no date, so this is no dateline
    shouted = place.split(",")[0].isupper() and len(place.split(",")[0]) > 2
    if not (shouted or day or match["agency"] or "," in place):
        return None
    return Dateline(place, day, match.end())


def _date(month: str, day: str, year: str) -> datetime.date | None:
    number = MONTHS.get(month.lower().rstrip("."))
    try:
        return datetime.date(int(year), number, int(day)) if number else None
    except ValueError:
        return None
