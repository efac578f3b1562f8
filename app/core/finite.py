"""Numbers a file may hold: finite, and with no more digits than Python converts.

JSON as Python reads it accepts ``NaN``, ``Infinity`` and ``1e999`` (which becomes infinity), and
raises a bare ValueError for an integer of more than 4,300 digits. No codebook, export, article or
statement value has a use for either, and letting them in costs later: α undefined with no reason,
κ counting ``nan`` as a category, exports that write ``null`` for a stored NaN. So every loader of
ours refuses them on the way in, with one line that says what it found.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

# Python's limit for int(str), 4,300 digits by default (sys.get_int_max_str_digits, Python 3.11+).
MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300


class NumberError(ValueError):
    """A JSON number that is not finite or too long; its message is meant for the user."""


def _constant(name: str) -> Any:
    raise NumberError(f"{name} is not a finite number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NumberError(f"{text[:20]} is too large to be a finite number")
    return value


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise NumberError(f"a number with {digits:,} digits; at most {MAX_DIGITS:,} are read")
    return int(text)


def loads(text: str | bytes) -> Any:
    """``json.loads`` that raises :class:`NumberError` for NaN, ±Infinity, 1e999 and huge integers."""
    return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)


def non_finite(value: Any) -> float | None:
    """The first NaN or infinity inside ``value`` (a JSON-like structure), or None."""
    if type(value) is float:
        return None if math.isfinite(value) else value
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list):
        return None
    for item in value:
        if type(item) is float or isinstance(item, (dict, list)):
            found = non_finite(item)
            if found is not None:
                return found
    return None


def check_finite_json(value: Any) -> Any:
    """A pydantic after-validator for free-form JSON (metadata, attributes): finite numbers only."""
    found = non_finite(value)
    if found is not None:
        raise ValueError(f"{found} is not a finite number")
    return value
