"""The calendar of networks: document dates, duplicate periods and time windows.

Periods always include the year: 2020-12-31 and 2021-01-01 fall in ISO week 2020-W53 together,
while January 2020 and January 2021 are different months (DNA compared the week or month
number alone). Windows are half-open date intervals ``[start, start + width)`` moved by ``step``;
a statement belongs to every window its document's date falls in. Because a window holds
*every* statement of every day it covers, no tie-break between statements of the same day is
needed: the windows are the same on every run.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from app.core.networks.options import Span

UNDATED = -1  # the one period shared by statements whose document has no usable date


def parse_date(text: object) -> date | None:
    """A document's ``published`` as a date: ISO ``YYYY-MM-DD``, optionally followed by a time."""
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def period_key(day: date | None, duplicates: str) -> int:
    """The period ``day`` is in, as one integer that includes the year."""
    if day is None:
        return UNDATED
    if duplicates == "week":
        iso = day.isocalendar()
        return iso.year * 100 + iso.week
    if duplicates == "month":
        return day.year * 100 + day.month
    if duplicates == "year":
        return day.year
    raise ValueError(duplicates)


def add(day: date, span: Span, times: int = 1) -> date:
    """``day`` moved by ``times`` × ``span``; a month step from the 31st lands on the month's last day."""
    n = span.count * times
    if span.unit == "days":
        return day + timedelta(days=n)
    if span.unit == "weeks":
        return day + timedelta(weeks=n)
    months = day.month - 1 + (n if span.unit == "months" else 12 * n)
    year, month = day.year + months // 12, months % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_start(day: date, unit: str) -> date:
    """The first day of the calendar unit ``day`` is in (Monday for weeks)."""
    if unit == "weeks":
        return day - timedelta(days=day.weekday())
    if unit == "months":
        return day.replace(day=1)
    if unit == "years":
        return day.replace(month=1, day=1)
    return day


def windows(first: date, last: date, width: Span, step: Span, *, anchored: bool) -> list[tuple[date, date]]:
    """``[start, end)`` intervals covering ``first``…``last``.

    The first window starts at ``first`` when the user gave ``--from`` (``anchored``), else at
    the start of the calendar unit of the earliest date (a Monday, the 1st of a month, 1 January)
    so monthly windows are calendar months. Windows follow every ``step`` until one starts after
    ``last``; the last may reach past the data.
    """
    start = first if anchored else period_start(first, width.unit)
    out: list[tuple[date, date]] = []
    n = 0
    while True:
        s = add(start, step, n)
        if s > last:
            break
        out.append((s, add(s, width)))
        n += 1
    return out
