"""A network laid out for a picture, with no Qt: the window paints it and the SVG writer writes it.

- Layout: networkx's force-directed ``spring_layout`` with a fixed seed (the same picture on
  every run), on the union of all windows so a node keeps its place as the slider moves.
  Positive ties attract; negative ties do not (so opponents drift apart).
- Nodes: area proportional to statements; colour by an actor attribute (a qualitative palette
  that stays readable in print, Okabe–Ito); at most :data:`MAX_NODES` (the most active) are drawn.
- Ties: width by |weight|; positive blue, negative vermilion; the strongest drawn last (on top).
- Labels: the most active :data:`MAX_LABELS` nodes, so the picture stays readable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from app.core.networks.model import Network

MAX_NODES = 300  # below networkx's 500-node switch to a scipy-based layout; a slide holds no more
MAX_LABELS = 40
TIES_PER_NODE = 3  # a denser network shows only its strongest ties (a hairball says nothing)
SEED = 16
WIDTH, HEIGHT = 1100.0, 720.0
LEGEND = 210.0  # the right-hand column holds the legend, never over a node
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
OTHER = "#9a9a9a"
POSITIVE = "#2f6db5"
NEGATIVE = "#d1495b"


@dataclass(frozen=True, slots=True)
class NodeMark:
    label: str
    x: float
    y: float
    radius: float
    colour: str
    group: str
    show_label: bool
    statements: int


@dataclass(frozen=True, slots=True)
class TieMark:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    colour: str
    weight: float


@dataclass(frozen=True, slots=True)
class Drawing:
    nodes: list[NodeMark]
    ties: list[TieMark]
    legend: list[tuple[str, str]]  # (group, colour)
    title: str
    note: str  # e.g. "the 300 most active of 2,431 actors"
    width: float = WIDTH
    height: float = HEIGHT
    signed: bool = False


def _key(net: Network, idx: int) -> str:
    return net.labels[idx] if idx < len(net.labels) else "\x00col:" + net.col_labels[idx - len(net.labels)]


def _all_labels(net: Network) -> list[str]:
    return list(net.labels) + (["\x00col:" + c for c in net.col_labels] if net.mode == "two-mode" else [])


def layout(nets: Sequence[Network], *, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Positions in [0, WIDTH] × [0, HEIGHT] for the most active nodes of all ``nets``."""
    activity: dict[str, float] = {}
    g = nx.Graph()
    for net in nets:
        counts = np.concatenate([net.statements, net.col_statements]) if net.mode == "two-mode" else net.statements
        for lab, c in zip(_all_labels(net), counts.tolist()):
            activity[lab] = activity.get(lab, 0.0) + c
    keep = set(sorted(activity, key=lambda k: (-activity[k], k))[:MAX_NODES])
    g.add_nodes_from(sorted(keep))
    top = max((float(np.abs(n.weight).max()) for n in nets if len(n.weight)), default=1.0) or 1.0
    for net in nets:
        off = len(net.labels) if net.mode == "two-mode" else 0
        strong = _strongest(net)
        for s, d, w in zip(net.src[strong].tolist(), net.dst[strong].tolist(), net.weight[strong].tolist()):
            a, b = _key(net, s), _key(net, d + off)
            if a in keep and b in keep and w > 0:
                old = g.edges[a, b]["weight"] if g.has_edge(a, b) else 0.0
                g.add_edge(a, b, weight=old + w / top)
    if not len(g):
        return {}
    raw = _packed(g, seed)
    xy = np.array([raw[n] for n in g.nodes])
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    box_w, box_h = WIDTH - LEGEND - 60.0 - 150.0, HEIGHT - 150.0  # room for title, labels, legend
    scale = min(box_w / span[0], box_h / span[1])  # one scale for both axes: no stretched picture
    x0 = 60.0 + (box_w - span[0] * scale) / 2
    y0 = 90.0 + (box_h - span[1] * scale) / 2
    return {n: (x0 + (x - lo[0]) * scale, y0 + (y - lo[1]) * scale) for n, (x, y) in zip(g.nodes, xy)}


def _packed(g: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Each connected component laid out on its own, in a box whose area grows with its size,
    the boxes packed in shelves (largest first) and isolates in rows below: a spring layout of
    the whole graph would push small components to the corners."""
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    groups = [c for c in comps if len(c) > 1]
    singles = [c[0] for c in comps if len(c) == 1]
    sides = [math.sqrt(len(c)) for c in groups]
    row_width = max([*sides, math.sqrt(sum(x * x for x in sides)) * 1.5, math.sqrt(len(singles)) * 0.6, 1.0])
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for comp, side in zip(groups, sides):
        if x > 0 and x + side > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        sub = g.subgraph(comp)
        pos = nx.spring_layout(sub, k=1.0 / math.sqrt(len(sub)), seed=seed, iterations=150, weight="weight")
        pts = np.array([pos[n] for n in comp])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        rng = np.where(hi - lo > 0, hi - lo, 1.0)
        inner = side * 0.7
        for n, (px, py) in zip(comp, pts):
            out[n] = (x + side * 0.15 + (px - lo[0]) / rng[0] * inner, y + side * 0.15 + (py - lo[1]) / rng[1] * inner)
        x += side + 0.4
        row_h = max(row_h, side)
    y += row_h + (0.5 if groups else 0.0)
    per_row = max(1, int(row_width / 0.6))
    for n, name in enumerate(singles):
        out[name] = ((n % per_row) * 0.6 + 0.3, y + (n // per_row) * 0.6)
    return out


def _strongest(net: Network) -> np.ndarray:
    """Indices of the ties worth drawing: all, or the TIES_PER_NODE × nodes strongest by |weight|
    (ties equal in strength are taken in (src, dst) order, so the choice is reproducible)."""
    limit = int(TIES_PER_NODE * max(net.n_nodes, 1))
    if len(net.weight) <= limit:
        return np.arange(len(net.weight))
    order = np.lexsort((np.arange(len(net.weight)), -np.abs(net.weight)))
    return np.sort(order[:limit])


def group_colours(groups: Sequence[str]) -> dict[str, str]:
    """The most frequent groups get the palette, in order; the rest share grey."""
    freq: dict[str, int] = {}
    for g in groups:
        freq[g] = freq.get(g, 0) + 1
    ranked = sorted((g for g in freq if g), key=lambda g: (-freq[g], g))
    colours = {g: PALETTE[n] for n, g in enumerate(ranked[: len(PALETTE)])}
    colours.setdefault("", OTHER)
    return {g: colours.get(g, OTHER) for g in freq}


def draw(net: Network, positions: Mapping[str, tuple[float, float]], info: Mapping[str, Mapping[str, Any]],
         colour_by: str | None, *, title: str = "") -> Drawing:
    labels = _all_labels(net)
    counts = (np.concatenate([net.statements, net.col_statements]) if net.mode == "two-mode" else net.statements).tolist()
    present = [(n, lab) for n, lab in enumerate(labels) if lab in positions]
    groups: dict[str, str] = {}
    for _, lab in present:
        if lab.startswith("\x00col:"):
            groups[lab] = "(column)"
        else:
            value = info.get(lab, {}).get(colour_by) if colour_by else None
            groups[lab] = "" if value is None else str(value)
    colours = group_colours(list(groups.values()))
    most = max((counts[n] for n, _ in present), default=1) or 1
    ranked = sorted(present, key=lambda p: (-counts[p[0]], p[1]))
    labelled = {lab for _, lab in ranked[:MAX_LABELS]}
    nodes = []
    for n, lab in present:
        x, y = positions[lab]
        r = 4.0 + 14.0 * math.sqrt(counts[n] / most)
        nodes.append(NodeMark(lab.removeprefix("\x00col:"), x, y, r, colours[groups[lab]], groups[lab],
                              lab in labelled, int(counts[n])))
    off = len(net.labels) if net.mode == "two-mode" else 0
    top = float(np.abs(net.weight).max()) if len(net.weight) else 1.0
    ties = []
    strong = _strongest(net)
    for s, d, w in zip(net.src[strong].tolist(), net.dst[strong].tolist(), net.weight[strong].tolist()):
        a, b = _key(net, s), _key(net, d + off)
        if a in positions and b in positions:
            (x1, y1), (x2, y2) = positions[a], positions[b]
            ties.append(TieMark(x1, y1, x2, y2, 1.0 + 6.0 * abs(w) / top, POSITIVE if w > 0 else NEGATIVE, w))
    ties.sort(key=lambda t: abs(t.weight))
    n_all = len(labels)
    notes = []
    if len(present) < n_all:
        notes.append(f"the {len(present):,} most active of {n_all:,} nodes")
    if len(strong) < len(net.weight):
        notes.append(f"the {len(strong):,} strongest of {len(net.weight):,} ties")
    note = "showing " + " and ".join(notes) if notes else ""
    legend = [(g or "(no value)", c) for g, c in sorted(colours.items(), key=lambda gc: (gc[0] == "", gc[0]))] if colour_by else []
    return Drawing(nodes, ties, legend, title, note, signed=bool(len(net.weight) and (net.weight < 0).any()))
