"""Where a network's statements come from: a project (one coder, or the dataset), an export,
or a dataset file. The core never pools coders; pooling several coders' exports has to be
asked for (``pool=True``), because statements every coder found would count once per coder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.codebook import parse_codebook
from app.core.errors import ClaimcoderError, ExportFormatError, ProjectError
from app.core.export_model import load_export_rows
from app.core.networks.data import Actor, NetworkData
from app.services.lock import ProjectLockedError
from app.services.project import Project
from app.services.study.dataset import select_dataset


@dataclass(frozen=True, slots=True)
class Loaded:
    data: NetworkData
    node_info: dict[str, dict[str, Any]]  # actor name → kind and attributes, for the node tables
    left_out: list[str]  # --dataset: the documents it leaves out, each "title (why)"


def _info(actors: Sequence[Actor]) -> dict[str, dict[str, Any]]:
    return {a.name: {"kind": a.kind, **dict(a.attributes)} for a in actors}


def is_file_input(target: str | Path) -> bool:
    return str(target).lower().endswith(".json")


def open_for_reading(target: str | Path) -> Project:
    try:
        return Project.open(target)
    except ProjectLockedError:  # the coding window has it open: a network only reads
        return Project.open(target, read_only=True)


def from_project(project: Project, *, coder: str | None = None, dataset: bool = False) -> Loaded:
    """One coder's statements, or the dataset exactly as ``export --dataset`` writes it
    (:func:`app.services.study.dataset.select_dataset`): a document one coder coded brings that
    coder's statements, one several coders coded its gold statements once every coder finished it
    and every unit is decided; the others are left out (named in ``left_out``, with why)."""
    actors = [Actor(e.name, e.kind, dict(e.attributes)) for e in project.entities()]
    published = {d.id: d.published for d in project.document_summaries()}
    values: list[dict[str, Any]] = []
    docs: list[str] = []
    left_out: list[str] = []
    if not dataset:
        found = project.coder(coder or "")
        if found is None:
            names = ", ".join(c.name for c in project.coders()) or "none yet"
            raise ProjectError(f"{project.path or 'project'}: no coder '{coder}' (coders: {names})")
        for row in project.iter_export_rows(found):
            values.append(row["values"])
            docs.append(row["document_id"])
        source = f"coder {found.name}"
    else:
        chosen = select_dataset(project)
        for row in chosen.statements:
            values.append(row["values"])
            docs.append(row["document_id"])
        left_out = [f"{lo.title or lo.id} ({lo.reason})" for lo in chosen.left_out]
        source = "dataset"
    data = NetworkData(project.codebook, values, docs, published, actors, source)
    return Loaded(data, _info(actors), left_out)


def from_files(paths: Sequence[Path], *, coder: str | None = None, dataset: bool = False,
               pool: bool = False) -> Loaded:
    """Exports (one coder each) or one dataset file. Several exports must be of one coder
    (batches of the same person's work) unless ``pool``."""
    first = _peek_format(paths[0])
    if first == "claimcoder-dataset":
        if len(paths) > 1:
            raise ClaimcoderError(f"{paths[1]}: a dataset file is the whole dataset; give it alone")
        if coder:
            raise ClaimcoderError(f"{paths[0]}: a dataset file holds the final dataset, not coder '{coder}'")
        return _dataset_file(paths[0])
    if dataset:
        raise ClaimcoderError(f"{paths[0]}: --dataset needs a project or a dataset file, not a coder's export")
    exports = [load_export_rows(p) for p in paths]
    coders = {e.coder.id: e.coder.name for e in exports}
    if coder and any(e.coder.name != coder for e in exports):
        bad = next(p for p, e in zip(paths, exports) if e.coder.name != coder)
        raise ClaimcoderError(f"{bad}: this is the export of '{next(e.coder.name for e in exports if e.coder.name != coder)}', not '{coder}'")
    if len(coders) > 1 and not pool:
        raise ClaimcoderError(
            f"{paths[1]}: these exports are of different coders ({', '.join(sorted(coders.values()))}); "
            "pooling coders counts the statements they share once per coder; pass --pool-coders if you mean it")
    head = exports[0]
    actors = {e.name: Actor(e.name, e.kind, dict(e.attributes)) for ex in exports for e in ex.entities}
    published: dict[str, str | None] = {}
    values: list[dict[str, Any]] = []
    docs: list[str] = []
    seen: set[tuple[str, str]] = set()
    for ex in exports:
        if ex.codebook.keys != head.codebook.keys:
            raise ClaimcoderError(f"{paths[exports.index(ex)]}: its codebook differs from that of {paths[0]}")
        for d in ex.documents:
            published.setdefault(d.id, d.published)
        cols = ex.statement_columns(text=False)  # a fast-read export holds its statements as columns only
        for sid, doc_id, vals in zip(cols.id, cols.document_id, cols.values):
            mark = (ex.coder.id, sid)
            if mark in seen:  # the same statement in two batches of one coder
                continue
            seen.add(mark)
            values.append(vals or {})
            docs.append(doc_id)
    source = "coders " + ", ".join(sorted(coders.values())) if len(coders) > 1 else f"coder {head.coder.name}"
    data = NetworkData(head.codebook, values, docs, published, list(actors.values()), source)
    return Loaded(data, _info(list(actors.values())), [])


def _peek_format(path: Path) -> str | None:
    """The ``format`` of a JSON file, read without validating it (that comes next)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8-sig", errors="replace")
    except FileNotFoundError:
        raise ExportFormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise ExportFormatError(f"{path}: cannot read ({exc.strerror or exc.__class__.__name__})") from None
    return "claimcoder-dataset" if '"claimcoder-dataset"' in head else None


def _dataset_file(path: Path) -> Loaded:
    """Contract 6's dataset: the keys of an export except ``coder``; statements name their coder."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise ExportFormatError(f"{path}: not a readable dataset file ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict) or raw.get("format") != "claimcoder-dataset" or raw.get("format_version") != 1:
        raise ExportFormatError(f"{path}: not a claimcoder dataset of format_version 1")
    codebook = parse_codebook(raw.get("codebook"), source=f"{path}: codebook")
    try:
        actors = [Actor(e["name"], e.get("kind", ""), e.get("attributes") or {}) for e in raw.get("entities", [])]
        published = {d["id"]: d.get("published") for d in raw.get("documents", [])}
        statements = raw.get("statements", [])
        values = [s.get("values") or {} for s in statements]
        docs = [s["document_id"] for s in statements]
    except (KeyError, TypeError, AttributeError) as exc:
        raise ExportFormatError(f"{path}: a document, entity or statement lacks {exc}") from None
    for n, (v, d) in enumerate(zip(values, docs)):
        if not isinstance(v, dict) or d not in published:
            raise ExportFormatError(f"{path}: statements[{n}] has no values or names an unknown document")
        problems = codebook.check_values(v)
        if problems:
            raise ExportFormatError(f"{path}: statements[{n}]: {problems[0]}")
    data = NetworkData(codebook, values, docs, published, actors, "dataset")
    return Loaded(data, _info(actors), [])
