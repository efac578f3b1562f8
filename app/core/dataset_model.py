"""Contract 6: the study's dataset, what analysts take to R or pandas.

The keys of an export (Contract 2) except ``coder``: each document once, and each statement with
the ``coder`` whose statement it is (a name; ``gold`` for the adjudicated ones) and its
``decision`` (null for a document only one coder coded). Generated schema:
``schema/dataset.schema.json``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.codebook import Codebook
from app.core.export_model import Decision, ExportDocument, ExportEntity, ExportStatement, ProjectRef, _Model

FORMAT = "claimcoder-dataset"
FORMAT_VERSION = 1


class DatasetStatement(ExportStatement):
    coder: str = Field(min_length=1, description="Whose statement: a coder's name, or 'gold' when adjudicated.")
    decision: Decision | None = Field(
        default=None, description="How the adjudication reached it; null when only one coder coded the document.")


class LeftOut(_Model):
    id: str
    title: str = ""
    coders: list[str] = Field(default_factory=list)
    reason: str


class Dataset(_Model):
    format: Literal["claimcoder-dataset"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    exported_at: datetime
    app_version: str
    project: ProjectRef
    codebook: Codebook
    entities: list[ExportEntity] = Field(default_factory=list)
    documents: list[ExportDocument] = Field(default_factory=list)
    statements: list[DatasetStatement] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(
        default_factory=list,
        description="Documents not in the dataset: coded by several coders and not yet fully adjudicated.")
