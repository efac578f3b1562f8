"""REFI-QDA exchange files: a coder's work as a ``.qdpx`` project, the codebook as a ``.qdc``.

MAXQDA, ATLAS.ti, NVivo and QualCoder open these (REFI-QDA 1.5, namespace
``urn:QDA-XML:project:1.0``). The mapping:

- each document → a ``TextSource`` whose plain text is ``sources/<guid>.txt`` in the archive
  (lowercase ``sources/``: QualCoder looks for that name first), UTF-8 with ``\\n`` line ends, so
  that positions count the same characters as our code-point offsets (a ``\\r\\n`` file makes
  importers disagree by one per line);
- each statement → a ``PlainTextSelection`` with one ``Coding`` per coded value; the variables
  are flattened into a code tree (*Speaker ▸ Vladimir Putin*, *Stance ▸ support*); free-text
  variables cannot be codes and join the statement's note in its ``Description``;
- document fields and metadata → project ``Variables`` with a ``VariableValue`` per source;
- the coder → a ``User`` who created every selection and coding.

GUIDs are derived from our ids (UUID 5), so exporting twice gives the same file identities.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from app.core.codebook import Codebook, Variable
from app.core.export_model import Export, atomic_output

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_GUIDS = uuid.UUID("6f1c4e1e-8c55-4a55-9e0f-2f0c2d4c1a77")  # our namespace for UUID 5
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIELD_VARIABLES = (("source", "Source"), ("published", "Published"), ("url", "URL"), ("status", "Status"))


def guid(kind: str, ident: str) -> str:
    return str(uuid.uuid5(_GUIDS, f"{kind}:{ident}"))


def _stamp(value: Any) -> str:
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    elif isinstance(value, str) and value:
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            dt = datetime.now(timezone.utc)
    else:
        dt = datetime.now(timezone.utc)
    return dt.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _value_label(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _CodeTree:
    """One parent code per coded variable, one child per value, created as values are met."""

    def __init__(self, codebook: Codebook, entities: Sequence[Any]) -> None:
        self.codebook = codebook
        self.children: dict[str, dict[str, str]] = {}
        for var in codebook.variables:
            if var.kind == "text":
                continue
            values = self.children.setdefault(var.key, {})
            if var.kind == "category":
                for cat in var.categories:
                    values[cat.value] = guid(f"code:{var.key}", cat.value)
            elif var.kind == "boolean":
                for label in ("true", "false"):
                    values[label] = guid(f"code:{var.key}", label)
            elif var.kind == "entity":
                for ent in entities:
                    values[ent.name] = guid(f"code:{var.key}", ent.name)

    def code_for(self, var: Variable, value: Any) -> str:
        label = _value_label(value)
        values = self.children[var.key]
        if label not in values:
            values[label] = guid(f"code:{var.key}", label)
        return values[label]

    def element(self, ns: str) -> ET.Element:
        codes = ET.Element(f"{{{ns}}}Codes")
        for var in self.codebook.variables:
            if var.key not in self.children:
                continue
            parent = ET.SubElement(codes, f"{{{ns}}}Code", guid=guid("variable", var.key), name=var.display,
                                   isCodable="false")
            if var.description:
                ET.SubElement(parent, f"{{{ns}}}Description").text = var.description
            labels = {c.value: c.display for c in var.categories}
            for value, code_guid in self.children[var.key].items():
                ET.SubElement(parent, f"{{{ns}}}Code", guid=code_guid, name=labels.get(value, value), isCodable="true")
        return codes


def write_qdpx(path: str | Path, header: Export, documents: Sequence[dict[str, Any]],
               statements: Iterable[Any]) -> int:
    """Write a ``.qdpx`` archive; ``statements`` are validated export statements
    (:func:`app.io.export_writer.checked_statements` chunks, flattened). Returns their number."""
    ET.register_namespace("", PROJECT_NS)
    q = f"{{{PROJECT_NS}}}"
    user = guid("coder", header.coder.id)
    now = _stamp(header.exported_at)
    root = ET.Element(f"{q}Project", name=header.project.name, origin=f"claimcoder {header.app_version}",
                      creatingUserGUID=user, creationDateTime=now)
    users = ET.SubElement(root, f"{q}Users")
    ET.SubElement(users, f"{q}User", guid=user, name=header.coder.name)
    tree = _CodeTree(header.codebook, header.entities)
    codebook_el = ET.SubElement(root, f"{q}CodeBook")  # filled once every value is known

    meta_keys = sorted({k for d in documents for k in (d.get("metadata") or {})})
    dated = all(_ISO_DATE.match(d["published"] or "") for d in documents if d.get("published"))
    fields = [*FIELD_VARIABLES, *((f"meta:{k}", k) for k in meta_keys)]
    variables = ET.SubElement(root, f"{q}Variables")
    for key, label in fields:
        kind = "Date" if key == "published" and dated else "Text"
        ET.SubElement(variables, f"{q}Variable", guid=guid("field", key), name=label, typeOfVariable=kind)

    by_doc: dict[str, list[Any]] = {}
    n = 0
    for st in statements:
        by_doc.setdefault(st.document_id, []).append(st)
        n += 1
    sources_el = ET.SubElement(root, f"{q}Sources")
    texts: dict[str, str] = {}
    variables_of = {v.key: v for v in header.codebook.variables}
    for doc in documents:
        source_guid = guid("document", doc["id"])
        texts[source_guid] = doc["text"]
        source = ET.SubElement(sources_el, f"{q}TextSource", guid=source_guid, name=doc["title"] or doc["id"],
                               plainTextPath=f"internal://{source_guid}.txt", creatingUser=user,
                               creationDateTime=now)
        for st in sorted(by_doc.get(doc["id"], []), key=lambda s: (s.start, s.end, s.id)):
            created = _stamp(st.created_at)
            sel = ET.SubElement(source, f"{q}PlainTextSelection", guid=guid("statement", st.id),
                                name=st.text[:60], startPosition=str(st.start), endPosition=str(st.end),
                                creatingUser=user, creationDateTime=created, modifyingUser=user,
                                modifiedDateTime=_stamp(st.updated_at))
            notes = [st.note] if st.note else []
            codings = []
            for key, value in st.values.items():
                var = variables_of.get(key)
                if var is None or value is None:
                    continue
                if var.kind == "text":
                    notes.append(f"{var.display}: {value}")
                    continue
                codings.append((key, tree.code_for(var, value)))
            if notes:
                ET.SubElement(sel, f"{q}Description").text = "\n".join(notes)
            for key, code_guid in codings:
                coding = ET.SubElement(sel, f"{q}Coding", guid=guid(f"coding:{key}", st.id), creatingUser=user,
                                       creationDateTime=created)
                ET.SubElement(coding, f"{q}CodeRef", targetGUID=code_guid)
        for key, _label in fields:
            raw = doc.get("metadata", {}).get(key[5:]) if key.startswith("meta:") else doc.get(key)
            if raw is None or raw == "":
                continue
            vv = ET.SubElement(source, f"{q}VariableValue")
            ET.SubElement(vv, f"{q}VariableRef", targetGUID=guid("field", key))
            tag = "DateValue" if key == "published" and dated else "TextValue"
            ET.SubElement(vv, f"{q}{tag}").text = _value_label(raw)
    codebook_el.append(tree.element(PROJECT_NS))

    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with atomic_output(path, encoding=None) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for source_guid, text in texts.items():
            archive.writestr(f"sources/{source_guid}.txt", text.encode("utf-8"))
    return n


def write_qdc(path: str | Path, header: Export) -> int:
    """The codebook alone as a REFI-QDA ``.qdc`` file (namespace ``urn:QDA-XML:codebook:1.0``)."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=f"claimcoder {header.app_version}")
    tree = _CodeTree(header.codebook, header.entities)
    root.append(tree.element(CODEBOOK_NS))
    with atomic_output(path, encoding=None) as fh:
        fh.write(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return sum(len(values) for values in tree.children.values())
