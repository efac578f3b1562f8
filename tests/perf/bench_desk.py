"""Benchmark of the supervisor's desk on a big project: the actor table's counts, a merge and a
rename that rewrite statement values, a 200-actor import, and a codebook recode.

    python tests/perf/bench_desk.py [--documents 2000] [--statements 100000] [--actors 1000]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import Study, add_coding, entity_names, write_articles  # noqa: E402

from app.services.actor_import import import_actor_file  # noqa: E402
from app.services.importing import import_paths  # noqa: E402
from app.services.project import Project  # noqa: E402


def timed(label: str, results: dict[str, float], fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn()
    results[label] = round(time.perf_counter() - t0, 3)
    print(f"{label:<40} {results[label]:8.3f} s", flush=True)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--documents", type=int, default=2000)
    p.add_argument("--statements", type=int, default=100_000, help="in all, over 3 coders")
    p.add_argument("--actors", type=int, default=1000)
    ns = p.parse_args()
    import random

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        people = entity_names(ns.actors, random.Random(1))[: ns.actors]
        articles, texts = write_articles(folder / "articles", ns.documents, people=people)
        project = Project.create(folder / "bench.ccdb")
        import_paths(project, [articles])
        study = Study(folder, articles, texts, entity_names=people)
        add_coding(project, study, coders=3, entities=ns.actors, per_coder=ns.statements // 3)
        results: dict[str, float] = {}
        rows = timed("actor table rows (counts per coder)", results, project.actors.rows)
        busiest = max(rows, key=lambda r: r.total)
        second = sorted(rows, key=lambda r: r.total)[-2]
        change = timed(f"merge ({busiest.total + second.total} values)", results,
                       lambda: project.actors.merge(second.entity, busiest.entity))
        timed("undo the merge", results, lambda: project.actors.undo(change))
        timed(f"rename ({busiest.total} values)", results,
              lambda: project.actors.rename(busiest.entity, busiest.entity.name + " Jr."))
        path = folder / "actors.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["name", "kind", "aliases", "country"])
            for i in range(200):
                w.writerow([f"New Actor {i}", "person", f"NA{i}", "XX"])
        timed("import 200 new actors", results, lambda: import_actor_file(project, path))
        timed("import them again (no change)", results, lambda: import_actor_file(project, path))
        n = project.codebook_editor.counts("claim_type").get("prediction", 0)
        timed(f"recode prediction → assertion ({n})", results,
              lambda: project.codebook_editor.remove_category("claim_type", "prediction", recode_to="assertion"))
        project.close()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
