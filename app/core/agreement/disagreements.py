"""The list a supervisor takes to the adjudication meeting: where the coders differ.

Three kinds of rows, so that each difference is listed once, where it is:

- ``statement not found by every coder``: one row per unit in which a coder who coded the
  document has no statement, with what each coder who has one coded (not one row per variable:
  a missing statement is one thing to discuss);
- ``spans differ``: one row per aligned unit whose statements cover different text (Jaccard
  < 1), with each coder's span;
- ``values differ``: one row per unit and variable where the coders who *have* a statement
  there gave different values ("left empty" counts as an answer). A variable nobody used in a
  unit produces no row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from pydantic import TypeAdapter

from app.core.agreement.arrays import distinct
from app.core.agreement.inputs import SharedDocument
from app.core.agreement.report import CoderValue, Disagreement
from app.core.agreement.values import Domain

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

NO_STATEMENT = -2
NOT_CODED = -3
_BIG = np.iinfo(np.int64).max

MISSING = "statement not found by every coder"
SPANS = "spans differ"
VALUES = "values differ"
# n_disagreements counts these under names no variable key can have (keys have no spaces)
COUNT_KEYS = {MISSING: "statement missing", SPANS: "span differs"}


@cache
def _rows() -> TypeAdapter[list[Disagreement]]:
    """Built on first use: only the csv and html reports list disagreements, and building the
    validator costs every `agree` run a noticeable part of its start-up."""
    return TypeAdapter(list[Disagreement])


@dataclass(frozen=True, slots=True)
class Units:
    """The aligned units: where they are, and who has a statement in each."""

    doc: IntArray  # index into the shared documents
    start: IntArray  # union of the members' spans: their smallest start …
    end: IntArray  # … and their largest end (span_units relies on both)
    member: IntArray  # (units, coders): flat statement index or −1
    coded: npt.NDArray[np.bool_]  # (units, coders): did the coder code the unit's document?


@dataclass(frozen=True, slots=True)
class Coded:
    """One variable as the rows need it: its key, its codes per flat statement, their texts."""

    key: str
    label: str
    codes: IntArray
    domain: Domain


def state_matrix(units: Units, codes: IntArray) -> IntArray:
    """Per unit and coder: the value code, −1 empty, −2 no statement, −3 document not coded."""
    member = units.member
    state = np.where(member >= 0, codes[np.maximum(member, 0)], NO_STATEMENT)
    return np.where(units.coded, state, NOT_CODED)


def disagreeing_units(units: Units, codes: IntArray) -> tuple[IntArray, IntArray]:
    """Units where two or more coders have a statement and their values (or "left empty")
    differ, and the states of all coders there."""
    state = state_matrix(units, codes)
    has = state >= -1
    hi = np.where(has, state, -_BIG).max(axis=1)
    lo = np.where(has, state, _BIG).min(axis=1)
    rows = np.flatnonzero((has.sum(axis=1) >= 2) & (hi != lo))
    return rows, state[rows]


def count_disagreeing(matrix: IntArray, has: BoolArray, several: BoolArray) -> int:
    """``len(disagreeing_units(units, codes)[0])`` from the variable's units × coders matrix
    (code, −1 for empty or no statement), ``has = units.member >= 0`` and ``several`` (two or
    more statements in the unit), the last two shared by every variable: a coder with a
    statement is always one who coded the document, so only "has a statement" matters.

    Column by column (a reduction along rows of a few coders is several times slower). The
    largest value needs no mask: where a coder has no statement the matrix holds −1, which is
    no larger than any value of a coder who has one, and ``several`` keeps only units with one.
    """
    n_units, n_coders = matrix.shape
    hi = np.full(n_units, -2, dtype=np.int64)
    lo = np.full(n_units, _BIG, dtype=np.int64)
    for c in range(n_coders):
        np.maximum(hi, matrix[:, c], out=hi)
        np.minimum(lo, matrix[:, c], out=lo, where=has[:, c])
    return int(np.count_nonzero(several & (hi != lo)))


def statements_per_unit(member: IntArray) -> IntArray:
    """How many coders have a statement in each unit (``member`` ≥ 0), added coder column by
    coder column: a count along rows of a few columns is several times slower."""
    count = np.zeros(member.shape[0], dtype=np.int64)
    for c in range(member.shape[1]):
        count += member[:, c] >= 0
    return count


def missing_units(units: Units) -> IntArray:
    """Units in which a coder who coded the document has no statement."""
    missing = np.zeros(units.member.shape[0], dtype=bool)
    for c in range(units.member.shape[1]):  # coder by coder, as in statements_per_unit
        missing |= (units.member[:, c] < 0) & units.coded[:, c]
    return np.flatnonzero(missing)


def span_units(units: Units, start: IntArray, end: IntArray) -> IntArray:
    """Aligned units (two or more statements) whose statements do not cover the same text."""
    # a unit's start is its members' smallest start and its end their largest end (Units): the
    # members' spans differ exactly when one of them starts or ends elsewhere
    differ = np.zeros(units.member.shape[0], dtype=bool)
    for c in range(units.member.shape[1]):  # coder by coder, as in statements_per_unit
        member = units.member[:, c]
        idx = np.maximum(member, 0)
        differ |= (member >= 0) & ((start[idx] != units.start) | (end[idx] != units.end))
    return np.flatnonzero((statements_per_unit(units.member) >= 2) & differ)


def unit_counts(units: Units, start: IntArray, end: IntArray) -> dict[str, int]:
    return {COUNT_KEYS[MISSING]: len(missing_units(units)), COUNT_KEYS[SPANS]: len(span_units(units, start, end))}


STATES = {-1: "empty", NO_STATEMENT: "no_statement", NOT_CODED: "document_not_coded"}


def _row(doc: SharedDocument, s: int, e: int, variable: str, issue: str, values: dict[str, object]) -> dict[str, object]:
    return {"sha256": doc.sha256, "title": doc.title, "start": s, "end": e, "text": doc.text[s:e],
            "variable": variable, "issue": issue, "values": values}


def unit_disagreements(units: Units, start: IntArray, end: IntArray, variables: Sequence[Coded],
                       docs: Sequence[SharedDocument], coder_names: Sequence[str]) -> list[Disagreement]:
    """The statement-level rows: statements some coder lacks, and spans that differ."""
    out: list[dict[str, object]] = []
    absent = {False: CoderValue(value=None, state="document_not_coded"), True: CoderValue(value=None, state="no_statement")}

    def coded_values(k: int) -> str:
        parts = []
        for var in variables:
            code = int(var.codes[k])
            if code >= 0:
                parts.append(f"{var.label}: {var.domain.text(code)}")
        return "; ".join(parts) or "(nothing coded)"

    def cells(u: int, describe: object) -> dict[str, object]:
        row: dict[str, object] = {}
        for c, name in enumerate(coder_names):
            k = int(units.member[u, c])
            row[name] = CoderValue(value=describe(k), state="coded") if k >= 0 else absent[bool(units.coded[u, c])]  # type: ignore[operator]
        return row

    for u in missing_units(units).tolist():
        doc = docs[int(units.doc[u])]
        out.append(_row(doc, int(units.start[u]), int(units.end[u]), "", MISSING, cells(u, coded_values)))
    for u in span_units(units, start, end).tolist():
        doc = docs[int(units.doc[u])]

        def span_text(k: int, text: str = doc.text) -> str:
            a, b = int(start[k]), int(end[k])
            return f"{a}–{b}: {text[a:b]}"

        out.append(_row(doc, int(units.start[u]), int(units.end[u]), "", SPANS, cells(u, span_text)))
    return _rows().validate_python(out)


def find_disagreements(
    key: str,
    units: Units,
    codes: IntArray,
    domain: Domain,
    docs: Sequence[SharedDocument],
    coder_names: Sequence[str],
) -> list[Disagreement]:
    """The "values differ" rows for one variable, as plain dicts validated in one pass by
    pydantic-core (building 100,000s of models one by one in Python costs seconds)."""
    rows, state = disagreeing_units(units, codes)
    # One CoderValue per distinct cell, shared by the rows (models are not revalidated).
    cell = {code: CoderValue(value=None, state=name) for code, name in STATES.items()}  # type: ignore[arg-type]
    for code in distinct(state[state >= 0]).tolist():
        cell[code] = CoderValue(value=domain.text(code), state="coded")
    out: list[dict[str, object]] = []
    for g, s, e, states in zip(units.doc[rows].tolist(), units.start[rows].tolist(), units.end[rows].tolist(), state.tolist()):
        out.append(_row(docs[g], s, e, key, VALUES, {name: cell[v] for name, v in zip(coder_names, states)}))
    return _rows().validate_python(out)
