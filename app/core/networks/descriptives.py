"""What a network says, in numbers a user can read beside the picture.

- nodes, ties (edges), density: ties / possible ties (n(n−1)/2 one-mode, rows × columns two-mode);
- per node: degree (number of ties), strength (sum of tie weights), statements;
- isolates: nodes without a tie;
- polarisation (one-mode with a qualifier): the conflict share — of all pairs of statements by
  two different row values on the same column value, the share of their weight that is
  conflict (|k − k′| / R) — beside the share expected if the same levels were spread at random
  (see :func:`app.core.networks.compute.conflict_share`); and, for signed ties (subtract), the
  share of the total absolute tie weight that is negative.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from app.core.networks.model import Network


def node_degree_strength(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Degree and strength of every node: row nodes first, then (two-mode) column nodes."""
    n = net.n_nodes
    if net.mode == "one-mode":
        ends = np.concatenate([net.src, net.dst])
        weights = np.concatenate([net.weight, net.weight])
    else:
        ends = np.concatenate([net.src, net.dst + len(net.labels)])
        weights = np.concatenate([net.weight, net.weight])
    degree = np.bincount(ends, minlength=n) if len(ends) else np.zeros(n, dtype=np.int64)
    strength = np.bincount(ends, weights=weights, minlength=n) if len(ends) else np.zeros(n)
    return degree, strength


def describe(net: Network, *, per_node: bool = True) -> dict[str, Any]:
    n_rows = len(net.labels)
    if net.mode == "one-mode":
        possible = n_rows * (n_rows - 1) / 2
    else:
        possible = n_rows * len(net.col_labels)
    degree, strength = node_degree_strength(net)
    w = net.weight
    out: dict[str, Any] = {
        "nodes": net.n_nodes, "edges": net.n_edges,
        "density": (net.n_edges / possible) if possible else None,
        "statements": net.n_statements,
        "isolates": int((degree == 0).sum()),
        "total_weight": float(w.sum()),
    }
    pol: dict[str, Any] = dict(net.polarisation)
    if len(w) and (w < 0).any():
        pol["negative_weight_share"] = float(-w[w < 0].sum() / np.abs(w).sum())
    out["polarisation"] = pol
    if per_node:
        labels = net.labels + (net.col_labels if net.mode == "two-mode" else [])
        counts = np.concatenate([net.statements, net.col_statements]) if net.mode == "two-mode" else net.statements
        out["per_node"] = [
            {"label": lab, "degree": int(d), "strength": float(s), "statements": int(c)}
            for lab, d, s, c in zip(labels, degree.tolist(), strength.tolist(), counts.tolist())
        ]
    return out
