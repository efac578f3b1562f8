"""``claimcoder agree``: read the exports, compute the report and write it in the chosen format.

This module is light on purpose: ``claimcoder agree`` is parsed and started from here without the
other commands (:func:`main`), worker processes start reading the files, and only then are the
statistics (numpy …) and the export models imported, while the workers read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.base import Parser, UsageError, run_handler

if TYPE_CHECKING:
    from app.core.export_model import ExportRows


def add_arguments(a: argparse.ArgumentParser) -> None:
    a.add_argument("exports", metavar="EXPORT", nargs="+", type=Path)
    a.add_argument("--min-overlap", type=float, default=0.5, metavar="X",
                   help="spans align when |A∩B|/|A∪B| ≥ X (0 < X ≤ 1; default 0.5)")
    a.add_argument("--format", choices=["text", "json", "html", "csv"], default="text")
    a.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: standard output")
    a.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap samples for the 95%% interval (0 = none)")
    a.add_argument("--seed", type=int, default=0, help="bootstrap seed (the report is reproducible)")
    a.add_argument("--no-cache", action="store_true",
                   help="read every export afresh, and keep none of them for the next run "
                        "(default: exports already read and checked are kept in the user's cache folder)")


def main(argv: Sequence[str]) -> int | None:
    """``claimcoder agree ARGV…`` parsed as the full parser would (same ``prog``, arguments and
    messages), without importing the other commands; None when ARGV holds anything this parser
    does not know (the full parser then says it in its own words)."""
    parser = Parser(prog="claimcoder agree")
    add_arguments(parser)
    try:
        ns, extra = parser.parse_known_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    if extra:
        return None
    ns.command, ns.smoke_test = "agree", False
    return run_handler("agree", cmd_agree, ns)


#: What the last run read and computed, kept from being taken apart when it returns: the program
#: ends right after it (app.main.leave), and freeing millions of objects one by one cost 0.05 s
#: for three coders' exports, 0.2 s for ten. Emptied when the next command starts.
kept_until_exit: list[object] = []


def cmd_agree(ns: argparse.Namespace) -> int:
    if len(ns.exports) < 2:
        raise UsageError("agreement needs at least two export files")
    if not 0 < ns.min_overlap <= 1:
        raise UsageError(f"--min-overlap must be above 0 and at most 1 (got {ns.min_overlap})")
    if ns.bootstrap < 0:
        raise UsageError("--bootstrap must be 0 or more")
    from app.core.export_cache import ExportCache

    cache = None if ns.no_cache else ExportCache.default()
    # a rerun (every file kept): a thread hashes them from now on, beside the imports
    hashes = None if cache is None else cache.hash_if_all_kept(ns.exports)

    from app.core.export_parallel import many_files, start_reading
    from app.core.gcpause import paused_gc
    from app.core.memory_reuse import keep_freed_memory

    many = many_files(len(ns.exports))  # enough files for the computation to take a second core
    keep_freed_memory()

    with paused_gc():
        # files the cache holds are hashed on a thread; with two other files or more (and a
        # core to spare), worker processes start reading those, while this one loads
        # the statistics (numpy …); then this one takes the kept files and reads its share
        reading = start_reading(ns.exports, cache=cache, hashes=hashes)
        try:
            try:
                import app.core.agreement  # noqa: F401
                import app.io.agreement_report  # noqa: F401

                exports = reading.result()
                kept_until_exit.append(exports)
            finally:
                reading.close()
            # with files enough, a second core shares the statistics too
            return run_agreement(ns, exports, beside=many)
        finally:
            if cache is not None:
                cache.finish()  # the entries written while the statistics were computed


def run_agreement(ns: argparse.Namespace, exports: list[ExportRows], *, beside: bool = False) -> int:
    from app import __version__
    from app.cli.progress import ProgressLine
    from app.core.agreement import compute_agreement
    from app.core.errors import ClaimcoderError
    from app.io.agreement_report import write_report

    versions = [ex.codebook.version for ex in exports]
    if len(set(versions)) > 1:  # comparable variables, but the codebook was edited in between
        shown = ", ".join(f"{p} v{v}" for p, v in zip(ns.exports, versions))
        print(f"claimcoder: note: the exports use different codebook versions ({shown})", file=sys.stderr)
    bar = ProgressLine(1, "agreement")

    def progress(step: int, total: int, what: str) -> None:
        bar.total = total
        bar.update(step, what)

    try:
        report = compute_agreement(
            exports, sources=[str(p) for p in ns.exports], min_overlap=ns.min_overlap,
            bootstrap=ns.bootstrap, seed=ns.seed, app_version=__version__, progress=progress,
            # only the csv and html reports list disagreements; building the list costs seconds
            include_disagreements=ns.format in ("csv", "html"), beside=beside,
        )
    finally:
        bar.close()
    kept_until_exit.append(report)
    if ns.output is None:
        write_report(report, ns.format, sys.stdout)
        return 0
    try:
        write_report(report, ns.format, ns.output)
    except OSError as exc:
        raise ClaimcoderError(f"{ns.output}: cannot write ({exc.strerror or exc})") from None
    n_units = report.alignment.n_units
    print(f"Wrote {ns.output}: agreement of {len(report.coders)} coders over {n_units} units "
          f"({ns.format.upper()}).", file=sys.stderr)
    return 0
