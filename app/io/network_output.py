"""Write a network set in the asked format: which files, named how, for windows too.

One network: one file (or standard output). Windows: GEXF and JSON and the edge list hold all
windows in one file (a dynamic graph; a list; a window column); GraphML, CSV and DL write one
file per window, named after the window's first day (``net-2020-01-01.graphml``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.core.errors import ClaimcoderError
from app.core.export_model import atomic_output
from app.core.networks.build import NetworkSet
from app.io import network_files as nf


def nodes_path(edges: Path) -> Path:
    return edges.with_name(f"{edges.stem}-nodes{edges.suffix or '.csv'}")


def write_networks(ns: NetworkSet, info: nf.NodeInfo, fmt: str, out: Path | None, *, source: str = "") -> list[Path]:
    """The files written (empty when written to standard output)."""
    if fmt not in nf.FORMATS:
        raise ClaimcoderError(f"unknown network format '{fmt}' (one of {', '.join(nf.FORMATS)})")
    rows, cols = ns.options.rows.key, ns.options.cols.key
    nets = ns.networks
    windowed = ns.options.window is not None
    if out is not None and not out.parent.exists():
        raise ClaimcoderError(f"{out}: the folder {out.parent} does not exist")
    try:
        if fmt == "json":
            return _single(out, lambda fh: nf.write_json(fh, ns, info, source))
        if fmt == "gexf":
            if out is None:
                raise ClaimcoderError("--format gexf needs -o FILE")
            nf.write_gexf(out, nets, info, rows, cols)
            return [out]
        if fmt == "edgelist":
            if out is None:
                raise ClaimcoderError("--format edgelist writes two files (edges and nodes); give -o FILE.csv")
            nf.write_edgelist(out, nodes_path(out), nets, info, rows, cols)
            return [out, nodes_path(out)]
        if not nets:
            return []
        if windowed and out is None:
            raise ClaimcoderError(f"--format {fmt} with --window writes one file per window; give -o FILE")
        written = []
        for net in nets:
            target = out.with_name(f"{out.stem}{nf.window_suffix(net)}{out.suffix or nf.SUFFIX[fmt]}") if windowed and out else out
            if fmt == "graphml":
                if target is None:
                    raise ClaimcoderError("--format graphml needs -o FILE")
                nf.write_graphml(target, net, info, rows, cols)
                written.append(target)
            elif fmt == "csv":
                written += _single(target, lambda fh, net=net: nf.write_matrix_csv(fh, net))
            else:
                written += _single(target, lambda fh, net=net: nf.write_dl(fh, net))
        return written
    except PermissionError:
        raise ClaimcoderError(f"{out or 'standard output'}: permission denied") from None
    except OSError as exc:
        raise ClaimcoderError(f"{out or 'standard output'}: cannot write ({exc.strerror or exc})") from None


def _single(path: Path | None, write) -> list[Path]:  # type: ignore[no-untyped-def]
    if path is None:
        write(sys.stdout)
        return []
    with atomic_output(path) as fh:
        write(fh)
    return [path]
