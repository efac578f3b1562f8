"""``claimcoder merge``: coders' statements, statuses and new actors into the master.

Keyed by project, coder and statement id, so merging is idempotent:

- a statement new to the master is added; one the master has is replaced when the file's
  ``updated_at`` is later, and otherwise left alone;
- a file covers its documents (a package all of its documents, an export every document it
  lists): the coder's statements on those documents that the file lacks were deleted by the coder
  and are deleted;
- a file *older* than what was merged before is refused instead, since applying it would undo
  work: it holds an older version of a statement than the master, or it lacks statements the coder
  made after the file's last change;
- entity values are matched to the actor list by name and alias (``name_key``); actors the list
  lacks are kept as proposals (the setting ``actor_proposals``) for the supervisor to accept
  (``--accept-actors``) or map.

Every file is read and checked before anything is written; one bad file refuses the whole
merge, with one line per bad file. Each file is then written in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from app.core.errors import ClaimcoderError, ProjectError
from app.core.names import name_key
from app.core.study import is_reserved_coder
from app.services.project import Project
from app.services.study.common import study_store
from app.services.study.incoming import Incoming, read_incoming

PROPOSALS = "actor_proposals"  # project setting: actors coders used that the list lacks

Progress = Callable[[int, int, str], None]


class MergeRefused(ClaimcoderError):
    """One or more files cannot be merged; ``problems`` has one line per file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} files refused; nothing was merged")
        self.problems = problems


@dataclass(slots=True)
class FileMerged:
    source: str
    coder: str
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    statuses: int = 0
    new_actors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Plan:
    incoming: Incoming
    coder_id: str
    coder_name: str
    new_coder: bool
    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]
    deletes: list[str]
    unchanged: int
    statuses: dict[str, tuple[str, datetime]]
    proposals: list[dict[str, Any]]


def merge_files(master: Project, paths: Sequence[Path], *, accept_actors: bool = False,
                progress: Progress | None = None) -> list[FileMerged]:
    """Merge every file or none: all are read and checked first."""
    problems: list[str] = []
    plans: list[_Plan] = []
    for k, path in enumerate(paths):
        if progress:
            progress(k, 2 * len(paths), f"reading {path.name}")
        try:
            plans.append(_plan(master, read_incoming(path, master)))
        except ClaimcoderError as exc:
            problems.append(exc.message)
    if problems:
        raise MergeRefused(problems)
    results = []
    for k, plan in enumerate(plans):
        if progress:
            progress(len(paths) + k, 2 * len(paths), f"merging {Path(plan.incoming.source).name}")
        results.append(_apply(master, plan))
    if accept_actors:
        accept_proposals(master)
    return results


def _plan(master: Project, inc: Incoming) -> _Plan:
    src = inc.source
    mine, theirs = master.codebook, inc.codebook
    if (mine.name, mine.version) != (theirs.name, theirs.version):
        raise ClaimcoderError(f"{src}: codebook '{theirs.name}' version {theirs.version}, but the master's is "
                              f"'{mine.name}' version {mine.version}")
    if is_reserved_coder(inc.coder_name):
        raise ClaimcoderError(f"{src}: coder '{inc.coder_name}' is reserved for the gold standard")
    store = study_store(master)
    coders = store.coder_rows()
    new_coder = inc.coder_id not in coders
    if new_coder:
        same_name = [i for i, n in coders.items() if n.casefold() == inc.coder_name.casefold()]
        if same_name:
            raise ClaimcoderError(f"{src}: its coder '{inc.coder_name}' is not the master's '{inc.coder_name}' "
                                  "(another coder id): it was not made from this study's package")
    coder_name = coders.get(inc.coder_id, inc.coder_name)
    # documents: by id (packages and exports of this master), else by text (sha256)
    by_sha = store.sha_to_id()
    ids = set(by_sha.values())
    doc_map: dict[str, str] = {}
    for d in inc.documents:
        target = d.id if d.id in ids and by_sha.get(d.sha256) == d.id else by_sha.get(d.sha256)
        if target is None:
            raise ClaimcoderError(f"{src}: document '{d.title[:60]}' is not in the master")
        doc_map[d.id] = target
    lengths = {i: n for i, _, n, _, _, _ in store.document_infos()}
    # statements
    resolve, entity_keys = _actor_resolver(master)
    entity_vars = [v.key for v in mine.variables if v.kind == "entity"]
    check = mine.check_values
    unmatched: dict[str, str] = {}
    existing = store.statement_stamps(inc.coder_id)
    owners = store.statement_owners(s["id"] for s in inc.statements if s["id"] not in existing)
    if owners:
        sid = next(iter(owners))
        raise ClaimcoderError(f"{src}: statement {sid} belongs to another coder in the master")
    now = datetime.now(timezone.utc)
    inserts, updates = [], []
    unchanged = 0
    seen: set[str] = set()
    for s in inc.statements:
        sid = s["id"]
        doc = doc_map.get(s["document_id"])
        if doc is None:
            raise ClaimcoderError(f"{src}: statement {sid} is on a document the file does not list")
        if sid in seen:
            raise ClaimcoderError(f"{src}: statement id {sid} appears twice")
        seen.add(sid)
        if not 0 <= s["start"] < s["end"] <= lengths[doc]:
            raise ClaimcoderError(f"{src}: statement {sid} lies outside its document ({s['start']}..{s['end']})")
        values = s["values"]
        for key in entity_vars:
            name = values.get(key)
            if isinstance(name, str):
                canon = resolve.get(name_key(name))
                if canon is None:
                    unmatched.setdefault(name_key(name), name)
                elif canon != name:
                    values = {**values, key: canon}
        problems = check(values)
        if problems:
            raise ClaimcoderError(f"{src}: statement {sid}: {problems[0]}")
        created = s.get("created_at") or now
        updated = s.get("updated_at") or created
        row = {"id": sid, "document_id": doc, "coder_id": inc.coder_id, "start": s["start"], "end": s["end"],
               "values": values, "note": s.get("note") or "", "created_at": created, "updated_at": updated}
        old = existing.get(sid)
        if old is None:
            inserts.append(row)
        elif updated > old[1]:
            updates.append(row)
        elif updated < old[1]:
            raise ClaimcoderError(f"{src}: older than the work of '{coder_name}' merged before (statement {sid} "
                                  f"was changed on {_when(old[1])} in the master, on {_when(updated)} in this file); "
                                  "nothing changed")
        else:
            unchanged += 1
    covered = set(doc_map.values())
    deletes = [sid for sid, (doc, _) in existing.items() if doc in covered and sid not in seen]
    if deletes:
        _refuse_if_stale(master, inc, deletes, coder_name)
    statuses = {doc_map[d.id]: (d.status, d.status_at or now) for d in inc.documents}
    proposals = _proposals(inc, unmatched, entity_keys)
    return _Plan(inc, inc.coder_id, coder_name, new_coder, inserts, updates, deletes, unchanged, statuses, proposals)


def _refuse_if_stale(master: Project, inc: Incoming, deletes: list[str], coder_name: str) -> None:
    """Statements the file lacks that were made after its last change: the file is older than the
    work already merged (deleting them would lose it)."""
    last = inc.last_change
    gone = set(deletes)
    later = [r for r in study_store(master).statement_rows([inc.coder_id]) if r["id"] in gone
             and (last is None or r["created_at"] > last)]
    if later:
        raise ClaimcoderError(
            f"{inc.source}: older than the work of '{coder_name}' merged before (it lacks {len(later)} statement"
            f"{'s' if len(later) != 1 else ''} made after its last change, {_when(last) if last else 'never'}); "
            "nothing changed")


def _when(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _actor_resolver(master: Project) -> tuple[dict[str, str], set[str]]:
    """name_key of every name and alias → the canonical name."""
    out: dict[str, str] = {}
    for e in master.entities():
        for label in (e.name, *e.aliases):
            out.setdefault(name_key(label), e.name)
    return out, set(out)


def _proposals(inc: Incoming, unmatched: dict[str, str], known: set[str]) -> list[dict[str, Any]]:
    """The file's actors the master's list lacks (by name and alias), and names used in
    statements that no actor of either list carries."""
    out: dict[str, dict[str, Any]] = {}
    covered: set[str] = set()
    for e in inc.entities:
        keys = {name_key(x) for x in (e["name"], *e.get("aliases", []))}
        if keys & known:
            continue
        out[name_key(e["name"])] = {"name": e["name"], "kind": e.get("kind", ""), "aliases": list(e.get("aliases", [])),
                                    "attributes": dict(e.get("attributes") or {}), "coders": [inc.coder_name]}
        covered |= keys
    for key, name in unmatched.items():
        if key not in covered and key not in out:
            out[key] = {"name": name, "kind": "", "aliases": [], "attributes": {}, "coders": [inc.coder_name]}
    return list(out.values())


def _apply(master: Project, plan: _Plan) -> FileMerged:
    store = study_store(master)
    inc = plan.incoming
    result = FileMerged(inc.source, plan.coder_name, len(plan.inserts), len(plan.updates), len(plan.deletes),
                        plan.unchanged)
    try:
        with store.transaction() as conn:
            if plan.new_coder:
                store.insert_coder(plan.coder_id, plan.coder_name, conn)
            store.delete_statements(conn, plan.deletes)
            store.insert_statements(conn, plan.inserts)
            store.update_statements(conn, plan.updates)
            result.statuses = store.write_statuses(conn, plan.coder_id, plan.statuses)
            counts = {"added": result.added, "updated": result.updated, "deleted": result.deleted,
                      "statuses": result.statuses}
            store.log_merge(conn, plan.coder_id, Path(inc.source).name, inc.last_change, counts)
    except OSError as exc:
        raise ProjectError(f"{master.target}: cannot write the merge ({exc})") from None
    result.new_actors = _keep_proposals(master, plan.proposals)
    return result


def _keep_proposals(master: Project, found: list[dict[str, Any]]) -> list[str]:
    """Add ``found`` to the stored proposals (one per name key); drop those the list now has."""
    _, known = _actor_resolver(master)
    stored = {name_key(p["name"]): p for p in master.setting(PROPOSALS, []) or []}
    for p in found:
        key = name_key(p["name"])
        if key in stored:
            stored[key]["coders"] = sorted(set(stored[key]["coders"]) | set(p["coders"]))
        else:
            stored[key] = p
    pending = [p for k, p in stored.items() if k not in known]
    if pending != (master.setting(PROPOSALS, []) or []):
        master.set_setting(PROPOSALS, pending)
    return [p["name"] for p in found]


def pending_proposals(master: Project) -> list[dict[str, Any]]:
    _, known = _actor_resolver(master)
    return [p for p in master.setting(PROPOSALS, []) or [] if name_key(p["name"]) not in known]


def accept_proposals(master: Project) -> list[str]:
    """Add every pending proposed actor to the list as it was proposed."""
    added = []
    for p in pending_proposals(master):
        master.add_entity(p["name"], p.get("kind", ""), p.get("aliases", []))
        added.append(p["name"])
    master.set_setting(PROPOSALS, [])
    return added
