from __future__ import annotations

import pytest

from app.io.readers.dates import parse_published


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2023-10-13", "2023-10-13"),
        ("2023-10-13T23:30:00-05:00", "2023-10-13"),  # the date as written, never shifted to UTC
        ("2023/10/13", "2023-10-13"),
        ("13 October 2023", "2023-10-13"),
        ("October 13, 2023", "2023-10-13"),
        ("Friday, October 13th, 2023", "2023-10-13"),
        ("Oct. 13, 2023", "2023-10-13"),
        ("13.10.2023", "2023-10-13"),
        ("3.1.2024 14:00", "2024-01-03"),
        ("13/10/2023", "2023-10-13"),
        ("10/13/2023", "2023-10-13"),
        ("Fri, 13 Oct 2023 10:00:00 +0000", "2023-10-13"),
        ("13. Oktober 2023", "2023-10-13"),
        ("1er octobre 2023", "2023-10-01"),
        ("13 октября 2023 г.", "2023-10-13"),
        # not certain, kept as written
        ("10/11/2023", "10/11/2023"),
        ("2023", "2023"),
        ("yesterday", "yesterday"),
        ("2023-02-30", "2023-02-30"),
        ("  13   October  2023 ", "2023-10-13"),
    ],
)
def test_dates(raw: str, iso: str) -> None:
    assert parse_published(raw) == iso


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_dates_are_none(raw: str | None) -> None:
    assert parse_published(raw) is None
