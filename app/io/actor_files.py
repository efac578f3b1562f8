"""Actor lists as files (Contract 5): CSV/TSV, YAML and JSON, read and written losslessly.

CSV/TSV: a header row; ``name`` is required, ``kind`` and ``aliases`` (one cell, separated by
``|``) are optional, every other column is an attribute. YAML/JSON: a list of mappings with
``name``, ``kind``, ``aliases`` (a list) and ``attributes`` (a mapping), either bare or under
``actors``. A file that cannot be read as a whole is refused with one line naming it and the
problem, before anything is changed.

Encodings: UTF-8 with or without a BOM, and UTF-16 with a BOM (Excel's "Unicode text").
Anything else is refused rather than guessed: a wrongly guessed code page would put "PutÃ­n"
into the controlled list, and every later match against it would fail quietly.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.core.domain import Entity
from app.core.errors import ClaimcoderError
from app.core.export_model import atomic_output
from app.core.names import name_key
from app.io.csv_safe import FORMULA_STARTS

SUFFIXES = (".csv", ".tsv", ".yaml", ".yml", ".json")
ALIAS_SEPARATOR = "|"
FORMAT = "claimcoder-actors"
MAX_BYTES = 50 * 1024 * 1024


class ActorFileError(ClaimcoderError):
    """An actor file that cannot be read or written; nothing was changed."""


@dataclass(frozen=True, slots=True)
class ActorRecord:
    """One actor as a file states it. ``None`` means the file has no such column: keep as is."""

    name: str
    kind: str | None = None
    aliases: tuple[str, ...] | None = None
    attributes: dict[str, Any] | None = None  # the attributes it mentions; "" means "remove"
    line: int = 0  # row (CSV) or item number (YAML/JSON), for messages

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, *(self.aliases or ()))


@dataclass(slots=True)
class ActorFile:
    path: Path
    records: list[ActorRecord] = field(default_factory=list)
    attribute_keys: list[str] = field(default_factory=list)  # in the file's column order


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ActorFileError(f"{path}: an actor file ends in .csv, .tsv, .yaml or .json (got '{suffix or 'no extension'}')")
    return {".yml": "yaml"}.get(suffix, suffix[1:])


# -- reading --------------------------------------------------------------------------------


def read_actor_file(path: str | Path) -> ActorFile:
    path = Path(path)
    fmt = file_format(path)
    text = _decode(path)
    if not text.strip():
        raise ActorFileError(f"{path}: the file is empty")
    out = _read_table(path, text, "\t" if fmt == "tsv" else None) if fmt in ("csv", "tsv") else _read_tree(path, text, fmt)
    if not out.records:
        raise ActorFileError(f"{path}: the file lists no actors")
    _check_unique(path, out.records)
    return out


def _decode(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ActorFileError(f"{path}: too large for an actor list (over {MAX_BYTES // 2**20} MB)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ActorFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ActorFileError(f"{path}: is a folder, not an actor file") from None
    except OSError as exc:
        raise ActorFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            raw, chosen = raw[len(bom):], encoding
            break
    else:
        chosen = "utf-8"
    try:
        text = raw.decode(chosen)
    except UnicodeDecodeError as exc:
        raise ActorFileError(f"{path}: not UTF-8 (byte {exc.start} is 0x{raw[exc.start]:02x}, as in a Windows code page); "
                             "save it as UTF-8 (in Excel: 'CSV UTF-8') and import it again") from None
    if "\x00" in text:
        raise ActorFileError(f"{path}: holds NUL characters: a binary file, or UTF-16 without a byte-order mark")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cell(value: str) -> str:
    # Our own export protects cells a spreadsheet would run ("'=x"); read them back as written.
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        value = value[1:]
    return value.strip()


def _read_table(path: Path, text: str, delimiter: str | None) -> ActorFile:
    if delimiter is None:
        header = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=header.count)  # Excel writes ";" in some locales
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ActorFileError(f"{path}: not valid CSV ({exc})") from None
    header = [h.strip() for h in rows[0]]
    lowered = [h.casefold() for h in header]
    if "name" not in lowered:
        shown = ", ".join(h for h in header if h) or "none"
        raise ActorFileError(f"{path}: no 'name' column (the columns are: {shown})")
    for i, h in enumerate(header):
        if not h and any(len(r) > i and r[i].strip() for r in rows[1:]):
            raise ActorFileError(f"{path}: column {i + 1} has values but no name in the header row")
        if h and lowered.index(h.casefold()) != i:
            raise ActorFileError(f"{path}: the column '{h}' appears twice")
    col = {h: i for i, h in enumerate(lowered) if h}
    attr_cols = [(i, h) for i, h in enumerate(header) if h and h.casefold() not in ("name", "kind", "aliases")]
    out = ActorFile(path, attribute_keys=[h for _, h in attr_cols])
    for n, row in enumerate(rows[1:], start=2):
        cells = [_cell(c) for c in row] + [""] * max(0, len(header) - len(row))
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            raise ActorFileError(f"{path}: row {n} has {len(row)} cells but the header names {len(header)} columns")
        if not any(cells):
            continue  # a blank line
        name = " ".join(cells[col["name"]].split())
        if not name:
            raise ActorFileError(f"{path}: row {n} has no name")
        aliases = None
        if "aliases" in col:
            aliases = tuple(a for a in (" ".join(x.split()) for x in cells[col["aliases"]].split(ALIAS_SEPARATOR)) if a)
        out.records.append(ActorRecord(
            name=name, kind=cells[col["kind"]] if "kind" in col else None, aliases=aliases,
            attributes={h: cells[i] for i, h in attr_cols}, line=n,  # "" removes the attribute
        ))
    return out


def _read_tree(path: Path, text: str, fmt: str) -> ActorFile:
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise ActorFileError(f"{path}: not valid {fmt.upper()}: {first}") from None
    if isinstance(data, dict):
        if data.get("format", FORMAT) != FORMAT or "actors" not in data:
            raise ActorFileError(f"{path}: not an actor list (expected a list of actors, or a mapping with 'actors')")
        order = data.get("attribute_keys")
        data = data["actors"]
    else:
        order = None
    if not isinstance(data, list):
        raise ActorFileError(f"{path}: not an actor list (expected a list of actors, or a mapping with 'actors')")
    out = ActorFile(path, attribute_keys=[str(k) for k in order] if isinstance(order, list) else [])
    for n, item in enumerate(data, start=1):
        where = f"{path}: actor {n}"
        if not isinstance(item, dict):
            raise ActorFileError(f"{where} is not a mapping with a 'name'")
        # "id" (an export's entities) and "statements" (`actors list --format json`) are ignored
        unknown = set(item) - {"name", "kind", "aliases", "attributes", "id", "statements"}
        if unknown:
            raise ActorFileError(f"{where} has unknown key(s) {', '.join(sorted(map(str, unknown)))} "
                                 "(attributes go under 'attributes')")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ActorFileError(f"{where} has no name")
        kind = item.get("kind")
        if kind is not None and not isinstance(kind, str):
            raise ActorFileError(f"{where} ('{name}'): 'kind' must be text")
        aliases = item.get("aliases")
        if isinstance(aliases, str):
            aliases = aliases.split(ALIAS_SEPARATOR)
        if aliases is not None and not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
            raise ActorFileError(f"{where} ('{name}'): 'aliases' must be a list of names")
        attributes = item.get("attributes")
        if attributes is not None:
            if not isinstance(attributes, dict) or not all(
                    isinstance(v, (str, int, float, bool)) or v is None for v in attributes.values()):
                raise ActorFileError(f"{where} ('{name}'): 'attributes' must map names to text, numbers or booleans")
            # null or "" removes an attribute on import, as an empty CSV cell does
            attributes = {str(k).strip(): "" if v is None else v for k, v in attributes.items()}
            out.attribute_keys += [k for k in attributes if k not in out.attribute_keys]
        out.records.append(ActorRecord(
            name=" ".join(name.split()), kind=kind.strip() if kind is not None else None,
            aliases=None if aliases is None else tuple(" ".join(a.split()) for a in aliases if a.strip()),
            attributes=attributes, line=n,
        ))
    return out


def _check_unique(path: Path, records: Sequence[ActorRecord]) -> None:
    owners: dict[str, ActorRecord] = {}
    for rec in records:
        for label in dict.fromkeys(name_key(x) for x in rec.labels):
            other = owners.get(label)
            if other is not None:
                shown = next(x for x in rec.labels if name_key(x) == label)
                unit = "row" if path.suffix.lower() in (".csv", ".tsv") else "actor"
                raise ActorFileError(f"{path}: '{shown}' is claimed by both '{other.name}' ({unit} {other.line}) "
                                     f"and '{rec.name}' ({unit} {rec.line})")
            owners[label] = rec


# -- writing --------------------------------------------------------------------------------


def write_actor_file(path: str | Path, entities: Iterable[Entity], attribute_keys: Sequence[str] = ()) -> int:
    """Write the actor list atomically (a temporary file, then a rename); the number written."""
    path = Path(path)
    fmt = file_format(path)
    entities = list(entities)
    keys = list(dict.fromkeys([*attribute_keys, *(k for e in entities for k in e.attributes)]))
    if fmt in ("csv", "tsv"):
        clash = [k for k in keys if k.casefold() in ("name", "kind", "aliases")]
        if clash:
            raise ActorFileError(f"{path}: the attribute '{clash[0]}' has the name of a fixed column; rename it first")
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\r\n")
        writer.writerow(["name", "kind", "aliases", *keys])
        for e in entities:
            bad = next((a for a in e.aliases if ALIAS_SEPARATOR in a), None)
            if bad:
                raise ActorFileError(f"{path}: the alias '{bad}' of '{e.name}' contains '|'; use YAML or JSON")
            writer.writerow([_protected(x) for x in (e.name, e.kind, ALIAS_SEPARATOR.join(e.aliases),
                                                    *(_text(e.attributes.get(k)) for k in keys))])
        data = ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8
    else:
        doc = {"format": FORMAT, "format_version": 1, "attribute_keys": keys,
               "actors": [{"name": e.name, "kind": e.kind, "aliases": list(e.aliases),
                           "attributes": dict(e.attributes)} for e in entities]}
        if fmt == "json":
            data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        else:
            data = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")
    _atomic_write(path, data)
    return len(entities)


def _protected(value: str) -> str:
    """A spreadsheet-safe cell that :func:`_cell` reads back as it was (even "'=x" itself)."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _atomic_write(path: Path, data: bytes) -> None:
    if not path.parent.exists():
        raise ActorFileError(f"{path}: the folder {path.parent} does not exist")
    try:
        with atomic_output(path, encoding=None) as fh:
            fh.write(data)
    except PermissionError:
        raise ActorFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ActorFileError(f"{path}: cannot write ({exc.strerror or exc})") from None
