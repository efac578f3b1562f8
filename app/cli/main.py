"""``claimcoder`` subcommands: exit 0 on success, 1 on a user error (one line on stderr),
2 on a usage error. Nothing a user can cause prints a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.cli import interop
from app.cli import actors as actors_cli, codebook as codebook_cli, documents as documents_cli
from app.cli import upgrade as upgrade_cli
from app.cli import unlock as unlock_cli
from app.cli import settings as settings_cli
from app.cli import study
from app.cli.agree import add_arguments as add_agree_arguments, cmd_agree
from app.cli.base import Parser as _Parser, UsageError, run_handler
from app.cli.progress import ProgressLine
from app.cli.version import VersionAction
from app.core.errors import ClaimcoderError
from app.io.readers import ReadOptions, describe_formats, parse_column_map
from app.cli import network as network_cli

# The project commands import the store (SQLAlchemy, alembic) when they run, not at start-up:
# `--version`, `--help` and `agree` never touch a database and should not pay for it. The
# codebook and export models (pydantic) likewise load in the commands that read them, so the
# window's first paint does not wait for them (tests/gui/test_startup_imports.py).

GUI_COMMANDS = {"gui", "demo"}

EPILOG = """\
typical session:
  claimcoder new study.ccdb                      create a project with the default codebook
  claimcoder import study.ccdb articles/         add articles (files, folders, .zip)
  claimcoder gui study.ccdb                      code statements
  claimcoder export study.ccdb --coder alice -o alice.json
  claimcoder agree alice.json bob.json           inter-coder agreement
"""


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="claimcoder",
        description="Code statements in news articles and compute inter-coder agreement.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action=VersionAction)  # with the commit: app/build_info.py
    p.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    g = sub.add_parser("gui", help="open the coding window (on PROJECT, or the last project)")
    g.add_argument("project", nargs="?", metavar="PROJECT")
    g.add_argument("--coder", help="code as this coder (created if new)")

    d = sub.add_parser("demo", help="create a demo project in a fresh folder and open it")
    d.add_argument("--folder", type=Path, help="where to create it (default: a new folder in your documents)")
    d.add_argument("--no-gui", action="store_true", help="only create it and print its path")

    n = sub.add_parser("new", help="create a project file")
    n.add_argument("project", metavar="PROJECT", help="the project file to create, e.g. study.ccdb")
    n.add_argument("--codebook", metavar="FILE", type=Path, help="a codebook in YAML or JSON (default: claims analysis)")
    n.add_argument("--name", help="the project's name (default: from the file name)")

    i = sub.add_parser("import", help="import articles from files, folders or .zip archives",
                       description="Import articles from files, folders and archives: " + describe_formats()
                       + ". Each file is imported whole or not at all; duplicates (same text) are skipped.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("project", metavar="PROJECT")
    i.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    i.add_argument("--json", action="store_true", help="print the summary as JSON")
    i.add_argument("--column", action="append", default=[], metavar="FIELD=COLUMN",
                   help="for CSV/JSONL: take FIELD (text, title, published, source, url) from COLUMN; repeatable")

    e = sub.add_parser("export", help="write one coder's work as JSON (for agreement), CSV (for analysis) or REFI-QDA")
    e.add_argument("project", metavar="PROJECT")
    e.add_argument("--coder", metavar="NAME", help="whose work (gold: the adjudicated statements)")
    e.add_argument("--dataset", action="store_true", help="the study's dataset: every document once (Contract 6)")
    e.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: PROJECT-NAME.json next to the project")
    e.add_argument("--format", choices=["json", "csv", "qdpx", "qdc"], default=None,
                   help="json (Contract 2), csv (tidy, one row per statement), qdpx (REFI-QDA project for "
                        "MAXQDA, ATLAS.ti, NVivo, QualCoder) or qdc (the codebook alone); default: from the "
                        "file extension, else json")

    add_agree_arguments(sub.add_parser("agree", help="inter-coder agreement from two or more JSON exports"))

    interop.add_parsers(sub)

    info = sub.add_parser("info", help="what a project holds: documents, coders, statements")
    info.add_argument("project", metavar="PROJECT")
    info.add_argument("--json", action="store_true")
    for topic in (actors_cli, documents_cli, codebook_cli):
        topic.add_parsers(sub)
    upgrade_cli.add_parsers(sub)
    network_cli.add_parser(sub)
    unlock_cli.add_parsers(sub)
    settings_cli.add_parsers(sub)
    study.add_parsers(sub)
    return p


def run(argv: Sequence[str] | None = None) -> int:
    """Parse and run a non-GUI command; the exit status."""
    try:
        ns = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return dispatch(ns)


def dispatch(ns: argparse.Namespace) -> int:
    handler = COMMANDS.get(ns.command)
    if handler is None:
        build_parser().print_help(sys.stderr)
        return 2
    return run_handler(ns.command, handler, ns)


def cmd_new(ns: argparse.Namespace) -> int:
    from app.core.codebook import load_codebook
    from app.services.project import Project

    codebook = load_codebook(ns.codebook) if ns.codebook else None
    with Project.create(ns.project, name=ns.name, codebook=codebook) as project:
        cb = project.codebook
        print(f"Created {project.location}: project '{project.name}', codebook '{cb.name}' "
              f"({len(cb.variables)} variables: {', '.join(cb.keys)})")
    return 0


def _column_map(items: list[str]) -> dict[str, str]:
    try:
        return parse_column_map(items)
    except ClaimcoderError as exc:
        raise UsageError(exc.message) from None


def cmd_import(ns: argparse.Namespace) -> int:
    from app.services.importing import import_paths
    from app.services.project import Project

    options = ReadOptions(column_map=_column_map(ns.column))
    with Project.open(ns.project) as project:
        project.require_writable()  # read-only media or a damaged file: one line, before any work
        bar = ProgressLine(0, "importing", enabled=None if not ns.json else False)

        def progress(done: int, total: int, origin: str) -> None:
            bar.total = total
            bar.update(done, origin)

        try:
            summary = import_paths(project, ns.paths, options=options, progress=progress)
        finally:
            bar.close()
        count = project.document_count()
    failed = summary.failed
    if ns.json:
        print(json.dumps({
            "imported": summary.imported, "duplicates": summary.duplicates, "failed": len(failed),
            "documents_in_project": count,
            "files": [
                {"file": o.origin, "imported": o.imported, "duplicates": o.duplicates,
                 "duplicate_of": list(o.duplicate_titles), "error": o.error, "warning": o.warning}
                for o in summary.outcomes
            ],
        }, indent=2, ensure_ascii=False))
    else:
        for o in summary.outcomes:
            if o.duplicates:
                titles = "; ".join(t[:60] for t in o.duplicate_titles[:3])
                more = f" and {o.duplicates - 3} more" if o.duplicates > 3 else ""
                print(f"  duplicate  {o.origin}: already in the project ({titles}{more})")
        for o in summary.outcomes:
            if o.warning:
                print(f"  warning    {o.origin}: {o.warning}", file=sys.stderr)
        for o in failed:
            print(f"  failed     {o.origin}: {o.error}", file=sys.stderr)
        print(f"Imported {summary.imported} article{'s' if summary.imported != 1 else ''}, "
              f"skipped {summary.duplicates} duplicate{'s' if summary.duplicates != 1 else ''}, "
              f"{len(failed)} file{'s' if len(failed) != 1 else ''} failed. "
              f"The project now has {count} document{'s' if count != 1 else ''}.")
    if not summary.outcomes:
        print("claimcoder: nothing to import (no supported files found)", file=sys.stderr)
        return 1
    return 1 if failed else 0


def cmd_export(ns: argparse.Namespace) -> int:
    if ns.dataset or not ns.coder:
        return study.cmd_export_dataset(ns)
    from app.cli.outputs import default_output, open_to_read
    from app.services.exporting import export_coder

    fmt = ns.format
    out: Path | None = ns.output
    if fmt is None:
        suffix = out.suffix.lower() if out is not None else ""
        fmt = {".csv": "csv", ".tsv": "csv", ".qdpx": "qdpx", ".qdc": "qdc"}.get(suffix, "json")
    if out is None:  # PROJECT-CODER.json next to the project file (for a database URL: here)
        out = default_output(ns.project, ns.coder, fmt, fallback="export")
    with open_to_read(ns.project) as project:  # export_coder pauses the collector itself
        others = [c.name for c in project.coders() if project.statement_count(c)]
        written = export_coder(project, ns.coder, out, fmt)
        warning = project.file_warning()
    if not written.statements and others and ns.coder not in others:
        print(f"claimcoder: note: '{ns.coder}' has no statements in this project "
              f"(coders with statements: {', '.join(others)})", file=sys.stderr)
    if warning:
        print(f"claimcoder: warning: {ns.project}: {warning}", file=sys.stderr)
    print(f"Wrote {out}: {written.statements} statement{'s' if written.statements != 1 else ''} "
          f"by {written.coder} in {written.documents} documents ({fmt.upper()}).")
    return 0


def cmd_info(ns: argparse.Namespace) -> int:
    from app.services.project import Project

    with Project.open(ns.project, read_only=True) as project:
        coders = project.coders()
        data = {
            "project": project.name, "id": project.info.id, "schema": project.info.schema_revision,
            "codebook": {"name": project.codebook.name, "version": project.codebook.version,
                          "variables": project.codebook.keys},
            "documents": project.document_count(),
            "entities": len(project.entities()),
            "coders": {c.name: project.statement_count(c) for c in coders},
        }
        warning = project.file_warning()
    if warning:
        print(f"claimcoder: warning: {ns.project}: {warning}", file=sys.stderr)
    if ns.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(f"{data['project']} (schema {data['schema']})")
        print(f"  codebook   {data['codebook']['name']} v{data['codebook']['version']}: {', '.join(data['codebook']['variables'])}")
        print(f"  documents  {data['documents']}")
        print(f"  entities   {data['entities']}")
        for name, n in data["coders"].items():
            print(f"  coder      {name}: {n} statements")
    return 0


COMMANDS = {"new": cmd_new, "import": cmd_import, "export": cmd_export, "agree": cmd_agree, "info": cmd_info,
            **interop.COMMANDS, **actors_cli.HANDLERS, **documents_cli.HANDLERS, **codebook_cli.HANDLERS,
            **upgrade_cli.HANDLERS, **network_cli.HANDLERS, **unlock_cli.COMMANDS, **settings_cli.COMMANDS,
            **study.HANDLERS}
