"""Write a coder's export straight to disk, a chunk at a time (JSON per Contract 2, or tidy CSV).

An export of 100,000 statements built whole in memory took ~900 MB and three seconds; here each
chunk of rows is validated by the same pydantic models that read exports (compiled core), then
serialised and written, so memory stays near the documents' text and the file is renamed into
place only when complete.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from app.core.errors import ExportFormatError, describe_validation_error
from app.core.export_model import PROVENANCE, Export, ExportDocument, ExportStatement, atomic_output, value_checker
from app.io.csv_safe import safe_cell

CHUNK = 5000
_DOCUMENTS = TypeAdapter(list[ExportDocument])
_STATEMENTS = TypeAdapter(list[ExportStatement])

CSV_FIXED = [
    "statement_id", "coder", "document_id", "document_sha256", "document_title", "document_source",
    "document_published", "document_url", "document_status", "start", "end", "text",
]
CSV_TAIL = ["note", "created_at", "updated_at"]


def _chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def checked_statements(header: Any, documents: Sequence[dict[str, Any]], statements: Iterable[dict[str, Any]], *,
                       where: str, model: TypeAdapter[Any] = _STATEMENTS) -> Iterator[list[ExportStatement]]:
    """Statements in validated chunks, each with its ``text`` cut from its document.

    The checks are those a reader applies (offsets inside the text, values the codebook knows),
    so nothing leaves the program that claimcoder itself would refuse to read back.
    """
    texts = {d["id"]: d["text"] for d in documents}
    check = value_checker(header.codebook)
    n = 0
    for chunk in _chunks(statements):
        for row in chunk:
            text = texts.get(row["document_id"])
            if text is None or not 0 <= row["start"] < row["end"] <= len(text):
                raise ExportFormatError(f"{where}: statement {row['id']} lies outside its document")
            row["text"] = text[row["start"] : row["end"]]
            for key, value in row["values"].items():
                issue = check(key, value)
                if issue:
                    raise ExportFormatError(f"{where}: statement {row['id']}: {issue}")
        try:
            models = model.validate_python(chunk)
        except ValidationError as exc:
            raise ExportFormatError(f"{where}: statements[{n}…]: {describe_validation_error(exc)}") from None
        n += len(chunk)
        yield models


def _json_items(adapter: TypeAdapter[Any], models: list[Any], exclude: Any = None) -> memoryview:
    """The items of a JSON array (UTF-8), without its brackets, so chunks can be joined with
    commas; a view, not a copy: the chunk goes to the file as pydantic wrote it."""
    data = adapter.dump_json(models, indent=1, exclude=exclude)
    return memoryview(data)[2:-2]  # "[\n" ... "\n]"


def _json_head(header: Any) -> bytes:
    """The export up to the opening of its ``documents`` list."""
    head = header.model_dump_json(indent=1, exclude={"documents", "statements"})
    return (head[: head.rstrip().rfind("}")].rstrip() + ',\n "documents": [\n').encode("utf-8")


def write_export_json(path: str | Path, header: Any, documents: Sequence[dict[str, Any]],
                      statements: Iterable[dict[str, Any]], *, provenance: bool = False,
                      statement_model: TypeAdapter[Any] = _STATEMENTS) -> int:
    """Write the export; returns the number of statements written. ``header`` is the export
    without documents and statements (or the dataset's, with ``statement_model`` its statements);
    ``provenance`` keeps the gold standard's ``decision`` and ``sources``, which an ordinary
    coder's export leaves out."""
    exclude = None if provenance else {"__all__": set(PROVENANCE)}
    where = str(path)
    n = 0
    with atomic_output(path, encoding=None) as fh:
        fh.write(_json_head(header))
        # Validated 500 at a time as they are written: the models of 100,000 documents at once
        # held a second copy of every text (a failure still leaves no file: atomic_output).
        for i in range(0, len(documents), 500):
            try:
                docs = _DOCUMENTS.validate_python(list(documents[i : i + 500]))
            except ValidationError:
                try:  # again over all of them, so the message counts documents from the first
                    _DOCUMENTS.validate_python(list(documents))
                except ValidationError as exc:
                    raise ExportFormatError(f"{where}: documents: {describe_validation_error(exc)}") from None
                raise
            if i:
                fh.write(b",\n")
            fh.write(_json_items(_DOCUMENTS, docs))
        fh.write(b'\n ],\n "statements": [\n')
        for chunk in checked_statements(header, documents, statements, where=where, model=statement_model):
            if n:
                fh.write(b",\n")
            fh.write(_json_items(statement_model, chunk, exclude))
            n += len(chunk)
        fh.write(b"\n ]\n}\n")
    return n


def write_export_csv(path: str | Path, header: Export, documents: Sequence[dict[str, Any]],
                     statements: Iterable[dict[str, Any]]) -> int:
    """One row per statement, one column per variable (UTF-8 with BOM; formula-safe)."""
    variables = [v.key for v in header.codebook.variables]
    meta_keys = sorted({k for d in documents for k in (d.get("metadata") or {})})
    docs = {d["id"]: d for d in documents}
    n = 0
    with atomic_output(path) as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(CSV_FIXED + variables + CSV_TAIL + [f"meta_{k}" for k in meta_keys])
        for chunk in checked_statements(header, documents, statements, where=str(path)):
            writer.writerows(_csv_row(header.coder.name, docs[st.document_id], st, variables, meta_keys) for st in chunk)
            n += len(chunk)
    return n


def _csv_row(coder: str, doc: dict[str, Any], st: ExportStatement, variables: list[str],
             meta_keys: list[str]) -> list[Any]:
    meta = doc.get("metadata") or {}
    row = [
        st.id, coder, doc["id"], doc["sha256"], doc["title"], doc["source"], doc["published"], doc["url"],
        doc["status"], st.start, st.end, st.text,
        *(st.values.get(k) for k in variables),
        st.note,
        st.created_at.isoformat() if st.created_at else "",
        st.updated_at.isoformat() if st.updated_at else "",
        *(meta.get(k) for k in meta_keys),
    ]
    return [_cell(v) for v in row]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(value)




def write_dataset_csv(path: str | Path, header: Any, documents: Sequence[dict[str, Any]],
                      statements: Iterable[dict[str, Any]], *, statement_model: TypeAdapter[Any]) -> int:
    """The dataset as tidy CSV: the export's columns, with each row's own coder, then the
    adjudication's ``decision`` and ``sources`` (ids joined by ``|``)."""
    variables = [v.key for v in header.codebook.variables]
    meta_keys = sorted({k for d in documents for k in (d.get("metadata") or {})})
    docs = {d["id"]: d for d in documents}
    cut = len(CSV_FIXED) + len(variables) + len(CSV_TAIL)
    n = 0
    with atomic_output(path) as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(CSV_FIXED + variables + CSV_TAIL + ["decision", "sources"] + [f"meta_{k}" for k in meta_keys])
        for chunk in checked_statements(header, documents, statements, where=str(path), model=statement_model):
            for st in chunk:
                row = _csv_row(st.coder, docs[st.document_id], st, variables, meta_keys)
                row[cut:cut] = [_cell(st.decision), _cell("|".join(st.sources or []))]
                writer.writerow(row)
            n += len(chunk)
    return n
