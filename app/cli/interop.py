"""``claimcoder import-dna``: bring a Discourse Network Analyzer project over in one command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_parsers(sub: Any) -> None:
    d = sub.add_parser(
        "import-dna", help="make a claimcoder project from a DNA 3 database (.dna)",
        description="Make a new claimcoder project from a Discourse Network Analyzer 3 database: its "
                    "documents, coders, entities with attributes, one statement type as the codebook, "
                    "and that type's statements with their offsets and values. The DNA file is only read.")
    d.add_argument("dna", metavar="FILE.dna", type=Path)
    d.add_argument("-o", "--output", required=True, type=Path, metavar="PROJECT", help="the project file to create")
    d.add_argument("--statement-type", metavar="LABEL",
                   help="which DNA statement type becomes the codebook (default: the one with most statements)")
    d.add_argument("--entity", action="append", default=[], metavar="VARIABLE",
                   help="treat this short-text variable as actors (entity) rather than categories; repeatable "
                        "(person, organization and variables whose entities have attributes are actors already)")
    d.add_argument("--name", help="the project's name (default: the DNA file's name)")
    d.add_argument("--json", action="store_true", help="print the report as JSON")


def cmd_import_dna(ns: argparse.Namespace) -> int:
    from app.services.dna_import import import_dna

    report = import_dna(ns.dna, ns.output, statement_type=ns.statement_type,
                        entity_variables=frozenset(ns.entity), name=ns.name)
    if ns.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return 0
    print(f"Created {report.project} from {ns.dna}: {report.documents} documents, {report.statements} statements "
          f"of the type '{report.statement_type}' by {len(report.coders)} coder"
          f"{'s' if len(report.coders) != 1 else ''} ({', '.join(report.coders) or 'none'}), "
          f"{report.entities} actors.")
    for variable, mapped in report.variables.items():
        print(f"  variable   {variable} → {mapped}")
    for item in report.not_carried:
        print(f"  not carried over: {item}")
    return 0


COMMANDS = {"import-dna": cmd_import_dna}
