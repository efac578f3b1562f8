"""``claimcoder assign``: draw the reliability sample, split the rest, write one package per coder.

A work package is an ordinary project file: the master's project id, codebook and actor list,
exactly one coder's documents (same document ids as the master, in the order of
``app.core.study``), the coder registered with the master's coder id, and the setting
``package_coder`` so the window opens as that coder. It holds nothing of any other coder.
The master records each round (seed, design) and who has which document.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from app.core.domain import Coder
from app.core.errors import ProjectError
from app.core.study import DocInfo, Handed, SampleSpec, is_reserved_coder, plan_round, stratum_of
from app.services.project import Project
from app.services.project_settings import PACKAGE_SETTINGS, RELIABILITY_SAMPLE
from app.services.study.common import safe_file_stem, study_store
from app.store.study import StudyRepository

PACKAGE_CODER = "package_coder"  # project setting: the coder a package opens as
PACKAGE_INFO = "package"  # project setting: where the package came from

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class PackageWritten:
    coder: str
    path: Path
    documents: int  # in the package now
    in_sample: int
    added: int  # documents this run added to it


@dataclass(slots=True)
class AssignResult:
    round_no: int | None  # None: nothing new was handed out
    seed: int
    sample_size: int  # sample documents in the whole study
    packages: list[PackageWritten] = field(default_factory=list)
    unassigned_coders: list[str] = field(default_factory=list)  # earlier coders not listed now


def parse_coders(text: str) -> list[str]:
    names = [" ".join(n.split()) for n in text.split(",")]
    names = [n for n in names if n]
    if not names:
        raise ProjectError("--coders needs at least one name (e.g. --coders ana,ben,cem)")
    seen: set[str] = set()
    for n in names:
        if is_reserved_coder(n):
            raise ProjectError(f"'{n}' is reserved for the adjudicated statements (the gold standard); "
                               "choose another coder name")
        if n.casefold() in seen:
            raise ProjectError(f"coder '{n}' is listed twice")
        seen.add(n.casefold())
    return names


def assign(master: Project, coders: Sequence[str], sample: SampleSpec, out_dir: Path, *,
           seed: int | None = None, stratify: str | None = None, progress: Progress | None = None) -> AssignResult:
    """Hand out the documents not yet handed out (and the sample to coders new to the study),
    then write or extend each listed coder's package in ``out_dir``."""
    if not out_dir.is_dir():
        raise ProjectError(f"{out_dir}: no such folder (create it first)")
    store = study_store(master)
    if master.document_count() == 0:
        raise ProjectError(f"{master.target}: has no documents to assign; import articles first")
    rounds = store.rounds()
    first = rounds[0]["design"] if rounds else {}
    if seed is None:
        seed = int(rounds[0]["seed"]) if rounds else secrets.randbelow(2**31)
    if stratify is None and rounds:
        stratify = first.get("stratify")
    people = [master.ensure_coder(name) for name in coders]
    by_id = {c.id: c for c in master.coders()}
    handed_rows = store.handed()
    handed = [Handed(d, by_id[c].name, s) for d, c, s, _ in handed_rows if c in by_id]
    infos = [DocInfo(i, p, n, stratum_of(stratify, source=src, published=pub, metadata=meta))
             for i, p, n, src, pub, meta in store.document_infos()]
    round_no = len(rounds) + 1
    plan = plan_round(infos, [c.name for c in people], sample, seed, round_no, handed)
    last_pos: dict[str, int] = {}
    for _, c, _, pos in handed_rows:
        last_pos[c] = max(last_pos.get(c, 0), pos)
    rows = []
    for coder in people:
        for k, doc_id in enumerate(plan.packages[coder.name], start=last_pos.get(coder.id, 0) + 1):
            rows.append({"document_id": doc_id, "coder_id": coder.id, "in_sample": doc_id in plan.in_sample,
                         "position": k})
    done_round: int | None = None
    if rows:
        design = {"coders": [c.name for c in people], "sample": str(sample), "stratify": stratify,
                  "round": round_no, "new_sample": len(plan.sample)}
        store.add_round(seed, design, rows)
        done_round = round_no
    listed = {c.id for c in people}
    earlier = sorted({by_id[c].name for _, c, _, _ in handed_rows if c in by_id and c not in listed})
    result = AssignResult(done_round, seed, len(plan.in_sample), unassigned_coders=earlier)
    mine: dict[str, list[tuple[str, bool, int]]] = {}
    for d, c, s, pos in store.handed():
        mine.setdefault(c, []).append((d, s, pos))
    for k, coder in enumerate(people):
        if progress:
            progress(k, len(people), coder.name)
        result.packages.append(write_package(master, store, coder, mine.get(coder.id, []), out_dir))
    return result


def write_package(master: Project, store: StudyRepository, coder: Coder,
                  docs: list[tuple[str, bool, int]], out_dir: Path) -> PackageWritten:
    """Create ``out_dir/<coder>.ccdb``, or add to it the documents it lacks."""
    path = out_dir / f"{safe_file_stem(coder.name)}.ccdb"
    docs = sorted(docs, key=lambda t: t[2])
    n_sample = sum(1 for _, s, _ in docs if s)
    if path.exists():
        added = _extend_package(master, store, coder, docs, path)
        return PackageWritten(coder.name, path, len(docs), n_sample, added)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with Project.create(tmp, name=master.name, codebook=master.codebook, project_id=master.info.id) as pkg:
            target = study_store(pkg)
            target.insert_coder(coder.id, coder.name)
            target.insert_entities(store.entity_rows())
            _copy_documents(store, target, [d for d, _, _ in docs], start=1)
            pkg.set_setting(PACKAGE_CODER, coder.name)
            pkg.set_setting(PACKAGE_INFO, {"master": master.info.id, "coder_id": coder.id,
                                           "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
            _study_rules(master, pkg, docs)
        _self_contained(tmp)
        os.replace(tmp, path)
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        raise
    return PackageWritten(coder.name, path, len(docs), n_sample, len(docs))


def _extend_package(master: Project, store: StudyRepository, coder: Coder,
                    docs: list[tuple[str, bool, int]], path: Path) -> int:
    with Project.open(path) as pkg:
        if pkg.info.id != master.info.id or pkg.setting(PACKAGE_CODER) != coder.name:
            raise ProjectError(f"{path}: exists and is not {coder.name}'s package of this project; "
                               "move it away or choose another folder")
        target = study_store(pkg)
        have = target.document_ids()
        missing = [d for d, _, _ in docs if d not in have]
        _copy_documents(store, target, missing, start=target.max_position() + 1)
        _study_rules(master, pkg, docs)
    return len(missing)


def _study_rules(master: Project, pkg: Project, docs: list[tuple[str, bool, int]]) -> None:
    """The master's coding rules (candidates, their cues, a closed actor list) and the package's
    reliability-sample documents, where the coding window keeps candidates off. (A coder who
    works with candidates can tell the sample by their absence; keeping suggestions out of the
    documents whose agreement is reported matters more.)"""
    for key in PACKAGE_SETTINGS:
        value = master.setting(key)
        if value is not None or pkg.setting(key) is not None:
            pkg.set_setting(key, value)
    pkg.set_setting(RELIABILITY_SAMPLE, sorted(d for d, in_sample, _ in docs if in_sample))


def _copy_documents(source: StudyRepository, target: StudyRepository, ids: list[str], *, start: int) -> None:
    rows = source.document_rows(ids)
    target.insert_documents([{**rows[d], "position": start + k} for k, d in enumerate(ids)])


def _self_contained(path: Path) -> None:
    """One file to hand over: the write-ahead log folded in and switched off (opening the
    package for coding switches it back on)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
