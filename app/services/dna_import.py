"""Turn a DNA 3 database into a claimcoder project: documents, coders, actors, codebook, statements.

One DNA statement type becomes the codebook (the one with most statements unless one is
named): each of its variables one codebook variable. Short-text variables that name actors
(person, organization … or any whose entities carry attributes) become entity variables and
fill the actor list; other short-text variables become category variables whose categories
are DNA's entity values; boolean → boolean, integer → number, long text → text.

The new project is written under a temporary name and renamed only when everything went in,
so a failed import leaves nothing behind. What could not be carried over is reported.
"""

from __future__ import annotations

import os
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.codebook import Codebook
from app.core.domain import NewDocument, Statement
from app.core.errors import ImportFailed, ProjectError
from app.core.names import name_key
from app.core.text import sha256_text
from app.io.dna import DnaDatabase, DnaVariable, normalise_with_offsets, read_dna
from app.services.project import Project
from app.store.models import utcnow

ACTOR_VARIABLES = frozenset({"person", "organization", "organisation", "actor", "speaker", "source", "target",
                             "author", "people", "persons", "organizations", "organisations", "actors"})


@dataclass(slots=True)
class DnaImportReport:
    project: Path
    statement_type: str
    documents: int = 0
    coders: list[str] = field(default_factory=list)
    entities: int = 0
    statements: int = 0
    variables: dict[str, str] = field(default_factory=dict)  # DNA variable → "key (kind)"
    not_carried: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"project": str(self.project), "statement_type": self.statement_type, "documents": self.documents,
                "coders": self.coders, "entities": self.entities, "statements": self.statements,
                "variables": self.variables, "not_carried_over": self.not_carried}


def import_dna(source: Path, output: Path, *, statement_type: str | None = None,
               entity_variables: frozenset[str] = frozenset(), name: str | None = None) -> DnaImportReport:
    if output.exists():
        raise ProjectError(f"{output}: already exists; choose another name")
    if not output.parent.exists():
        raise ProjectError(f"{output}: the folder {output.parent} does not exist")
    try:
        dna = read_dna(source)
    except ImportFailed as exc:
        raise ProjectError(exc.message) from None
    type_id = _pick_type(dna, statement_type, source)
    variables = [v for v in dna.variables if v.statement_type_id == type_id]
    if not variables:
        raise ProjectError(f"{source}: the statement type '{dna.statement_types[type_id]}' has no variables")
    plan = _VariablePlan(dna, variables, entity_variables)
    report = DnaImportReport(project=output, statement_type=dna.statement_types[type_id])
    report.variables = {v.name: f"{plan.keys[v.id]} ({plan.kinds[v.id]})" for v in variables}
    partial = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        with Project.create(partial, name=name or source.stem, codebook=plan.codebook()) as project:
            _fill(project, dna, type_id, plan, report)
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        os.replace(partial, output)
    finally:
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return report


def _pick_type(dna: DnaDatabase, wanted: str | None, source: Path) -> int:
    counts = dna.statement_counts()
    if wanted is not None:
        for tid, label in dna.statement_types.items():
            if label == wanted or name_key(label) == name_key(wanted):
                return tid
        labels = ", ".join(f"'{label}'" for label in dna.statement_types.values())
        raise ProjectError(f"{source}: no statement type '{wanted}' (it has {labels})")
    if not dna.statement_types:
        raise ProjectError(f"{source}: the DNA database has no statement types")
    return max(dna.statement_types, key=lambda tid: (counts.get(tid, 0), -tid))


class _VariablePlan:
    """How each DNA variable of the chosen statement type maps onto the codebook."""

    def __init__(self, dna: DnaDatabase, variables: list[DnaVariable], entity_variables: frozenset[str]) -> None:
        self.variables = variables
        self.keys: dict[int, str] = {}
        self.kinds: dict[int, str] = {}
        self.categories: dict[int, list[str]] = {}
        wanted = {name_key(v) for v in entity_variables}
        with_attributes = {e.variable_id for e in dna.entities.values() if e.attributes}
        used: set[str] = set()
        for var in variables:
            self.keys[var.id] = _unique_key(var.name, used)
            if var.data_type == "short text":
                actor = (name_key(var.name) in wanted or name_key(var.name) in ACTOR_VARIABLES
                         or var.id in with_attributes)
                self.kinds[var.id] = "entity" if actor else "category"
                if not actor:
                    values = [e.value.strip() for e in sorted(dna.entities.values(), key=lambda e: e.id)
                              if e.variable_id == var.id and e.value.strip()]
                    self.categories[var.id] = list(dict.fromkeys(values)) or ["(none)"]
            else:
                self.kinds[var.id] = {"long text": "text", "boolean": "boolean", "integer": "number"}[var.data_type]

    def codebook(self) -> Codebook:
        variables = []
        for var in self.variables:
            entry: dict[str, Any] = {"key": self.keys[var.id], "label": var.name, "kind": self.kinds[var.id]}
            if self.kinds[var.id] == "category":
                entry["categories"] = [{"value": v[:200]} for v in self.categories[var.id]]
            if self.kinds[var.id] == "number":
                entry["level"] = "interval"
            variables.append(entry)
        return Codebook.model_validate({"name": "Imported from DNA", "version": "1", "variables": variables})


def _unique_key(name: str, used: set[str]) -> str:
    key = re.sub(r"[^a-z0-9_]+", "_", name_key(name)).strip("_")[:60] or "variable"
    if not key[0].isalpha():
        key = "v_" + key
    base, n = key, 2
    while key in used:
        key, n = f"{base}_{n}", n + 1
    used.add(key)
    return key


def _fill(project: Project, dna: DnaDatabase, type_id: int, plan: _VariablePlan, report: DnaImportReport) -> None:
    statements = [st for st in dna.statements if st.statement_type_id == type_id]
    other = Counter(dna.statement_types.get(st.statement_type_id, "?") for st in dna.statements
                    if st.statement_type_id != type_id)
    for label, n in sorted(other.items()):
        report.not_carried.append(f"{n} statement{'s' if n != 1 else ''} of the statement type '{label}'")

    # Coders: every DNA coder who made a statement of this type, under a unique name.
    coder_names: dict[int, str] = {}
    taken: set[str] = set()
    for cid in sorted({st.coder_id for st in statements}):
        base = " ".join(dna.coders.get(cid, f"DNA coder {cid}").split()) or f"DNA coder {cid}"
        label, n = base, 2
        while name_key(label) in taken:
            label, n = f"{base} ({n})", n + 1
        taken.add(name_key(label))
        coder_names[cid] = label
    coders = {cid: project.ensure_coder(label) for cid, label in coder_names.items()}
    report.coders = list(coder_names.values())

    # Actors: the entities of the entity variables, one actor per name (ignoring case/accents).
    entity_names: dict[int, str] = {}
    seen: dict[str, str] = {}
    var_names = {v.id: v.name for v in plan.variables}
    for ent in sorted(dna.entities.values(), key=lambda e: e.id):
        if plan.kinds.get(ent.variable_id) != "entity" or not ent.value.strip():
            continue
        label = " ".join(ent.value.split())
        key = name_key(label)
        if key in seen:
            entity_names[ent.id] = seen[key]
            if seen[key] != label:
                report.not_carried.append(f"the entity '{label}' was joined with '{seen[key]}' (same name)")
            continue
        project.add_entity(label, var_names[ent.variable_id], attributes=ent.attributes)
        seen[key] = entity_names[ent.id] = label
        report.entities += 1
    for ent in dna.entities.values():
        if plan.kinds.get(ent.variable_id) == "category":
            entity_names.setdefault(ent.id, ent.value.strip()[:200])

    # Documents, with every statement offset moved from DNA's UTF-16 to our code points.
    by_doc: dict[int, list[Any]] = {}
    for st in statements:
        by_doc.setdefault(st.document_id, []).append(st)
    doc_ids: dict[int, str] = {}
    offsets: dict[int, dict[int, int]] = {}
    texts: dict[int, str] = {}
    first_with: dict[str, int] = {}
    texts_again: dict[int, str] = {}  # DNA documents whose text another one already brought
    for doc in dna.documents:
        mine = by_doc.get(doc.id, [])
        try:
            text, mapping = normalise_with_offsets(doc.text, [o for st in mine for o in (st.start, st.stop)])
        except ValueError:
            report.not_carried.append(f"document {doc.id} '{doc.title[:60]}': its text could not be normalised "
                                      f"without moving its {len(mine)} statements")
            continue
        if not text.strip():
            report.not_carried.append(f"document {doc.id} '{doc.title[:60]}': empty text")
            continue
        sha = sha256_text(text)
        if sha in first_with:
            first = first_with[sha]
            report.not_carried.append(f"document {doc.id} has the same text as document {first}; kept once")
            offsets[doc.id] = mapping
            texts_again[doc.id] = sha
            continue
        first_with[sha] = doc.id
        metadata = {k: v for k, v in (("author", doc.author), ("section", doc.section), ("type", doc.type),
                                       ("notes", doc.notes)) if v}
        metadata["dna_document_id"] = doc.id
        new = NewDocument(text=text, title=" ".join(doc.title.split()), source=" ".join(doc.source.split()),
                          published=doc.date.date().isoformat() if doc.date else None,
                          metadata=metadata, origin=f"DNA document {doc.id}")
        project.add_documents([(new, sha)])
        texts[doc.id] = sha
        offsets[doc.id] = mapping
    by_sha = {d.sha256: d.id for d in project.iter_documents()}
    for dna_id, sha in {**texts, **texts_again}.items():
        doc_ids[dna_id] = by_sha[sha]
    report.documents = len(texts)

    now = utcnow()
    rows: list[Statement] = []
    dropped = Counter[str]()
    lost_values = Counter[str]()
    for st in statements:
        if st.document_id not in doc_ids:
            dropped["in a document that was not carried over"] += 1
            continue
        start, end = offsets[st.document_id][st.start], offsets[st.document_id][st.stop]
        if not start < end:
            dropped["with an empty or reversed span"] += 1
            continue
        values: dict[str, Any] = {}
        for var in plan.variables:
            raw = st.values.get(var.id)
            if raw is None:
                continue
            kind = plan.kinds[var.id]
            if kind in ("entity", "category"):
                value = entity_names.get(int(raw))  # type: ignore[call-overload]
                if value is None:
                    lost_values[var.name] += 1
                    continue
            else:
                value = raw
            if value != "":
                values[plan.keys[var.id]] = value
        rows.append(Statement(str(uuid.uuid4()), doc_ids[st.document_id], coders[st.coder_id].id, start, end,
                              values, "", now, now))
    for reason, n in dropped.items():
        report.not_carried.append(f"{n} statement{'s' if n != 1 else ''} {reason}")
    for var_name, n in lost_values.items():
        report.not_carried.append(f"{n} value{'s' if n != 1 else ''} of '{var_name}' naming an entity that does not exist")
    report.statements = project.import_statements(rows)
    report.not_carried.append("DNA's coder passwords, permissions and colours, regular expressions, "
                              "entity colours and hierarchy (ChildOf), and variable links are not used by claimcoder")
