"""Publication dates to ISO ``YYYY-MM-DD`` for the formats news sources actually use.

A small explicit parser rather than ``dateutil``: dateutil's lenient parsing fills in missing
parts from today's date ("2023" becomes 2023-<today>) and guesses day/month order silently,
and a wrong date in a dataset is worse than a date left as it was written. Anything this module
does not recognise with certainty is kept verbatim.
"""

from __future__ import annotations

import re
from datetime import date

_MONTH_NAMES = {
    # English, German, French and Russian (nominative and genitive) month names, by month.
    1: "january jan januar jänner janvier janv январь января янв",
    2: "february feb februar février févr fév февраль февраля фев",
    3: "march mar märz mär mars март марта мар",
    4: "april apr avril avr апрель апреля апр",
    5: "may mai май мая",
    6: "june jun juni juin июнь июня июн",
    7: "july jul juli juillet juil июль июля июл",
    8: "august aug août aout август августа авг",
    9: "september sep sept septembre сентябрь сентября сен",
    10: "october oct oktober okt octobre октябрь октября окт",
    11: "november nov novembre ноябрь ноября ноя",
    12: "december dec dezember dez décembre déc декабрь декабря дек",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|[\s,])")  # 13.10.2023: always day first
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:$|[\s,])")  # 13/10/2023 or 10/13/2023
_WEEKDAY = r"(?:[^\W\d_]+\.?,?\s+)?"
_DAY_MONTH_YEAR = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})(?:$|\W)")
_MONTH_DAY_YEAR = re.compile(_WEEKDAY + r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:$|\W)")


def parse_published(value: object) -> str | None:
    """ISO date when the value is a recognised date, the value as text otherwise, None if empty.

    Recognised: ISO dates and datetimes (the date as written, never shifted to UTC), RFC 2822
    ("Fri, 13 Oct 2023 10:00:00 +0000"), "13 October 2023", "October 13, 2023", "13.10.2023",
    and "13/10/2023" when the day is above 12 (10/11/2023 could be either, so it stays as is).
    """
    if value is None:
        return None
    raw = " ".join(str(value).split())
    if not raw:
        return None
    return _parse(raw) or raw


def _parse(raw: str) -> str | None:
    if m := _ISO.match(raw):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if m := _DOTTED.match(raw):
        return _iso(int(m[3]), int(m[2]), int(m[1]))
    if m := _SLASHED.match(raw):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if first > 12 >= second:
            return _iso(year, second, first)
        if second > 12 >= first:
            return _iso(year, first, second)
        return None
    if (m := _DAY_MONTH_YEAR.match(raw)) and (month := MONTHS.get(m[2].lower())):
        return _iso(int(m[3]), month, int(m[1]))
    if (m := _MONTH_DAY_YEAR.match(raw)) and (month := MONTHS.get(m[1].lower())):
        return _iso(int(m[3]), month, int(m[2]))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
