#!/usr/bin/env python
"""The network benchmark (issue 16): one-mode congruence over a million statements.

    .venv/bin/python tests/perf/bench_networks.py            # 1,000,000 statements, 10,000 actors, 2,000 concepts
    .venv/bin/python tests/perf/bench_networks.py --quick    # 100,000 statements (a smoke run)

The synthetic discourse has the shape of real claims data rather than uniform noise: 50 policy
fields with 200 actors and 40 concepts each; actor activity is Zipf-distributed (a few actors
make most statements); 95% of an actor's statements are on concepts of its own field, 5% on any
concept; each actor has a camp per field that sets its stance (support, neutral, oppose) 80% of
the time. Documents: 100,000 over 100 months. (With uniformly random concepts every pair of the
10,000 actors shares a concept and the network has 50 million ties, which no 400 MB
representation of a weighted network holds; see the README.)

Measured: building the network from the plain statement rows (encoding, counting, ties; the
rows are in memory beforehand), its peak of traced allocations (numpy reports its buffers to
tracemalloc) and the process's peak RSS; 100 monthly windows over the same data; and, on a
subset that fits, a naive dense numpy computation (an actors × concepts × levels tensor and
Σₖ Σₖ′ w(k,k′) Xₖ Xₖ′ᵀ with BLAS), whose matrix must equal ours.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.core.codebook import default_codebook  # noqa: E402
from app.core.networks.build import build_networks  # noqa: E402
from app.core.networks.compute import level_weights  # noqa: E402
from app.core.networks.data import NetworkData  # noqa: E402
from app.core.networks.options import NetworkOptions, Span, resolve  # noqa: E402

STANCES = ("oppose", "neutral", "support")


def synthetic(n_statements: int, n_actors: int, n_concepts: int, *, seed: int = 7,
              n_docs: int = 100_000, months: int = 100) -> NetworkData:
    rng = np.random.default_rng(seed)
    fields = 50
    actor_field = rng.integers(0, fields, n_actors)
    concept_field = np.arange(n_concepts) % fields
    activity = 1.0 / np.arange(1, n_actors + 1)
    rng.shuffle(activity)
    actor = rng.choice(n_actors, n_statements, p=activity / activity.sum())
    # a concept of the actor's field (Zipf within the field), or any concept
    per_field = [np.flatnonzero(concept_field == f) for f in range(fields)]
    size = min(len(p) for p in per_field)
    zipf = 1.0 / np.arange(1, size + 1)
    pick = rng.choice(size, n_statements, p=zipf / zipf.sum())
    table = np.stack([p[:size] for p in per_field])
    concept = table[actor_field[actor], pick]
    stray = rng.random(n_statements) < 0.05
    concept[stray] = rng.integers(0, n_concepts, int(stray.sum()))
    camp = rng.integers(0, 3, (n_actors, fields))
    stance = camp[actor, concept_field[concept]]
    noise = rng.random(n_statements) < 0.2
    stance[noise] = rng.integers(0, 3, int(noise.sum()))
    doc = rng.integers(0, n_docs, n_statements)
    first = date(2016, 1, 1)
    span_days = (date(2016 + months // 12, months % 12 + 1, 1) - first).days
    doc_day = rng.integers(0, span_days, n_docs)
    actors = [f"Actor {a:05d}" for a in range(n_actors)]
    concepts = [f"concept-{c:04d}" for c in range(n_concepts)]
    values = [{"speaker": actors[a], "target": concepts[c], "stance": STANCES[s]}
              for a, c, s in zip(actor.tolist(), concept.tolist(), stance.tolist())]
    doc_ids = [f"d{d}" for d in range(n_docs)]
    published = {doc_ids[d]: (first + timedelta(days=int(doc_day[d]))).isoformat() for d in range(n_docs)}
    return NetworkData(default_codebook(), values, [doc_ids[d] for d in doc.tolist()], published)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    """Best wall and CPU time of ``repeat`` plain runs, then the traced peak (MB) of one more
    (tracing slows allocation down, so it is never timed)."""
    best = cpu = float("inf")
    out = None
    for _ in range(repeat):
        out = None
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best = min(best, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    out = None
    gc.collect()
    tracemalloc.start()
    out = fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, cpu, peak, out


def dense_congruence(data: NetworkData, actors: int) -> tuple[float, np.ndarray, list[str]]:
    """The naive computation: a dense actors × concepts × levels tensor and BLAS products."""
    opts = NetworkOptions(cols="target")
    res = resolve(data.codebook, opts)
    w = level_weights(res)
    names = sorted({v["speaker"] for v in data.values})[:actors]
    pos = {n: p for p, n in enumerate(names)}
    concepts = sorted({v["target"] for v in data.values})
    cpos = {c: p for p, c in enumerate(concepts)}
    lev = {s: k for k, s in enumerate(STANCES)}
    t0 = time.perf_counter()
    x = np.zeros((3, len(names), len(concepts)))
    for v in data.values:
        p = pos.get(v["speaker"])
        if p is not None:
            x[lev[v["stance"]], p, cpos[v["target"]]] += 1
    m = sum(w[k, kk] * (x[k] @ x[kk].T) for k in range(3) for kk in range(3))
    np.fill_diagonal(m, 0.0)
    return time.perf_counter() - t0, m, names


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="100,000 statements instead of 1,000,000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dense-actors", type=int, default=2000, help="actors in the dense comparison")
    ns = ap.parse_args(argv)
    n = 100_000 if ns.quick else 1_000_000
    t0 = time.perf_counter()
    data = synthetic(n, 10_000, 2_000)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"synthetic data: {n:,} statements, 10,000 actors, 2,000 concepts ({time.perf_counter() - t0:.1f} s, not measured)")
    base_rss = peak_rss_mb()

    opts = NetworkOptions(cols="target")
    secs, cpu, peak, out = timed(lambda: build_networks(data, opts), ns.repeat)
    net = out.networks[0]  # type: ignore[attr-defined]
    print(f"one-mode congruence: {secs:.2f} s (CPU {cpu:.2f} s; target 3 s), traced peak {peak:.0f} MB (target 400 MB), "
          f"{net.n_nodes:,} nodes, {net.n_edges:,} ties; process peak RSS {peak_rss_mb():.0f} MB "
          f"(of which {base_rss:.0f} MB the rows in memory)")
    ok = secs <= 3.0 and peak <= 400

    wopts = NetworkOptions(cols="target", window=Span(1, "months"))
    wsecs, wcpu, wpeak, wout = timed(lambda: build_networks(data, wopts), ns.repeat)
    print(f"monthly windows: {len(wout.networks)} networks in {wsecs:.2f} s (CPU {wcpu:.2f} s; target 10 s), "  # type: ignore[attr-defined]
          f"traced peak {wpeak:.0f} MB")
    ok = ok and wsecs <= 10.0

    sub_actors = ns.dense_actors
    names = sorted({v["speaker"] for v in data.values})[:sub_actors]
    keep = set(names)
    idx = [i for i, v in enumerate(data.values) if v["speaker"] in keep]
    subset = NetworkData(data.codebook, [data.values[i] for i in idx], [data.document_ids[i] for i in idx],
                         data.published)
    dsecs, dense, dnames = dense_congruence(subset, sub_actors)
    osecs, _, _, sout = timed(lambda: build_networks(subset, opts), ns.repeat)
    snet = sout.networks[0]  # type: ignore[attr-defined]
    ours = np.zeros_like(dense)
    where = np.searchsorted(dnames, snet.labels)
    ours[np.ix_(where, where)] = snet.matrix()
    same = np.allclose(ours, dense)
    print(f"subset of {sub_actors:,} actors, {len(idx):,} statements: dense numpy {dsecs:.2f} s, ours {osecs:.2f} s "
          f"(ratio {dsecs / osecs:.1f}×); same matrix: {same}")
    return 0 if ok and same else 1


if __name__ == "__main__":
    raise SystemExit(main())
