"""Small in-memory exports for the agreement tests (no store, no files)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from app.core.codebook import Codebook
from app.core.export_model import CoderRef, Export, ExportDocument, ExportStatement, ProjectRef
from app.core.text import sha256_text

CODEBOOK = Codebook.model_validate(
    {
        "name": "Claims",
        "variables": [
            {"key": "speaker", "kind": "entity", "level": "nominal"},
            {
                "key": "stance",
                "kind": "category",
                "level": "ordinal",
                "categories": [
                    {"value": "oppose", "score": -1},
                    {"value": "neutral", "score": 0},
                    {"value": "support", "score": 1},
                ],
            },
            {
                "key": "claim_type",
                "kind": "category",
                "level": "nominal",
                "categories": [{"value": "assertion"}, {"value": "evaluation"}, {"value": "demand"}],
            },
        ],
    }
)

Stmt = tuple[str, int, int, Mapping[str, Any]]  # (document title, start, end, values)


def make_export(
    coder: str,
    docs: Mapping[str, str],
    statements: Iterable[Stmt],
    *,
    codebook: Codebook = CODEBOOK,
    status: str = "done",
    coder_id: str | None = None,
) -> Export:
    documents = [
        ExportDocument(id=f"{coder}-doc-{title}", sha256=sha256_text(text), title=title, text=text, status=status)
        for title, text in docs.items()
    ]
    stmts = [
        ExportStatement(
            id=f"{coder}-{n:05d}",
            document_id=f"{coder}-doc-{title}",
            start=s,
            end=e,
            text=docs[title][s:e],
            values=dict(values),
        )
        for n, (title, s, e, values) in enumerate(statements)
    ]
    return Export(
        exported_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        app_version="0.1.0",
        project=ProjectRef(id="p", name="Test"),
        coder=CoderRef(id=coder_id or f"id-{coder}", name=coder),
        codebook=codebook,
        documents=documents,
        statements=stmts,
    )
