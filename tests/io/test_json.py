"""JSON Lines and JSON: shapes accepted, and broken lines or items named."""

from __future__ import annotations

import json

import pytest

from app.core.errors import ImportFailed
from app.io.readers import ReadOptions


def test_jsonl_lines_become_articles_with_metadata(read) -> None:
    lines = [
        {"text": "One\r\nbody", "title": "T1", "date": "Fri, 13 Oct 2023 10:00:00 +0000", "tags": ["a", "b"], "n": 3},
        {"Text": "Two", "URL": "https://e.org/2", "flag": True, "none": None},
    ]
    data = "\n".join(json.dumps(x) for x in lines) + "\n\n"
    one, two = read(data, "a.jsonl")
    assert (one.text, one.title, one.published, one.metadata) == ("One\nbody", "T1", "2023-10-13", {"tags": '["a","b"]', "n": 3})
    assert (two.text, two.title, two.url, two.metadata) == ("Two", "Two", "https://e.org/2", {"flag": True, "none": None})
    assert (one.origin, two.origin) == ("a.jsonl:1", "a.jsonl:2")


def test_u2028_inside_a_json_string_is_not_a_line_break(read) -> None:
    [doc] = read('{"text": "a\u2028b"}\n', "a.jsonl")
    assert doc.text == "a\u2028b"


@pytest.mark.parametrize(
    "value",
    [
        [{"text": "x"}],
        {"articles": [{"text": "x"}]},
        {"documents": [{"text": "x"}], "format": "something"},
        {"text": "x"},
    ],
)
def test_json_shapes(read, value: object) -> None:
    assert [d.text for d in read(json.dumps(value), "a.json")] == ["x"]


def test_json_with_a_column_map(read) -> None:
    [doc] = read(json.dumps({"body": "x", "headline": "h"}), "a.json", ReadOptions(column_map={"text": "body", "title": "headline"}))
    assert (doc.text, doc.title, doc.origin) == ("x", "h", "a.json#1")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.jsonl", '{"text": "ok"}\n{"text": "broken"\n', "line 2: not valid JSON (Expecting ',' delimiter at column 18)"),
        ("a.jsonl", '{"text": "ok"}\n[1, 2]\n', "line 2: expected a JSON object with a 'text' key, found an array"),
        ("a.jsonl", '{"body": "x", "id": 1}\n', "line 1: no 'text' key; keys are: body, id — map one with --column text=NAME"),
        ("a.jsonl", '{"text": 5}\n', "line 1: the text is not a string"),
        ("a.jsonl", '{"text": ""}\n', "line 1: the text is empty"),
        ("a.jsonl", "\n \n", "the file is empty"),
        ("a.json", '{"text": "x",}', "not valid JSON (line 1, column 14: Expecting property name enclosed in double quotes)"),
        ("a.json", '{"format": "claimcoder-export"}', "expected a JSON array of articles, or an object with an 'articles' or 'documents' array"),
        ("a.json", '"just a string"', "expected a JSON array of articles, or an object with an 'articles' or 'documents' array"),
        ("a.json", "[]", "no articles in the file (an empty list)"),
        ("a.json", '[{"text": "x"}, 3]', "article 2: expected a JSON object with a 'text' key, found a number"),
        ("a.json", "[" * 100_000 + "]" * 100_000, "not usable JSON (nested too deeply)"),
    ],
)
def test_bad_json_fails_with_the_line_or_item(read, name: str, data: str, message: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        read(data, name)
    assert failure.value.message == message
