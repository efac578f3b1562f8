"""CSV and TSV: column mapping, metadata, encodings, and bad rows named by line."""

from __future__ import annotations

import pytest

from app.core.errors import ClaimcoderError, ImportFailed
from app.io.readers import ReadOptions, parse_column_map
from tests.io.corpus import RUSSIAN, csv_text

HEADER = ["text", "title", "date", "source", "url", "section"]


def test_fields_are_mapped_and_other_columns_kept_as_metadata(read) -> None:
    data = csv_text([HEADER, ["Body one", "T1", "October 13, 2023", "Daily", "https://e.org/1", "world"]])
    [doc] = read(data, "a.csv")
    assert (doc.text, doc.title, doc.published, doc.source, doc.url) == (
        "Body one", "T1", "2023-10-13", "Daily", "https://e.org/1")
    assert doc.metadata == {"section": "world"}
    assert doc.origin == "a.csv:2"


def test_an_unparseable_date_is_kept_as_written(read) -> None:
    [doc] = read(csv_text([["text", "published"], ["Body", "last Tuesday"]]), "a.csv")
    assert doc.published == "last Tuesday"


def test_the_column_map_names_their_columns_for_our_fields(read) -> None:
    options = ReadOptions(column_map=parse_column_map(["text=Body", "title=headline", "published=when"]))
    data = csv_text([["id", "Headline", "body", "when"], ["7", "Big news", "It happened.", "13.10.2023"]])
    [doc] = read(data, "a.csv", options)
    assert (doc.text, doc.title, doc.published, doc.metadata) == ("It happened.", "Big news", "2023-10-13", {"id": "7"})


def test_a_mapped_column_that_is_missing_is_named(read) -> None:
    with pytest.raises(ImportFailed) as failure:
        read(csv_text([["a", "b"], ["1", "2"]]), "a.csv", ReadOptions(column_map={"text": "body"}))
    assert failure.value.message == "no 'body' column (mapped to text); columns are: a, b"


def test_without_a_text_column_the_message_lists_the_columns_and_the_fix(read) -> None:
    with pytest.raises(ImportFailed) as failure:
        read(csv_text([["a", "b", "c"], ["1", "2", "3"]]), "a.csv")
    assert failure.value.message == "no 'text' column; columns are: a, b, c — map one with --column text=NAME"


def test_quoted_newlines_line_numbers_and_semicolons(read) -> None:
    data = "text;title\r\n\"multi\r\nline; text\";First\r\n\r\nsecond;Second\r\n"
    docs = read(data, "a.csv")
    assert [(d.text, d.title, d.origin) for d in docs] == [
        ("multi\nline; text", "First", "a.csv:2"), ("second", "Second", "a.csv:5")]


def test_a_cp1251_csv_with_a_bom_free_header(read) -> None:
    data = csv_text([["text", "title"], [RUSSIAN, "Заголовок"]], ";").encode("cp1251")
    [doc] = read(data, "ru.csv")
    assert doc.text == RUSSIAN.replace("\r\n", "\n")
    assert doc.title == "Заголовок"


def test_excel_sep_hint_and_utf8_bom(read) -> None:
    data = b"\xef\xbb\xbfsep=|\r\nTEXT|Title\r\nbody|t\r\n"
    [doc] = read(data, "x.csv")
    assert (doc.text, doc.title, doc.origin) == ("body", "t", "x.csv:3")


def test_a_field_larger_than_the_csv_default_limit(read) -> None:
    body = "word " * 60_000  # 300,000 characters; csv refuses over 131,072 by default
    assert read(csv_text([["text"], [body]]), "big.csv")[0].text == body


def test_tsv_with_quotes_that_are_not_quoting(read) -> None:
    data = 'title\ttext\nQuote\t"We stay," the president said.\nOther\tplain\n'
    docs = read(data, "a.tsv")
    assert [d.text for d in docs] == ['"We stay," the president said.', "plain"]


def test_trailing_empty_cells_are_tolerated(read) -> None:
    assert read("text,title\nbody,t,,\n", "a.csv")[0].text == "body"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("text,title\nok,1\nshort\n", "line 3: 1 fields, but the header has 2"),
        ("text,title\nok,1\ntoo,many,fields\n", "line 3: 3 fields, but the header has 2"),
        ('text,title\nok,1\n"unterminated,2\nmore\n', "line 3: malformed CSV (unexpected end of data)"),
        ('text,title\n"quoted"junk,1\n', "line 2: malformed CSV (',' expected after '\"')"),
        ("text,title\nok,1\n ,2\n", "line 3: the text is empty"),
        ("text,title\n", "no articles in the file, only a header"),
        ("\n\n", "the file is empty"),
    ],
)
def test_bad_rows_fail_the_whole_file_naming_the_line(read, data: str, message: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        read(data, "bad.csv")
    assert failure.value.message == message


def test_an_article_over_the_limit_names_its_line(read) -> None:
    with pytest.raises(ImportFailed, match=r"^line 3: the article has 11 characters, more than the limit of 10$"):
        read("text\nshort\nmuch longer\n", "a.csv", ReadOptions(max_article_chars=10))


@pytest.mark.parametrize(
    ("items", "message"),
    [(["text"], "expected FIELD=COLUMN"), (["body=text"], "unknown field 'body'"), (["text="], "expected FIELD=COLUMN")],
)
def test_bad_column_options_are_user_errors(items: list[str], message: str) -> None:
    with pytest.raises(ClaimcoderError, match=message):
        parse_column_map(items)
