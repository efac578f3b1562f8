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

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from app.core.errors import ClaimcoderError, ProjectError
from app.core.export_model import value_checker
from app.core.names import name_key
from app.core.study import is_reserved_coder
from app.services.project import Project
from app.services.study.common import study_store
from app.services.study.incoming import Incoming, read_incoming
from app.store.db import from_utc_text, json_text, utc_text

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
    inserts: list[tuple[Any, ...]]
    updates: list[tuple[Any, ...]]
    deletes: list[str]
    unchanged: int
    statuses: dict[str, tuple[str, datetime]]
    proposals: list[dict[str, Any]]


def merge_files(master: Project, paths: Sequence[Path], *, accept_actors: bool = False,
                progress: Progress | None = None) -> list[FileMerged]:
    """Merge every file or none: all are read and checked first."""
    problems: list[str] = []
    plans: list[_Plan] = []
    view = _MasterView(master)
    for k, path in enumerate(paths):
        if progress:
            progress(k, 2 * len(paths), f"reading {path.name}")
        try:
            inc = read_incoming(path, master)
            view.load(inc.coder_id)
            plan = _plan(master, view, inc)
        except ClaimcoderError as exc:
            problems.append(exc.message)
        else:
            plans.append(plan)
            view.planned(plan)
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


class _MasterView:
    """What every file's plan compares against, read once per merge: the coders, the documents,
    the actor list, and the statements (ids, documents, times) of the coders being merged."""

    def __init__(self, master: Project) -> None:
        self.store = store = study_store(master)
        self.coders = store.coder_rows()
        self.by_sha = store.sha_to_id()
        self.doc_ids = set(self.by_sha.values())
        self.lengths = store.document_lengths()
        self.resolve, self.entity_keys = _actor_resolver(master)
        self.stamps: dict[str, dict[str, tuple[str, str, str]]] = {}
        self.planned_ids: dict[str, str] = {}  # statement id → coder, of the files planned so far

    def load(self, coder_id: str) -> None:
        if coder_id not in self.stamps:
            self.stamps[coder_id] = {sid: (doc, created, updated) for sid, doc, created, updated
                                     in self.store.statement_stamps(coder_id)}

    def planned(self, plan: _Plan) -> None:
        """A later file of the same merge sees this one's statements as if merged already."""
        mine = self.stamps.setdefault(plan.coder_id, {})
        for row in (*plan.inserts, *plan.updates):
            self.planned_ids[row[0]] = plan.coder_id
            mine[row[0]] = (row[1], row[7], row[8])
        for sid in plan.deletes:
            mine.pop(sid, None)
        self.coders.setdefault(plan.coder_id, plan.coder_name)


def _plan(master: Project, view: _MasterView, inc: Incoming) -> _Plan:
    src = inc.source
    mine, theirs = master.codebook, inc.codebook
    if (mine.name, mine.version) != (theirs.name, theirs.version):
        raise ClaimcoderError(f"{src}: codebook '{theirs.name}' version {theirs.version}, but the master's is "
                              f"'{mine.name}' version {mine.version}")
    if is_reserved_coder(inc.coder_name):
        raise ClaimcoderError(f"{src}: coder '{inc.coder_name}' is reserved for the gold standard")
    coders = view.coders
    new_coder = inc.coder_id not in coders
    if new_coder:
        same_name = [i for i, n in coders.items() if n.casefold() == inc.coder_name.casefold()]
        if same_name:
            raise ClaimcoderError(f"{src}: its coder '{inc.coder_name}' is not the master's '{inc.coder_name}' "
                                  "(another coder id): it was not made from this study's package")
    coder_name = coders.get(inc.coder_id, inc.coder_name)
    # documents: by id (packages and exports of this master), else by text (sha256)
    by_sha, ids = view.by_sha, view.doc_ids
    doc_map: dict[str, str] = {}
    for d in inc.documents:
        target = d.id if d.id in ids and by_sha.get(d.sha256) == d.id else by_sha.get(d.sha256)
        if target is None:
            raise ClaimcoderError(f"{src}: document '{d.title[:60]}' is not in the master")
        doc_map[d.id] = target
    lengths = view.lengths
    # statements: tuples in STATEMENT_COLUMNS order, values as JSON text, times as utc_text
    entity_keys = view.entity_keys
    values_of = _Values(view.resolve, [v.key for v in mine.variables if v.kind == "entity"], value_checker(mine))
    existing = view.stamps.get(inc.coder_id, {})
    owner = view.planned_ids  # other coders' ids already in the master surface at insert time
    now = utc_text(datetime.now(timezone.utc))
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    unchanged = 0
    seen = {s[0] for s in inc.statements}
    if len(seen) != len(inc.statements):
        twice = next(sid for sid, n in Counter(s[0] for s in inc.statements).items() if n > 1)
        raise ClaimcoderError(f"{src}: statement id {twice} appears twice")
    coder_id = inc.coder_id
    memo = values_of.memo
    for sid, file_doc, _, start, end, raw, note, created, updated in inc.statements:
        doc = doc_map.get(file_doc)
        if doc is None:
            raise ClaimcoderError(f"{src}: statement {sid} is on a document the file does not list")
        if not 0 <= start < end <= lengths[doc]:
            raise ClaimcoderError(f"{src}: statement {sid} lies outside its document ({start}..{end})")
        stored, issue = memo.get(raw) or values_of(raw)
        if issue:
            raise ClaimcoderError(f"{src}: statement {sid}: {issue}")
        created = created or now
        updated = updated or created
        row = (sid, doc, coder_id, start, end, stored, note or "", created, updated)
        old = existing.get(sid)
        if old is None:
            if owner.get(sid, coder_id) != coder_id:
                raise ClaimcoderError(f"{src}: statement {sid} belongs to another coder in the master")
            inserts.append(row)
        elif updated > old[2]:
            updates.append(row)
        elif updated < old[2]:
            raise ClaimcoderError(f"{src}: older than the work of '{coder_name}' merged before (statement {sid} "
                                  f"was changed on {_when(old[2])} in the master, on {_when(updated)} in this file); "
                                  "nothing changed")
        else:
            unchanged += 1
    covered = set(doc_map.values())
    deletes = [sid for sid, (doc, _, _) in existing.items() if doc in covered and sid not in seen]
    last = inc.last_change if deletes else None
    later = [sid for sid in deletes if last is None or existing[sid][1] > last]
    if later:  # made after the file's last change: the file is older than what was merged
        raise ClaimcoderError(
            f"{src}: older than the work of '{coder_name}' merged before (it lacks {len(later)} statement"
            f"{'s' if len(later) != 1 else ''} made after its last change, {_when(last) if last else 'never'}); "
            "nothing changed")
    stamp = from_utc_text(now)
    statuses = {doc_map[d.id]: (d.status, d.status_at or stamp) for d in inc.documents}
    proposals = _proposals(inc, values_of.unmatched, entity_keys)
    return _Plan(inc, inc.coder_id, coder_name, new_coder, inserts, updates, deletes, unchanged, statuses, proposals)


class _Values:
    """A statement's stored values (JSON text) → the text to store in the master, and the problem
    with it if any. Entity values become the actor list's canonical name (by ``name_key``); names
    the list lacks are remembered in ``unmatched``. Each distinct text is worked out once: the
    same few thousand combinations of values repeat across 100,000 statements."""

    def __init__(self, resolve: dict[str, str], entity_vars: list[str],
                 check: Callable[[str, Any], str | None]) -> None:
        self.resolve = resolve
        self.entity_vars = entity_vars
        self.check = check
        self.memo: dict[str, tuple[str, str | None]] = {}
        self.names: dict[str, str] = {}
        self.unmatched: dict[str, str] = {}

    def _canonical(self, name: str) -> str:
        found = self.names.get(name)
        if found is None:
            key = name_key(name)
            canon = self.resolve.get(key)
            if canon is None:
                self.unmatched.setdefault(key, name)
            found = self.names[name] = canon or name
        return found

    def __call__(self, raw: str) -> tuple[str, str | None]:
        found = self.memo.get(raw)
        if found is None:
            found = self.memo[raw] = self._work_out(raw)
        return found

    def _work_out(self, raw: str) -> tuple[str, str | None]:
        try:
            values = json.loads(raw or "{}")
        except ValueError:
            return raw, "its values are not valid JSON"
        if not isinstance(values, dict):
            return raw, "its values are not a mapping"
        changed = False
        for key in self.entity_vars:
            name = values.get(key)
            if isinstance(name, str):
                canon = self._canonical(name)
                if canon != name:
                    values[key] = canon
                    changed = True
        for pair in values.items():
            issue = self.check(*pair)
            if issue:
                return raw, issue
        return (json_text(values) if changed else raw), None


def _when(t: str) -> str:
    return t[:19] + " UTC"


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
            last = inc.last_change
            store.log_merge(conn, plan.coder_id, Path(inc.source).name, from_utc_text(last) if last else None, counts)
    except IntegrityError:
        raise ProjectError(f"{inc.source}: holds a statement id that another coder's statement has in the master; "
                           "this file was not merged") from None
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
