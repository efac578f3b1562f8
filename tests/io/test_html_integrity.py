"""HTML import never reports success on a truncated article.

libxml2 (under lxml) parses HTML by HTML 4 rules: it nests whatever follows an unclosed <embed>
inside it (HTML 5 says <embed> is empty), it reads a DOCTYPE's internal subset as text and moves
the head into the body, and it stops at a text node over 10 MB. Each of these lost most of an
article while the import said "imported". Every paragraph of such pages must arrive, or the page
is refused with the reason.
"""

from __future__ import annotations

import re

import pytest

from app.core.errors import ImportFailed
from app.io.readers import Limits, ReadOptions
from tests.io.corpus import HTML_PAGE, HTML_TEXT

PARAGRAPHS = [f"Paragraph {i}: the minister said the peacekeeping mission must stay in the region for "
              f"another year, and the opposition disagreed in the strongest terms ({i})." for i in range(12)]
BODY = "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS)
HEAD = "<head><meta charset='utf-8'><title>Peacekeepers stay</title></head>"


def page(inside_article: str = BODY, doctype: str = "<!DOCTYPE html>") -> str:
    return (f"{doctype}\n<html>{HEAD}<body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
            f"<article><h1>Peacekeepers stay</h1>{inside_article}</article><footer>(c) News</footer></body></html>")


def every_paragraph(text: str) -> bool:
    return all(p in text for p in PARAGRAPHS)


@pytest.mark.parametrize("opening", ["<embed src='clip.swf'>", "<embed type='video/mp4' src=x.mp4>",
                                     "<source src=a.mp3>", "<track src=a.vtt>", "<keygen name=k>"])
def test_an_unclosed_empty_element_keeps_every_paragraph(read, opening: str) -> None:
    rest = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    [doc] = read(page(f"<p>{PARAGRAPHS[0]}</p>{opening}{rest}"), "a.html")
    assert every_paragraph(doc.text)
    assert doc.title == "Peacekeepers stay"


def test_wbr_inside_a_word_keeps_the_rest_of_the_article(read) -> None:
    [doc] = read(page(f"<p>Peace<wbr>keeping</p>{BODY}"), "a.html")
    assert every_paragraph(doc.text)


@pytest.mark.parametrize("subset", [
    "<!ENTITY nbsp '&#160;'>",
    "\n<!ELEMENT html (head, body)>\n<!ATTLIST html lang CDATA #IMPLIED>\n",
    "<!ENTITY a 'a > b'><!-- a comment ] > -->",
])
def test_a_doctype_with_an_internal_subset_keeps_text_title_and_metadata(read, subset: str) -> None:
    doctype = f"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"xhtml1-strict.dtd\" [{subset}]>"
    [doc] = read(page(doctype=doctype), "a.html")
    assert every_paragraph(doc.text) and "]>" not in doc.text
    assert doc.title == "Peacekeepers stay"
    [full] = read(HTML_PAGE.replace("<!DOCTYPE html>", f"<!DOCTYPE html [{subset}]>"), "b.html")
    assert full.text == HTML_TEXT
    assert full.title == "Peacekeepers remain guarantors of ceasefire" and full.metadata == {"author": "Jane Doe"}


@pytest.mark.parametrize("tag", ["iframe", "script", "style", "textarea", "noembed", "noframes", "xmp", "title"])
def test_an_unclosed_raw_text_element_is_refused_naming_it(read, tag: str) -> None:
    with pytest.raises(ImportFailed, match=f"an unclosed <{tag}> .*hides the rest of the page"):
        read(page(f"<p>{PARAGRAPHS[0]}</p><{tag}>" + BODY), "a.html")


@pytest.mark.parametrize("tag", ["object", "noscript", "template", "svg", "canvas"])
def test_article_text_inside_an_unclosed_hidden_element_is_refused(read, tag: str) -> None:
    with pytest.raises(ImportFailed, match=f"most of the page's text is inside <{tag}>"):
        read(page(f"<{tag}>" + BODY), "a.html")


def test_a_closed_hidden_element_with_a_little_text_is_just_left_out(read) -> None:
    [doc] = read(page(f"<noscript><p>Please enable JavaScript.</p></noscript>{BODY}"), "a.html")
    assert every_paragraph(doc.text) and "JavaScript" not in doc.text


def test_too_much_text_names_the_character_limit(read) -> None:
    options = ReadOptions(max_article_chars=1_000)
    with pytest.raises(ImportFailed, match=r"more than the limit of 1,000 characters"):
        read(f"<html><body><p>{'word ' * 1_000}</p></body></html>", "a.html", options)


def test_a_text_node_beyond_the_parser_limit_names_the_character_limit(read) -> None:
    # libxml2 stops at a text node of 10,000,000 bytes; before, this was "no article text found"
    with pytest.raises(ImportFailed, match=r"2,000,000 characters"):
        read(f"<html><body><p>{'word ' * 2_100_000}</p><p>after</p></body></html>", "a.html")


def test_a_page_saved_with_a_huge_inline_image_keeps_the_text_after_it(read) -> None:
    image = "data:image/png;base64," + "QUJD" * (3 * 1024 * 1024)  # 12 MB: over libxml2's 10 MB
    [doc] = read(f"<html><body><article><p>{PARAGRAPHS[0]}</p><img src='{image}'>{BODY}</article></body></html>",
                 "saved.html")
    assert every_paragraph(doc.text)


def test_too_deep_nesting_is_refused_not_cut(read) -> None:
    with pytest.raises(ImportFailed, match="nested"):
        read("<html><body>" + "<div>x" * 600 + "</body></html>", "a.html")


def test_a_page_with_too_many_tags_is_refused_before_parsing(read) -> None:
    options = ReadOptions(limits=Limits(html_tags=100))
    with pytest.raises(ImportFailed, match=r"has 20\d tags, more than the limit of 100"):
        read("<html><body>" + "<p>x</p>" * 100 + "</body></html>", "a.html", options)


def test_a_page_with_too_many_attributes_is_refused_before_parsing(read) -> None:
    options = ReadOptions(limits=Limits(html_attributes=100))
    with pytest.raises(ImportFailed, match=r"has about 200 attributes, more than the limit of 100"):
        read("<html><body><p" + ' a="b"' * 200 + ">x</p></body></html>", "a.html", options)


def test_a_page_with_too_many_elements_is_refused(read) -> None:
    options = ReadOptions(limits=Limits(html_elements=50))
    with pytest.raises(ImportFailed, match=r"has 10\d HTML elements, more than the limit of 50"):
        read("<html><body>" + "<p>x</p>" * 100 + "</body></html>", "a.html", options)
    # scripts, styles and the like are dropped before counting
    [doc] = read("<html><body><p>Some text.</p>" + "<script>x</script>" * 100 + "</body></html>", "b.html", options)
    assert doc.text == "Some text."


def test_every_paragraph_of_a_long_flat_page_arrives(read) -> None:
    paragraphs = [f"Paragraph {i} of a long report on the mission, with enough words to count." for i in range(400)]
    [doc] = read("<html><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>",
                 "long.html")
    assert re.findall(r"Paragraph (\d+) of", doc.text) == [str(i) for i in range(400)]
