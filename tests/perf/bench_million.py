#!/usr/bin/env python
"""The project-scale benchmark of issue 18: 100,000 articles and 1,000,000 statements.

    .venv/bin/python tests/perf/bench_million.py                  # build (once, kept) and measure
    .venv/bin/python tests/perf/bench_million.py --work DIR       # reuse DIR's project between runs
    .venv/bin/python tests/perf/bench_million.py --only open --profile
    .venv/bin/python tests/perf/bench_million.py --work DIR --only export --formats csv --runs 3

Setup is not measured: the project is created by ``Project.create`` and then filled with direct
sqlite3 bulk inserts (100,000 documents of ~1,500 characters, 1,000 entities, one coder with ten
statements per article, a status per article). Each target then runs in a fresh process so that
its memory and start-up are its own:

- open + first article (data side): ``Project.open``, the coder, the codebook, a
  ``CodingSession`` (the first page of the document list and the number of documents), the
  article it opens and its statements, the entities — what ``MainWindow`` asks for before it
  paints; then, timed apart, the rest of the list as the window's timer fetches it after the paint;
- open + window painted: the real ``MainWindow``, offscreen, from ``Project.open`` to the first
  paint (imports are done before the clock starts), and until the document list is complete;
- next article: what ``CodingSession.open_document`` calls (document, statements, remember the
  position);
- a statement committed: ``Project.create_statement``;
- "all my statements", plain and with a search text: the first page as the statements window
  fetches it (``statement_scan``), and apart from it the count its background thread makes;
  and a word no statement holds, whose first call looks at ``SCAN_DOCUMENTS`` (512) documents and returns;
- memory: RSS of that process once the whole document list is in, and its peak;
- export of 1,000,000 statements, JSON and CSV, with the process's peak RSS;
- import of 10,000 text files beside sqlite3's own bulk insert of the same rows, same run.

Every line prints median and p95, the CPU time beside the wall time, and the load average at
the time: the machine is shared, so wall time on a loaded machine is pessimistic.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from hashlib import sha256
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

ARTICLES = 100_000
PER_ARTICLE = 10
CODER = "coder1"
SEARCH = "ceasefire"
RARE = "zqxjkv"  # in no statement: a page looks at its stretch of documents and stops


def vm() -> dict[str, float]:
    out: dict[str, float] = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0]) / 1024
    return out


def load() -> float:
    return os.getloadavg()[0]


def clock(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall s, CPU s of this process, result)."""
    c0, t0 = time.process_time(), time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, time.process_time() - c0, value


def profile(fn: Callable[[], Any], top: int = 18) -> str:
    prof = cProfile.Profile()
    prof.runcall(fn)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return "\n".join(line for line in buf.getvalue().splitlines() if line.strip())


# -- setup (not measured) --------------------------------------------------------------------


def build(path: Path, articles: int, per_article: int) -> None:
    from synthetic import article_text, entity_names

    from app.services.project import Project

    rng = random.Random(7)
    names = entity_names(1000, rng)
    bodies = [article_text(i, rng, names, size=1500) for i in range(1000)]
    with Project.create(path, name="A million statements") as project:
        coder = project.ensure_coder(CODER)
    now = "2026-11-01 00:00:00.000000"  # as SQLAlchemy writes a DateTime on SQLite
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.executemany(
        'INSERT INTO entity (id, name, kind, aliases, attributes, created_at) VALUES (?,?,?,?,?,?)',
        [(str(uuid.uuid4()), n, "person", json.dumps([n.split(" ", 1)[-1] + f" ({k})"]), "{}", now)
         for k, n in enumerate(names)])
    stances = ["oppose", "neutral", "support"]
    types = ["assertion", "evaluation", "demand", "prediction", "commitment", "accusation"]
    for lo in range(0, articles, 10_000):
        docs, sts, status = [], [], []
        for i in range(lo, min(articles, lo + 10_000)):
            text = bodies[i % len(bodies)] + f"\nArticle {i}.\n"
            doc_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            docs.append((doc_id, sha256(text.encode()).hexdigest(), i + 1, text.split("\n", 1)[0], "Synthetic Times",
                         f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", None, text, len(text), "{}", f"a{i:06d}.txt", now))
            step = len(text) // per_article
            for j in range(per_article):
                start = j * step + rng.randrange(0, max(1, step - 200))
                end = min(len(text), start + rng.randrange(60, 200))
                vals = {"speaker": rng.choice(names), "stance": rng.choice(stances), "claim_type": rng.choice(types)}
                sts.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), doc_id, coder.id, start, end,
                            json.dumps(vals, ensure_ascii=False), "", now, now))
            status.append((doc_id, coder.id, "done" if i % 3 else "in_progress", now))
        con.executemany('INSERT INTO document (id, sha256, position, title, source, published, url, text, length, '
                        'metadata, origin, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)', docs)
        con.executemany('INSERT INTO statement (id, document_id, coder_id, start, "end", "values", note, created_at, '
                        'updated_at) VALUES (?,?,?,?,?,?,?,?,?)', sts)
        con.executemany("INSERT INTO document_status (document_id, coder_id, status, updated_at) VALUES (?,?,?,?)",
                        status)
        con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no ANALYZE: users never run it
    con.close()


# -- probes (each in its own process) --------------------------------------------------------


def probe_open(path: str, switches: int, edits: int, searches: int, want_profile: bool) -> dict[str, Any]:
    from PySide6.QtCore import QCoreApplication

    from app.gui.project_statements import PAGE, SCAN_DOCUMENTS
    from app.gui.session import CodingSession
    from app.services.project import Project

    _app = QCoreApplication.instance() or QCoreApplication([])
    out: dict[str, Any] = {"load": load()}
    state: dict[str, Any] = {}

    def first() -> None:
        # What MainWindow asks for before it paints: the session (the first page of the document
        # list, the number of documents), the article it opens, its statements, the actors.
        project = Project.open(path)
        coder = project.ensure_coder(CODER)
        _ = project.codebook
        session = CodingSession(project, coder)
        session.open_initial()
        project.entities()
        state.update(project=project, coder=coder, session=session)

    if want_profile:
        out["profile"] = profile(first)
        state["session"]._pager.stop()
        state["project"].close()
    wall, cpu, _ = clock(first)
    out.update(open_s=wall, open_cpu=cpu, first_rows=len(state["session"].summaries))
    project, coder, session = state["project"], state["coder"], state["session"]
    # the rest of the list, as the window's timer fetches it after the paint (page by page)
    out["rest_s"], out["rest_cpu"], _ = clock(session.load_all)
    out.update(**{f"open_{k}": v for k, v in vm().items()})
    ids = [s.id for s in session.summaries]
    first_id = session.document.id
    pos = ids.index(first_id)

    def switch(k: int) -> None:
        nxt = ids[(pos + 1 + k) % len(ids)]
        project.document(nxt)
        project.statements(nxt, coder)
        project.remember_position(coder, nxt)

    out["switch"] = [clock(lambda: switch(k))[:2] for k in range(switches)]
    project.remember_position(coder, first_id)
    doc = project.document(ids[len(ids) // 2])
    made = []

    ents = project.entities()

    def create_one(k: int) -> None:
        start = (k * 37) % (len(doc.text) - 50)
        made.append(project.create_statement(doc.id, coder, start, start + 40,
                                              values={"speaker": ents[k % len(ents)].name, "stance": "support"}))

    out["create"] = [clock(lambda: create_one(k))[:2] for k in range(edits)]
    for st in made:
        project.delete_statement(st.id)

    def page(contains: str) -> Any:  # what ProjectStatementsModel.fetchMore asks for, the first time
        return project.statement_scan(coder, (0, 0), PAGE, contains=contains, max_documents=SCAN_DOCUMENTS)

    def count(contains: str) -> int:  # what its background thread does meanwhile, in the same steps
        from app.gui.project_statements import COUNT_DOCUMENTS

        if not contains:
            return project.statement_match_count(coder)
        total, start = 0, 0
        while start is not None:
            n, start = project.statement_match_count_in(coder, start, COUNT_DOCUMENTS, contains)
            total += n
        return total

    if want_profile and searches:
        out["search_profile"] = profile(lambda: page(SEARCH))
    out["search"] = [clock(lambda: page(SEARCH))[:2] for _ in range(searches)]
    out["plain_page"] = [clock(lambda: page(""))[:2] for _ in range(searches)]
    out["rare_page"] = [clock(lambda: page(RARE))[:2] for _ in range(min(searches, 3))]
    if searches:
        out["plain_count"] = [clock(lambda: count(""))[:2] for _ in range(3)]
        wall, cpu, n = clock(lambda: count(SEARCH))
        out["search_count"], out["search_matches"] = [(wall, cpu)], n
        assert n == project.statement_match_count(coder, SEARCH)
        assert len(page(SEARCH)[0]) == min(PAGE, n)
    out.update(vm())
    project.close()
    return out


def probe_window(path: str) -> dict[str, Any]:
    """The real window, offscreen: from opening the project to the window painted with its first
    page (imports done before the clock starts), then until the list's last page is in."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.gui.main_window import MainWindow
    from app.services.project import Project

    qapp = QApplication.instance() or QApplication([])
    out: dict[str, Any] = {"load": load()}
    c0, t0 = time.process_time(), time.perf_counter()
    project = Project.open(path)
    coder = project.ensure_coder(CODER)
    win = MainWindow(project, coder)
    win.resize(1400, 900)
    win.show()
    win.repaint()  # the first paint, done here and now (the list's next page waits for the loop)
    out.update(paint_s=time.perf_counter() - t0, paint_cpu=time.process_time() - c0,
               rows=win.doc_model.rowCount(), progress=win.progress.text())
    while not win.session.complete:
        qapp.processEvents()
    qapp.processEvents()
    out.update(complete_s=time.perf_counter() - t0, complete_cpu=time.process_time() - c0,
               rows_complete=win.doc_model.rowCount(), progress_complete=win.progress.text(), **vm())
    win.close()
    return out


def probe_export(path: str, fmt: str, out_file: str, want_profile: bool) -> dict[str, Any]:
    from app.services.exporting import export_coder
    from app.services.project import Project

    res: dict[str, Any] = {"load": load()}
    with Project.open(path, read_only=True) as project:
        if want_profile:
            res["profile"] = profile(lambda: export_coder(project, CODER, out_file, fmt))  # type: ignore[arg-type]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, cpu, written = clock(lambda: export_coder(project, CODER, out_file, fmt))  # type: ignore[arg-type]
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # A large export runs a second process (app.services.export_parts): its CPU time is added to
    # this one's, and its peak to this process's peak (both run at once: the sum is the honest figure).
    child_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    res.update(wall=wall, cpu=cpu + child_cpu, child_cpu=child_cpu, statements=written.statements,
               size_mb=Path(out_file).stat().st_size / 1e6, **vm())
    res["child_peak"] = after.ru_maxrss / 1024  # KiB on Linux; 0 when no second process ran
    res["VmHWM"] = res.get("VmHWM", 0) + res["child_peak"]
    return res


def probe_import(folder: str, want_profile: bool) -> dict[str, Any]:
    from bench_study import peer_import

    from app.services.importing import import_paths
    from app.services.project import Project

    work = Path(folder)
    files = sorted((work / "articles").glob("*.txt"))
    res: dict[str, Any] = {"load": load()}
    target = work / f"import-{uuid.uuid4().hex[:8]}.ccdb"
    peer_db = work / f"peer-{uuid.uuid4().hex[:8]}.db"
    try:
        if want_profile:
            with Project.create(target.with_name("import-profile.ccdb")) as project:
                res["profile"] = profile(lambda: import_paths(project, [work / "articles"]))
        with Project.create(target) as project:
            wall, cpu, summary = clock(lambda: import_paths(project, [work / "articles"]))
        res.update(vm())  # before the peer runs in this process (with --profile, the profiled import too)
        assert summary.imported == len(files), summary
        c0 = time.process_time()
        peer = peer_import(files, peer_db)
        res.update(wall=wall, cpu=cpu, peer=peer, peer_cpu=time.process_time() - c0, files=len(files))
    finally:
        for f in work.glob("import-*.ccdb*"):
            f.unlink()
        for f in work.glob("peer-*.db*"):
            f.unlink()
    return res


def run(*args: str) -> dict[str, Any]:
    res = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True,
                         cwd=ROOT, timeout=3600)
    if res.returncode != 0:
        raise RuntimeError(f"probe {args[:2]} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


# -- report ----------------------------------------------------------------------------------


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def line(label: str, walls: list[float], cpus: list[float], limit: float, unit: str, loads: list[float],
         note: str = "") -> dict[str, Any]:
    scale = {"s": 1, "ms": 1000}[unit]
    med, p95 = statistics.median(walls) * scale, pct(walls, 0.95) * scale
    cpu = statistics.median(cpus) * scale
    judged = p95 if len(walls) >= 20 else med
    ok = judged <= limit
    print(f"  {label:<46} median {med:8.1f} {unit}  p95 {p95:8.1f} {unit}  (CPU {cpu:7.1f} {unit}, "
          f"load {statistics.median(loads):4.1f})  limit {limit:g} {unit}  {'PASS' if ok else 'FAIL'}  {note}",
          flush=True)
    return {"label": label, "median": med, "p95": p95, "cpu_median": cpu, "unit": unit, "limit": limit,
            "load": statistics.median(loads), "pass": ok, "n": len(walls), "note": note}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, help="folder for the project (kept; reused when it holds one)")
    ap.add_argument("--articles", type=int, default=ARTICLES)
    ap.add_argument("--only", default="open,export,import", help="comma list of open, export, import")
    ap.add_argument("--runs", type=int, default=3, help="fresh processes for open/export/import")
    ap.add_argument("--formats", default="json,csv", help="the exports measured: json, csv or both")
    ap.add_argument("--searches", type=int, default=10, help="searches per open probe (each scans the project)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of each target")
    ap.add_argument("--probe", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.probe:
        kind, *rest = a.probe
        if kind == "open":
            print(json.dumps(probe_open(rest[0], 100, 100, int(rest[2]), rest[1] == "1")))
        elif kind == "window":
            print(json.dumps(probe_window(rest[0])))
        elif kind == "export":
            print(json.dumps(probe_export(rest[0], rest[1], rest[2], rest[3] == "1")))
        elif kind == "import":
            print(json.dumps(probe_import(rest[0], rest[1] == "1")))
        return 0

    work = a.work or Path(tempfile.mkdtemp(prefix="claimcoder-million-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "million.ccdb"
    if not path.exists():
        t0 = time.perf_counter()
        build(path, a.articles, PER_ARTICLE)
        print(f"  setup: {a.articles:,} articles, {a.articles * PER_ARTICLE:,} statements bulk-inserted in "
              f"{time.perf_counter() - t0:.0f} s; file {path.stat().st_size / 1e6:,.0f} MB", flush=True)
    print(f"claimcoder million benchmark: {path} ({path.stat().st_size / 1e6:,.0f} MB), {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}", flush=True)
    only = set(a.only.split(","))
    prof = "1" if a.profile else "0"
    results: list[dict[str, Any]] = []
    if "open" in only:
        from app.gui.project_statements import SCAN_DOCUMENTS

        runs = [run("--probe", "open", str(path), prof if i == 0 else "0", str(a.searches)) for i in range(a.runs)]
        if a.profile:
            print(runs[0]["profile"] + "\n" + runs[0].get("search_profile", ""))
        loads = [r["load"] for r in runs]
        results.append(line("open + first article (data side)", [r["open_s"] for r in runs],
                            [r["open_cpu"] for r in runs], 1000, "ms", loads,
                            f"fresh process; first {runs[0]['first_rows']} list rows"))
        print(f"    … the rest of the document list, page by page after the paint: median "
              f"{statistics.median(r['rest_s'] for r in runs):.2f} s (CPU "
              f"{statistics.median(r['rest_cpu'] for r in runs):.2f} s)", flush=True)
        wins = [run("--probe", "window", str(path)) for _ in range(a.runs)]
        results.append(line("open + window painted (offscreen)", [r["paint_s"] for r in wins],
                            [r["paint_cpu"] for r in wins], 1000, "ms", [r["load"] for r in wins],
                            f"{wins[0]['rows']:,} rows listed, status bar '{wins[0]['progress']}'"))
        print(f"    … list complete after {statistics.median(r['complete_s'] for r in wins):.2f} s (CPU "
              f"{statistics.median(r['complete_cpu'] for r in wins):.2f} s): {wins[0]['rows_complete']:,} rows, "
              f"'{wins[0]['progress_complete']}', RSS {max(r['VmRSS'] for r in wins):.0f} MB", flush=True)
        sw = [s for r in runs for s in r["switch"]]
        results.append(line("next article (data side)", [w for w, _ in sw], [c for _, c in sw], 50, "ms", loads))
        cr = [s for r in runs for s in r["create"]]
        results.append(line("a statement committed", [w for w, _ in cr], [c for _, c in cr], 20, "ms", loads))
        if a.searches:
            pl = [s for r in runs for s in r["plain_page"]]
            results.append(line("all my statements: first page", [w for w, _ in pl], [c for _, c in pl],
                                200, "ms", loads, "the count follows from a background thread"))
            pc = [s for r in runs for s in r["plain_count"]]
            print(f"    … its count (background): median {statistics.median(w for w, _ in pc) * 1000:.0f} ms "
                  f"(CPU {statistics.median(c for _, c in pc) * 1000:.0f} ms)", flush=True)
            se = [s for r in runs for s in r["search"]]
            results.append(line(f"search '{SEARCH}': first page", [w for w, _ in se], [c for _, c in se],
                                200, "ms", loads, f"{runs[0]['search_matches']:,} matches"))
            sc = [s for r in runs for s in r["search_count"]]
            print(f"    … its exact count (background, stoppable): median {statistics.median(w for w, _ in sc):.1f} s "
                  f"(CPU {statistics.median(c for _, c in sc):.1f} s)", flush=True)
            ra = [s for r in runs for s in r["rare_page"]]
            results.append(line(f"search '{RARE}' (no match): first stretch", [w for w, _ in ra],
                                [c for _, c in ra], 200, "ms", loads, f"{SCAN_DOCUMENTS:,} documents looked at, then the next"))
        rss = max(r["open_VmRSS"] for r in runs)
        print(f"  memory with it open: RSS {rss:.0f} MB with the whole list loaded (limit 400), peak of the probe "
              f"{max(r['VmHWM'] for r in runs):.0f} MB  {'PASS' if rss <= 400 else 'FAIL'}", flush=True)
        results.append({"label": "memory open", "rss_mb": rss, "peak_mb": max(r["VmHWM"] for r in runs),
                        "pass": rss <= 400})
    if "export" in only:
        for fmt in [f for f in ("json", "csv") if f in a.formats.split(",")]:
            runs = [run("--probe", "export", str(path), fmt, str(work / f"out.{fmt}"), prof if i == 0 else "0")
                    for i in range(a.runs)]
            if a.profile:
                print(runs[0]["profile"])
            peak = max(r["VmHWM"] for r in runs)
            results.append(line(f"export {runs[0]['statements']:,} statements ({fmt})", [r["wall"] for r in runs],
                                [r["cpu"] for r in runs], 15, "s", [r["load"] for r in runs],
                                f"peak {peak:.0f} MB (limit 500) {'PASS' if peak <= 500 else 'FAIL'}, of which the "
                                f"second process {max(r['child_peak'] for r in runs):.0f} MB; CPU of it "
                                f"{statistics.median(r['child_cpu'] for r in runs):.1f} s; {runs[0]['size_mb']:.0f} MB"))
            results[-1]["peak_mb"] = peak
            (work / f"out.{fmt}").unlink(missing_ok=True)
    if "import" in only:
        if not (work / "articles").exists():
            from synthetic import entity_names, write_articles

            write_articles(work, 10_000, seed=1, people=entity_names(1000, random.Random(1)))
        runs = [run("--probe", "import", str(work), prof if i == 0 else "0") for i in range(a.runs)]
        if a.profile:
            print(runs[0]["profile"])
        ratios = [r["wall"] / r["peer"] for r in runs]
        cpu_ratios = [r["cpu"] / r["peer_cpu"] for r in runs]
        results.append(line("import 10,000 text files", [r["wall"] for r in runs], [r["cpu"] for r in runs],
                            2.5 * statistics.median(r["peer"] for r in runs), "s", [r["load"] for r in runs],
                            f"sqlite3 bulk insert {statistics.median(r['peer'] for r in runs):.2f} s; ratio median "
                            f"{statistics.median(ratios):.2f} (CPU {statistics.median(cpu_ratios):.2f}), limit 2.5; "
                            f"peak {max(r['VmHWM'] for r in runs):.0f} MB"))
        results[-1]["ratio"] = statistics.median(ratios)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "million.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
