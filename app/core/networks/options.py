"""What network to build: the user's choices, checked and completed from the codebook.

Defaults follow Contract 7: one-mode; rows = the first entity variable; qualifier = the first
ordinal category or boolean variable; cols = the next entity or category variable after rows
that is not the qualifier; aggregation congruence (ignore for two-mode); normalisation none;
duplicates all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from app.core.codebook import Codebook, Variable
from app.core.errors import ClaimcoderError

Mode = Literal["one-mode", "two-mode"]
MODES = ("one-mode", "two-mode")
ONE_MODE_AGGREGATIONS = ("ignore", "congruence", "conflict", "subtract")
TWO_MODE_AGGREGATIONS = ("ignore", "subtract", "combine")
AGGREGATIONS = ("ignore", "congruence", "conflict", "subtract", "combine")
ONE_MODE_NORMALIZATIONS = ("none", "average", "jaccard", "cosine", "dna-cosine")
TWO_MODE_NORMALIZATIONS = ("none", "activity", "prominence")
NORMALIZATIONS = ("none", "average", "jaccard", "cosine", "dna-cosine", "activity", "prominence")
DUPLICATES = ("all", "document", "week", "month", "year")
UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


class NetworkOptionError(ClaimcoderError):
    """An option value that makes no sense (a usage error: exit status 2)."""


class NetworkVariableError(ClaimcoderError):
    """A variable the codebook does not have, or one that cannot play the asked role (exit 1)."""


@dataclass(frozen=True, slots=True)
class Span:
    """A time length: ``count`` days, weeks, months or years (``3m``)."""

    count: int
    unit: Literal["days", "weeks", "months", "years"]

    @classmethod
    def parse(cls, text: str, option: str = "--window") -> Span:
        m = re.fullmatch(r"\s*(\d+)\s*([dwmy])\s*", text.lower())
        if not m or int(m.group(1)) < 1:
            raise NetworkOptionError(
                f"{option} takes a positive number and a unit d, w, m or y, such as 3m or 14d (got '{text}')")
        return cls(int(m.group(1)), UNITS[m.group(2)])  # type: ignore[arg-type]

    def __str__(self) -> str:
        return f"{self.count}{self.unit[0]}"


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    """As given by the user; ``None`` means "the default"."""

    mode: str = "one-mode"
    rows: str | None = None
    cols: str | None = None
    qualifier: str | None = None
    no_qualifier: bool = False
    aggregation: str | None = None
    normalization: str = "none"
    duplicates: str = "all"
    date_from: date | None = None
    date_to: date | None = None
    window: Span | None = None
    step: Span | None = None
    exclude: tuple[tuple[str, str], ...] = ()
    isolates: bool = False


@dataclass(frozen=True, slots=True)
class Resolved:
    """Options with every default filled in and every combination checked."""

    mode: Mode
    rows: Variable
    cols: Variable
    qualifier: Variable | None
    aggregation: str
    normalization: str
    duplicates: str
    date_from: date | None
    date_to: date | None
    window: Span | None
    step: Span | None
    exclude: tuple[tuple[str, str], ...]
    isolates: bool
    levels: tuple[float, ...] = field(default=())  # the qualifier's level per category (or 0, 1)
    level_labels: tuple[str, ...] = field(default=())
    ordered: bool = True  # False: a nominal qualifier (agreement = same category)

    @property
    def level_range(self) -> float:
        return (max(self.levels) - min(self.levels)) if self.levels else 0.0

    def describe(self) -> dict[str, object]:
        """The options as they were applied, for the JSON output and the window's caption."""
        return {
            "mode": self.mode, "rows": self.rows.key, "cols": self.cols.key,
            "qualifier": self.qualifier.key if self.qualifier else None,
            "aggregation": self.aggregation, "normalization": self.normalization,
            "duplicates": self.duplicates,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "window": str(self.window) if self.window else None,
            "step": str(self.step) if self.step else None,
            "exclude": [f"{k}={v}" for k, v in self.exclude], "isolates": self.isolates,
        }


def parse_exclusion(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise NetworkOptionError(f"--exclude takes VAR=VALUE, such as speaker=Anton Varga (got '{text}')")
    return key.strip(), value.strip()


def _variable(codebook: Codebook, key: str, role: str) -> Variable:
    var = codebook.variable(key)
    if var is None:
        raise NetworkVariableError(
            f"the codebook has no variable '{key}' (for {role}; variables: {', '.join(codebook.keys)})")
    if var.kind == "number" and role != "the qualifier":
        raise NetworkVariableError(f"'{key}' is a number variable and cannot be a node set ({role})")
    return var


def _is_qualifier_kind(var: Variable) -> bool:
    return var.kind == "boolean" or (var.kind == "category" and var.level in ("ordinal", "interval", "ratio"))


def resolve(codebook: Codebook, opts: NetworkOptions) -> Resolved:
    """Fill in the defaults and refuse impossible combinations, with one line saying why."""
    if opts.mode not in MODES:
        raise NetworkOptionError(f"--mode must be one-mode or two-mode (got '{opts.mode}')")
    mode: Mode = opts.mode  # type: ignore[assignment]
    if opts.normalization not in NORMALIZATIONS:
        raise NetworkOptionError(f"--normalization must be one of {', '.join(NORMALIZATIONS)} (got '{opts.normalization}')")
    if opts.duplicates not in DUPLICATES:
        raise NetworkOptionError(f"--duplicates must be one of {', '.join(DUPLICATES)} (got '{opts.duplicates}')")
    if opts.aggregation is not None and opts.aggregation not in AGGREGATIONS:
        raise NetworkOptionError(f"--aggregation must be one of {', '.join(AGGREGATIONS)} (got '{opts.aggregation}')")
    if opts.no_qualifier and opts.qualifier:
        raise NetworkOptionError("--qualifier and --no-qualifier exclude each other")
    if opts.step is not None and opts.window is None:
        raise NetworkOptionError("--step needs --window")
    if opts.date_from and opts.date_to and opts.date_from > opts.date_to:
        raise NetworkOptionError(f"--from {opts.date_from} is after --to {opts.date_to}")

    variables = codebook.variables
    if opts.rows:
        rows = _variable(codebook, opts.rows, "--rows")
    else:
        entity = [v for v in variables if v.kind == "entity"]
        if not entity:
            raise NetworkVariableError("the codebook has no entity variable; name the node variable with --rows")
        rows = entity[0]

    qualifier: Variable | None = None
    if opts.qualifier:
        qualifier = _variable(codebook, opts.qualifier, "the qualifier")
        if qualifier.kind not in ("category", "boolean"):
            raise NetworkVariableError(
                f"the qualifier '{qualifier.key}' is a {qualifier.kind} variable; it must be a category or boolean variable")
    elif not opts.no_qualifier:
        qualifier = next((v for v in variables if _is_qualifier_kind(v) and v.key != rows.key), None)

    if opts.cols:
        cols = _variable(codebook, opts.cols, "--cols")
    else:
        after = variables[variables.index(rows) + 1:] + variables[:variables.index(rows)]
        cols_or_none = next((v for v in after if v.kind in ("entity", "category")
                             and v.key not in (rows.key, qualifier.key if qualifier else "")), None)
        if cols_or_none is None:
            raise NetworkVariableError("the codebook has no second entity or category variable; name it with --cols")
        cols = cols_or_none
    if mode == "one-mode" and cols.key == rows.key:
        raise NetworkOptionError(f"--rows and --cols are both '{rows.key}'; a one-mode network links rows through another variable")
    if qualifier is not None and qualifier.key in (rows.key, cols.key):
        raise NetworkOptionError(f"the qualifier '{qualifier.key}' is also --rows or --cols; choose another or pass --no-qualifier")

    allowed = ONE_MODE_AGGREGATIONS if mode == "one-mode" else TWO_MODE_AGGREGATIONS
    aggregation = opts.aggregation or ("congruence" if mode == "one-mode" else "ignore")
    if aggregation not in allowed:
        raise NetworkOptionError(f"--aggregation {aggregation} is not for {mode} networks (use one of {', '.join(allowed)})")
    norms = ONE_MODE_NORMALIZATIONS if mode == "one-mode" else TWO_MODE_NORMALIZATIONS
    if opts.normalization not in norms:
        raise NetworkOptionError(
            f"--normalization {opts.normalization} is not for {mode} networks (use one of {', '.join(norms)})")
    if aggregation == "combine" and opts.normalization != "none":
        raise NetworkOptionError("--aggregation combine codes which levels occur; it cannot be normalised")

    levels, labels, ordered = _levels(qualifier)
    if mode == "two-mode" and aggregation in ("subtract", "combine") and qualifier is None:
        raise NetworkOptionError(f"--aggregation {aggregation} needs a qualifier")
    if mode == "two-mode" and aggregation == "subtract" and not ordered:
        raise NetworkVariableError(
            f"--aggregation subtract needs an ordinal or boolean qualifier ('{qualifier.key if qualifier else ''}' is nominal)")
    for key, _ in opts.exclude:
        if codebook.variable(key) is None:
            raise NetworkVariableError(f"--exclude: the codebook has no variable '{key}' (variables: {', '.join(codebook.keys)})")
    res = Resolved(mode, rows, cols, qualifier, aggregation, opts.normalization, opts.duplicates,
                   opts.date_from, opts.date_to, opts.window, opts.step or opts.window, tuple(opts.exclude),
                   opts.isolates, levels, labels, ordered)
    return res


def _levels(qualifier: Variable | None) -> tuple[tuple[float, ...], tuple[str, ...], bool]:
    """Contract 7: levels are the categories' scores when every one has a score, else their
    positions 0…K−1; a boolean is false = 0, true = 1. A nominal category qualifier has no
    order: two statements agree when they have the same category (distance 0, else 1)."""
    if qualifier is None:
        return (0.0,), ("",), True
    if qualifier.kind == "boolean":
        return (0.0, 1.0), ("false", "true"), True
    cats = qualifier.categories
    labels = tuple(c.value for c in cats)
    if qualifier.level == "nominal":
        return tuple(float(i) for i in range(len(cats))), labels, False
    if all(c.score is not None for c in cats):
        return tuple(float(c.score) for c in cats), labels, True  # type: ignore[arg-type]
    return tuple(float(i) for i in range(len(cats))), labels, True


def with_window(res: Resolved, window: Span | None, step: Span | None) -> Resolved:
    return replace(res, window=window, step=step or window)
