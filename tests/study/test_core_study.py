"""The pure assignment rules (app.core.study), against hand computations."""

from __future__ import annotations

import random

import pytest

from app.core.errors import ClaimcoderError
from app.core.study import (
    DocInfo,
    Handed,
    SampleSpec,
    allocate,
    draw_sample,
    parse_sample,
    plan_round,
    sample_size,
    split_by_length,
    stratum_of,
)


def test_sample_share_or_count() -> None:
    assert parse_sample("0.2") == SampleSpec(share=0.2)
    assert parse_sample("50") == SampleSpec(count=50)
    assert parse_sample("1.0") == SampleSpec(share=1.0)
    for bad in ("abc", "-3", "1.5", "2.5"):
        with pytest.raises(ClaimcoderError):
            parse_sample(bad)


def test_sample_size_rounds_half_up_and_a_count_tops_up() -> None:
    assert sample_size(SampleSpec(share=0.2), 20, 0) == 4
    assert sample_size(SampleSpec(share=0.25), 10, 0) == 3  # 2.5 → 3 (not banker's 2)
    assert sample_size(SampleSpec(count=50), 30, 0) == 30  # never more than there is
    assert sample_size(SampleSpec(count=50), 100, 45) == 5  # what the sample still lacks


def test_largest_remainder_allocation() -> None:
    # 5 places over strata of 6, 3, 1: exact 3.0, 1.5, 0.5 → 3, 1, 0 and one left over; b and c tie
    # at .5 and b comes first by name.
    assert allocate(5, {"a": 6, "b": 3, "c": 1}) == {"a": 3, "b": 2, "c": 0}
    assert allocate(0, {"a": 2}) == {"a": 0}


def test_draw_is_python_random_sample_in_project_order() -> None:
    docs = [DocInfo(f"d{i}", i, 100) for i in range(10)]
    expected = random.Random("claimcoder:3:1:sample").sample(docs, 4)
    got = draw_sample(docs, 4, random.Random("claimcoder:3:1:sample"))
    assert got == [d.id for d in sorted(expected, key=lambda d: d.position)]


def test_stratified_draw_respects_the_quota() -> None:
    docs = [DocInfo(f"d{i}", i, 100, "A" if i < 6 else "B") for i in range(10)]
    got = draw_sample(docs, 5, random.Random(1))
    strata = [d.stratum for d in docs if d.id in got]
    assert strata.count("A") == 3 and strata.count("B") == 2  # 5·6/10 = 3, 5·4/10 = 2


def test_split_longest_first_to_the_lightest_coder() -> None:
    docs = [DocInfo("a", 1, 10), DocInfo("b", 2, 9), DocInfo("c", 3, 8), DocInfo("d", 4, 1)]
    # 10 → x (x=10); 9 → y (y=9); 8 → y (y=17); 1 → x (x=11)
    assert split_by_length(docs, ["x", "y"], {}) == {"x": ["a", "d"], "y": ["b", "c"]}
    # earlier work counts: x already has 100 characters
    assert split_by_length(docs, ["x", "y"], {"x": 100}) == {"x": [], "y": ["a", "b", "c", "d"]}


def test_strata_by_source_month_and_metadata() -> None:
    kw = {"source": "AP", "published": "2026-03-14", "metadata": {"desk": "world"}}
    assert stratum_of("source", **kw) == "AP"
    assert stratum_of("month", **kw) == "2026-03"
    assert stratum_of("desk", **kw) == "world"
    assert stratum_of("missing", **kw) == ""


def test_a_plan_is_reproducible_and_extends_without_moving_anything() -> None:
    docs = [DocInfo(f"d{i:02d}", i, 100 + 7 * i) for i in range(20)]
    one = plan_round(docs, ["ana", "ben", "cem"], SampleSpec(share=0.2), 42, 1)
    again = plan_round(docs, ["ana", "ben", "cem"], SampleSpec(share=0.2), 42, 1)
    assert one == again
    assert len(one.sample) == 4
    for c in ("ana", "ben", "cem"):
        assert set(one.sample) <= set(one.packages[c])
    rest = [d for c in one.packages for d in one.packages[c] if d not in one.in_sample]
    assert sorted(rest) == sorted(d.id for d in docs if d.id not in one.in_sample)  # each once
    handed = [Handed(d, c, d in one.in_sample) for c, ids in one.packages.items() for d in ids]
    more = docs + [DocInfo(f"n{i}", 100 + i, 500) for i in range(5)]
    two = plan_round(more, ["ana", "ben", "cem", "dan"], SampleSpec(share=0.2), 42, 2, handed)
    assert two.sample and set(two.sample) <= {f"n{i}" for i in range(5)}  # ⌊0.2·5 + ½⌋ = 1
    assert len(two.sample) == 1
    assert set(one.in_sample) <= set(two.packages["dan"])  # the new coder gets the old sample too
    for c in ("ana", "ben", "cem"):
        assert not set(two.packages[c]) & set(one.packages[c])  # nothing handed out is handed again
