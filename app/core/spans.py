"""Statement spans: trimming what a selection drags along, and the quotations of a text.

Pure functions over code-point offsets (Contract 1); the service trims every new or re-spanned
statement with :func:`trim_span`, so the window, the CLI and the demo all store the same span
for the same words.
"""

from __future__ import annotations

# Which marks may close a quotation opened by a mark: English “…”, German „…“ and »…«, French
# and Russian «…», Swedish ”…”, single variants, and the typewriter's straight quotes.
CLOSERS: dict[str, str] = {
    "“": "”", "„": "“”", "‚": "‘’", "‘": "’", "«": "»", "»": "«", "‹": "›", "›": "‹",
    "”": "”", '"': '"', "'": "'", "’": "’",
}
QUOTE_MARKS = frozenset("“”„‚‘’«»‹›\"'")
APOSTROPHES = frozenset("'’")
GUILLEMETS = frozenset("«»‹›")  # also apostrophes: "states'", "don’t"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` without surrounding white space and without a lone quotation mark at
    either edge (one whose partner is not inside the span).

    Word-wise keyboard selection leaves the space after the last word, and selecting up to a
    quotation often catches its opening mark only; both differ between coders and would make
    identical statements look unequal to span agreement. An apostrophe glued to a letter
    ("the member states'") is kept: it may be a possessive.
    """
    while True:
        before = (start, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end and text[end - 1] in QUOTE_MARKS and not _closes_inside(text, start, end - 1):
            glued = end - 2 >= start and text[end - 1] in APOSTROPHES and text[end - 2].isalnum()
            if not glued:
                end -= 1
        if start < end and text[start] in QUOTE_MARKS and not _opens_inside(text, start, end):
            glued = start + 1 < end and text[start] in APOSTROPHES and start > 0 and text[start - 1].isalnum()
            if not glued:
                start += 1
        if (start, end) == before:
            return start, end


def _closes_inside(text: str, start: int, last: int) -> bool:
    """Whether the mark at ``last`` closes a quotation opened inside ``start..last``."""
    mark = text[last]
    return any(mark in CLOSERS.get(text[i], "") for i in range(start, last))


def _opens_inside(text: str, first: int, end: int) -> bool:
    """Whether the mark at ``first`` has a closing partner inside ``first+1..end``."""
    closers = CLOSERS.get(text[first], "")
    return any(text[i] in closers for i in range(first + 1, end))


def quotations(text: str) -> list[tuple[int, int]]:
    """Every quotation in ``text`` as (start, end), marks included, in text order.

    A stack pairs marks so nested quotations (“… ‘…’ …”) are found both; a line break ends any
    open quotation (a mark left open at a paragraph's end is not carried into the next one).
    Apostrophes count only where they stand at a word's edge ('like this'), not inside "don't".
    """
    found: list[tuple[int, int]] = []
    stack: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
            continue
        if ch not in QUOTE_MARKS:
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if ch in APOSTROPHES and prev.isalnum() and nxt.isalnum():
            continue  # don't, l'Europe
        spaced = ch in GUILLEMETS  # French sets them off with (thin) spaces: « comme ça »
        if stack and ch in CLOSERS[text[stack[-1]]] and (spaced or not prev.isspace()):
            found.append((stack.pop(), i + 1))
            continue
        can_open = (spaced or not nxt.isspace()) and (not prev.isalnum() or ch not in APOSTROPHES)
        if can_open and ch in CLOSERS and not (ch in "”’" and prev.isalnum()):
            stack.append(i)
    return sorted(found)


def quotation_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The innermost quotation that holds ``start..end`` and is larger than it; else None."""
    holding = [q for q in quotations(text) if q[0] <= start and end <= q[1] and q != (start, end)]
    return min(holding, key=lambda q: q[1] - q[0]) if holding else None


def next_quotation(text: str, offset: int, step: int) -> tuple[int, int] | None:
    """The first quotation starting at or after ``offset`` (step 1), or the last one starting
    before it (step -1)."""
    quotes = quotations(text)
    if step > 0:
        return next((q for q in quotes if q[0] >= offset), None)
    return next((q for q in reversed(quotes) if q[0] < offset), None)
