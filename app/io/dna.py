"""Read a Discourse Network Analyzer (DNA 3) database into plain records.

DNA 3 keeps a whole project in one SQLite file (tables DOCUMENTS, CODERS, STATEMENTTYPES,
VARIABLES, ENTITIES, ATTRIBUTEVARIABLES, ATTRIBUTEVALUES, STATEMENTS and one DATA… table per
variable type). This module only reads it — opened read-only, nothing in it is ever executed
as code of ours — and hands the services a :class:`DnaDatabase` to turn into a project.

Two things differ from claimcoder's contract and are converted here:

- DNA's ``Start``/``Stop`` are Java string indices, i.e. UTF-16 units; ours are code points.
- DNA stores the text as typed or imported (``\\r\\n``, decomposed accents …); ours is
  normalised once (Contract 1). :func:`normalise_with_offsets` normalises a text and moves
  every offset with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from app.core.errors import ImportFailed
from app.core.text import Utf16Map, normalize_text

REQUIRED_TABLES = frozenset({
    "SETTINGS", "CODERS", "DOCUMENTS", "STATEMENTTYPES", "VARIABLES", "STATEMENTS", "ENTITIES",
    "DATASHORTTEXT", "DATALONGTEXT", "DATABOOLEAN", "DATAINTEGER",
})
DATA_TYPES = ("short text", "long text", "boolean", "integer")


@dataclass(frozen=True, slots=True)
class DnaVariable:
    id: int
    name: str
    data_type: str  # one of DATA_TYPES
    statement_type_id: int


@dataclass(frozen=True, slots=True)
class DnaEntity:
    id: int
    variable_id: int
    value: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DnaDocument:
    id: int
    title: str
    text: str
    coder_id: int | None
    author: str
    source: str
    section: str
    notes: str
    type: str
    date: datetime | None


@dataclass(frozen=True, slots=True)
class DnaStatement:
    id: int
    statement_type_id: int
    document_id: int
    start: int  # UTF-16 units, as DNA stores them
    stop: int
    coder_id: int
    values: dict[int, object]  # variable id → entity id (short text), str, bool or int


@dataclass(slots=True)
class DnaDatabase:
    version: str
    coders: dict[int, str]
    statement_types: dict[int, str]
    variables: list[DnaVariable]
    entities: dict[int, DnaEntity]
    documents: list[DnaDocument]
    statements: list[DnaStatement]

    def statement_counts(self) -> dict[int, int]:
        counts = dict.fromkeys(self.statement_types, 0)
        for st in self.statements:
            counts[st.statement_type_id] = counts.get(st.statement_type_id, 0) + 1
        return counts


def read_dna(path: Path) -> DnaDatabase:
    """Everything claimcoder can carry over from a DNA 3 database; a clear error otherwise."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise ImportFailed(f"{path}: not a DNA database (not an SQLite file)")
    # Read-only and immutable: DNA may have it open, and we must never write to it or run its
    # triggers; the URI is percent-encoded so that '?' or '#' in the path cannot change it.
    uri = "file:" + quote(path.resolve().as_posix(), safe="/:") + "?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ImportFailed(f"{path}: cannot be opened ({exc})") from None
    try:
        con.execute("PRAGMA trusted_schema=OFF")
        return _read(con, path)
    except sqlite3.DatabaseError as exc:
        raise ImportFailed(f"{path}: cannot be read as a DNA database ({str(exc).splitlines()[0][:200]})") from None
    finally:
        con.close()


def _read(con: sqlite3.Connection, path: Path) -> DnaDatabase:
    tables = {r[0].upper() for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    version = ""
    if "SETTINGS" in tables:
        row = con.execute("SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()
        version = str(row[0]) if row else ""
    if version.startswith(("1", "2")) or ("DOCUMENTS" in tables and "STATEMENTTYPES" not in tables):
        raise ImportFailed(f"{path}: a DNA {version or '1 or 2'} database; only DNA 3 databases can be "
                           "imported (open it in DNA 3 first, which converts it)")
    missing = sorted(REQUIRED_TABLES - tables)
    if missing:
        raise ImportFailed(f"{path}: not a DNA 3 database (no table {', '.join(missing)})")
    if version and not version.startswith("3"):
        raise ImportFailed(f"{path}: written by DNA {version}; this claimcoder reads DNA 3 databases")

    coders = {int(i): str(n) for i, n in con.execute("SELECT ID, Name FROM CODERS")}
    types = {int(i): str(label) for i, label in con.execute("SELECT ID, Label FROM STATEMENTTYPES")}
    variables = []
    for vid, name, dtype, tid in con.execute("SELECT ID, Variable, DataType, StatementTypeId FROM VARIABLES ORDER BY ID"):
        if dtype not in DATA_TYPES:
            raise ImportFailed(f"{path}: variable '{name}' has an unknown data type '{dtype}'")
        variables.append(DnaVariable(int(vid), str(name), str(dtype), int(tid)))
    attributes: dict[int, dict[str, str]] = {}
    if {"ATTRIBUTEVARIABLES", "ATTRIBUTEVALUES"} <= tables:
        query = ("SELECT v.EntityId, a.AttributeVariable, v.AttributeValue FROM ATTRIBUTEVALUES v "
                 "JOIN ATTRIBUTEVARIABLES a ON a.ID = v.AttributeVariableId")
        for eid, key, value in con.execute(query):
            if value not in (None, ""):
                attributes.setdefault(int(eid), {})[str(key)] = str(value)
    entities = {
        int(eid): DnaEntity(int(eid), int(vid), str(value), attributes.get(int(eid), {}))
        for eid, vid, value in con.execute("SELECT ID, VariableId, Value FROM ENTITIES")
    }
    documents = [
        DnaDocument(int(r[0]), str(r[1] or ""), str(r[2] or ""), None if r[3] is None else int(r[3]),
                    str(r[4] or ""), str(r[5] or ""), str(r[6] or ""), str(r[7] or ""), str(r[8] or ""),
                    _date(r[9]))
        for r in con.execute("SELECT ID, Title, Text, Coder, Author, Source, Section, Notes, Type, Date "
                             "FROM DOCUMENTS ORDER BY ID")
    ]
    values: dict[int, dict[int, object]] = {}
    for table, convert in (("DATASHORTTEXT", int), ("DATALONGTEXT", str), ("DATABOOLEAN", bool), ("DATAINTEGER", int)):
        column = "Entity" if table == "DATASHORTTEXT" else "Value"
        for sid, vid, value in con.execute(f"SELECT StatementId, VariableId, {column} FROM {table}"):
            if value is not None:
                values.setdefault(int(sid), {})[int(vid)] = convert(value)
    statements = [
        DnaStatement(int(sid), int(tid), int(did), int(start), int(stop), int(cid), values.get(int(sid), {}))
        for sid, tid, did, start, stop, cid in con.execute(
            "SELECT ID, StatementTypeId, DocumentId, Start, Stop, Coder FROM STATEMENTS ORDER BY DocumentId, Start, ID")
    ]
    return DnaDatabase(version or "3", coders, types, variables, entities, documents, statements)


def _date(value: object) -> datetime | None:
    """DNA stores seconds since 1970-01-01 00:00 UTC (``toEpochSecond(ZoneOffset.UTC)``)."""
    if value is None or value == "":
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def normalise_with_offsets(raw: str, utf16_offsets: Iterable[int]) -> tuple[str, dict[int, int]]:
    """The normalised text, and each UTF-16 offset of ``raw`` moved to a code point of it.

    The text is cut at every offset, each piece normalised on its own, and the pieces joined:
    an offset's new place is the length of everything before it. That equals normalising the
    whole text unless a cut falls inside what normalisation joins (between ``\\r`` and ``\\n``,
    or before a combining accent); such offsets are moved to the nearest cut where it does not,
    and when even that fails a ``ValueError`` says so.
    """
    u16 = Utf16Map(raw)
    cuts = sorted({u16.from_utf16(min(max(o, 0), u16.length_utf16)) for o in utf16_offsets})
    whole = normalize_text(raw)
    mapping_cp: dict[int, int] = {}
    pieces: list[str] = []
    done = 0
    previous = 0
    for cut in [*cuts, len(raw)]:
        # A piece after the first is normalised behind a "\n", which composes with nothing, so
        # that a leading U+FEFF is kept (only the text's first character is a BOM).
        piece = normalize_text("\n" + raw[previous:cut])[1:] if previous else normalize_text(raw[:cut])
        if pieces and piece.startswith("\n") and raw[previous - 1 : previous] == "\r" and raw[previous:previous + 1] == "\n":
            piece = piece[1:]  # the "\n" of a "\r\n" cut in two: the "\r" already became one
        pieces.append(piece)
        done += len(piece)
        mapping_cp[cut] = done
        previous = cut
    if "".join(pieces) != whole:
        raise ValueError("normalising the text moved characters across statement boundaries")
    mapping = {o: mapping_cp[u16.from_utf16(min(max(o, 0), u16.length_utf16))] for o in utf16_offsets}
    return whole, mapping
