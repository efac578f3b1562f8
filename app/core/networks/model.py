"""A computed network: nodes, weighted ties and what went into them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class Network:
    """One network (one time window, or the whole range).

    One-mode: nodes ``labels``; ties ``src < dst`` (undirected), each listed once.
    Two-mode: row nodes ``labels`` and column nodes ``col_labels``; ``src`` indexes ``labels``,
    ``dst`` indexes ``col_labels``. Ties of weight 0 are not listed (their cell is 0).
    """

    mode: str
    labels: list[str]
    col_labels: list[str]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    statements: np.ndarray  # per row node: entering statements (after duplicates)
    col_statements: np.ndarray  # per column node (two-mode)
    n_statements: int
    window: tuple[date, date] | None = None  # [start, end)
    polarisation: dict[str, Any] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return len(self.labels) + (len(self.col_labels) if self.mode == "two-mode" else 0)

    @property
    def n_edges(self) -> int:
        return len(self.weight)

    def matrix(self) -> np.ndarray:
        """The dense matrix (rows × rows, or rows × cols); for small networks and tests."""
        if self.mode == "one-mode":
            m = np.zeros((len(self.labels), len(self.labels)))
            m[self.src, self.dst] = self.weight
            m[self.dst, self.src] = self.weight
        else:
            m = np.zeros((len(self.labels), len(self.col_labels)))
            m[self.src, self.dst] = self.weight
        return m

    def window_label(self) -> str:
        if self.window is None:
            return ""
        start, end = self.window
        return f"{start.isoformat()}/{end.isoformat()}"
