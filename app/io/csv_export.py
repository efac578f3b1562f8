"""The tidy CSV export: one row per statement, one column per variable, for R, Stata and pandas."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from app.core.export_model import Export, write_text_atomic
from app.io.csv_safe import safe_cell

FIXED_COLUMNS = [
    "statement_id", "coder", "document_id", "document_sha256", "document_title", "document_source",
    "document_published", "document_url", "document_status", "start", "end", "text",
]
TAIL_COLUMNS = ["note", "created_at", "updated_at"]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(value)


def statements_csv(export: Export) -> str:
    variables = [v.key for v in export.codebook.variables]
    meta_keys = sorted({k for d in export.documents for k in d.metadata})
    header = FIXED_COLUMNS + variables + TAIL_COLUMNS + [f"meta_{k}" for k in meta_keys]
    docs = {d.id: d for d in export.documents}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for st in export.statements:
        doc = docs[st.document_id]
        row = [
            st.id, export.coder.name, doc.id, doc.sha256, doc.title, doc.source, doc.published, doc.url,
            doc.status, st.start, st.end, st.text,
            *(st.values.get(k) for k in variables),
            st.note,
            st.created_at.isoformat() if st.created_at else "",
            st.updated_at.isoformat() if st.updated_at else "",
            *(doc.metadata.get(k) for k in meta_keys),
        ]
        writer.writerow([_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


def write_statements_csv(export: Export, path: str | Path) -> None:
    write_text_atomic(path, statements_csv(export))
