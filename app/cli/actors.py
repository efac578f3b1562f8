"""``claimcoder actors …`` (Contract 5): the actor list from a script.

``list``, ``import``, ``export`` and ``merge`` are the contract; ``add``, ``rename``, ``delete``
and ``closed`` reach the rest of :mod:`app.services.actors` so that no supervisor needs the
window (or a text editor) to build a study.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.io.csv_safe import safe_cell


def add_parsers(sub: Any) -> None:
    a = sub.add_parser("actors", help="the actor list: list, import, export, merge, add, rename, delete",
                       description="Manage the project's actor list (the entity variables' names and aliases).")
    acts = a.add_subparsers(dest="actors_command", metavar="ACTION", required=True, parser_class=type(a))
    p = acts.add_parser("list", help="every actor with kind, aliases, attributes and statements per coder")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text",
                   help="csv is an actor file, ready for 'actors import'")
    p = acts.add_parser("import", help="add or update actors from FILE.csv|.tsv|.yaml|.json (idempotent)")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("file", metavar="FILE", type=Path)
    p = acts.add_parser("export", help="write the actor list to FILE.csv|.tsv|.yaml|.json")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("-o", "--output", metavar="FILE", type=Path, required=True)
    p = acts.add_parser("merge", help="FROM's statements go to INTO; FROM becomes an alias of INTO")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("source", metavar="FROM")
    p.add_argument("target", metavar="INTO")
    p = acts.add_parser("add", help="add one actor")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--kind", default="")
    p.add_argument("--alias", action="append", default=[], metavar="ALIAS", help="repeatable")
    p.add_argument("--attribute", action="append", default=[], metavar="KEY=VALUE", help="repeatable")
    p = acts.add_parser("rename", help="rename an actor; every statement that names it follows")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("old", metavar="NAME")
    p.add_argument("new", metavar="NEW_NAME")
    p = acts.add_parser("delete", help="delete an actor no statement uses")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("name", metavar="NAME")
    p = acts.add_parser("closed", help="close the list (coders pick, only the supervisor adds) or open it")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("state", choices=["yes", "no"])


def cmd_actors(ns: argparse.Namespace) -> int:
    return ACTIONS[ns.actors_command](ns)


def _open(ns: argparse.Namespace, *, read_only: bool = False) -> Any:
    from app.services.project import Project

    return Project.open(ns.project, read_only=read_only)


def _list(ns: argparse.Namespace) -> int:
    from app.io.actor_files import ALIAS_SEPARATOR

    with _open(ns, read_only=True) as project:
        rows, keys, closed = project.actors.rows(), project.actors.attribute_keys(), project.actors.closed
    if ns.format == "json":
        print(json.dumps({"closed": closed, "attribute_keys": keys, "actors": [
            {"name": r.entity.name, "kind": r.entity.kind, "aliases": list(r.entity.aliases),
             "attributes": r.entity.attributes, "statements": r.uses} for r in rows]}, indent=2, ensure_ascii=False))
    elif ns.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["name", "kind", "aliases", *keys])
        for r in rows:
            e = r.entity
            writer.writerow([safe_cell(x) for x in (e.name, e.kind, ALIAS_SEPARATOR.join(e.aliases),
                                                    *(str(e.attributes.get(k, "")) for k in keys))])
    else:
        for r in rows:
            e = r.entity
            uses = ", ".join(f"{c} {n}" for c, n in r.uses.items()) or "no statements"
            extra = "".join(f"; {k}={v}" for k, v in e.attributes.items())
            alias = f" (also: {', '.join(e.aliases)})" if e.aliases else ""
            print(f"{e.name}{alias} [{e.kind or 'no kind'}]{extra} — {uses}")
        print(f"{len(rows)} actor{'s' if len(rows) != 1 else ''}; the list is {'closed' if closed else 'open'}.")
    return 0


def _import(ns: argparse.Namespace) -> int:
    from app.services.actor_import import import_actor_file

    with _open(ns) as project:
        report = import_actor_file(project, ns.file)
    for name in report.added:
        print(f"  added      {name}")
    for name in report.updated:
        print(f"  updated    {name}")
    for line in report.conflicts:
        print(f"  conflict   {line}")
    print(report.summary().replace(f"{ns.file}: ", f"Imported {ns.file}: ", 1))
    return 0


def _export(ns: argparse.Namespace) -> int:
    from app.services.actor_import import export_actor_file

    with _open(ns, read_only=True) as project:
        n = export_actor_file(project, ns.output)
    print(f"Wrote {ns.output}: {n} actor{'s' if n != 1 else ''}.")
    return 0


def _change(ns: argparse.Namespace, do: Callable[[Any], Any]) -> int:
    with _open(ns) as project:
        change = do(project.actors)
    rewritten = f"; {change.statements} statement(s) rewritten" if change.statements else ""
    print(f"Done: {change.label}{rewritten}.")
    return 0


def _merge(ns: argparse.Namespace) -> int:
    return _change(ns, lambda actors: actors.merge(ns.source, ns.target))


def _add(ns: argparse.Namespace) -> int:
    attributes = {}
    for item in ns.attribute:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            from app.cli.main import UsageError

            raise UsageError(f"--attribute takes KEY=VALUE (got '{item}')")
        attributes[key.strip()] = value
    return _change(ns, lambda actors: actors.add(ns.name, ns.kind, ns.alias, attributes))


def _rename(ns: argparse.Namespace) -> int:
    return _change(ns, lambda actors: actors.rename(ns.old, ns.new))


def _delete(ns: argparse.Namespace) -> int:
    return _change(ns, lambda actors: actors.delete(ns.name))


def _closed(ns: argparse.Namespace) -> int:
    with _open(ns) as project:
        project.actors.set_closed(ns.state == "yes")
    print("The actor list is now " + ("closed: coders pick from it, the Speaker field adds no actors."
                                      if ns.state == "yes" else "open: coders may add actors as they code."))
    return 0


ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": _list, "import": _import, "export": _export, "merge": _merge,
    "add": _add, "rename": _rename, "delete": _delete, "closed": _closed,
}
HANDLERS = {"actors": cmd_actors}
