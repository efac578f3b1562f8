"""``claimcoder network`` (Contract 7): a discourse network from a project or exports."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from app.core.errors import ClaimcoderError

FORMAT_CHOICES = ("graphml", "gexf", "csv", "edgelist", "dl", "json")

EPILOG = """\
examples:
  claimcoder network study.ccdb --coder alice -o net.graphml          actors linked by shared claims (congruence)
  claimcoder network study.ccdb --dataset --aggregation subtract --normalization average -o signed.graphml
  claimcoder network alice.json --mode two-mode --cols target --format csv -o matrix.csv
  claimcoder network study.ccdb --coder gold --window 3m --step 1m --format gexf -o dynamic.gexf
  claimcoder network study.ccdb --coder alice --format edgelist -o edges.csv   (also writes edges-nodes.csv)
"""




def add_parser(sub: Any) -> None:
    n = sub.add_parser("network", help="a discourse network (GraphML, GEXF, CSV, edge list, DL, JSON)",
                       description="Build a one-mode or two-mode discourse network from coded statements "
                                   "(one coder, the gold coder or the dataset; never several coders pooled "
                                   "unless --pool-coders). Formulas: see the README, 'From statements to networks'.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    n.add_argument("inputs", metavar="INPUT", nargs="+", help="a project, or export / dataset JSON files")
    who = n.add_mutually_exclusive_group()
    who.add_argument("--coder", metavar="NAME", help="whose statements (a project needs --coder or --dataset)")
    who.add_argument("--dataset", action="store_true", help="the final dataset: gold where adjudicated, else the one coder")
    n.add_argument("--pool-coders", action="store_true", help="allow exports of different coders together (counts shared statements once per coder)")
    n.add_argument("--mode", default="one-mode", metavar="one-mode|two-mode")
    n.add_argument("--rows", metavar="VAR", help="node variable (default: the first entity variable)")
    n.add_argument("--cols", metavar="VAR", help="linking/column variable (default: the next entity or category variable)")
    q = n.add_mutually_exclusive_group()
    q.add_argument("--qualifier", metavar="VAR", help="default: the first ordinal or boolean variable")
    q.add_argument("--no-qualifier", action="store_true")
    n.add_argument("--aggregation", metavar="ignore|congruence|conflict|subtract|combine")
    n.add_argument("--normalization", "--normalisation", dest="normalization", default="none",
                   metavar="none|average|jaccard|cosine|dna-cosine|activity|prominence")
    n.add_argument("--duplicates", default="all", metavar="all|document|week|month|year")
    n.add_argument("--from", dest="date_from", metavar="DATE", help="first day included (YYYY-MM-DD)")
    n.add_argument("--to", dest="date_to", metavar="DATE", help="last day included (YYYY-MM-DD)")
    n.add_argument("--window", metavar="3m", help="time windows of this width (d, w, m, y): one network per window")
    n.add_argument("--step", metavar="1m", help="move windows by this much (default: the width)")
    n.add_argument("--exclude", action="append", default=[], metavar="VAR=VALUE", help="leave these statements out; repeatable")
    n.add_argument("--isolates", action="store_true", help="every actor (or category) as a node, even without statements")
    n.add_argument("--format", choices=FORMAT_CHOICES, default=None, help="default: from the file extension, else json")
    n.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: standard output (edgelist and windows need a file)")


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _usage(f"{option} takes a date as YYYY-MM-DD (got '{text}')") from None


def _format(ns: argparse.Namespace) -> str:
    if ns.format:
        return str(ns.format)
    if ns.output is not None:
        by_suffix = {".graphml": "graphml", ".gexf": "gexf", ".csv": "csv", ".dl": "dl", ".json": "json"}
        fmt = by_suffix.get(ns.output.suffix.lower())
        if fmt:
            return fmt
    return "json"


def cmd_network(ns: argparse.Namespace) -> int:
    from app.core.networks.options import NetworkOptionError, NetworkOptions, Span, parse_exclusion

    try:
        options = NetworkOptions(
            mode=ns.mode, rows=ns.rows, cols=ns.cols, qualifier=ns.qualifier, no_qualifier=ns.no_qualifier,
            aggregation=ns.aggregation, normalization=ns.normalization, duplicates=ns.duplicates,
            date_from=_date(ns.date_from, "--from"), date_to=_date(ns.date_to, "--to"),
            window=Span.parse(ns.window, "--window") if ns.window else None,
            step=Span.parse(ns.step, "--step") if ns.step else None,
            exclude=tuple(parse_exclusion(x) for x in ns.exclude), isolates=ns.isolates)
    except NetworkOptionError as exc:
        raise _usage(exc.message) from None
    fmt = _format(ns)
    from app.services import networks as svc

    files = [Path(p) for p in ns.inputs]
    if all(svc.is_file_input(p) for p in ns.inputs):
        loaded = svc.from_files(files, coder=ns.coder, dataset=ns.dataset, pool=ns.pool_coders)
    elif len(ns.inputs) == 1:
        if not ns.coder and not ns.dataset:
            raise _usage("a project needs --coder NAME or --dataset")
        with svc.open_for_reading(ns.inputs[0]) as project:
            loaded = svc.from_project(project, coder=ns.coder, dataset=ns.dataset)
    else:
        raise _usage("give one project, or one or more export JSON files")
    for title in loaded.left_out[:20]:
        print(f"claimcoder network: left out of the dataset: {title}", file=sys.stderr)
    if len(loaded.left_out) > 20:
        print(f"claimcoder network: … and {len(loaded.left_out) - 20} more documents left out", file=sys.stderr)

    from app.core.networks.build import build_networks
    from app.io.network_output import write_networks

    try:
        result = build_networks(loaded.data, options)
    except NetworkOptionError as exc:
        raise _usage(exc.message) from None
    written = write_networks(result, loaded.node_info, fmt, ns.output, source=loaded.data.source)
    _summary(result, written)
    return 0


def _summary(result: Any, written: list[Path]) -> None:
    nets = result.networks
    o = result.options
    what = f"{o.mode} {o.rows.key}" + (f" × {o.cols.key}" if o.mode == "two-mode" else f" through {o.cols.key}")
    if len(nets) == 1 and nets[0].window is None:
        net = nets[0]
        shape = f"{net.n_nodes} nodes, {net.n_edges} ties from {net.n_statements} statements"
    else:
        shape = f"{len(nets)} windows"
    left = [f"{n} {why}" for n, why in ((result.n_incomplete, "incomplete"), (result.n_excluded, "excluded"),
                                        (result.n_undated, "undated"), (result.n_outside, "outside the dates")) if n]
    where = f" → {', '.join(map(str, written[:3]))}{' …' if len(written) > 3 else ''}" if written else ""
    print(f"Network ({what}, {o.aggregation}, {o.normalization}): {shape}"
          f"{'; left out ' + ', '.join(left) if left else ''}{where}", file=sys.stderr)
    for note in result.notes:
        print(f"claimcoder network: {note}", file=sys.stderr)


def _usage(message: str) -> Exception:
    """A usage error (exit 2) as main's dispatch reports it; imported late, main imports us."""
    from app.cli.main import UsageError

    return UsageError(message)


HANDLERS = {"network": cmd_network}
