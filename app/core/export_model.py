"""Contract 2: the per-coder JSON export, as pydantic models.

One module for format version 1. A later version gets its own module and a union on
``format_version`` (as bioimageio.spec does), so old files keep loading.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from app.core.codebook import Codebook
from app.core.errors import ExportFormatError, describe_validation_error
from app.core.text import sha256_text

FORMAT = "claimcoder-export"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)

DocumentStatus = Literal["not_started", "in_progress", "done", "skipped"]
Value = str | float | int | bool | None


class _Model(BaseModel):
    # Unknown keys are allowed on the way in: the brief promises that more keys may be added.
    model_config = ConfigDict(extra="ignore")


class ProjectRef(_Model):
    id: str
    name: str


class CoderRef(_Model):
    id: str
    name: str = Field(min_length=1)


class ExportEntity(_Model):
    id: str
    name: str = Field(min_length=1)
    kind: str = ""
    aliases: list[str] = Field(default_factory=list)


class ExportDocument(_Model):
    id: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str = ""
    source: str = ""
    published: str | None = Field(default=None, description="ISO date when known, else as found.")
    url: str | None = None
    text: str
    status: DocumentStatus = "not_started"
    metadata: dict[str, Any] = Field(default_factory=dict)


class ExportStatement(_Model):
    id: str
    document_id: str
    start: int = Field(ge=0, description="Code-point offset into the document text.")
    end: int = Field(ge=0, description="Exclusive code-point offset.")
    text: str
    values: dict[str, Value] = Field(default_factory=dict)
    note: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Export(_Model):
    """One coder's work on one project."""

    format: Literal["claimcoder-export"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    exported_at: datetime
    app_version: str
    project: ProjectRef
    coder: CoderRef
    codebook: Codebook
    entities: list[ExportEntity] = Field(default_factory=list)
    documents: list[ExportDocument] = Field(default_factory=list)
    statements: list[ExportStatement] = Field(default_factory=list)

    _consistent: bool = PrivateAttr(default=False)

    def consistency_problems(self) -> list[str]:
        """What makes the export self-contradictory; empty when it is sound."""
        if self._consistent:
            return []
        problems: list[str] = []
        docs: dict[str, ExportDocument] = {}
        for i, doc in enumerate(self.documents):
            if doc.id in docs:
                problems.append(f"documents[{i}]: document id '{doc.id}' appears twice")
            docs[doc.id] = doc
            if sha256_text(doc.text) != doc.sha256:
                problems.append(f"documents[{i}] ('{doc.title}'): sha256 does not match the text")
        texts = {d.id: d.text for d in self.documents}
        seen: set[str] = set()
        pairs: set[tuple[str, Value]] = set()
        for i, st in enumerate(self.statements):
            if len(problems) > 20:
                break
            if st.id in seen:
                problems.append(f"statements[{i}]: statement id '{st.id}' appears twice")
            seen.add(st.id)
            text = texts.get(st.document_id)
            if text is None:
                problems.append(f"statements[{i}]: document_id '{st.document_id}' is not among the documents")
                continue
            if not st.start < st.end <= len(text):
                problems.append(
                    f"statements[{i}]: offsets {st.start}..{st.end} lie outside the text "
                    f"(0..{len(text)}) of '{docs[st.document_id].title}'"
                )
            elif text[st.start : st.end] != st.text:
                problems.append(f"statements[{i}]: 'text' is not the document's text from {st.start} to {st.end}")
            pairs.update(st.values.items())  # each distinct value is checked once, below
        check = value_checker(self.codebook)
        bad = {pair: issue for pair in pairs if (issue := check(*pair))}
        if bad:
            for i, st in enumerate(self.statements):
                problems.extend(f"statements[{i}]: {bad[p]}" for p in st.values.items() if p in bad)
                if len(problems) > 20:
                    break
        self._consistent = not problems
        return problems


def value_checker(codebook: Codebook) -> Callable[[str, Any], str | None]:
    """A fast per-value check: category values by set membership, the rest by the codebook."""
    variables = {v.key: v for v in codebook.variables}
    # strings already accepted per variable: speakers and categories repeat thousands of times
    accepted: dict[str, set[str]] = {v.key: set() for v in codebook.variables}
    for v in codebook.variables:
        if v.kind == "category":
            accepted[v.key].update(c.value for c in v.categories)

    def check(key: str, value: Any) -> str | None:
        if value is None:
            return None
        known = accepted.get(key)
        if known is None:
            return f"unknown variable '{key}'"
        if type(value) is str and value in known:
            return None
        issue = variables[key].check_value(value)
        if issue is None and type(value) is str:
            known.add(value)
        return issue

    return check


def _consistent(export: Export, source: str) -> Export:
    problems = export.consistency_problems()
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ExportFormatError(f"{source}: {problems[0]}{more}")
    return export


def parse_export(data: Any, *, source: str) -> Export:
    """Validate a decoded export; raise :class:`ExportFormatError` naming ``source``."""
    if not isinstance(data, dict):
        raise ExportFormatError(f"{source}: not a claimcoder export (expected a JSON object)")
    if data.get("format") != FORMAT:
        raise ExportFormatError(f"{source}: not a claimcoder export (\"format\" is {data.get('format')!r})")
    version = data.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        raise ExportFormatError(
            f"{source}: export format_version {version!r} is not supported by this claimcoder "
            f"(it reads {', '.join(map(str, SUPPORTED_VERSIONS))}); update claimcoder"
        )
    try:
        export = Export.model_validate(data)
    except ValidationError as exc:
        raise ExportFormatError(f"{source}: {describe_validation_error(exc)}") from None
    return _consistent(export, source)


def load_export(path: str | Path) -> Export:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ExportFormatError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ExportFormatError(f"{path}: is a folder, not an export file") from None
    except OSError as exc:
        raise ExportFormatError(f"{path}: cannot read ({exc.strerror or exc.__class__.__name__})") from None
    # Fast path: parse and validate in pydantic's compiled core in one pass. Anything it refuses
    # is parsed again the slow way below, which says precisely what is wrong.
    try:
        export = Export.model_validate_json(raw.removeprefix(b"\xef\xbb\xbf"))
    except ValidationError:
        pass
    else:
        if not {"format", "format_version"} <= export.model_fields_set:
            return parse_export(json.loads(raw.decode("utf-8-sig")), source=str(path))  # refuses it by name
        return _consistent(export, str(path))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ExportFormatError(f"{path}: not a claimcoder export (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ExportFormatError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ExportFormatError(f"{path}: not a claimcoder export (nested too deeply)") from None
    return parse_export(data, source=str(path))


def dump_export(export: Export) -> str:
    return export.model_dump_json(indent=1, exclude_none=False)


@contextmanager
def atomic_output(path: str | Path, *, encoding: str | None = "utf-8") -> Iterator[Any]:
    """A text file written in the same folder under a temporary name and renamed into place
    only when the block finishes: readers never see a half-written file, and a failure leaves
    an existing file as it was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        # encoding=None: a binary file, for writers that already hold UTF-8 bytes
        with (os.fdopen(fd, "wb") if encoding is None else os.fdopen(fd, "w", encoding=encoding, newline="")) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text_atomic(path: str | Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write via a temporary file in the same folder, then rename: never a half-written file."""
    with atomic_output(path, encoding=encoding) as fh:
        fh.write(text)
