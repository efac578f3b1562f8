"""The list a supervisor takes to the adjudication meeting: where the coders differ.

One row per unit and variable where the coders who coded the document do not all say the same —
counting "no statement here" and "left empty" as answers of their own, so a statement only one
coder found shows up too (as ``statement not found by every coder``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.core.agreement.inputs import SharedDocument
from app.core.agreement.report import CoderValue, Disagreement
from app.core.agreement.values import Domain

IntArray = npt.NDArray[np.int64]

NO_STATEMENT = -2
NOT_CODED = -3


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


def find_disagreements(
    key: str,
    units: Units,
    codes: IntArray,
    domain: Domain,
    docs: Sequence[SharedDocument],
    coder_names: Sequence[str],
) -> list[Disagreement]:
    state = state_matrix(units, codes)
    big = np.iinfo(np.int64).max
    hi = np.where(units.coded, state, -big).max(axis=1)
    lo = np.where(units.coded, state, big).min(axis=1)
    rows = np.flatnonzero(hi != lo)
    out: list[Disagreement] = []
    states = state[rows].tolist()
    missing = (state[rows] == NO_STATEMENT).any(axis=1).tolist()
    for r, u in enumerate(rows.tolist()):
        doc = docs[int(units.doc[u])]
        s, e = int(units.start[u]), int(units.end[u])
        values = {name: _coder_value(v, domain) for name, v in zip(coder_names, states[r])}
        out.append(
            Disagreement.model_construct(
                sha256=doc.sha256,
                title=doc.title,
                start=s,
                end=e,
                text=doc.text[s:e],
                variable=key,
                issue="statement not found by every coder" if missing[r] else "values differ",
                values=values,
            )
        )
    return out


def _coder_value(v: int, domain: Domain) -> CoderValue:
    if v >= 0:
        return CoderValue.model_construct(value=domain.text(v), state="coded")
    state = {-1: "empty", NO_STATEMENT: "no_statement", NOT_CODED: "document_not_coded"}[v]
    return CoderValue.model_construct(value=None, state=state)
