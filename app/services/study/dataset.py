"""``claimcoder export MASTER --dataset``: the study's dataset (Contract 6).

Each document once: a document one coder coded brings that coder's statements (decision null);
a document several coders have (the reliability sample) brings its gold statements once it is
adjudicated — every coder finished it and every aligned unit has a decision. Until then it is
left out and listed. Documents nobody has coded yet are left out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from app import __version__
from app.core.dataset_model import FORMAT, FORMAT_VERSION, Dataset, DatasetStatement, LeftOut
from app.core.errors import ProjectError
from app.core.gcpause import paused_gc
from app.core.study import GOLD
from app.io.export_writer import write_dataset_csv, write_export_json
from app.services.project import Project
from app.services.study.adjudicate import decided_ids
from app.services.study.common import gold_coder, study_store, with_provenance
from app.services.study.units import StudyDocuments, build_units, study_documents
from app.store.db import from_utc_text

_STATEMENTS = TypeAdapter(list[DatasetStatement])
CODED = ("done", "in_progress")


@dataclass(slots=True)
class DatasetWritten:
    path: Path
    documents: int
    statements: int
    left_out: list[LeftOut] = field(default_factory=list)
    not_coded: int = 0


@dataclass(slots=True)
class DatasetSelection:
    """Which statements the dataset takes: ``take`` maps a document to the coder ids whose
    statements it brings (None: its gold statements); ``statements`` are those rows in document
    and span order, each with its coder's name."""

    take: dict[str, list[str] | None]
    statements: list[dict[str, Any]]
    left_out: list[LeftOut]
    not_coded: int
    study: StudyDocuments  # who coded what, and the statuses


def select_dataset(master: Project, *, min_overlap: float = 0.5) -> DatasetSelection:
    """The one rule of what the dataset holds (see the module's docstring), shared by
    ``export --dataset`` and ``network --dataset``."""
    store = study_store(master)
    docs = study_documents(master)
    gold = gold_coder(master, create=False)
    decided = decided_ids(master)
    units = build_units(master, docs, docs.finished_multi(), min_overlap=min_overlap)
    open_docs = {u.document_id for u in units if not any(i in decided for i in u.ids)}
    with_statements = {(d, c) for d, c in store.coded_pairs()}
    take: dict[str, list[str] | None] = {}  # document → the coder ids whose statements it takes (None: gold)
    left_out: list[LeftOut] = []
    not_coded = 0
    titles = {s.id: s.title for s in master.document_summaries()}
    for doc_id in titles:
        coders = docs.coders.get(doc_id, [])
        coded = [c for c in coders if docs.status.get((doc_id, c)) in CODED or (doc_id, c) in with_statements]
        names = [docs.names[c] for c in coders]
        if len(coders) >= 2:
            if not docs.finished(doc_id):
                waiting = [docs.names[c] for c in coders if docs.status.get((doc_id, c)) != "done"]
                left_out.append(LeftOut(id=doc_id, title=titles[doc_id], coders=names,
                                        reason=f"not finished by {', '.join(waiting)}"))
            elif doc_id in open_docs:
                left_out.append(LeftOut(id=doc_id, title=titles[doc_id], coders=names, reason="not fully adjudicated"))
            else:
                take[doc_id] = None
        elif coded:
            take[doc_id] = coded
        else:
            not_coded += 1
    names = dict(docs.names)
    wanted = [c for cs in take.values() if cs for c in cs]
    rows = store.statement_rows(sorted(set(wanted)), [d for d, cs in take.items() if cs]) if wanted else []
    statements = [r for r in rows if take.get(r["document_id"]) and r["coder_id"] in take[r["document_id"]]]
    if gold is not None:
        names[gold.id] = GOLD
        gold_docs = [d for d, cs in take.items() if cs is None]
        if gold_docs:
            statements.extend(with_provenance(master, store.statement_rows([gold.id], gold_docs)))
    position = {d: k for k, d in enumerate(titles)}
    statements.sort(key=lambda r: (position[r["document_id"]], r["start"], r["end"], r["id"]))
    out = [{"id": r["id"], "document_id": r["document_id"], "start": r["start"], "end": r["end"], "values": r["values"],
            "note": r["note"], "created_at": from_utc_text(r["created_at"]), "updated_at": from_utc_text(r["updated_at"]),
            "coder": names[r["coder_id"]], "decision": r.get("decision"), "sources": r.get("sources")}
           for r in statements]
    return DatasetSelection(take, out, left_out, not_coded, docs)


def build_parts(master: Project, *, min_overlap: float = 0.5) -> tuple[Dataset, list[dict[str, Any]],
                                                                          list[dict[str, Any]], list[LeftOut], int]:
    """(header, documents, statements, left out, not coded) of the dataset."""
    chosen = select_dataset(master, min_overlap=min_overlap)
    take, out, left_out, not_coded, docs = (chosen.take, chosen.statements, chosen.left_out, chosen.not_coded,
                                            chosen.study)
    documents = []
    for doc in master.iter_documents():
        if doc.id in take:
            cs = take[doc.id]
            status = "done" if cs is None else docs.status.get((doc.id, cs[0]), "in_progress")
            documents.append({"id": doc.id, "sha256": doc.sha256, "title": doc.title, "source": doc.source,
                              "published": doc.published, "url": doc.url, "text": doc.text, "status": status,
                              "metadata": doc.metadata})
    header = Dataset(
        format=FORMAT, format_version=FORMAT_VERSION, exported_at=datetime.now(timezone.utc).replace(microsecond=0),
        app_version=__version__, project={"id": master.info.id, "name": master.name}, codebook=master.codebook,
        entities=[{"id": e.id, "name": e.name, "kind": e.kind, "aliases": list(e.aliases),
                   "attributes": dict(e.attributes)} for e in master.entities()],
        left_out=left_out,
    )
    return header, documents, out, left_out, not_coded


def export_dataset(master: Project, path: str | Path, fmt: str = "json", *, min_overlap: float = 0.5) -> DatasetWritten:
    path = Path(path)
    if not path.parent.exists():
        raise ProjectError(f"{path}: the folder {path.parent} does not exist")
    header, documents, statements, left_out, not_coded = build_parts(master, min_overlap=min_overlap)
    try:
        with paused_gc():
            if fmt == "csv":
                n = write_dataset_csv(path, header, documents, statements, statement_model=_STATEMENTS)
            else:
                n = write_export_json(path, header, documents, statements, provenance=True,
                                      statement_model=_STATEMENTS)
    except PermissionError:
        raise ProjectError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return DatasetWritten(path, len(documents), n, left_out, not_coded)
