"""Web pages (.html, .htm): the article's text and metadata, never the markup.

We parse the page ourselves (lxml, network off; see ``html_tree`` for the checks that keep
libxml2 from losing text quietly) and strip scripts, styles and other active or invisible
content before trafilatura sees it, so no script text can reach an article whatever
trafilatura's heuristics do, and trafilatura gets a tree, never a string it could take for a URL
to download. When trafilatura finds no main text (short pages, fragments), the visible text of
the page is used, one block element per line.
"""

from __future__ import annotations

import codecs
import copy
import re
from typing import Any

from app.core.domain import NewDocument
from app.core.errors import ImportFailed
from app.io.readers.documents import file_stem, make_document
from app.io.readers.newsdb import WARNING_KEY, split_bundle, split_documents, table_lines
from app.io.readers.encoding import checked_text, decode_text
from app.io.readers.html_tree import checked_tree, without_internal_subset
from app.io.readers.options import ReadOptions

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
# Per the HTML standard, pages that declare Latin-1 or ASCII are decoded as windows-1252.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt figcaption footer form h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tr ul".split()
)
_CONFIG: Any = None


def read_html(data: bytes, *, name: str, origin: str, options: ReadOptions) -> list[NewDocument]:
    import trafilatura  # imported here: it takes a while, and most imports have no HTML

    tree = checked_tree(without_internal_subset(_decode(data)), options)
    warning = None
    body = tree.find("body")
    bundle = table_lines(body) if body is not None else None
    if bundle is not None:  # a news-database download: many articles in one page
        split = split_bundle(bundle)
        if split is not None and split.articles:
            return split_documents(split, origin=origin, options=options)
        warning = split.warning if split is not None else None
    try:
        # copies: trafilatura changes the tree it is given
        extracted = trafilatura.bare_extraction(
            copy.deepcopy(tree), with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, config=_config(options),
        )
        meta = extracted or trafilatura.extract_metadata(copy.deepcopy(tree))
        text = (getattr(extracted, "text", None) or "") if extracted else ""
        if not text.strip():
            text = _visible_text(tree)
    except ImportFailed:
        raise
    except Exception as exc:  # lxml and trafilatura raise many kinds on damaged markup
        raise ImportFailed(f"not a readable web page ({exc.__class__.__name__})") from None
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()  # trafilatura pads table cells
    if not text:
        raise ImportFailed("no article text found in the web page")
    author = (getattr(meta, "author", None) or "").strip()
    return [
        make_document(
            text, origin=origin, options=options,
            title=getattr(meta, "title", None) or "",
            fallback_title=file_stem(name),
            source=getattr(meta, "sitename", None) or getattr(meta, "hostname", None) or "",
            published=getattr(meta, "date", None),
            url=getattr(meta, "url", None),
            metadata=({"author": author} if author else {}) | ({WARNING_KEY: warning} if warning else {}),
        )
    ]


def _decode(data: bytes) -> str:
    """BOM, then strict UTF-8, then the declared charset, then detection as for text files.

    Valid UTF-8 wins over a declaration: pages re-saved as UTF-8 often keep an old "iso-8859-1"
    meta tag, while Latin-1 text almost never happens to be valid UTF-8.
    """
    if b"\x00" not in data and not data.startswith(codecs.BOM_UTF8):
        try:
            return checked_text(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            charset = declared.group(1).decode("ascii").lower()
            try:
                return checked_text(data.decode(_CHARSET_ALIASES.get(charset, charset)))
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_text(data)


def _visible_text(tree: Any) -> str:
    from lxml import etree

    body = tree.find("body")
    if body is None:
        return ""
    parts: list[str] = []
    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            parts.append("\n" if tag in _BLOCK else "")
            parts.append(element.text or "")
        else:
            parts.append("\n" if tag in _BLOCK else " " if tag in ("td", "th") else "")
            if element is not body:
                parts.append(element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _config(options: ReadOptions) -> Any:
    """trafilatura's defaults, except that it must accept any page our own size limit accepts."""
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import use_config

        _CONFIG = use_config()
    _CONFIG.set("DEFAULT", "MAX_FILE_SIZE", str(options.limits.html_file_bytes))
    return _CONFIG
