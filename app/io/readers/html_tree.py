"""Parse a web page into a tree that holds all of its text, or refuse it saying why.

libxml2, which lxml uses, parses HTML by HTML 4 rules and fails quietly in ways that cost whole
articles: it nests everything after an unclosed ``<embed>`` (empty in HTML 5) inside it, so
dropping the embed dropped the article; it takes a DOCTYPE's internal subset for text and moves
the head into the body; it stops at a text node over 10 MB or nesting over 256 deep and keeps
what it had. And a tag left open that hides its content (``<iframe>``, ``<script>``…) hides the
rest of the page in a browser too. Here each of these is either repaired (empty elements give
their content back; the internal subset, which no browser applies, is removed) or refused with the
reason, and the size of the page is bounded before the article extractor, whose time grows faster
than the number of elements, sees it.
"""

from __future__ import annotations

import re
from typing import Any

from app.core.errors import ImportFailed
from app.io.readers.options import ReadOptions

# Active or invisible content, removed before extraction: no script text can reach an article.
DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas")
# Empty in HTML 5 but containers to libxml2, which nests what follows them inside.
_EMPTY = ("embed", "source", "track", "wbr", "keygen", "param", "area", "basefont", "bgsound", "frame")
# Elements whose content is raw text up to their end tag: left open, they swallow the page.
_RAW_TEXT = ("script", "style", "iframe", "noembed", "noframes", "xmp", "textarea", "plaintext", "title")
_DOCTYPE = re.compile(r"<!doctype\b([^\[>]*)\[", re.IGNORECASE)
_SUBSET_SPECIAL = re.compile(r"<!--|[\"'\]]")
_SUBSET_END = re.compile(r"\s*>")
_SUBSET_MAX = 1 << 20  # an internal subset longer than this is left to the parser
_SPACES = re.compile(r"\s+")
# Inline images and fonts ("Save page as single file"): never text, and one over 10 MB stops
# libxml2 like a text node that size would.
_INLINE_DATA = re.compile(r"data:[^\"'\s>)]{4096,}", re.IGNORECASE)


def without_internal_subset(markup: str) -> str:
    """The page with its DOCTYPE's internal subset (``<!DOCTYPE html [ … ]>``) removed.

    Browsers never apply one (HTML 5 ends the DOCTYPE at the first ``>``), and libxml2 reads it
    as body text, which drags the head into the body. Only a DOCTYPE near the start counts.
    """
    found = _DOCTYPE.search(markup, 0, 4096)
    if found is None:
        return markup
    pos, limit = found.end(), min(len(markup), found.end() + _SUBSET_MAX)
    while (token := _SUBSET_SPECIAL.search(markup, pos, limit)) is not None:
        text = token.group()
        if text == "]":
            end = _SUBSET_END.match(markup, token.end())
            if end is not None:
                return f"{markup[:found.start()]}<!DOCTYPE{found.group(1).rstrip()}>{markup[end.end():]}"
            pos = token.end()
            continue
        close = markup.find("-->" if text == "<!--" else text, token.end(), limit)
        if close < 0:
            break
        pos = close + (3 if text == "<!--" else 1)
    return markup


def checked_tree(markup: str, options: ReadOptions) -> Any:
    """The page's tree with active content removed, after every check above."""
    import lxml.html
    from lxml import etree

    limits = options.limits
    if "data:" in markup:
        markup = _INLINE_DATA.sub("data:,", markup)
    tags = markup.count("<")
    if tags > limits.html_tags:
        raise ImportFailed(f"the page has {tags:,} tags, more than the limit of {limits.html_tags:,} for a web page")
    attributes = markup.count("=")
    if attributes > limits.html_attributes:
        raise ImportFailed(
            f"the page has about {attributes:,} attributes, more than the limit of {limits.html_attributes:,} "
            "for a web page"
        )
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    # Bytes, not str: lxml refuses a str that carries an XML encoding declaration.
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):
        raise ImportFailed("not a readable web page (no HTML content)") from None
    _check_parser_limits(parser, options)
    _check_unclosed_raw_text(tree, markup)
    for element in tree.iter(*_EMPTY):
        if len(element) or (element.text or "").strip():
            element.drop_tag()  # its "content" is the rest of the page: give it back
    _drop_active_content(tree)
    elements = sum(1 for _ in tree.iter())
    if elements > limits.html_elements:
        raise ImportFailed(
            f"the page has {elements:,} HTML elements, more than the limit of {limits.html_elements:,} "
            "(save the article's text as .txt to import it)"
        )
    _check_text_size(tree, options)
    return tree


def _check_parser_limits(parser: Any, options: ReadOptions) -> None:
    for entry in parser.error_log:
        message = str(entry.message)
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "XML_PARSE_HUGE" in message:
            if "depth" in message.lower():
                raise ImportFailed("the page's elements are nested more than 256 deep; it cannot be read whole")
            raise ImportFailed(
                "the page holds a text, script or attribute of over 10 MB, which the HTML parser cannot "
                f"read whole (an article may have at most {options.max_article_chars:,} characters)"
            )


def _check_unclosed_raw_text(tree: Any, markup: str) -> None:
    """An element of raw text that runs to the end of the file was never closed."""
    ending = markup.rstrip()[-400:].replace("\r\n", "\n").replace("\r", "\n")
    for element in tree.iter(*_RAW_TEXT):
        text = (element.text or "").rstrip()
        if len(text.strip()) >= 20 and ending.endswith(text[-200:]):
            line = f"(line {element.sourceline}) " if element.sourceline else ""
            raise ImportFailed(
                f"an unclosed <{element.tag}> {line}hides the rest of the page; close it and import the page again"
            )


def _drop_active_content(tree: Any) -> None:
    """Remove scripts, frames, plug-ins and the like; refuse when they hold most of the text.

    Raw-text elements go first (they were checked to be closed), so that a page's inline
    scripts do not count as its text when judging what is left.
    """
    for element in list(tree.iter(*(tag for tag in DROP if tag in _RAW_TEXT))):
        element.drop_tree()
    total = _text_length(tree)
    for element in list(tree.iter(*DROP)):
        if element.getparent() is None:  # already gone with an ancestor
            continue
        inside = _text_length(element)
        if inside >= 200 and inside * 2 >= total:
            line = f" (line {element.sourceline})" if element.sourceline else ""
            raise ImportFailed(
                f"most of the page's text is inside <{element.tag}>{line}, which is not shown as text; "
                "is the tag left open?"
            )
        element.drop_tree()


def _text_length(element: Any) -> int:
    return sum(len(text) for text in element.itertext() if not text.isspace())


def _check_text_size(tree: Any, options: ReadOptions) -> None:
    limit = options.max_article_chars
    if _text_length(tree) <= limit:
        return
    chars = sum(len(_SPACES.sub(" ", text.strip())) for text in tree.itertext())
    if chars > limit:
        raise ImportFailed(
            f"the page has {chars:,} characters of text, more than the limit of {limit:,} characters for an article"
        )
