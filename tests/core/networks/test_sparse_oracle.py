"""The sparse computation against the formulas written out as plain loops, on random data, with
budgets small enough that every block, chunk and merge path runs."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from app.core.networks import compute

from .helpers import build, data

STANCE = ["oppose", "neutral", "support"]
TYPES = ["demand", "evaluation", "prediction", "accusation"]


def brute(rows: list[tuple[str, str, str]], agg: str, norm: str) -> tuple[list[str], np.ndarray]:
    actors = sorted({r[0] for r in rows})
    x = {}
    for a, j, s in rows:
        x[a, j, STANCE.index(s)] = x.get((a, j, STANCE.index(s)), 0) + 1
    n = {a: sum(v for (b, _, _), v in x.items() if b == a) for a in actors}
    prof = {a: {j: sum(x.get((a, j, k), 0) for k in range(3)) for j in TYPES} for a in actors}
    m = np.zeros((len(actors), len(actors)))
    for (p, a), (q, b) in itertools.permutations(enumerate(actors), 2):
        total = 0.0
        for j in TYPES:
            for k, kk in itertools.product(range(3), repeat=2):
                d = abs(k - kk) / 2
                wt = {"ignore": 1, "congruence": 1 - d, "conflict": d, "subtract": 1 - 2 * d}[agg]
                total += x.get((a, j, k), 0) * x.get((b, j, kk), 0) * wt
        ta = sum(v * v for v in prof[a].values())
        tb = sum(v * v for v in prof[b].values())
        dot = sum(prof[a][j] * prof[b][j] for j in TYPES)
        denom = {"none": 1, "average": (n[a] + n[b]) / 2, "dna-cosine": n[a] * n[b],
                 "cosine": np.sqrt(ta * tb), "jaccard": ta + tb - dot}[norm]
        m[p, q] = total / denom
    return actors, m


@pytest.mark.parametrize("agg", ["ignore", "congruence", "conflict", "subtract"])
@pytest.mark.parametrize("norm", ["none", "average", "dna-cosine", "cosine", "jaccard"])
def test_sparse_equals_the_loops(agg: str, norm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "PAIR_BUDGET", 7)
    monkeypatch.setattr(compute, "CELL_BUDGET", 20)
    rng = random.Random(hash((agg, norm)) & 0xFFFF)
    actors = [f"a{i:02d}" for i in range(25)]
    rows = [(rng.choice(actors[: rng.randint(3, 25)]), rng.choice(TYPES), rng.choice(STANCE)) for _ in range(160)]
    labels, expected = brute(rows, agg, norm)
    net = build(data(rows), aggregation=agg, normalization=norm).networks[0]
    assert net.labels == labels
    assert np.allclose(net.matrix(), expected)
    assert (net.src < net.dst).all() and (net.weight != 0).all()
