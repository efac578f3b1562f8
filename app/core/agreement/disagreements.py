"""The list a supervisor takes to the adjudication meeting: where the coders differ.

One row per unit and variable where the coders who coded the document do not all say the same —
counting "no statement here" and "left empty" as answers of their own, so a statement only one
coder found shows up too (as ``statement not found by every coder``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from pydantic import TypeAdapter

from app.core.agreement.inputs import SharedDocument
from app.core.agreement.report import CoderValue, Disagreement
from app.core.agreement.values import Domain

IntArray = npt.NDArray[np.int64]

NO_STATEMENT = -2
NOT_CODED = -3


@cache
def _rows() -> TypeAdapter[list[Disagreement]]:
    """Built on first use: only the csv and html reports list disagreements, and building the
    validator costs every `agree` run a noticeable part of its start-up."""
    return TypeAdapter(list[Disagreement])


@dataclass(frozen=True, slots=True)
class Units:
    """The aligned units: where they are, and who has a statement in each."""

    doc: IntArray  # index into the shared documents
    start: IntArray  # union of the members' spans
    end: IntArray
    member: IntArray  # (units, coders): flat statement index or −1
    coded: npt.NDArray[np.bool_]  # (units, coders): did the coder code the unit's document?


def state_matrix(units: Units, codes: IntArray) -> IntArray:
    """Per unit and coder: the value code, −1 empty, −2 no statement, −3 document not coded."""
    member = units.member
    state = np.where(member >= 0, codes[np.maximum(member, 0)], NO_STATEMENT)
    return np.where(units.coded, state, NOT_CODED)


def disagreeing_units(units: Units, codes: IntArray) -> tuple[IntArray, IntArray]:
    """Indices of the units where the coders who coded the document differ, and their states."""
    state = state_matrix(units, codes)
    big = np.iinfo(np.int64).max
    hi = np.where(units.coded, state, -big).max(axis=1)
    lo = np.where(units.coded, state, big).min(axis=1)
    rows = np.flatnonzero(hi != lo)
    return rows, state[rows]


STATES = {-1: "empty", NO_STATEMENT: "no_statement", NOT_CODED: "document_not_coded"}


def find_disagreements(
    key: str,
    units: Units,
    codes: IntArray,
    domain: Domain,
    docs: Sequence[SharedDocument],
    coder_names: Sequence[str],
) -> list[Disagreement]:
    """The rows for one variable, as plain dicts validated in one pass by pydantic-core
    (building 100,000s of models one by one in Python costs seconds)."""
    rows, state = disagreeing_units(units, codes)
    # One CoderValue per distinct cell, shared by the rows (models are not revalidated), and
    # the rows validated in one pydantic-core pass.
    cell = {code: CoderValue(value=None, state=name) for code, name in STATES.items()}  # type: ignore[arg-type]
    for code in np.unique(state[state >= 0]).tolist():
        cell[code] = CoderValue(value=domain.text(code), state="coded")
    missing = (state == NO_STATEMENT).any(axis=1).tolist()
    out: list[dict[str, object]] = []
    for r, (g, s, e, states) in enumerate(
        zip(units.doc[rows].tolist(), units.start[rows].tolist(), units.end[rows].tolist(), state.tolist())
    ):
        doc = docs[g]
        out.append({
            "sha256": doc.sha256,
            "title": doc.title,
            "start": s,
            "end": e,
            "text": doc.text[s:e],
            "variable": key,
            "issue": "statement not found by every coder" if missing[r] else "values differ",
            "values": {name: cell[v] for name, v in zip(coder_names, states)},
        })
    return _rows().validate_python(out)
