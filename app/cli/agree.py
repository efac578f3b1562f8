"""``claimcoder agree``: compute the report from loaded exports and write it in the chosen format."""

from __future__ import annotations

import argparse
import sys

from app import __version__
from app.cli.progress import ProgressLine
from app.core.agreement import compute_agreement
from app.core.errors import ClaimcoderError
from app.core.export_model import ExportRows
from app.io.agreement_report import write_report


def run_agreement(ns: argparse.Namespace, exports: list[ExportRows]) -> int:
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
            include_disagreements=ns.format in ("csv", "html"),
        )
    finally:
        bar.close()
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
