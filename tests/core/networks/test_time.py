"""Duplicates per period (the year always part of it), date ranges and time windows."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.networks.options import NetworkOptionError, Span
from app.core.networks.periods import add, period_key, windows

from .helpers import build, data

DATES = {"d1": "2020-12-31", "d2": "2021-01-01", "d3": "2021-12-31", "d4": "2020-12-31"}
# A says demand/support in d1 twice, in d2, d3 and d4; B once in d1
DUP = [("A", "demand", "support", "d1"), ("A", "demand", "support", "d1"), ("A", "demand", "support", "d2"),
       ("A", "demand", "support", "d3"), ("A", "demand", "support", "d4"), ("B", "demand", "support", "d1")]


def tie(duplicates: str) -> float:
    return float(build(data(DUP, dates=DATES), duplicates=duplicates).networks[0].matrix()[0, 1])


def test_iso_week_spans_the_new_year() -> None:
    assert period_key(date(2020, 12, 31), "week") == period_key(date(2021, 1, 1), "week") == 202053
    assert period_key(date(2020, 1, 8), "week") != period_key(date(2021, 1, 13), "week")  # both week 2
    assert period_key(date(2020, 12, 1), "month") != period_key(date(2021, 12, 1), "month")


def test_duplicates_per_period() -> None:
    # A's five identical statements fall in documents d1, d2, d3, d4 (4), ISO weeks 2020-W53
    # (d1, d2, d4) and 2021-W52 (d3) (2), months 2020-12, 2021-01, 2021-12 (3), years 2020, 2021 (2).
    # B has one statement, so the tie is A's count.
    assert tie("all") == 5
    assert tie("document") == 4
    assert tie("week") == 2
    assert tie("month") == 3
    assert tie("year") == 2


def test_duplicates_keep_different_stances_apart() -> None:
    rows = [("A", "demand", "support", "d1"), ("A", "demand", "oppose", "d1"), ("B", "demand", "support", "d1")]
    net = build(data(rows, dates=DATES), duplicates="document", aggregation="ignore").networks[0]
    assert net.matrix()[0, 1] == 2


def test_date_range_is_inclusive_and_drops_undated() -> None:
    rows = DUP + [("A", "demand", "support", "d9"), ("B", "demand", "support", "d9")]
    s = build(data(rows, dates=DATES), date_from=date(2021, 1, 1), date_to=date(2021, 12, 31))
    assert s.n_undated == 2 and s.n_outside == 4
    assert s.networks[0].labels == ["A"]  # B spoke only on 2020-12-31 and in the undated d9


def test_month_arithmetic() -> None:
    assert add(date(2020, 1, 31), Span(1, "months")) == date(2020, 2, 29)
    assert add(date(2020, 1, 31), Span(1, "months"), 2) == date(2020, 3, 31)
    assert add(date(2020, 2, 29), Span(1, "years")) == date(2021, 2, 28)


def test_windows_start_at_the_calendar_unit() -> None:
    got = windows(date(2020, 1, 15), date(2020, 3, 5), Span(2, "months"), Span(1, "months"), anchored=False)
    assert got == [(date(2020, 1, 1), date(2020, 3, 1)), (date(2020, 2, 1), date(2020, 4, 1)),
                   (date(2020, 3, 1), date(2020, 5, 1))]
    weeks = windows(date(2020, 12, 31), date(2021, 1, 4), Span(1, "weeks"), Span(1, "weeks"), anchored=False)
    assert weeks == [(date(2020, 12, 28), date(2021, 1, 4)), (date(2021, 1, 4), date(2021, 1, 11))]
    assert windows(date(2020, 1, 15), date(2020, 1, 20), Span(3, "days"), Span(3, "days"), anchored=True)[-1] == \
        (date(2020, 1, 18), date(2020, 1, 21))


WIN_DATES = {"jan": "2020-01-15", "feb": "2020-02-10", "mar": "2020-03-05"}
WIN = [("A", "demand", "support", "jan"), ("B", "demand", "support", "jan"),
       ("A", "demand", "support", "feb"), ("C", "demand", "support", "feb"),
       ("B", "demand", "support", "mar"), ("C", "demand", "support", "mar")]


def test_monthly_windows() -> None:
    nets = build(data(WIN, dates=WIN_DATES), window=Span(1, "months")).networks
    assert [n.window for n in nets] == [(date(2020, 1, 1), date(2020, 2, 1)), (date(2020, 2, 1), date(2020, 3, 1)),
                                        (date(2020, 3, 1), date(2020, 4, 1))]
    assert [n.labels for n in nets] == [["A", "B"], ["A", "C"], ["B", "C"]]
    assert [n.matrix()[0, 1] for n in nets] == [1, 1, 1]


def test_overlapping_windows_and_isolates() -> None:
    nets = build(data(WIN, dates=WIN_DATES), window=Span(2, "months"), step=Span(1, "months"), isolates=True).networks
    assert all(n.labels == ["A", "B", "C"] for n in nets)
    # all on demand/support. Jan–Feb: A 2 (jan, feb), B 1, C 1 → A–B 2, A–C 2, B–C 1;
    # Feb–Mar: A 1, B 1 (mar), C 2 (feb, mar) → A–B 1, A–C 2, B–C 2; Mar–Apr: B 1, C 1 → B–C 1
    assert [n.matrix().tolist() for n in nets] == [
        [[0, 2, 2], [2, 0, 1], [2, 1, 0]], [[0, 1, 2], [1, 0, 2], [2, 2, 0]], [[0, 0, 0], [0, 0, 1], [0, 1, 0]]]


def test_windows_are_the_same_on_every_run() -> None:
    d = data(WIN, dates=WIN_DATES)
    first = [n.matrix().tolist() for n in build(d, window=Span(10, "days")).networks]
    assert first == [n.matrix().tolist() for n in build(d, window=Span(10, "days")).networks]


def test_step_needs_a_window() -> None:
    with pytest.raises(NetworkOptionError):
        build(data(WIN, dates=WIN_DATES), step=Span(1, "months"))
    with pytest.raises(NetworkOptionError):
        Span.parse("3q")
