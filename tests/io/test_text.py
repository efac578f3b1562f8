"""Plain text: encodings, titles, and every way a text file can be bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import ImportFailed
from app.io.readers import Limits, ReadOptions, plan_inputs, read_inputs
from app.io.readers.options import MB
from tests.io.corpus import FRENCH, GERMAN, RUSSIAN, write


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"Title\r\nBody\r\n", "Title\nBody\n"),
        (b"\xef\xbb\xbfTitle\nBody", "Title\nBody"),
        (b"\xff\xfe" + "Заголовок\r\nТекст".encode("utf-16-le"), "Заголовок\nТекст"),
        (b"\xfe\xff" + "Überschrift\rText".encode("utf-16-be"), "Überschrift\nText"),
        ("Überschrift\nText über Flüchtlinge".encode("utf-16-be"), "Überschrift\nText über Flüchtlinge"),
        (b"\xff\xfe\x00\x00" + "UTF-32 text".encode("utf-32-le"), "UTF-32 text"),
        (RUSSIAN.encode("cp1251"), RUSSIAN.replace("\r\n", "\n")),
        (RUSSIAN.replace("«", '"').replace("»", '"').encode("koi8-r"),
         RUSSIAN.replace("«", '"').replace("»", '"').replace("\r\n", "\n")),
        (FRENCH.encode("latin-1"), FRENCH),
        (GERMAN.encode("cp1252"), GERMAN),
        ("Kurz: hält".encode("latin-1"), "Kurz: hält"),  # too short for statistics
    ],
)
def test_encodings_decode_to_the_exact_text(read, data: bytes, text: str) -> None:
    [doc] = read(data)
    assert doc.text == text


def test_title_is_the_first_short_line_or_the_file_name(read) -> None:
    assert read("\n\n  Headline  \nBody")[0].title == "Headline"
    assert read("x" * 201 + "\nBody", name="folder/my-article.txt")[0].title == "my-article"
    assert read("# Big news\n\nBody", name="n.md")[0].title == "Big news"
    assert read("# Big news\n\nBody", name="n.md")[0].text == "# Big news\n\nBody"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b" \r\n\t\n", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b"\xff\xfe" + " \n".encode("utf-16-le"), "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary data, not text"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "binary data, not text"),
        (bytes(range(1, 32)) * 20, "binary data, not text"),
        (b"\xef\xbb\xbfvalid then \xff\xfe bad", "not valid UTF-8 (byte 11)"),
        (b"\xff\xfe" + b"\x00\xd8a\x00", "not valid UTF-16 (byte 0)"),  # a lone surrogate
    ],
)
def test_bad_text_files_fail_with_one_clear_line(read, data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        read(data)
    assert failure.value.message == message


def test_an_article_over_the_character_limit_names_the_limit(read) -> None:
    with pytest.raises(ImportFailed, match=r"has 1,001 characters, more than the limit of 1,000"):
        read("x" * 1001, options=ReadOptions(max_article_chars=1000))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = write(tmp_path / "big.txt", b"word " * (3 * MB // 10))
    [result] = read_inputs([big], ReadOptions(limits=Limits(text_file_bytes=1 * MB)))
    assert result.error == "the file is 1.5 MB, more than the limit of 1 MB for .txt files"


def test_the_default_limit_refuses_a_text_file_over_16_mb(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(16 * 1024 * 1024 + 1)
    [result] = read_inputs([big])
    assert result.error == "the file is 16.0 MB, more than the limit of 16 MB for .txt files"


def test_errors_name_the_problem_not_the_path(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", b"")
    [item] = plan_inputs([empty])
    [result] = read_inputs([item])
    assert result.origin == str(empty)
    assert result.error == "the file is empty"
    assert str(tmp_path) not in result.error


@pytest.mark.parametrize(("controls", "refused"), [(10, False), (11, True)])
def test_control_characters_over_one_percent_mean_binary(read, controls: int, refused: bool) -> None:
    # 1,000 characters; the limit is more than 1 in 100 of them (10). Form feeds, vertical tabs and
    # carriage returns are line breaks, not counted; DEL (0x7F) is.
    counted = ("\x01", "\x08", "\x0e", "\x1f", "\x7f")
    text = "".join(counted[i % 5] for i in range(controls)) + "\x0b\x0c" * 20
    text += "x" * (1000 - len(text))
    if refused:
        with pytest.raises(ImportFailed, match="binary data, not text"):
            read(text.encode())
    else:
        # C0 controls go, VT / FF become breaks, DEL is no C0 control and stays
        assert read(text.encode())[0].text == "\x7f\x7f" + "\n" * 40 + "x" * 950
