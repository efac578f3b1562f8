"""``claimcoder codebook PROJECT``: show, export or replace a project's codebook.

``--import`` makes the same checks as the Codebook window: a codebook that would orphan stored
values is refused with the number of statements affected, unless ``--recode`` moves them
(``--recode claim_type:prediction=assertion``; ``KEY:OLD=`` clears those values). Every change
bumps the codebook version.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parsers(sub: Any) -> None:
    c = sub.add_parser("codebook", help="show, export or replace the project's codebook (with recodes)",
                       description="Show the project's codebook with the statements per category; "
                                   "--export writes it as YAML/JSON, --import replaces it after checking "
                                   "that no stored value is orphaned.")
    c.add_argument("project", metavar="PROJECT")
    c.add_argument("--export", metavar="FILE", type=Path, help="write the codebook to FILE.yaml or FILE.json")
    c.add_argument("--import", dest="import_file", metavar="FILE", type=Path, help="replace it with FILE.yaml|.json")
    c.add_argument("--recode", action="append", default=[], metavar="KEY:OLD=NEW",
                   help="with --import: move statements from category OLD to NEW (repeatable)")


def parse_recodes(items: list[str]) -> dict[str, dict[str, str | None]]:
    from app.cli.main import UsageError

    out: dict[str, dict[str, str | None]] = {}
    for item in items:
        key, colon, rest = item.partition(":")
        old, eq, new = rest.partition("=")
        if not (colon and eq and key.strip() and old.strip()):
            raise UsageError(f"--recode takes KEY:OLD=NEW (got '{item}')")
        out.setdefault(key.strip(), {})[old.strip()] = new.strip() or None
    return out


def cmd_codebook(ns: argparse.Namespace) -> int:
    from app.cli.main import UsageError
    from app.core.codebook import load_codebook
    from app.services.project import Project

    if ns.recode and ns.import_file is None:
        raise UsageError("--recode needs --import FILE")
    recode = parse_recodes(ns.recode)
    new = load_codebook(ns.import_file) if ns.import_file else None  # a bad file fails before opening
    with Project.open(ns.project, read_only=new is None) as project:
        editor = project.codebook_editor
        if new is not None:
            before = project.codebook.version
            change = editor.apply(new, recode=recode, label=f"import {ns.import_file.name}")
            if change.empty:
                print(f"{ns.import_file}: the same codebook as the project's (version {before}); nothing changed.")
            else:
                moved = f"; {len(change.values_after)} statement(s) recoded" if change.values_after else ""
                print(f"Imported {ns.import_file}: codebook version {before} → {change.after.version}{moved}.")
        if ns.export is not None:
            write_codebook(project.codebook, ns.export)
            print(f"Wrote {ns.export}: codebook '{project.codebook.name}' version {project.codebook.version}.")
        if new is None and ns.export is None:
            _show(project)
    return 0


def write_codebook(codebook: Any, path: Path) -> None:
    import json

    import yaml

    from app.core.errors import ClaimcoderError
    from app.core.export_model import write_text_atomic

    data = codebook.to_json_dict()
    text = (json.dumps(data, indent=2, ensure_ascii=False) + "\n" if path.suffix.lower() == ".json"
            else yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    if not path.parent.exists():
        raise ClaimcoderError(f"{path}: the folder {path.parent} does not exist")
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise ClaimcoderError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _show(project: Any) -> None:
    cb, editor = project.codebook, project.codebook_editor
    print(f"{cb.name}, version {cb.version}")
    for var in cb.variables:
        counts = editor.counts(var.key)
        flags = ", required" if var.required else ""
        print(f"  {var.key:<14} {var.kind}, {var.level}{flags} — {var.display}: {sum(counts.values())} statement(s)")
        for cat in var.categories:
            key = f" [{cat.shortcut}]" if cat.shortcut else ""
            print(f"      {cat.value:<14}{key:<5} {cat.display}: {counts.get(cat.value, 0)}")


HANDLERS = {"codebook": cmd_codebook}
