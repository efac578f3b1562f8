"""The study's documents as the supervisor sees them: who has each one, which are finished by
every coder, and the aligned units of those (the alignment ``agree`` computes, Contract 4).

Status, adjudication and the dataset all start here, so they agree on what a "finished sample
document" and a "unit" are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app import __version__
from app.core.agreement.alignment import align, tie_ranks
from app.core.codebook import Codebook
from app.core.export_model import FORMAT, FORMAT_VERSION, CoderRef, ExportDocument, ExportRows, ProjectRef
from app.core.study import is_reserved_coder
from app.services.project import Project
from app.services.study.common import study_store

DONE = "done"


@dataclass(slots=True)
class StudyDocuments:
    """Per document, the coders (ids) who have it: assigned, or — without an assignment — who
    coded it; and every coder's status."""

    coders: dict[str, list[str]]
    status: dict[tuple[str, str], str]  # (document id, coder id) → status
    sample: set[str]
    names: dict[str, str]  # coder id → name (without gold)
    assigned: bool  # whether the study has an assignment at all

    def multi(self) -> list[str]:
        """Documents of two or more coders (the sample, in an assigned study)."""
        return [d for d, cs in self.coders.items() if len(cs) >= 2]

    def finished(self, doc: str) -> bool:
        return all(self.status.get((doc, c)) == DONE for c in self.coders.get(doc, []))

    def finished_multi(self) -> list[str]:
        return [d for d in self.multi() if self.finished(d)]


def study_documents(master: Project) -> StudyDocuments:
    store = study_store(master)
    names = {i: n for i, n in store.coder_rows().items() if not is_reserved_coder(n)}
    status = {(d, c): s for d, c, s, _ in store.statuses() if c in names}
    handed = store.handed()
    coders: dict[str, list[str]] = {}
    sample: set[str] = set()
    for d, c, in_sample, _ in handed:
        if c in names:
            coders.setdefault(d, []).append(c)
        if in_sample:
            sample.add(d)
    # documents outside any assignment: whoever coded them (marked, or with statements)
    assigned = set(coders)
    coded = {(d, c) for (d, c), s in status.items() if s in ("done", "in_progress")}
    if len(assigned) < master.document_count():  # some documents outside the assignment
        coded |= {(d, c) for d, c in store.coded_pairs() if c in names}
    for d, c in sorted(coded):
        if d not in assigned:
            coders.setdefault(d, []).append(c)
    for cs in coders.values():
        cs.sort(key=lambda c: (names[c].casefold(), names[c], c))
    return StudyDocuments(coders, status, sample, names, bool(handed))


@dataclass(slots=True)
class Unit:
    """One aligned unit: the statements (row dicts) of the coders who marked it there."""

    document_id: str
    coders: list[str]  # the document's coders, in name order
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # coder id → statement row

    @property
    def ids(self) -> list[str]:
        return sorted(m["id"] for m in self.members.values())

    @property
    def span(self) -> tuple[int, int]:
        return (min(m["start"] for m in self.members.values()), max(m["end"] for m in self.members.values()))


def build_units(master: Project, docs: StudyDocuments, doc_ids: list[str], *, min_overlap: float = 0.5) -> list[Unit]:
    """The aligned units of ``doc_ids`` over their coders' statements, in document and span order."""
    if not doc_ids:
        return []
    store = study_store(master)
    order = {d: g for g, d in enumerate(sorted(doc_ids))}
    coder_ids = sorted(docs.names, key=lambda c: (docs.names[c].casefold(), docs.names[c], c))
    number = {c: k for k, c in enumerate(coder_ids)}
    rows = [r for r in store.statement_rows(coder_ids, doc_ids) if r["coder_id"] in docs.coders.get(r["document_id"], ())]
    if not rows:
        return []
    group = np.fromiter((order[r["document_id"]] for r in rows), dtype=np.int64, count=len(rows))
    coder = np.fromiter((number[r["coder_id"]] for r in rows), dtype=np.int64, count=len(rows))
    start = np.fromiter((r["start"] for r in rows), dtype=np.int64, count=len(rows))
    end = np.fromiter((r["end"] for r in rows), dtype=np.int64, count=len(rows))
    ident = tie_ranks(group, coder, start, end, [r["id"] for r in rows])
    alignment = align(group, coder, start, end, ident, min_overlap)
    units: list[Unit | None] = [None] * alignment.n_units
    for r, u in zip(rows, alignment.unit.tolist()):
        unit = units[u]
        if unit is None:
            unit = units[u] = Unit(r["document_id"], docs.coders[r["document_id"]])
        unit.members[r["coder_id"]] = r
    return [u for u in units if u is not None]


def sample_exports(master: Project, docs: StudyDocuments, doc_ids: list[str]) -> list[ExportRows]:
    """Each coder's statements on ``doc_ids`` as the export ``agree`` would read, built in
    memory from the master (no files): the agreement code then runs unchanged."""
    store = study_store(master)
    rows = store.document_rows(doc_ids)
    codebook: Codebook = master.codebook
    by_coder: dict[str, list[dict[str, Any]]] = {c: [] for c in docs.names}
    texts = {d: rows[d]["text"] for d in doc_ids}
    for r in store.statement_rows(list(docs.names), doc_ids):
        if r["coder_id"] in docs.coders.get(r["document_id"], ()):
            by_coder[r["coder_id"]].append(
                {"id": r["id"], "document_id": r["document_id"], "start": r["start"], "end": r["end"],
                 "text": texts[r["document_id"]][r["start"]:r["end"]], "values": r["values"]})
    out = []
    for cid, name in docs.names.items():
        mine = [d for d in doc_ids if cid in docs.coders.get(d, ())]
        if not mine:
            continue
        documents = [ExportDocument.model_construct(
            id=d, sha256=rows[d]["sha256"], title=rows[d]["title"], source=rows[d]["source"], published=rows[d]["published"],
            url=rows[d]["url"], text=rows[d]["text"], status=docs.status.get((d, cid), "not_started"), metadata={})
            for d in mine]
        out.append(ExportRows.model_construct(
            format=FORMAT, format_version=FORMAT_VERSION, exported_at=None, app_version=__version__,
            project=ProjectRef(id=master.info.id, name=master.name), coder=CoderRef(id=cid, name=name),
            codebook=codebook, entities=[], documents=documents, statements=by_coder[cid]))
    return out
