"""Contract 2: the per-coder JSON export, as pydantic models.

One module for format version 1. A later version gets its own module and a union on
``format_version`` (as bioimageio.spec does), so old files keep loading.
"""

from __future__ import annotations

import json
import operator
import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, repeat
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)
from typing_extensions import NotRequired, TypedDict

from app.core import finite
from app.core.codebook import Codebook
from app.core.errors import ExportFormatError, describe_validation_error
from app.core.finite import check_finite_json
from app.core.text import sha256_text

FORMAT = "claimcoder-export"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)

DocumentStatus = Literal["not_started", "in_progress", "done", "skipped"]
Decision = Literal["auto-unanimous", "auto-majority", "picked", "edited", "added"]
PROVENANCE = frozenset({"decision", "sources"})  # statement fields only the gold standard has
Value = str | float | int | bool | None
# How a stored value is validated: each JSON type to its own Python type (1 stays int, 1.0 float,
# true bool), tried in order with no coercion. Same result as pydantic's "smart" union, which tries
# every member for every value and is a third of the cost of reading an export.
StoredValue = Annotated[
    StrictStr | None | StrictBool | StrictInt | StrictFloat, Field(union_mode="left_to_right")
]


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
    attributes: Annotated[dict[str, Any], AfterValidator(check_finite_json)] = Field(
        default_factory=dict, description="Supervisor-defined actor attributes (country, party …).")


class ExportDocument(_Model):
    id: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str = ""
    source: str = ""
    published: str | None = Field(default=None, description="ISO date when known, else as found.")
    url: str | None = None
    text: str
    status: DocumentStatus = "not_started"
    metadata: Annotated[dict[str, Any], AfterValidator(check_finite_json)] = Field(default_factory=dict)


class ExportStatement(_Model):
    id: str
    document_id: str
    start: int = Field(ge=0, description="Code-point offset into the document text.")
    end: int = Field(ge=0, description="Exclusive code-point offset.")
    text: str
    values: dict[str, StoredValue] = Field(default_factory=dict)
    note: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    origin: Literal["", "candidate", "candidate-accepted", "candidate-changed"] = Field(
        default="", exclude_if=lambda v: v == "", description="Whether the statement was made from a suggested candidate: '' (selected by the "
        "coder), 'candidate', 'candidate-accepted' (its suggested speaker confirmed unchanged) or "
        "'candidate-changed'. Absent in files written before it existed.")
    decision: Decision | None = Field(
        default=None, description="Gold standard only (coder 'gold'): how the adjudication reached this statement.")
    sources: list[str] | None = Field(
        default=None, description="Gold standard only: the ids of the coder statements it came from.")


class StatementRow(TypedDict):
    """One statement as a plain dict, validated like :class:`ExportStatement`.

    What :func:`load_export_rows` gives: building 100,000 model objects costs more than reading
    the file, and agreement only reads a handful of fields.
    """

    id: str
    document_id: str
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    text: str
    values: NotRequired[dict[str, StoredValue]]
    note: NotRequired[str]
    created_at: NotRequired[datetime | None]
    updated_at: NotRequired[datetime | None]
    origin: NotRequired[Literal["", "candidate", "candidate-accepted", "candidate-changed"]]
    decision: NotRequired[Decision | None]
    sources: NotRequired[list[str] | None]


_NO_VALUES: dict[str, Value] = {}  # shared by rows without "values"; never written to


@dataclass(frozen=True, slots=True)
class StatementColumns:
    """The statements of an export as parallel lists, whichever way they were loaded (read for
    agreement by the fast reader, :mod:`app.core.export_fast`, and asked for without texts,
    ``start`` and ``end`` are compact ``array('q')`` columns)."""

    id: list[str]
    document_id: list[str]
    start: list[int]
    end: list[int]
    text: list[str]
    values: list[dict[str, Value]]

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True, slots=True)
class SharedValues:
    """The statements' values as the fast reader holds them: each distinct set of values once
    (``rows``), and per statement its position there (``index``), so that
    ``columns.values[i] is rows[index[i]]``. Coding a variable can then work on the distinct rows
    and pick per statement by index, instead of reading one dict per statement."""

    rows: list[dict[str, Value]]
    index: list[int]


class _ExportBase(_Model):
    format: Literal["claimcoder-export"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    exported_at: datetime
    app_version: str
    project: ProjectRef
    coder: CoderRef
    codebook: Codebook
    entities: list[ExportEntity] = Field(default_factory=list)
    documents: list[ExportDocument] = Field(default_factory=list)

    _consistent: bool = PrivateAttr(default=False)

    def statement_columns(self, *, text: bool = True) -> StatementColumns:
        """``text=False``: leave the ``text`` column empty (agreement never reads it, and a file
        read into columns holds no statement texts: each is its document's text at its offsets)."""
        raise NotImplementedError

    def consistency_problems(self) -> list[str]:
        """What makes the export self-contradictory; empty when it is sound."""
        if self._consistent:
            return []
        problems = _document_problems(self.documents)
        cols = self.statement_columns()
        if problems or not _statements_sound(cols, self.documents, self.codebook):
            problems += _statement_problems(cols, self.documents, self.codebook)
        self._consistent = not problems
        return problems


class Export(_ExportBase):
    """One coder's work on one project."""

    statements: list[ExportStatement] = Field(default_factory=list)

    def statement_columns(self, *, text: bool = True) -> StatementColumns:
        # attrgetter/map read the attributes in C: a third of the time of a comprehension
        get = [list(map(operator.attrgetter(name), self.statements)) if text or name != "text" else []
               for name in ("id", "document_id", "start", "end", "text", "values")]
        return StatementColumns(*get)


class ExportRows(_ExportBase):
    """The same file with its statements kept as :class:`StatementRow` dicts (for agreement)."""

    statements: list[StatementRow] = Field(default_factory=list)

    _columns: StatementColumns | None = PrivateAttr(default=None)
    _shared: SharedValues | None = PrivateAttr(default=None)
    _positions: Sequence[int] | None = PrivateAttr(default=None)

    def use_columns(self, columns: StatementColumns, shared: SharedValues | None = None,
                    positions: Sequence[int] | None = None) -> None:
        """Hold the statements as checked columns only, without their texts (how
        :mod:`app.core.export_fast` reads a file): ``statements`` then stays empty; read them with
        :meth:`statement_columns`, which cuts the texts from the documents when asked for.
        Statements with the same values may share one dict (never written to)."""
        self._columns = columns
        self._shared = shared
        self._positions = positions
        self._consistent = True

    def document_positions(self) -> Sequence[int] | None:
        """Per statement, its document's position in ``documents`` (``columns.document_id`` as
        numbers), when the fast reader read the file; None otherwise."""
        return self._positions

    def shared_values(self) -> SharedValues | None:
        """The values as distinct rows and an index per statement, when the file was read that
        way (the fast reader); None otherwise: then read ``statement_columns().values``."""
        return self._shared

    def statement_columns(self, *, text: bool = True) -> StatementColumns:
        cols = self._columns
        if cols is not None:
            if not text:
                return cols
            doc_text = {d.id: d.text for d in self.documents}
            spans = map(operator.getitem, map(doc_text.__getitem__, cols.document_id), map(slice, cols.start, cols.end))
            # the offsets as lists (a file read by a worker holds them as compact arrays)
            return StatementColumns(cols.id, cols.document_id, list(cols.start), list(cols.end), list(spans),
                                    cols.values)
        rows: list[Any] = self.statements  # plain dicts at run time
        ids, doc_ids, starts, ends = (
            list(map(operator.itemgetter(name), rows)) for name in ("id", "document_id", "start", "end")
        )
        texts = list(map(operator.itemgetter("text"), rows)) if text else []
        values = list(map(dict.get, rows, repeat("values"), repeat(_NO_VALUES)))
        return StatementColumns(ids, doc_ids, starts, ends, texts, values)


def _document_problems(documents: list[ExportDocument]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for i, doc in enumerate(documents):
        if doc.id in seen:
            problems.append(f"documents[{i}]: document id '{doc.id}' appears twice")
        seen.add(doc.id)
        if sha256_text(doc.text) != doc.sha256:
            problems.append(f"documents[{i}] ('{doc.title}'): sha256 does not match the text")
    return problems


def _statements_sound(cols: StatementColumns, documents: list[ExportDocument], codebook: Codebook) -> bool:
    """Every statement check at once, in C-level loops; False sends us to the slow loop below,
    which names the rows that are wrong."""
    texts = {d.id: d.text for d in documents}
    if len(set(cols.id)) != len(cols) or not texts.keys() >= set(cols.document_id):
        return False
    doc_text = list(map(texts.__getitem__, cols.document_id))
    if not (all(map(operator.lt, cols.start, cols.end)) and all(map(operator.le, cols.end, map(len, doc_text)))):
        return False
    spans = map(operator.getitem, doc_text, map(slice, cols.start, cols.end))
    if not all(map(operator.eq, spans, cols.text)):
        return False
    return _values_sound(cols.values, codebook)


def _values_sound(values: list[dict[str, Value]], codebook: Codebook) -> bool:
    """Every value is one its variable accepts (each distinct value checked once). The fast reader
    passes each distinct set of values once (its statements share them)."""
    check = value_checker(codebook)
    if any(check(*pair) for pair in set(chain.from_iterable(map(dict.items, values)))):
        return False
    # In that set True and 1 (0 and False, 1.0) are one value and only the first was checked; that
    # matters only where one of them is accepted: number and boolean variables, checked by type.
    typed = [v.key for v in codebook.variables if v.kind in ("number", "boolean")]
    if not typed:
        return True
    distinct = {(k, type(x), x) for row in values for k, x in row.items() if k in typed}
    return not any(check(k, x) for k, _, x in distinct)


def _statement_problems(cols: StatementColumns, documents: list[ExportDocument], codebook: Codebook) -> list[str]:
    problems: list[str] = []
    docs = {d.id: d for d in documents}
    seen: set[str] = set()
    pairs: set[tuple[str, type, Value]] = set()  # typed: True and 1 are different values here
    for i, (sid, doc_id, start, end, text, values) in enumerate(
        zip(cols.id, cols.document_id, cols.start, cols.end, cols.text, cols.values)
    ):
        if len(problems) > 20:
            break
        if sid in seen:
            problems.append(f"statements[{i}]: statement id '{sid}' appears twice")
        seen.add(sid)
        doc = docs.get(doc_id)
        if doc is None:
            problems.append(f"statements[{i}]: document_id '{doc_id}' is not among the documents")
            continue
        if not start < end <= len(doc.text):
            problems.append(
                f"statements[{i}]: offsets {start}..{end} lie outside the text (0..{len(doc.text)}) of '{doc.title}'"
            )
        elif doc.text[start:end] != text:
            problems.append(f"statements[{i}]: 'text' is not the document's text from {start} to {end}")
        pairs.update((k, type(v), v) for k, v in values.items())  # each distinct value is checked once, below
    check = value_checker(codebook)
    bad = {pair: issue for pair in pairs if (issue := check(pair[0], pair[2]))}
    if bad:
        for i, values in enumerate(cols.values):
            problems.extend(f"statements[{i}]: {bad[p]}" for k, v in values.items() if (p := (k, type(v), v)) in bad)
            if len(problems) > 20:
                break
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


AnyExport = TypeVar("AnyExport", Export, ExportRows)


def _consistent(export: AnyExport, source: str) -> AnyExport:
    problems = export.consistency_problems()
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ExportFormatError(f"{source}: {problems[0]}{more}")
    return export


def parse_export(data: Any, *, source: str) -> Export:
    """Validate a decoded export; raise :class:`ExportFormatError` naming ``source``."""
    return _parse(data, source, Export)


def _parse(data: Any, source: str, model: type[AnyExport]) -> AnyExport:
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
        export = model.model_validate(data)
    except ValidationError as exc:
        if model is not Export:  # say it in the words of the export model, however it was read
            try:
                Export.model_validate(data)
            except ValidationError as full:
                exc = full
        raise ExportFormatError(f"{source}: {describe_validation_error(exc)}") from None
    return _consistent(export, source)


def load_export(path: str | Path) -> Export:
    """Read and check an export file; raise :class:`ExportFormatError` naming the file."""
    return _load(path, Export)


def load_export_rows(path: str | Path, texts: dict[str, str] | None = None, *,
                     columns_only: bool = False) -> ExportRows:
    """As :func:`load_export`, with the statements as plain rows: for reading many large files,
    where a model object per statement is most of the cost.

    ``columns_only`` (agreement): read through :mod:`app.core.export_fast`, keeping only the
    columns agreement uses (``statements`` stays empty: read :meth:`ExportRows.statement_columns`).
    ``texts`` (sha256 → verified text), shared by the files of one comparison, hashes and holds
    each shared text once there. Callers that need notes or timestamps (merge) leave it off."""
    return _load(path, ExportRows, texts, columns_only=columns_only)


def load_export_rows_precisely(path: str | Path) -> ExportRows:
    """As :func:`load_export_rows` with ``columns_only=True`` for a file the fast reader has
    already stepped aside for (in a worker process): straight to the precise reader."""
    return _load(path, ExportRows)


def _load(path: str | Path, model: type[AnyExport], texts: dict[str, str] | None = None, *,
          columns_only: bool = False) -> AnyExport:
    path = Path(path)
    if columns_only and model is ExportRows:  # msgspec and columns; None sends anything unusual the precise way
        from app.core.export_fast import read_rows_file

        fast = read_rows_file(path, texts)
        if fast is not None:
            return fast  # type: ignore[return-value]
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
        export = model.model_validate_json(raw.removeprefix(b"\xef\xbb\xbf"))
    except (ValidationError, ValueError):  # ValueError: an integer too long for Python to convert
        pass
    else:
        if not {"format", "format_version"} <= export.model_fields_set:
            return _parse(finite.loads(raw.decode("utf-8-sig")), str(path), model)  # refuses it by name
        return _consistent(export, str(path))
    try:
        data = finite.loads(raw.decode("utf-8-sig"))
    except finite.NumberError as exc:
        raise ExportFormatError(f"{path}: not a usable export ({exc})") from None
    except UnicodeDecodeError:
        raise ExportFormatError(f"{path}: not a claimcoder export (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ExportFormatError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ExportFormatError(f"{path}: not a claimcoder export (nested too deeply)") from None
    return _parse(data, str(path), model)


def dump_export(export: Export) -> str:
    return export.model_dump_json(indent=1, exclude_none=False)


@contextmanager
def atomic_output(path: str | Path, *, encoding: str | None = "utf-8", durable: bool = True) -> Iterator[Any]:
    """A text file written in the same folder under a temporary name and renamed into place
    only when the block finishes: readers never see a half-written file, and a failure leaves
    an existing file as it was. ``durable=False``: not synced to the disk first (for files that
    check themselves and may be lost, such as the cache's)."""
    path = Path(path)
    fd, tmp = _temporary_beside(path)
    try:
        # encoding=None: a binary file, for writers that already hold UTF-8 bytes
        with (os.fdopen(fd, "wb") if encoding is None else os.fdopen(fd, "w", encoding=encoding, newline="")) as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new file next to ``path``, with the permissions any new file gets (0o666 less the
    umask: an export in a shared folder is readable by the group), not mkstemp's owner-only."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str((path.parent or Path(".")) / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def write_text_atomic(path: str | Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write via a temporary file in the same folder, then rename: never a half-written file."""
    with atomic_output(path, encoding=encoding) as fh:
        fh.write(text)
