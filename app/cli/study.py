"""The study commands (Contract 6): ``assign``, ``merge``, ``status``, ``adjudicate``.

``export --coder gold`` and ``export --dataset`` live with ``export`` in ``app.cli.main``;
their work is done in ``app.services.study``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.progress import ProgressLine
from app.core.study import parse_sample


def add_parsers(sub: Any) -> None:
    a = sub.add_parser("assign", help="hand out work packages with a reliability sample",
                       description="Draw a reliability sample (every coder codes it), split the other documents "
                       "among the coders by text length, and write DIR/<coder>.ccdb for each. Run again with more "
                       "coders or documents to extend the assignment; nothing handed out moves.")
    a.add_argument("project", metavar="MASTER")
    a.add_argument("--coders", required=True, metavar="NAMES", help="comma-separated, e.g. ana,ben,cem")
    a.add_argument("--sample", default="0", metavar="SHARE|COUNT",
                   help="a share of the documents (0.2) or a number of them (50); default 0")
    a.add_argument("--seed", type=int, default=None, help="random seed (default: the study's, else a new one)")
    a.add_argument("--stratify", metavar="FIELD", default=None,
                   help="draw the sample per source, month, or a metadata field")
    a.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="folder for the packages")

    m = sub.add_parser("merge", help="bring coders' packages or JSON exports into the master")
    m.add_argument("project", metavar="MASTER")
    m.add_argument("files", metavar="FILE", nargs="+", type=Path, help="work packages (.ccdb) or exports (.json)")
    m.add_argument("--accept-actors", action="store_true",
                   help="add the coders' proposed new actors to the actor list")

    s = sub.add_parser("status", help="coder × state matrix and the reliability sample's progress")
    s.add_argument("project", metavar="MASTER")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.add_argument("--min-overlap", type=float, default=0.5, metavar="X", help="for the agreement on the sample")

    j = sub.add_parser("adjudicate", help="merge the units coders agree on into the gold standard")
    j.add_argument("project", metavar="MASTER")
    j.add_argument("--auto", choices=["unanimous", "majority"], required=True)
    j.add_argument("--min-coders", type=int, default=None, metavar="K",
                   help="majority: at least K coders must share the version (default: more than half)")
    j.add_argument("--min-overlap", type=float, default=0.5, metavar="X", help="spans align at this overlap")
    j.add_argument("--adjudicator", default="auto", help="recorded with each decision (default: auto)")


def cmd_assign(ns: argparse.Namespace) -> int:
    from app.services.project import Project
    from app.services.study.assign import assign, parse_coders

    coders = parse_coders(ns.coders)
    spec = parse_sample(ns.sample)
    with Project.open(ns.project) as master:
        bar = ProgressLine(len(coders), "writing packages")
        try:
            result = assign(master, coders, spec, ns.output, seed=ns.seed, stratify=ns.stratify,
                            progress=lambda k, n, what: bar.update(k, what))
        finally:
            bar.close()
    if result.round_no is None:
        print("Nothing new to hand out: every document is assigned already.")
    else:
        print(f"Round {result.round_no} (seed {result.seed}): reliability sample of {result.sample_size} "
              f"document{'s' if result.sample_size != 1 else ''}, coded by every coder.")
    for p in result.packages:
        extra = f", {p.added} new" if p.added and p.added != p.documents else ""
        print(f"  {p.coder:<12} {p.documents} documents ({p.in_sample} in the sample{extra}) → {p.path}")
    if result.unassigned_coders:
        print(f"  not listed this time (they keep what they have): {', '.join(result.unassigned_coders)}")
    return 0


def cmd_merge(ns: argparse.Namespace) -> int:
    from app.services.project import Project
    from app.services.study.merge import MergeRefused, accept_proposals, merge_files, pending_proposals

    with Project.open(ns.project) as master:
        bar = ProgressLine(2 * len(ns.files), "merging")
        try:
            results = merge_files(master, ns.files, progress=lambda k, n, what: bar.update(k, what))
        except MergeRefused as exc:
            bar.close()
            for line in exc.problems:
                print(f"claimcoder: {line}", file=sys.stderr)
            if len(exc.problems) > 1:
                print(f"claimcoder: {exc.message}", file=sys.stderr)
            return 1
        finally:
            bar.close()
        for r in results:
            print(f"{r.source} ({r.coder}): {r.added} added, {r.updated} updated, {r.deleted} deleted, "
                  f"{r.unchanged} unchanged; {r.statuses} document status{'es' if r.statuses != 1 else ''} changed")
        if ns.accept_actors:
            added = accept_proposals(master)
            if added:
                print(f"Added {len(added)} actor{'s' if len(added) != 1 else ''} to the list: {', '.join(added)}")
        pending = pending_proposals(master)
    if pending:
        print(f"{len(pending)} actor{'s' if len(pending) != 1 else ''} used by coders but not in the actor list "
              "(accept them with --accept-actors, or add or map them in the actor list):")
        for p in pending:
            print(f"  {p['name']}  (proposed by {', '.join(p['coders'])})")
    return 0


def _overlap(ns: argparse.Namespace) -> None:
    from app.cli.main import UsageError

    if not 0 < ns.min_overlap <= 1:
        raise UsageError(f"--min-overlap must be above 0 and at most 1 (got {ns.min_overlap})")


def cmd_status(ns: argparse.Namespace) -> int:
    from app.cli.outputs import open_to_read
    from app.services.study.status import render_text, study_status

    _overlap(ns)
    master = open_to_read(ns.project)  # the window may have it open: status only reads
    with master:
        data = study_status(master, min_overlap=ns.min_overlap)
    if ns.format == "json":
        _print_json(data)
    else:
        sys.stdout.write(render_text(data))
    return 0


def cmd_adjudicate(ns: argparse.Namespace) -> int:
    from app.cli.main import UsageError
    from app.services.project import Project
    from app.services.study.adjudicate import auto_adjudicate

    _overlap(ns)
    if ns.min_coders is not None and ns.min_coders < 1:
        raise UsageError("--min-coders must be at least 1")
    if ns.min_coders is not None and ns.auto != "majority":
        raise UsageError("--min-coders goes with --auto majority")
    with Project.open(ns.project) as master:
        r = auto_adjudicate(master, ns.auto, min_coders=ns.min_coders, min_overlap=ns.min_overlap,
                            adjudicator=ns.adjudicator)
    how = ", ".join(f"{n} {d}" for d, n in sorted(r.by_decision.items()))
    print(f"{r.n_units} units in {r.documents} sample documents finished by every coder: {r.decided_now} decided now"
          f"{' (' + how + ')' if how else ''}, {r.already} decided before, {r.open} left open.")
    if r.open:
        print("Decide the open units in the window: Tools → Adjudicate…")
    return 0


def cmd_export_dataset(ns: argparse.Namespace) -> int:
    """``export MASTER --dataset``; also where ``export`` without ``--coder`` lands."""
    from app.cli.main import UsageError
    from app.cli.outputs import default_output, open_to_read
    from app.services.study.dataset import export_dataset

    if not ns.dataset:
        raise UsageError("give --coder NAME (one coder's work) or --dataset (the study's dataset)")
    if ns.coder:
        raise UsageError("--dataset takes every coder's work; leave out --coder")
    out: Path | None = ns.output
    fmt = ns.format or ("csv" if out is not None and out.suffix.lower() == ".csv" else "json")
    if out is None:
        out = default_output(ns.project, "dataset", fmt, fallback="study")
    with open_to_read(ns.project) as master:
        written = export_dataset(master, out, fmt)
    for doc in written.left_out[:20]:
        print(f"claimcoder: left out '{doc.title[:60]}' ({', '.join(doc.coders)}): {doc.reason}", file=sys.stderr)
    if len(written.left_out) > 20:
        print(f"claimcoder: … and {len(written.left_out) - 20} more documents left out", file=sys.stderr)
    extra = f"; {len(written.left_out)} left out (listed above)" if written.left_out else ""
    if written.not_coded:
        extra += f"; {written.not_coded} not coded yet"
    print(f"Wrote {out}: {written.statements} statements in {written.documents} documents ({fmt.upper()}){extra}.")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "assign": cmd_assign, "merge": cmd_merge, "status": cmd_status, "adjudicate": cmd_adjudicate}


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
