"""Every reader refuses, up front and in words, what would cost more than ~10 s or 500 MB.

The limits themselves were set by measuring each reader on its worst-case file just under the
limit (tests/perf/bench_readers_worst.py); here each refusal is exercised with small limits.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.core.errors import ImportFailed
from app.io.readers import Limits, ReadOptions, read_inputs
from app.io.readers.options import MB
from app.io.readers.table import MAX_COLUMNS
from tests.io.corpus import docx_bytes


def _refusal(path: Path, options: ReadOptions) -> str:
    [result] = read_inputs([path], options)
    assert result.documents == [] and result.error is not None and "\n" not in result.error
    return result.error


def test_the_default_limits_are_the_measured_ones() -> None:
    limits = Limits()
    assert limits.text_file_bytes == 16 * MB  # 2,000,000 characters × 8 bytes (UTF-32 and CRLF)
    assert limits.table_file_bytes == 100 * MB and limits.records_per_file == 50_000
    assert limits.archive_members == 40_000 and limits.html_elements == 15_000


@pytest.mark.parametrize("suffix, make", [
    (".csv", lambda n: "text,title\n" + "".join(f"Article {i} text,T{i}\n" for i in range(n))),
    (".tsv", lambda n: "text\ttitle\n" + "".join(f"Article {i} text\tT{i}\n" for i in range(n))),
    (".jsonl", lambda n: "".join(json.dumps({"text": f"Article {i} text"}) + "\n" for i in range(n))),
    (".json", lambda n: json.dumps([{"text": f"Article {i} text"} for i in range(n)])),
])
def test_too_many_articles_in_one_file(suffix: str, make, tmp_path: Path) -> None:
    options = ReadOptions(limits=Limits(records_per_file=20))
    ok = tmp_path / f"ok{suffix}"
    ok.write_text(make(20), encoding="utf-8")
    [result] = read_inputs([ok], options)
    assert len(result.documents) == 20
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(make(21), encoding="utf-8")
    assert _refusal(bad, options) == "more than 20 articles in one file (the limit); split the file"


def test_a_csv_line_longer_than_any_article_is_refused_before_it_is_split(tmp_path: Path) -> None:
    options = ReadOptions(max_article_chars=1_000)
    path = tmp_path / "wide.csv"
    path.write_text("text\n" + "," * (2 * MB) + "\n", encoding="utf-8")
    assert re.fullmatch(r"line 2 is 2,097,153 characters long, more than the limit of 1,048,576 "
                        r"\(an article has at most 1,000\)", _refusal(path, options))


def test_a_csv_field_longer_than_any_article_is_refused(tmp_path: Path) -> None:
    options = ReadOptions(max_article_chars=1_000)
    path = tmp_path / "long.csv"
    path.write_text('text\n"' + "a\n" * (MB // 2 + 10) + '"\n', encoding="utf-8")  # many short lines, one field
    assert "a field of more than 1,048,576 characters (an article has at most 1,000)" in _refusal(path, options)


def test_a_header_with_too_many_columns(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("text," + ",".join(f"c{i}" for i in range(MAX_COLUMNS)) + "\nx\n", encoding="utf-8")
    assert _refusal(path, ReadOptions()) == f"the header has {MAX_COLUMNS + 1:,} columns, more than the limit of 10,000"


def test_json_with_too_many_values_is_refused_before_parsing(tmp_path: Path) -> None:
    options = ReadOptions(limits=Limits(json_values=100))
    path = tmp_path / "lists.json"
    path.write_text("[" + ",".join(["[]"] * 200) + "]", encoding="utf-8")
    assert _refusal(path, options).startswith("too many JSON values to read in memory (about 400, the limit is 100)")
    line = tmp_path / "lists.jsonl"
    line.write_text('{"text": "ok"}\n{"text": "x", "m": [' + ",".join(["[]"] * 200) + "]}\n", encoding="utf-8")
    assert _refusal(line, options).startswith("line 2: too many JSON values")


def test_a_text_file_over_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * (MB // 5 + 1))
    assert _refusal(path, ReadOptions(limits=Limits(text_file_bytes=1 * MB))).startswith(
        "the file is 1.0 MB, more than the limit of 1 MB for .txt files")


def test_a_docx_whose_text_part_is_too_big_or_has_too_many_tags(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes(*[f"Paragraph {i} of the report." for i in range(300)]))
    assert read_inputs([path], ReadOptions())  # fine with the defaults
    with pytest.raises(ImportFailed, match=r"DOCX part word/\w+\.xml: it unpacks to"):
        _raise(path, ReadOptions(limits=Limits(docx_xml_bytes=20_000)))
    message = _refusal(path, ReadOptions(limits=Limits(docx_tags=500)))
    assert re.fullmatch(r"the document has [\d,]+ XML tags, more than the limit of 500 \(save its text as \.txt "
                        r"to import it\)", message)


def _raise(path: Path, options: ReadOptions) -> None:
    [result] = read_inputs([path], options)
    if result.error:
        raise ImportFailed(result.error)
