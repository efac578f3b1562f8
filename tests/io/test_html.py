"""HTML: article text and metadata through trafilatura; never markup, scripts or network."""

from __future__ import annotations

import socket

import pytest

from app.core.errors import ImportFailed
from tests.io.corpus import HTML_PAGE, HTML_TEXT


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to connect anywhere fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_article_text_and_metadata(read) -> None:
    [doc] = read(HTML_PAGE, "page.html")
    assert doc.text == HTML_TEXT
    assert doc.title == "Peacekeepers remain guarantors of ceasefire"
    assert doc.source == "The Daily Planet"
    assert doc.published == "2023-10-13"
    assert doc.url == "https://example.org/news/peacekeepers"
    assert doc.metadata == {"author": "Jane Doe"}


def test_scripts_styles_and_markup_never_reach_the_text(read) -> None:
    [doc] = read(HTML_PAGE, "page.htm")
    for leak in ("SCRIPT", "STYLE_TEXT", "NOSCRIPT", "<", "alert", "cdn.example.org"):
        assert leak not in doc.text


def test_a_short_page_falls_back_to_its_visible_text(read) -> None:
    page = "<html><body><div>Short note.<br>Second line.</div><script>evil()</script><p>Last &amp; least</p></body></html>"
    [doc] = read(page, "note.html")
    assert doc.text == "Short note.\nSecond line.\nLast & least"


@pytest.mark.parametrize("content", ["http://example.com/article", "https://example.com/x.html", "www.example.com"])
def test_a_page_that_is_just_a_url_is_text_not_a_download(read, content: str) -> None:
    [doc] = read(content, "link.html")
    assert doc.text == content


def test_the_declared_charset_is_used(read) -> None:
    russian = '<html><head><meta charset="windows-1251"></head><body><p>Новости дня</p></body></html>'
    assert read(russian.encode("cp1251"), "ru.html")[0].text == "Новости дня"
    # A page that declares Latin-1 is read as windows-1252, as browsers do: 0x93/0x94 are quotes.
    latin = (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
             b"<body><p>Caf\xe9 \x93quoted\x94</p></body></html>")
    assert read(latin, "fr.html")[0].text == "Café \u201cquoted\u201d"


def test_a_wrong_declared_charset_falls_back_to_detection(read) -> None:
    page = '<html><head><meta charset="us-ascii"></head><body><p>Grüße aus München</p></body></html>'
    assert read(page.encode("utf-8"), "x.html")[0].text == "Grüße aus München"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"<html><body><script>only()</script></body></html>", "no article text found in the web page"),
        (b"<html><head><title>Just a title</title></head><body></body></html>", "no article text found"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data, not text"),
    ],
)
def test_pages_without_text_fail_clearly(read, data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        read(data, "bad.html")
