"""Network files people open: GraphML, GEXF, a CSV matrix, an edge list + node table, UCINET DL
and JSON. GraphML and GEXF go through networkx (no hand-written XML).

Gephi rejects GraphML whose attribute keys are declared twice with different types, or whose
values do not parse as the declared type; so every node attribute gets one type across all
nodes (bool, int, float or, when mixed, text), text attributes are "" where a node has none, and
nothing is ever None.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

import networkx as nx
import numpy as np

from app.core.export_model import atomic_output
from app.core.networks.build import NetworkSet
from app.core.networks.descriptives import describe, node_degree_strength
from app.core.networks.model import Network
from app.io.csv_safe import safe_cell

FORMATS = ("graphml", "gexf", "csv", "edgelist", "dl", "json")
SUFFIX = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv", "edgelist": ".csv", "dl": ".dl", "json": ".json"}
OURS = ("label", "mode", "statements", "degree", "strength", "bipartite")

NodeInfo = Mapping[str, Mapping[str, Any]]  # label → attributes (kind, country …) from the actor list


def node_ids(net: Network) -> tuple[list[str], list[str]]:
    """Node ids: the labels; in a two-mode network whose row and column labels overlap
    (speaker × target), prefixed with the variable so that each node is one id."""
    if net.mode == "one-mode" or not set(net.labels) & set(net.col_labels):
        return list(net.labels), list(net.col_labels)
    return [f"row:{x}" for x in net.labels], [f"col:{x}" for x in net.col_labels]


def _clean_attributes(labels: Sequence[str], info: NodeInfo) -> dict[str, dict[str, Any]]:
    """One type per attribute across nodes; "" for text a node lacks; lists and mappings as JSON."""
    keys: dict[str, set[type]] = {}
    for lab in labels:
        for k, v in info.get(lab, {}).items():
            if v is not None:
                keys.setdefault(k, set()).add(type(v))
    kinds: dict[str, type] = {}
    for k, types in keys.items():
        if types <= {bool}:
            kinds[k] = bool
        elif types <= {int}:
            kinds[k] = int
        elif types <= {int, float}:
            kinds[k] = float
        else:
            kinds[k] = str
    out: dict[str, dict[str, Any]] = {}
    for lab in labels:
        attrs: dict[str, Any] = {}
        for k, kind in kinds.items():
            name = k if k not in OURS else f"attr_{k}"
            v = info.get(lab, {}).get(k)
            if v is None:
                if kind is str:
                    attrs[name] = ""
                continue
            if kind is str:
                attrs[name] = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)
            else:
                attrs[name] = kind(v)
        out[lab] = attrs
    return out


def to_networkx(net: Network, info: NodeInfo, rows_key: str, cols_key: str) -> nx.Graph:
    g = nx.Graph()
    rid, cid = node_ids(net)
    degree, strength = node_degree_strength(net)
    attrs = _clean_attributes(net.labels, info)
    for n, (node, lab) in enumerate(zip(rid, net.labels)):
        g.add_node(node, label=lab, mode=rows_key, statements=int(net.statements[n]),
                   degree=int(degree[n]), strength=float(strength[n]), **attrs[lab])
        if net.mode == "two-mode":
            g.nodes[node]["bipartite"] = 0
    if net.mode == "two-mode":
        cattrs = _clean_attributes(net.col_labels, info)
        off = len(net.labels)
        for n, (node, lab) in enumerate(zip(cid, net.col_labels)):
            g.add_node(node, label=lab, mode=cols_key, statements=int(net.col_statements[n]),
                       degree=int(degree[off + n]), strength=float(strength[off + n]), bipartite=1, **cattrs[lab])
    targets = rid if net.mode == "one-mode" else cid
    g.add_weighted_edges_from(zip((rid[s] for s in net.src.tolist()), (targets[d] for d in net.dst.tolist()),
                                  net.weight.tolist()))
    return g


def write_graphml(path: Path, net: Network, info: NodeInfo, rows_key: str, cols_key: str) -> None:
    g = to_networkx(net, info, rows_key, cols_key)
    with atomic_output(path, encoding=None) as fh:
        nx.write_graphml_xml(g, fh, encoding="utf-8", prettyprint=True)


def _inclusive_slots(nets: Sequence[Network]) -> list[tuple[str, str]]:
    """Non-overlapping date intervals for a timeline: window i shows from its start to the day
    before window i+1 starts (the last to the day before its end)."""
    out = []
    for n, net in enumerate(nets):
        assert net.window is not None
        start, end = net.window
        nxt = nets[n + 1].window[0] if n + 1 < len(nets) else end  # type: ignore[index]
        last = max(start, min(end, nxt) - timedelta(days=1))
        out.append((start.isoformat(), last.isoformat()))
    return out


def write_gexf(path: Path, nets: Sequence[Network], info: NodeInfo, rows_key: str, cols_key: str) -> None:
    """One static network, or a dynamic graph with one time slot per window: nodes and ties
    carry ``spells`` for the windows they are in, and ties a dynamic ``window_weight``; the
    static ``weight`` is the sum over windows."""
    if len(nets) == 1 and nets[0].window is None:
        g = to_networkx(nets[0], info, rows_key, cols_key)
    else:
        g = nx.Graph(mode="dynamic")
        slots = _inclusive_slots(nets)
        for net, (start, last) in zip(nets, slots):
            h = to_networkx(net, info, rows_key, cols_key)
            for node, data in h.nodes(data=True):
                if node not in g:
                    g.add_node(node, **{k: v for k, v in data.items() if k not in ("statements", "degree", "strength")},
                               spells=[], window_statements=[])
                g.nodes[node]["spells"].append((start, last))
                g.nodes[node]["window_statements"].append((int(data["statements"]), start, last))
            for a, b, data in h.edges(data=True):
                if not g.has_edge(a, b):
                    g.add_edge(a, b, weight=0.0, spells=[], window_weight=[])
                e = g.edges[a, b]
                e["weight"] += float(data["weight"])
                e["spells"].append((start, last))
                e["window_weight"].append((float(data["weight"]), start, last))
    with atomic_output(path, encoding=None) as fh:
        nx.write_gexf(g, fh, encoding="utf-8", prettyprint=True, version="1.2draft")


def window_dates(net: Network) -> list[str]:
    """A window as (first day, last day), both included: what every file shows."""
    if net.window is None:
        return []
    return [net.window[0].isoformat(), (net.window[1] - timedelta(days=1)).isoformat()]


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def write_matrix_csv(fh: IO[str], net: Network) -> None:
    """Contract 7: a header of an empty cell and the column labels, then one row per node."""
    cols = net.labels if net.mode == "one-mode" else net.col_labels
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["", *(safe_cell(c) for c in cols)])
    for lab, row in zip(net.labels, _dense_rows(net)):
        w.writerow([safe_cell(lab), *map(_number, row)])


def _dense_rows(net: Network):  # type: ignore[no-untyped-def]
    """Matrix rows one at a time (a 10,000-actor matrix is never held whole)."""
    ncols = len(net.labels) if net.mode == "one-mode" else len(net.col_labels)
    if net.mode == "one-mode":
        src = np.concatenate([net.src, net.dst])
        dst = np.concatenate([net.dst, net.src])
        wt = np.concatenate([net.weight, net.weight])
    else:
        src, dst, wt = net.src, net.dst, net.weight
    order = np.argsort(src, kind="stable")
    src, dst, wt = src[order], dst[order], wt[order]
    bounds = np.searchsorted(src, np.arange(len(net.labels) + 1))
    for r in range(len(net.labels)):
        row = np.zeros(ncols)
        a, b = bounds[r], bounds[r + 1]
        row[dst[a:b]] = wt[a:b]
        yield row.tolist()


def write_dl(fh: IO[str], net: Network) -> None:
    """UCINET DL, full matrix with row and column labels (quoted)."""
    def q(s: str) -> str:
        return '"' + s.replace('"', "'") + '"'
    if net.mode == "one-mode":
        fh.write(f"DL N={len(net.labels)}\nFORMAT = FULLMATRIX DIAGONAL PRESENT\nLABELS:\n")
        fh.write("\n".join(q(x) for x in net.labels) + "\n")
    else:
        fh.write(f"DL NR={len(net.labels)}, NC={len(net.col_labels)}\nFORMAT = FULLMATRIX\nROW LABELS:\n")
        fh.write("\n".join(q(x) for x in net.labels) + "\nCOLUMN LABELS:\n")
        fh.write("\n".join(q(x) for x in net.col_labels) + "\n")
    fh.write("DATA:\n")
    for row in _dense_rows(net):
        fh.write(" ".join(map(_number, row)) + "\n")


def write_edgelist(edges_path: Path, nodes_path: Path, nets: Sequence[Network], info: NodeInfo,
                   rows_key: str, cols_key: str) -> None:
    """``edges_path``: source, target, weight (and window_start, window_end with windows);
    ``nodes_path``: id, label, mode, statements, degree, strength and the actor attributes
    (with windows: one row per node and window)."""
    windowed = any(n.window is not None for n in nets)
    with atomic_output(edges_path) as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["source", "target", "weight"] + (["window_start", "window_end"] if windowed else []))
        for net in nets:
            rid, cid = node_ids(net)
            targets = rid if net.mode == "one-mode" else cid
            extra = window_dates(net)
            for s, d, wt in zip(net.src.tolist(), net.dst.tolist(), net.weight.tolist()):
                w.writerow([safe_cell(rid[s]), safe_cell(targets[d]), _number(wt), *extra])
    with atomic_output(nodes_path) as fh:
        w = csv.writer(fh, lineterminator="\n")
        header: list[str] | None = None
        for net in nets:
            g = to_networkx(net, info, rows_key, cols_key)
            for node, data in g.nodes(data=True):
                data = dict(data)
                data.pop("bipartite", None)
                if header is None:
                    header = ["id", *data.keys()] + (["window_start", "window_end"] if windowed else [])
                    w.writerow(header)
                extra = window_dates(net)
                w.writerow([safe_cell(node), *(safe_cell(v) for v in data.values()), *extra])
        if header is None:
            w.writerow(["id", "label", "mode", "statements", "degree", "strength"])


def network_json(ns: NetworkSet, info: NodeInfo, source: str) -> dict[str, Any]:
    res = ns.options
    out: dict[str, Any] = {
        "format": "claimcoder-network", "format_version": 1, "source": source, "options": res.describe(),
        "statements": {"read": ns.n_input, "incomplete": ns.n_incomplete, "excluded": ns.n_excluded,
                       "undated": ns.n_undated, "outside_dates": ns.n_outside},
        "networks": [],
    }
    for net in ns.networks:
        rid, cid = node_ids(net)
        targets = rid if net.mode == "one-mode" else cid
        g = to_networkx(net, info, res.rows.key, res.cols.key)
        desc = describe(net, per_node=False)
        out["networks"].append({
            "window": dict(zip(("start", "end"), window_dates(net))) or None,
            "descriptives": desc,
            "nodes": [{"id": node, **data} for node, data in g.nodes(data=True)],
            "edges": [{"source": rid[s], "target": targets[d], "weight": wt}
                      for s, d, wt in zip(net.src.tolist(), net.dst.tolist(), net.weight.tolist())],
        })
    return out


def write_json(fh: IO[str], ns: NetworkSet, info: NodeInfo, source: str) -> None:
    json.dump(network_json(ns, info, source), fh, indent=1, ensure_ascii=False)
    fh.write("\n")


def text_of(writer: Any, *args: Any) -> str:
    buf = io.StringIO()
    writer(buf, *args)
    return buf.getvalue()


def window_suffix(net: Network) -> str:
    return f"-{net.window[0].isoformat()}" if net.window else ""


__all__ = ["FORMATS", "SUFFIX", "network_json", "to_networkx", "write_dl", "write_edgelist", "write_gexf",
           "write_graphml", "write_json", "write_matrix_csv"]
