"""On-demand benchmark of ``compute_agreement`` (the brief: 3 coders × 100,000 statements ≤ 5 s).

Run: ``.venv/bin/python tests/perf/bench_agreement.py [--load]``. Builds three synthetic exports
in memory (10,000 documents of ~3,000 characters, 100,000 statements per coder, 1,000 distinct
speakers), times ``compute_agreement`` stage by stage (through its progress callback), and beside
it the ``krippendorff`` package on the same aligned units for one variable, and statsmodels,
scikit-learn and irrCAC for the κ and AC1 they compute (values checked against ours to 1e-9). For the speaker
variable the package's units × values × values tensor is *estimated*, not built (it would not
fit in memory). ``--load`` also writes the exports to a temporary folder and times
``load_export_rows`` (JSON parsing + validation, as the CLI reads them). Results go to ``tests/perf/results/agreement.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.core.agreement import compute_agreement  # noqa: E402
from app.core.agreement.alignment import align  # noqa: E402
from app.core.agreement.coefficients import krippendorff_alpha  # noqa: E402
from app.core.agreement.inputs import FlatStatements, coded_documents, match_documents  # noqa: E402
from app.core.agreement.values import Domain, encode  # noqa: E402
from app.core.codebook import Variable, default_codebook  # noqa: E402
from app.core.export_model import (  # noqa: E402
    CoderRef,
    Export,
    ExportDocument,
    ExportStatement,
    ProjectRef,
    dump_export,
    load_export_rows,
)
from app.core.text import sha256_text  # noqa: E402

N_DOCS, DOC_LEN, PER_DOC, N_SPEAKERS, N_CODERS = 10_000, 3_000, 10, 1_000, 3
WORDS = "the minister said that peace mission will stay because refugees need help and talks go on".split()


def build_exports(seed: int = 0, n_coders: int = N_CODERS) -> list[Export]:
    return list(iter_exports(seed, n_coders))


def iter_exports(seed: int = 0, n_coders: int = N_CODERS) -> Iterator[Export]:
    """The coders' exports one at a time (ten of them do not fit in memory together)."""
    rnd = random.Random(seed)
    codebook = default_codebook()
    stance = [c.value for c in codebook.variable("stance").categories]  # type: ignore[union-attr]
    claim = [c.value for c in codebook.variable("claim_type").categories]  # type: ignore[union-attr]
    speakers = [f"Speaker {k:04d}" for k in range(N_SPEAKERS)]
    base = " ".join(rnd.choice(WORDS) for _ in range(700))[: DOC_LEN - 12]
    docs, truth = [], []
    for d in range(N_DOCS):
        text = f"{base} [doc {d:05d}]"
        docs.append((f"doc-{d}", text, sha256_text(text)))
        for k in range(PER_DOC):
            s = k * 290 + rnd.randint(0, 40)
            truth.append((d, s, s + rnd.randint(80, 240), rnd.choice(speakers), rnd.choice(stance), rnd.choice(claim)))
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for c in range(n_coders):
        documents = [ExportDocument.model_construct(id=i, sha256=h, title=i, source="", published=None, url=None,
                                                    text=t, status="done", metadata={}) for i, t, h in docs]
        stmts = []
        for n, (d, s, e, sp, stn, cl) in enumerate(truth):
            if rnd.random() < 0.03:
                continue  # this coder missed it
            s2, e2 = max(0, s + rnd.randint(-6, 6)), e + rnd.randint(-6, 6)
            values = {
                "speaker": sp if rnd.random() < 0.9 else rnd.choice(speakers),
                "stance": stn if rnd.random() < 0.8 else rnd.choice(stance),
                "claim_type": cl if rnd.random() < 0.75 else rnd.choice(claim),
            }
            stmts.append(ExportStatement.model_construct(
                id=f"c{c}-{n:07d}", document_id=docs[d][0], start=s2, end=e2, text=docs[d][1][s2:e2],
                values=values, note="", created_at=None, updated_at=None))
        while len(stmts) < 100_000:  # top up with statements only this coder saw
            d = rnd.randrange(N_DOCS)
            s = rnd.randrange(DOC_LEN - 100)
            stmts.append(ExportStatement.model_construct(
                id=f"c{c}-x{len(stmts):07d}", document_id=docs[d][0], start=s, end=s + 60, text=docs[d][1][s:s + 60],
                values={"speaker": rnd.choice(speakers), "stance": rnd.choice(stance)}, note="",
                created_at=None, updated_at=None))
        yield Export.model_construct(
            format="claimcoder-export", format_version=1, exported_at=now, app_version="bench",
            project=ProjectRef(id="p", name="bench"), coder=CoderRef(id=f"id{c}", name=f"coder{c}"),
            codebook=codebook, entities=[], documents=documents, statements=stmts)


def aligned_codes(exports: list[Export], key: str) -> tuple[np.ndarray, Variable, Domain]:
    """The units × coders code matrix of one variable, as compute_agreement builds it."""
    columns = [e.statement_columns() for e in exports]
    coded = [coded_documents(e, cols) for e, cols in zip(exports, columns)]
    docs = [d for d in match_documents(exports, coded) if len(d.coders) >= 2]
    flat = FlatStatements(docs, coded, columns)
    a = align(flat.group, flat.coder, flat.start, flat.end, flat.ident, 0.5)
    var = exports[0].codebook.variable(key)
    assert var is not None
    codes, domain = encode(var, flat.column(key))
    matrix = np.full((a.n_units, len(exports)), -1, dtype=np.int64)
    matrix[a.unit, flat.coder] = codes
    return matrix, var, domain


def krippendorff_package(exports: list[Export], key: str) -> dict[str, object]:
    """The same aligned units, handed to the ``krippendorff`` package (or its memory estimated)."""
    import krippendorff

    matrix, var, domain = aligned_codes(exports, key)
    data = np.where(matrix >= 0, matrix, np.nan).T
    pairable = np.count_nonzero(~np.isnan(data), axis=0) >= 2
    t = time.perf_counter()
    ours = krippendorff_alpha(matrix, len(domain.values), var.level, domain.scores)
    ours_seconds = time.perf_counter() - t
    n_units, n_values = int(pairable.sum()), len(domain.values)
    tensor_bytes = n_units * n_values * n_values * 8
    out: dict[str, object] = {"variable": key, "units": n_units, "values": n_values,
                              "tensor_bytes_estimated": tensor_bytes, "ours_alpha_only_seconds": round(ours_seconds, 3),
                              "ours_alpha": ours.alpha}
    if tensor_bytes > 2 * 1024**3:
        out["seconds"] = None
        out["note"] = f"not run: its units × values × values tensor needs ≈ {tensor_bytes / 1024**3:,.0f} GiB"
        return out
    t = time.perf_counter()
    alpha = krippendorff.alpha(reliability_data=data, value_domain=np.arange(n_values),
                               level_of_measurement=var.level)
    out["seconds"] = round(time.perf_counter() - t, 3)
    out["alpha"] = float(alpha)
    assert abs(float(alpha) - float(ours.alpha)) < 1e-9  # type: ignore[arg-type]
    return out


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - t, 3)


def other_packages(exports: list[Export], key: str) -> list[dict[str, object]]:
    """statsmodels (Fleiss' κ, complete units), irrCAC (Fleiss' κ and AC1 with missing ratings)
    and scikit-learn (Cohen's κ, coders 1 and 2) beside ours on the same aligned units."""
    import warnings

    import pandas as pd
    try:  # irrCAC holds numpy back: it lives in .venv-oracle (README: Build from source)
        from irrCAC.raw import CAC
    except ImportError:
        CAC = None
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    from app.core.agreement import coefficients as co

    codes, _, domain = aligned_codes(exports, key)
    n_values, q = len(domain.values), domain.n_categories
    out: list[dict[str, object]] = []

    def row(package: str, what: str, units: int, theirs: tuple[float, float], ours: tuple[float | None, float]) -> None:
        assert ours[0] is not None and abs(float(theirs[0]) - ours[0]) < 1e-9, (package, what, theirs[0], ours[0])
        out.append({"package": package, "coefficient": what, "variable": key, "units": units,
                    "value": round(float(theirs[0]), 9), "seconds": theirs[1], "ours_seconds": ours[1],
                    "ratio": round(theirs[1] / max(ours[1], 1e-3), 1)})

    complete = codes[(codes >= 0).all(axis=1)]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        theirs = timed(lambda: fleiss_kappa(aggregate_raters(complete)[0], method="fleiss"))
        row("statsmodels", "Fleiss' kappa", len(complete), theirs, timed(lambda: co.fleiss_kappa(complete, n_values)[0]))
        both = codes[(codes[:, 0] >= 0) & (codes[:, 1] >= 0)][:, :2]
        theirs = timed(lambda: cohen_kappa_score(both[:, 0], both[:, 1]))
        row("scikit-learn", "Cohen's kappa", len(both), theirs, timed(lambda: co.cohen_kappa(both, n_values)[0]))
        rated = codes[(codes >= 0).any(axis=1)]
        if CAC is None:
            return out
        frame = pd.DataFrame(np.where(rated >= 0, rated, np.nan))
        cac, build = timed(lambda: CAC(frame, categories=list(range(n_values)), digits=15))
        theirs = timed(lambda: cac.fleiss()["est"]["coefficient_value"])
        row("irrCAC", "Fleiss' kappa (missing ratings)", len(rated), (theirs[0], theirs[1] + build),
            timed(lambda: co.fleiss_kappa(rated, n_values)[0]))
        theirs = timed(lambda: cac.gwet()["est"]["coefficient_value"])
        row("irrCAC", "Gwet's AC1", len(rated), (theirs[0], theirs[1] + build),
            timed(lambda: co.gwet_ac1(rated, n_values, max(q, 2))[0]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--load", action="store_true", help="also time load_export_rows (what the CLI uses) on written files")
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()
    t = time.perf_counter()
    exports = build_exports()
    build = time.perf_counter() - t
    stages: list[tuple[str, float]] = []

    def progress(step: int, total: int, what: str) -> None:
        stages.append((what, time.perf_counter()))

    t0 = time.perf_counter()
    report = compute_agreement(exports, bootstrap=args.bootstrap, seed=0, progress=progress,
                               include_disagreements=False)
    total = time.perf_counter() - t0
    marks = [*stages, ("done", time.perf_counter())]
    stage_times = {marks[k][0]: round(marks[k + 1][1] - marks[k][1], 3) for k in range(len(marks) - 1)}
    t = time.perf_counter()
    report.model_dump_json()
    dump = time.perf_counter() - t
    t = time.perf_counter()
    with_rows = compute_agreement(exports, bootstrap=args.bootstrap, seed=0, include_disagreements=True)
    with_disagreements = time.perf_counter() - t
    assert with_rows.disagreements_listed

    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": __import__("os").cpu_count()},
        "data": {"coders": N_CODERS, "statements_per_coder": [len(e.statements) for e in exports], "documents": N_DOCS,
                 "document_chars": DOC_LEN, "distinct_speakers": N_SPEAKERS, "bootstrap": args.bootstrap},
        "build_exports_seconds": round(build, 3),
        "compute_agreement_seconds": round(total, 3),
        "stages_seconds": stage_times,
        "report_json_dump_seconds": round(dump, 3),
        "compute_agreement_with_disagreement_list_seconds": round(with_disagreements, 3),
        "report": {"units": report.alignment.n_units, "aligned_units": report.alignment.n_aligned_units,
                   "disagreements": sum(report.n_disagreements.values()), "alpha_u": report.unitizing.alpha_u,
                   **{f"alpha_{k}": v.krippendorff_alpha for k, v in report.variables.items()}},
    }
    ours_stance = stage_times.get("variable 'stance'")
    kp = [krippendorff_package(exports, "stance"), krippendorff_package(exports, "speaker")]
    results["krippendorff_package"] = kp
    if kp[0].get("seconds"):
        results["ratio_package_over_ours_alpha_stance"] = round(
            float(kp[0]["seconds"]) / float(kp[0]["ours_alpha_only_seconds"]), 2)  # type: ignore[arg-type]
    results["ours_variable_block_stance_seconds"] = ours_stance
    results["other_packages"] = other_packages(exports, "stance")
    if args.load:
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for e in exports:
                p = Path(tmp) / f"{e.coder.name}.json"
                p.write_text(dump_export(e), encoding="utf-8")
                paths.append(p)
            t = time.perf_counter()
            loaded = [load_export_rows(p, columns_only=True) for p in paths]
            results["load_export_rows_seconds_3_files"] = round(time.perf_counter() - t, 3)
            results["file_megabytes"] = [round(p.stat().st_size / 1e6, 1) for p in paths]
            del loaded

    print(f"{'what':<44}{'seconds':>10}")
    print("-" * 54)
    print(f"{'build 3 exports in memory (not counted)':<44}{build:>10.2f}")
    for what, sec in stage_times.items():
        print(f"  {what:<42}{sec:>10.2f}")
    print(f"{'compute_agreement total':<44}{total:>10.2f}   (target ≤ 5 s)")
    print(f"{'report -> JSON text':<44}{dump:>10.2f}")
    print(f"{'compute_agreement + disagreement list':<44}{with_disagreements:>10.2f}"
          f"   ({len(with_rows.disagreements)} rows; for --format csv/html)")
    for k in kp:
        label = f"krippendorff package, {k['variable']} ({k['values']} values)"
        sec = k.get("seconds")
        print(f"{label:<44}{(f'{sec:.2f}' if sec is not None else 'n/a'):>10}   {k.get('note', '')}")
        print(f"{'  ours, alpha alone, same units':<44}{k['ours_alpha_only_seconds']:>10.2f}")
    if "ratio_package_over_ours_alpha_stance" in results:
        print(f"ratio package / ours (stance alpha alone): {results['ratio_package_over_ours_alpha_stance']}×")
    for o in results["other_packages"]:  # type: ignore[attr-defined]
        label = f"{o['package']}, {o['coefficient']}"
        print(f"{label[:43]:<44}{o['seconds']:>10.2f}   ours {o['ours_seconds']:.3f} s on the same "
              f"{o['units']} units; ratio {o['ratio']}×")
    if "load_export_rows_seconds_3_files" in results:
        print(f"{'load_export_rows × 3 (parse + validate)':<44}{results['load_export_rows_seconds_3_files']:>10.2f}"
              f"   files {results['file_megabytes']} MB")
    out = ROOT / "tests" / "perf" / "results" / "agreement.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
