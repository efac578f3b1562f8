"""Every format and encoding, read from a folder the way the import command reads it."""

from __future__ import annotations

from pathlib import Path

from app.core.text import is_normalized
from app.io.readers import plan_inputs, read_inputs
from tests.io.corpus import build_good_corpus


def test_every_format_and_encoding_reads_to_the_exact_normalised_text(tmp_path: Path) -> None:
    expected = build_good_corpus(tmp_path)
    results = {r.origin: r for r in read_inputs([tmp_path])}
    assert sorted(results) == sorted(expected)
    for origin, want in expected.items():
        result = results[origin]
        assert result.error is None, (origin, result.error)
        assert [d.text for d in result.documents] == want.texts, origin
        assert [d.title for d in result.documents] == want.titles, origin
        assert all(is_normalized(d.text) for d in result.documents)


def test_the_plan_counts_exactly_the_results(tmp_path: Path) -> None:
    build_good_corpus(tmp_path)
    items = plan_inputs([tmp_path])
    assert [i.origin for i in items] == [r.origin for r in read_inputs(items)]
