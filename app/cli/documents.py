"""``claimcoder documents PROJECT``: list the documents, correct their details, delete one.

A document is named by its number in the list (as ``documents PROJECT`` prints it), its id, or
an unambiguous start of its id. Several corrections can go in one call::

    claimcoder documents study.ccdb --set-title 3 "Peacekeepers to stay" --set-date 3 2023-10-13
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parsers(sub: Any) -> None:
    d = sub.add_parser("documents", help="list documents; correct title, source, date, URL; delete one",
                       description="List the project's documents, or correct their details. "
                                   "ID is a document's number in the list, its id, or the start of its id. "
                                   "The text itself never changes.")
    d.add_argument("project", metavar="PROJECT")
    d.add_argument("--format", choices=["text", "json"], default="text", help="of the listing")
    for flag, what in (("title", "TITLE"), ("source", "SOURCE"), ("date", "DATE"), ("url", "URL")):
        d.add_argument(f"--set-{flag}", nargs=2, action="append", default=[], metavar=("ID", what),
                       help=f"set the {flag} of a document (repeatable; \"\" clears it)"
                       + (" — YYYY-MM-DD, YYYY-MM or YYYY" if flag == "date" else ""))
    d.add_argument("--set-meta", nargs=2, action="append", default=[], metavar=("ID", "KEY=VALUE"),
                   help="set one metadata field (KEY= removes it; repeatable)")
    d.add_argument("--delete", action="append", default=[], metavar="ID",
                   help="delete a document with every coder's statements (needs --yes when it has statements)")
    d.add_argument("--yes", action="store_true", help="confirm deleting documents that hold statements")


def cmd_documents(ns: argparse.Namespace) -> int:
    from app.cli.main import UsageError
    from app.core.errors import ProjectError
    from app.services.project import Project

    edits = [(f, ref, value) for f in ("title", "source", "date", "url")
             for ref, value in getattr(ns, f"set_{f}")]
    changing = bool(edits or ns.set_meta or ns.delete)
    with Project.open(ns.project, read_only=not changing) as project:
        docs = project.documents
        if not changing:
            return _listing(project, ns.format)
        number = {s.id: n for n, s in enumerate(docs.summaries(), start=1)}
        # Resolve every reference first: a typo in the third one must not leave two done.
        targets = [(f, docs.find(ref), value) for f, ref, value in edits]
        metas = []
        for ref, item in ns.set_meta:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise UsageError(f"--set-meta takes ID KEY=VALUE (got '{item}')")
            metas.append((docs.find(ref), key.strip(), value))
        deletes = [docs.find(ref) for ref in ns.delete]
        for summary in deletes:
            held = sum(1 for _ in project.statements(summary.id))
            if held and not ns.yes:
                raise ProjectError(f"document {number[summary.id]} '{summary.title}' holds {held} statement(s) "
                                   "of the coders; add --yes to delete it with them")
        field_names = {"date": "published"}
        for f, summary, value in targets:
            edit = docs.edit(summary.id, **{field_names.get(f, f): value})
            after = getattr(edit.after, field_names.get(f, f))
            print(f"  document {number[summary.id]}: {f} → {after if after not in (None, '') else '(none)'}")
        for summary, key, value in metas:
            meta = dict(project.document(summary.id).metadata)
            if value == "":
                meta.pop(key, None)
            else:
                meta[key] = value
            docs.edit(summary.id, metadata=meta)
            print(f"  document {number[summary.id]}: metadata {key} → {value or '(removed)'}")
        for summary in deletes:
            gone = docs.delete(summary.id)
            print(f"  deleted document '{gone.title}' with {len(gone.statements)} statement(s)")
    return 0


def _listing(project: Any, fmt: str) -> int:
    summaries = project.document_summaries()
    if fmt == "json":
        out = []
        for s in summaries:
            doc = project.document(s.id)
            out.append({"number": len(out) + 1, "id": s.id, "title": doc.title,
                        "source": doc.source, "published": doc.published, "url": doc.url,
                        "metadata": doc.metadata, "length": s.length})
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    for n, s in enumerate(summaries, start=1):
        print(f"{n:>5}  {s.id[:8]}  {s.published or '—':<10}  {(s.source or '—')[:20]:<20}  {s.title}")
    print(f"{len(summaries)} document{'s' if len(summaries) != 1 else ''}.")
    return 0


HANDLERS = {"documents": cmd_documents}
