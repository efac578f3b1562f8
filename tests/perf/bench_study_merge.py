#!/usr/bin/env python
"""Benchmark of the study loop: merge of 3 packages × 100,000 statements (target ≤ 10 s) and
auto-adjudication of a 20% reliability sample (target ≤ 5 s).

    .venv/bin/python tests/perf/bench_study_merge.py                 # full size
    .venv/bin/python tests/perf/bench_study_merge.py --statements 20000 --docs 2000   # quick

Setup (not measured): a master of DOCS synthetic articles, ``assign`` to three coders with a 20%
sample, then each package filled with STATEMENTS statements by SQL Core (the sample documents'
spans shared across coders with jitter and value noise, so adjudication has real work), every
document marked done. Measured: ``merge`` of the three packages into the master (first merge and
an idempotent re-merge), ``adjudicate --auto unanimous`` and ``--auto majority`` over the sample.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from app.core.domain import NewDocument  # noqa: E402
from app.core.study import SampleSpec  # noqa: E402
from app.core.text import normalize_text, sha256_text  # noqa: E402
from app.services.project import Project  # noqa: E402
from app.services.study.assign import assign  # noqa: E402
from app.services.study.common import study_store  # noqa: E402
from app.services.study.merge import merge_files  # noqa: E402
from app.store.models import DocumentStatusRow, StatementRow  # noqa: E402
from tests.perf.synthetic import _spans, article_text, entity_names  # noqa: E402

CODERS = ["ana", "ben", "cem"]
STANCES = ["oppose", "neutral", "support"]
TYPES = ["assertion", "evaluation", "demand", "prediction", "commitment", "accusation"]


def build(folder: Path, n_docs: int, per_coder: int) -> tuple[Path, list[Path], int]:
    rng = random.Random(7)
    people = entity_names(400, rng)
    master_path = folder / "master.ccdb"
    with Project.create(master_path, name="Benchmark study") as master:
        docs = []
        for i in range(n_docs):
            text = normalize_text(article_text(i, rng, people))
            docs.append((NewDocument(text=text, title=f"Article {i}"), sha256_text(text)))
            if len(docs) == 1000:
                master.add_documents(docs)
                docs = []
        master.add_documents(docs)
        for name in people[:200]:
            master.add_entity(name, "person")
        out = folder / "packages"
        out.mkdir()
        assign(master, CODERS, SampleSpec(share=0.2), out, seed=1)
        handed = study_store(master).handed()
        ids = {c.id: c.name for c in master.coders()}
        lengths = {i: n for i, _, n, _, _, _ in study_store(master).document_infos()}
    sample = sorted({d for d, _, s, _ in handed if s})
    truth = {}
    for d in sample:  # shared spans and values on the sample
        base = _spans(lengths[d], 25, rng)
        truth[d] = [(s, e, rng.choice(people[:200]), rng.choice(STANCES), rng.choice(TYPES)) for s, e in base]
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    paths = []
    total = 0
    for coder_id, name in ids.items():
        mine = [d for d, c, _, _ in handed if c == coder_id]
        per_doc = -(-per_coder // len(mine))  # enough per document to reach per_coder
        rows: list[dict[str, object]] = []
        for d in mine:
            if d in truth:
                spans = [(s, e, sp, st, ty) for s, e, sp, st, ty in truth[d][:per_doc]]
            else:
                spans = [(s, e, rng.choice(people), rng.choice(STANCES), rng.choice(TYPES))
                         for s, e in _spans(lengths[d], per_doc, rng)]
            for s, e, sp, st, ty in spans:
                if len(rows) >= per_coder:
                    break
                if d in truth and rng.random() < 0.1:
                    s = max(0, s + rng.randrange(-5, 6))
                values = {"speaker": sp if rng.random() < 0.9 else rng.choice(people),
                          "stance": st if rng.random() < 0.85 else rng.choice(STANCES),
                          "claim_type": ty if rng.random() < 0.8 else rng.choice(TYPES)}
                stamp = now + timedelta(seconds=len(rows))
                rows.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "document_id": d,
                             "coder_id": coder_id, "start": s, "end": e, "values": values, "note": "",
                             "created_at": stamp, "updated_at": stamp})
        path = out / f"{name}.ccdb"
        with Project.open(path) as pkg:
            engine = pkg.store.engine
            with engine.begin() as conn:
                for k in range(0, len(rows), 20000):
                    conn.execute(insert(StatementRow), rows[k : k + 20000])
                conn.execute(insert(DocumentStatusRow), [
                    {"document_id": d, "coder_id": coder_id, "status": "done", "updated_at": now} for d in mine])
        print(f"  package {name}: {len(mine)} documents, {len(rows)} statements", file=sys.stderr)
        paths.append(path)
        total += len(rows)
    return master_path, paths, total


def timed(label: str, fn, target: float | None = None):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    verdict = "" if target is None else ("  ok" if dt <= target else f"  SLOWER than {target:g} s")
    print(f"{label:<58} {dt:7.2f} s (CPU {cpu:.2f} s){verdict}")
    return dt, out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=10_000, help="articles in the master (default 10,000)")
    p.add_argument("--statements", type=int, default=100_000, help="statements per package (default 100,000)")
    p.add_argument("--folder", type=Path, default=None, help="work here instead of a temporary folder")
    ns = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="claimcoder-bench-study-") as tmp:
        folder = ns.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if hasattr(os, "getloadavg"):  # a shared machine: say how busy it was
            print("load average before: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        t0 = time.perf_counter()
        master_path, packages, total = build(folder, ns.docs, ns.statements)
        print(f"setup: {ns.docs} documents, 3 packages in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        failed = False
        with Project.open(master_path) as master:
            dt, results = timed(f"merge 3 packages × {ns.statements:,} statements",
                                lambda: merge_files(master, packages), 10.0)
            failed |= dt > 10.0
            assert sum(r.added for r in results) == total, ([r.added for r in results], total)
            timed("re-merge the same packages (nothing changes)", lambda: merge_files(master, packages))
            try:
                from app.services.study.adjudicate import auto_adjudicate
            except ImportError:
                return int(failed)
            dt, res = timed("adjudicate --auto unanimous (20% sample)",
                            lambda: auto_adjudicate(master, "unanimous"), 5.0)
            failed |= dt > 5.0
            print(f"  {res.n_units} units, {res.decided_now} decided, {res.open} open")
            dt, res = timed("adjudicate --auto majority (the rest of the sample)",
                            lambda: auto_adjudicate(master, "majority"), 5.0)
            failed |= dt > 5.0
            print(f"  {res.n_units} units, {res.decided_now} decided, {res.open} open")
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
