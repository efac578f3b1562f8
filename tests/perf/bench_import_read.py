#!/usr/bin/env python
"""Reading speed of the importers, without the database: the reading share of the import target.

    .venv/bin/python tests/perf/bench_import_read.py            # 10,000 text files of ~3,000 characters
    .venv/bin/python tests/perf/bench_import_read.py --n 2000   # fewer

The brief allows 10 s for importing 10,000 text files including storing; reading should stay
under ~3 s of that. Also measured: the same articles as one CSV, as a ZIP of text files, and 200
files in legacy encodings (the charset-normalizer path), and the peak memory of reading, which
must not grow with the number of files (results are yielded one at a time).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.io.readers import plan_inputs, read_inputs  # noqa: E402

WORDS = (
    "the president said peacekeeping contingent ceasefire minister mission refugees region government "
    "Außenministerin Flüchtlinge président déclaré Путин заявил миротворцы перемирие «guarantor» — 2023"
).split()


def article(rng: random.Random, n: int) -> str:
    title = f"Article {n}: " + " ".join(rng.choices(WORDS, k=6))
    paragraphs = [" ".join(rng.choices(WORDS, k=95)) + "." for _ in range(4)]
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def timed(label: str, run: Callable[[], int], budget: float | None = None) -> float:
    """Time one untraced run, then trace a second for the peak (tracing halves the speed)."""
    start = time.perf_counter()
    count = run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    verdict = "" if budget is None else ("  OK" if seconds <= budget else f"  OVER {budget:.1f} s")
    print(f"{label:<44} {count:>7,} docs {seconds:7.2f} s  peak {peak:6.1f} MB{verdict}")
    return seconds


def count_docs(paths: list[Path]) -> int:
    total = 0
    for result in read_inputs(paths):
        if result.error:
            raise SystemExit(f"{result.origin}: {result.error}")
        total += len(result.documents)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(1)
    texts = [article(rng, i) for i in range(args.n)]
    print(f"{args.n:,} articles, {sum(map(len, texts)) / len(texts):,.0f} characters on average")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "articles"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        legacy = root / "legacy"
        legacy.mkdir()
        for i, text in enumerate(texts[:200]):
            encoding = "cp1251" if i % 2 else "cp1252"
            (legacy / f"{i:03d}.txt").write_bytes(text.encode(encoding, "replace"))
        with (root / "all.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "title"])
            writer.writerows([text, f"T{i}"] for i, text in enumerate(texts))
        with zipfile.ZipFile(root / "all.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for i, text in enumerate(texts):
                archive.writestr(f"a/{i:05d}.txt", text)

        start = time.perf_counter()
        planned = len(plan_inputs([folder, root / "all.zip"]))
        print(f"{'plan (folder + zip)':<44} {planned:>7,} items {time.perf_counter() - start:7.2f} s")
        budget = 3.0 * args.n / 10_000
        timed("text files, UTF-8", lambda: count_docs([folder]), budget)
        timed("one CSV", lambda: count_docs([root / "all.csv"]), budget)
        timed("one ZIP of text files", lambda: count_docs([root / "all.zip"]), budget)
        timed("200 text files, cp1251/cp1252 (detection)", lambda: count_docs([legacy]))


if __name__ == "__main__":
    main()
