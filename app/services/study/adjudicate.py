"""Adjudication: the aligned units of the finished sample documents, and the gold standard.

The gold standard is the statements of the reserved coder ``gold``. Each decision is a row of
``adjudication``: the gold statement it made (none for a rejection), the coder statements it
came from (``sources``), the unit's statements when it was decided (``unit``) and the
adjudicator. A unit counts as decided when one of its statements is in a decision's ``unit``, so
re-running the automatic pass keeps every earlier decision, automatic or by hand.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from app.core.errors import ProjectError
from app.core.study import REJECTED, auto_decide, version_key
from app.services.project import Project
from app.services.study.common import gold_coder, study_store
from app.services.study.units import StudyDocuments, Unit, build_units, study_documents
from app.store.db import json_text, utc_text

MANUAL = ("picked", "edited", "added", REJECTED)


@dataclass(slots=True)
class AutoResult:
    n_units: int
    decided_now: int
    already: int
    open: int
    by_decision: Counter[str] = field(default_factory=Counter)
    documents: int = 0


@dataclass(slots=True)
class ReviewUnit:
    """A unit as the adjudication window shows it."""

    unit: Unit
    decision: dict[str, Any] | None  # the adjudication row deciding it, if any
    gold: dict[str, Any] | None  # its gold statement row, if any


def decided_ids(master: Project) -> dict[str, dict[str, Any]]:
    """coder statement id → the adjudication row whose unit holds it."""
    out: dict[str, dict[str, Any]] = {}
    for row in study_store(master).adjudications():
        for sid in row["unit"] or []:
            out[sid] = row
    return out


def sample_units(master: Project, *, min_overlap: float = 0.5,
                 docs: StudyDocuments | None = None) -> tuple[StudyDocuments, list[Unit]]:
    docs = docs or study_documents(master)
    return docs, build_units(master, docs, docs.finished_multi(), min_overlap=min_overlap)


def auto_adjudicate(master: Project, mode: str, *, min_coders: int | None = None, min_overlap: float = 0.5,
                    adjudicator: str = "auto") -> AutoResult:
    """Decide every open unit the rule settles (see ``app.core.study.auto_decide``)."""
    if mode not in ("unanimous", "majority"):
        raise ProjectError(f"--auto is 'unanimous' or 'majority', not '{mode}'")
    if min_coders is not None and min_coders < 1:
        raise ProjectError("--min-coders must be at least 1")
    docs, units = sample_units(master, min_overlap=min_overlap)
    done = decided_ids(master)
    gold = gold_coder(master)
    assert gold is not None
    now = utc_text(datetime.now(timezone.utc))
    statements: list[tuple[Any, ...]] = []
    decisions: list[dict[str, Any]] = []
    result = AutoResult(len(units), 0, 0, 0, documents=len(docs.finished_multi()))
    value_keys: dict[str, Any] = {}  # stored values text → comparable key: a few hundred distinct texts

    def key(m: dict[str, Any]) -> tuple[Any, ...]:
        raw = m.get("values_json") or ""
        vk = value_keys.get(raw)
        if vk is None:
            vk = value_keys[raw] = version_key(0, 0, m["values"])[2]
        return (m["start"], m["end"], vk)

    for unit in units:
        ids = unit.ids
        if any(i in done for i in ids):
            result.already += 1
            continue
        keyed = {c: key(m) for c, m in unit.members.items()}
        outcome = auto_decide([keyed.get(c) for c in unit.coders], mode, min_coders)
        if outcome is None:
            result.open += 1
            continue
        decision, winner = outcome
        gold_id = None
        if winner is None:
            sources = ids
        else:
            sources = sorted(unit.members[c]["id"] for c, k in keyed.items() if k == winner)
            model = unit.members[next(c for c, k in keyed.items() if k == winner)]
            gold_id = str(uuid.uuid4())
            statements.append((gold_id, unit.document_id, gold.id, model["start"], model["end"],
                               model.get("values_json") or json_text(model["values"]), "", now, now))
        decisions.append({"id": str(uuid.uuid4()), "document_id": unit.document_id, "decision": decision,
                          "statement_id": gold_id, "sources": sources, "unit": ids, "adjudicator": adjudicator,
                          "created_at": datetime.now(timezone.utc)})
        result.decided_now += 1
        result.by_decision[decision] += 1
    if decisions:
        store = study_store(master)
        with store.transaction() as conn:
            store.insert_statements(conn, statements)
            store.insert_adjudications(conn, decisions)
    return result


def review_units(master: Project, *, min_overlap: float = 0.5) -> list[ReviewUnit]:
    """Every unit of the finished sample documents with its decision and gold statement."""
    _, units = sample_units(master, min_overlap=min_overlap)
    done = decided_ids(master)
    gold = gold_coder(master, create=False)
    golds = {}
    if gold is not None:
        golds = {r["id"]: r for r in study_store(master).statement_rows([gold.id])}
    out = []
    for unit in units:
        row = next((done[i] for i in unit.ids if i in done), None)
        out.append(ReviewUnit(unit, row, golds.get(row["statement_id"]) if row and row["statement_id"] else None))
    return out


def decide(master: Project, *, document_id: str, decision: str, unit_ids: list[str], sources: list[str],
           span: tuple[int, int] | None = None, values: dict[str, Any] | None = None,
           adjudicator: str = "supervisor") -> dict[str, Any]:
    """Record one decision by hand (``picked``, ``edited``, ``added`` or ``rejected``); with a
    span, the gold statement is made too. Returns the adjudication row (for undo)."""
    if decision not in MANUAL:
        raise ProjectError(f"unknown decision '{decision}'")
    if (decision == REJECTED) != (span is None):
        raise ProjectError("a rejection has no statement; every other decision has one")
    gold = gold_coder(master)
    assert gold is not None
    gold_id = None
    store = study_store(master)
    with store.transaction() as conn:
        if span is not None:
            clean = {k: v for k, v in (values or {}).items() if v is not None and v != ""}
            problems = master.codebook.check_values(clean)
            if problems:
                raise ProjectError(problems[0])
            doc = master.document(document_id)
            if not 0 <= span[0] < span[1] <= len(doc.text):
                raise ProjectError(f"a statement must cover some text: {span[0]}..{span[1]}")
            now = utc_text(datetime.now(timezone.utc))
            gold_id = str(uuid.uuid4())
            store.insert_statements(conn, [(gold_id, document_id, gold.id, span[0], span[1], json_text(clean), "",
                                            now, now)])
        row = {"id": str(uuid.uuid4()), "document_id": document_id, "decision": decision, "statement_id": gold_id,
               "sources": sorted(sources), "unit": sorted(unit_ids), "adjudicator": adjudicator,
               "created_at": datetime.now(timezone.utc)}
        store.insert_adjudications(conn, [row])
    return row


def undo_decision(master: Project, row: dict[str, Any]) -> None:
    """Take back a decision and its gold statement (the undo of :func:`decide`)."""
    store = study_store(master)
    with store.transaction() as conn:
        store.delete_adjudication(conn, row["id"])
        if row.get("statement_id"):
            store.delete_statements(conn, [row["statement_id"]])
