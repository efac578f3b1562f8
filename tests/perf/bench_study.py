#!/usr/bin/env python
"""The study benchmark: every "fast" target of the brief, measured on a synthetic study.

    .venv/bin/python tests/perf/bench_study.py                 # 10,000 articles, 3 × 100,000 statements
    .venv/bin/python tests/perf/bench_study.py --quick         # 1,000 articles, 3 × 10,000 (a smoke run)
    .venv/bin/python tests/perf/bench_study.py --compare tests/perf/results/study-old.json

It writes 10,000 article files (~3,000 characters, quotes, diacritics, Cyrillic, a few emoji),
imports them through ``import_paths``, bulk-inserts 1,000 entities and 3 coders' statements
(setup, not measured), then measures: import, opening the project and loading the first article,
moving to the next article (data side; painting is bench_gui.py), creating and changing a
statement, memory with the project open, export of one coder, and ``claimcoder agree`` over the
three exports. Where plain Python/sqlite3 or the ``krippendorff`` package does the same work, that
runs beside ours and the ratio is printed. Results go to tests/perf/results/study.json (with machine info) for later comparison.
Size-dependent targets are scaled linearly when fewer articles are used (marked "scaled").
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

RESULTS = HERE / "results"
FULL_ARTICLES = 10_000


@dataclass
class Result:
    name: str
    label: str
    target: float | None  # seconds or MB; None = informational
    unit: str  # "s", "ms" or "MB"
    samples: list[float]
    scaled: bool = False
    note: str = ""
    peer: str = ""
    peer_median: float | None = None
    measured: bool = True
    cpu: list[float] = field(default_factory=list)  # process CPU seconds, where measured
    summary: tuple[float, float, int] | None = None  # (median, p95, n) from another benchmark's report

    @property
    def median(self) -> float | None:
        if self.summary:
            return self.summary[0]
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self) -> float | None:
        if self.summary:
            return self.summary[1]
        if not self.samples:
            return None
        s = sorted(self.samples)
        return s[min(len(s) - 1, max(0, round(0.95 * (len(s) - 1))))]

    @property
    def passed(self) -> bool | None:
        if not self.measured or self.target is None or not self.samples:
            return None
        return (self.p95 if len(self.samples) >= 20 else self.median) <= self.target  # type: ignore[operator]

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(median=self.median, p95=self.p95, passed=self.passed,
                 ratio=(self.median / self.peer_median) if self.peer_median and self.median else None)
        if len(self.samples) > 50:
            d["samples"] = sorted(self.samples)[:: max(1, len(self.samples) // 50)]
        return d


# -- helpers ---------------------------------------------------------------------------------


def vm_status() -> dict[str, float]:
    """VmRSS and VmHWM (peak RSS) in MB, from /proc (Linux); ru_maxrss elsewhere."""
    out: dict[str, float] = {}
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(rest.split()[0]) / 1024
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out["VmHWM"] = peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return out


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def profile_text(fn: Callable[[], Any], *, top: int = 25) -> str:
    prof = cProfile.Profile()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    buf.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def machine_info() -> dict[str, Any]:
    import sqlalchemy

    info: dict[str, Any] = {
        "loadavg_at_end": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(), "python": sys.version.split()[0], "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version, "sqlalchemy": sqlalchemy.__version__,
    }
    try:
        import pydantic

        info["pydantic"] = pydantic.VERSION
    except ImportError:  # pragma: no cover
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_mb"] = int(line.split()[1]) // 1024
    except OSError:
        pass
    try:
        info["git"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                     text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "app"], cwd=ROOT, capture_output=True, text=True,
                               timeout=5).stdout.strip()
        info["app_tree_dirty"] = bool(dirty)
    except (OSError, subprocess.SubprocessError):
        pass
    return info


# -- the probe: a fresh process that opens the project like the coding window does ------------


def probe(project_path: str, coder_name: str, switches: int) -> dict[str, Any]:
    t_start = time.perf_counter()
    from app.services.project import Project

    t_imported = time.perf_counter()
    out: dict[str, Any] = {"import_s": t_imported - t_start}
    t0 = time.perf_counter()
    project = Project.open(project_path)
    t_open = time.perf_counter()
    coder = project.ensure_coder(coder_name)
    _ = project.codebook
    summaries = project.document_summaries(coder)
    first_id = project.last_document_id(coder) or summaries[0].id
    doc = project.document(first_id)
    sts = project.statements(doc.id, coder)
    ents = project.entities()
    t_first = time.perf_counter()
    out.update(open_s=t_open - t0, first_article_s=t_first - t0, documents=len(summaries),
               first_statements=len(sts), entities=len(ents))
    # next-article switches: the data the window needs to show the next article and its highlights
    ids = [s.id for s in summaries]
    pos = ids.index(first_id)
    sw = []
    for k in range(switches):
        nxt = ids[(pos + 1 + k) % len(ids)]
        t = time.perf_counter()
        project.remember_position(coder, nxt)
        d = project.document(nxt)
        s = project.statements(d.id, coder)
        sw.append(time.perf_counter() - t)
    out["switch_s"] = sw
    # a refreshed document list (after a status change) is what the window redraws most
    t = time.perf_counter()
    project.document_summaries(coder)
    out["doc_list_s"] = time.perf_counter() - t
    out.update(vm_status())
    project.close()
    return out


def probe_op(op: str, args: list[str]) -> dict[str, Any]:
    """One export or agreement in this (fresh) process: wall and CPU time, and peak memory."""
    if op == "export":
        from app.services.exporting import export_coder
        from app.services.project import Project

        project_path, coder, out, fmt = args
        with Project.open(project_path, read_only=True) as project:
            before = vm_status()
            c0, t0 = time.process_time(), time.perf_counter()
            export = export_coder(project, coder, out, fmt)  # type: ignore[arg-type]
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        extra: dict[str, Any] = {"statements": export.statements}
    elif op == "agree":
        from app.cli import run

        out, *exports = args
        before = vm_status()
        argv = ["agree", *exports, "--format", "json", "-o", out]
        err = io.StringIO()
        stderr, sys.stderr = sys.stderr, err
        try:
            c0, t0 = time.process_time(), time.perf_counter()
            code = run(argv)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        finally:
            sys.stderr = stderr
        if code != 0:
            raise SystemExit(f"claimcoder agree failed: {err.getvalue().strip()[-500:]}")
        extra = {}
    else:
        raise SystemExit(f"unknown probe op {op}")
    return {"wall_s": wall, "cpu_s": cpu, "rss_before_mb": before.get("VmRSS"), **vm_status(), **extra}


def run_op(op: str, *args: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--probe-op", op, *args]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=1800)
    if res.returncode != 0:
        raise RuntimeError(f"probe {op} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_probe(project: Path, coder: str, switches: int = 100) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--probe", str(project), "--coder", coder,
           "--switches", str(switches)]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    if res.returncode != 0:
        raise RuntimeError(f"probe failed:\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


# -- peers: plain Python doing the same work --------------------------------------------------


def peer_import(files: list[Path], db_path: Path) -> float:
    """Read, decode, normalise, hash and insert every file in one transaction with sqlite3."""
    t0 = time.perf_counter()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE document (id TEXT PRIMARY KEY, sha256 TEXT UNIQUE, position INT, title TEXT, "
                "text TEXT, length INT, origin TEXT)")
    rows = []
    for i, f in enumerate(files):
        text = unicodedata.normalize("NFC", f.read_bytes().decode("utf-8-sig").replace("\r\n", "\n"))
        rows.append((str(uuid.uuid4()), hashlib.sha256(text.encode()).hexdigest(), i, text.split("\n", 1)[0],
                     text, len(text), str(f)))
    con.executemany("INSERT INTO document VALUES (?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()
    return time.perf_counter() - t0


def peer_export(db_path: Path, coder_name: str, out: Path) -> float:
    """The same JSON document from sqlite3 rows with json.dumps (no validation)."""
    t0 = time.perf_counter()
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    (coder_id,) = con.execute("SELECT id FROM coder WHERE name=?", (coder_name,)).fetchone()
    status = dict(con.execute("SELECT document_id, status FROM document_status WHERE coder_id=?", (coder_id,)))
    docs = []
    texts = {}
    for i, sha, title, source, pub, url, text, meta in con.execute(
            "SELECT id, sha256, title, source, published, url, text, metadata FROM document ORDER BY position"):
        texts[i] = text
        docs.append({"id": i, "sha256": sha, "title": title, "source": source, "published": pub, "url": url,
                     "text": text, "status": status.get(i, "not_started"), "metadata": json.loads(meta)})
    sts = []
    for i, d, s, e, values, note, c, u in con.execute(
            "SELECT s.id, s.document_id, s.start, s.\"end\", s.\"values\", s.note, s.created_at, s.updated_at "
            "FROM statement s JOIN document d ON d.id = s.document_id WHERE s.coder_id=? "
            "ORDER BY d.position, s.start, s.\"end\", s.created_at", (coder_id,)):
        sts.append({"id": i, "document_id": d, "start": s, "end": e, "text": texts[d][s:e],
                    "values": json.loads(values), "note": note, "created_at": c, "updated_at": u})
    con.close()
    # indent=None: the C encoder (with indent Python's json falls back to its pure-Python encoder)
    out.write_text(json.dumps({"format": "claimcoder-export", "format_version": 1, "documents": docs,
                               "statements": sts}, ensure_ascii=False), encoding="utf-8")
    return time.perf_counter() - t0


def peer_single_writes(db_path: Path, doc_id: str, coder_id: str, n: int) -> tuple[list[float], list[float]]:
    """One INSERT + COMMIT and one UPDATE + COMMIT per call with sqlite3, same file and pragmas."""
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    ins, upd, ids = [], [], []
    now = datetime.now(timezone.utc).isoformat(sep=" ")
    for k in range(n):
        sid = str(uuid.uuid4())
        t = time.perf_counter()
        con.execute("BEGIN")
        con.execute("INSERT INTO statement (id, document_id, coder_id, start, \"end\", \"values\", note, created_at,"
                    " updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    (sid, doc_id, coder_id, k % 100, k % 100 + 20, '{"stance": "support"}', "", now, now))
        con.execute("COMMIT")
        ins.append(time.perf_counter() - t)
        ids.append(sid)
    for sid in ids:
        t = time.perf_counter()
        con.execute("BEGIN")
        con.execute("UPDATE statement SET \"values\"=?, updated_at=? WHERE id=?", ('{"stance": "oppose"}', now, sid))
        con.execute("COMMIT")
        upd.append(time.perf_counter() - t)
    con.executemany("DELETE FROM statement WHERE id=?", [(i,) for i in ids])
    con.close()
    return ins, upd


# -- the benchmark ---------------------------------------------------------------------------


@dataclass
class Bench:
    args: argparse.Namespace
    work: Path
    results: list[Result] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def scale(self) -> float:
        return self.args.articles / FULL_ARTICLES

    def add(self, r: Result) -> Result:
        self.results.append(r)
        print(f"  {r.label}: median {fmt(r.median, r.unit)}"
              + (f", p95 {fmt(r.p95, r.unit)}" if len(r.samples) > 1 else "")
              + (f"  (peer {fmt(r.peer_median, r.unit)})" if r.peer_median else ""), flush=True)
        return r

    def run(self) -> None:
        from synthetic import add_coding, entity_names, write_articles

        import random

        from app.services.exporting import export_coder
        from app.services.importing import import_paths
        from app.services.project import Project

        a = self.args
        per_coder = a.statements
        print(f"claimcoder study benchmark: {a.articles:,} articles, {a.coders} coders × {per_coder:,} statements, "
              f"{a.entities:,} entities  (work folder {self.work})", flush=True)
        t, (articles, texts) = timed(lambda: write_articles(self.work, a.articles, seed=a.seed,
                                                            people=entity_names(a.entities, random.Random(a.seed))))
        print(f"  generated {len(texts):,} files, {sum(map(len, texts)) / len(texts):,.0f} characters on "
              f"average, in {t:.1f} s", flush=True)
        files = sorted(articles.glob("*.txt"))

        # 1. import
        path = self.work / "study.ccdb"
        project = Project.create(path, name="Synthetic study")
        if hasattr(os, "sync"):
            os.sync()  # the fresh files' writeback must not run during the measurement
        c0 = time.process_time()
        t, summary = timed(lambda: import_paths(project, [articles]))
        import_cpu = time.process_time() - c0
        assert summary.imported == a.articles and not summary.failed, (summary.imported, summary.failed[:3])
        peer_t = peer_import(files, self.work / "peer-import.db")
        self.add(Result("import", f"import {a.articles:,} text files", 10.0 * self.scale, "s", [t],
                        cpu=[import_cpu], scaled=self.scale != 1, peer="sqlite3 executemany, one transaction", peer_median=peer_t))
        if self.fails("import") and a.profile:
            sub = self.work / "profile-import.ccdb"
            sub_files = self.work / "articles-sub"
            sub_files.mkdir()
            for f in files[:2000]:
                shutil.copy(f, sub_files / f.name)
            with Project.create(sub) as p2:
                self.profiles["import"] = profile_text(lambda: import_paths(p2, [sub_files]))

        # setup: entities, coders, statements (bulk, not measured)
        from synthetic import Study

        study = Study(self.work, articles, texts)
        t, _ = timed(lambda: add_coding(project, study, coders=a.coders, entities=a.entities, per_coder=per_coder,
                                        seed=a.seed + 1))
        print(f"  setup: {a.entities:,} entities, {a.coders} coders, {a.coders * per_coder:,} statements "
              f"bulk-inserted in {t:.1f} s; file {path.stat().st_size / 1e6:,.0f} MB", flush=True)
        project.close()
        if hasattr(os, "sync"):
            os.sync()

        # 2. open + first article, next article, memory: in fresh processes
        probes = [run_probe(path, study.coder_names[0]) for _ in range(a.open_runs)]
        self.info["probe"] = {k: v for k, v in probes[-1].items() if k != "switch_s"}
        self.add(Result("open", "open project + first article + list", 1.0, "s",
                        [p["first_article_s"] for p in probes],
                        note=f"fresh process; Project.open alone {statistics.median(p['open_s'] for p in probes):.3f} s; "
                             f"Python imports before it {statistics.median(p['import_s'] for p in probes):.2f} s "
                             f"(not counted)"))
        switches = [s for p in probes for s in p["switch_s"]]
        self.add(Result("next_article", "next article: text + statements", 0.050, "s", switches,
                        note="data side only; painting: tests/perf/bench_gui.py"))
        self.add(Result("doc_list", "document list refresh", None, "s", [p["doc_list_s"] for p in probes],
                        note="informational"))
        self.add(Result("memory", "peak memory, project open", 400.0, "MB", [max(p["VmHWM"] for p in probes)],
                        note="VmHWM of the probe process (no Qt); open + first article + 100 switches"))

        # 3. create / change a statement (committed)
        with Project.open(path) as project:
            coder = project.ensure_coder(study.coder_names[0])
            docs = project.document_summaries(coder)
            target_doc = project.document(docs[len(docs) // 2].id)
            n = a.edits
            create_t, update_t, made = [], [], []
            length = len(target_doc.text)
            for k in range(n):
                start = (k * 37) % max(1, length - 50)
                dt, st = timed(lambda: project.create_statement(
                    target_doc.id, coder, start, start + 40,
                    values={"speaker": study.entity_names[k % len(study.entity_names)], "stance": "support"}))
                create_t.append(dt)
                made.append(st)
            for k, st in enumerate(made):
                dt, _ = timed(lambda: project.update_statement(
                    st.id, values={**st.values, "claim_type": "demand", "stance": "oppose"}))
                update_t.append(dt)
            del_t = []
            for st in made:
                dt, _ = timed(lambda: project.delete_statement(st.id))
                del_t.append(dt)
            coder_id = coder.id
        peer_ins, peer_upd = peer_single_writes(path, target_doc.id, coder_id, min(n, 200))
        self.add(Result("create_statement", "create a statement (committed)", 0.020, "s", create_t,
                        peer="sqlite3 INSERT+COMMIT", peer_median=statistics.median(peer_ins)))
        self.add(Result("update_statement", "change a statement (committed)", 0.020, "s", update_t,
                        peer="sqlite3 UPDATE+COMMIT", peer_median=statistics.median(peer_upd)))
        self.add(Result("delete_statement", "delete a statement (committed)", 0.020, "s", del_t))
        if a.profile and (self.fails("create_statement") or self.fails("update_statement")):
            with Project.open(path) as project:
                coder = project.ensure_coder(study.coder_names[0])

                def some_edits() -> None:
                    for k in range(100):
                        st = project.create_statement(target_doc.id, coder, k, k + 30, values={"stance": "support"})
                        project.update_statement(st.id, values={"stance": "oppose"})
                        project.delete_statement(st.id)
                self.profiles["statement_edits"] = profile_text(some_edits)

        # 4. export: each run in a fresh process, as `claimcoder export` is (and for a clean peak RSS)
        exports = [self.work / f"{c}.json" for c in study.coder_names]
        runs = [run_op("export", str(path), c, str(out), "json") for c, out in zip(study.coder_names, exports)]
        runs += [run_op("export", str(path), study.coder_names[0], str(self.work / "again.json"), "json")
                 for _ in range(max(0, a.export_runs - len(runs)))]
        assert all(r["statements"] == per_coder for r in runs[: len(exports)]), [r["statements"] for r in runs]
        peer_t = [peer_export(path, study.coder_names[0], self.work / "peer.json") for _ in range(2)]
        self.add(Result("export", f"export {per_coder:,} statements (JSON)", 3.0 * self.scale, "s",
                        [r["wall_s"] for r in runs], cpu=[r["cpu_s"] for r in runs], scaled=self.scale != 1,
                        peer="json.dumps (C encoder) of the same dicts from sqlite3, no validation",
                        peer_median=statistics.median(peer_t),
                        note=f"{exports[0].stat().st_size / 1e6:,.0f} MB file"))
        self.add(Result("export_memory", "peak memory during a JSON export", 400.0, "MB",
                        [max(r["VmHWM"] for r in runs)],
                        note=f"VmHWM of the exporting process (project open: "
                             f"{statistics.median(r['rss_before_mb'] for r in runs):,.0f} MB before); "
                             "the GUI exports in-process"))
        if a.profile and self.fails("export"):
            with Project.open(path, read_only=True) as project:
                self.profiles["export"] = profile_text(
                    lambda: export_coder(project, study.coder_names[0], self.work / "profiled.json"))
        csv_run = run_op("export", str(path), study.coder_names[0], str(self.work / "c1.csv"), "csv")
        self.add(Result("export_csv", f"export {per_coder:,} statements (CSV)", None, "s", [csv_run["wall_s"]],
                        cpu=[csv_run["cpu_s"]], note=f"informational; peak {csv_run['VmHWM']:,.0f} MB"))

        # 5. agree, and α beside the krippendorff package on the same units
        self.measure_agree(exports)
        self.measure_alpha(exports)

        # 6. the GUI side of the article switch (bench_gui.py, owned by the GUI; its own small project)
        if a.gui:
            self.measure_gui()

    def measure_gui(self) -> None:
        script = HERE / "bench_gui.py"
        if not script.exists():
            self.add(Result("gui_switch", "next article, highlights painted (GUI)", 0.050, "s", [], measured=False,
                            note="not measured: tests/perf/bench_gui.py is missing"))
            return
        res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=1200,
                             env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
        try:
            gui = json.loads((RESULTS / "gui.json").read_text())
            sw, cr, ch = gui["switch_article"], gui["create_statement"], gui["change_value"]
        except (OSError, ValueError, KeyError) as exc:
            self.add(Result("gui_switch", "next article, highlights painted (GUI)", 0.050, "s", [], measured=False,
                            note=f"not measured: bench_gui.py exit {res.returncode}, {exc.__class__.__name__}"))
            return
        where = f"bench_gui.py: {gui.get('articles')} articles × {gui.get('statements_per_article')} statements"
        for name, label, d in (("gui_switch", "next article, highlights painted (GUI)", sw),
                               ("gui_create", "create a statement in the GUI", cr),
                               ("gui_change", "change a value in the GUI", ch)):
            n = int(d.get("n", 1))
            self.add(Result(name, label, 0.050 if name == "gui_switch" else 0.020, "s", [d["p95_ms"] / 1000] * n,
                            summary=(d["median_ms"] / 1000, d["p95_ms"] / 1000, n), note=where))

    def measure_agree(self, exports: list[Path]) -> None:
        out = self.work / "agreement.json"
        try:
            runs = [run_op("agree", str(out), *map(str, exports)) for _ in range(self.args.agree_runs)]
        except RuntimeError as exc:
            self.add(Result("agree", f"agree over {len(exports)} coders", 5.0 * self.scale, "s", [],
                            scaled=self.scale != 1, measured=False,
                            note=f"not measured: {str(exc).strip().splitlines()[-1][:160]}"))
            return
        how = "CLI `claimcoder agree --format json`, incl. loading the exports"
        self.add(Result("agree", f"agree over {len(exports)} coders", 5.0 * self.scale, "s",
                        [r["wall_s"] for r in runs], cpu=[r["cpu_s"] for r in runs], scaled=self.scale != 1,
                        note=how + "; bootstrap 1000; α beside the krippendorff package: the rows below; κ and AC1 beside "
                             "statsmodels, scikit-learn and irrCAC: tests/perf/bench_agreement.py"))
        self.add(Result("agree_memory", "peak memory during agree", None, "MB", [max(r["VmHWM"] for r in runs)],
                        note="informational (the CLI is its own process; the GUI computes in-process)"))
        if self.args.profile and self.fails("agree"):
            from app.core.agreement import compute_agreement
            from app.core.export_model import load_export_rows

            def api() -> None:
                loaded = [load_export_rows(p) for p in exports]
                compute_agreement(loaded, sources=[p.name for p in exports])
            self.profiles["agree"] = profile_text(api)

    def measure_alpha(self, exports: list[Path]) -> None:
        """Krippendorff's α alone for one variable, ours beside the ``krippendorff`` package on the
        same aligned units (informational: the brief's point is that 1,000 speakers must work)."""
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_agreement import krippendorff_package

        from app.core.export_model import load_export_rows

        loaded = [load_export_rows(p) for p in exports]
        for key in ("stance", "speaker"):
            k = krippendorff_package(loaded, key)  # type: ignore[arg-type]
            peer = k.get("seconds")
            self.add(Result(f"alpha_{key}", f"α alone, {key} ({k['values']:,} values)", None, "s",
                            [float(k["ours_alpha_only_seconds"])],  # type: ignore[arg-type]
                            peer="krippendorff package, same units", peer_median=float(peer) if peer else None,
                            note=str(k.get("note") or f"{k['units']:,} units; both give α = {k['ours_alpha']:.6f}")))

    def fails(self, name: str) -> bool:
        r = next((r for r in self.results if r.name == name), None)
        return r is not None and r.passed is False

    def fails_value(self, value: float, target: float) -> bool:
        return value > target


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "MB":
        return f"{v:,.0f} MB"
    if v < 0.001:
        return f"{v * 1e6:,.0f} µs"
    if v < 1:
        return f"{v * 1000:,.1f} ms"
    return f"{v:,.2f} s"


def print_table(results: list[Result]) -> None:
    print()
    print(f"{'target':<40} {'median':>10} {'p95':>10} {'limit':>10} {'n':>5}  {'result':<6} {'peer':>10} {'ratio':>6} "
          f"{'cpu':>9}")
    print("-" * 116)
    for r in results:
        limit = "—" if r.target is None else fmt(r.target, r.unit) + ("*" if r.scaled else "")
        verdict = {True: "PASS", False: "FAIL", None: "info" if r.measured else "n/m"}[r.passed]
        ratio = f"{r.median / r.peer_median:.1f}×" if r.peer_median and r.median else ""
        print(f"{r.label:<40} {fmt(r.median, r.unit):>10} {fmt(r.p95, r.unit) if len(r.samples) > 1 else '':>10} "
              f"{limit:>10} {len(r.samples):>5}  {verdict:<6} {fmt(r.peer_median, r.unit) if r.peer_median else '':>10} "
              f"{ratio:>6} {fmt(statistics.median(r.cpu), r.unit) if r.cpu else '':>9}")
    for r in results:
        if r.note or r.peer:
            print(f"  {r.name}: {r.note}{' | peer: ' + r.peer if r.peer else ''}")
    if any(r.scaled for r in results):
        print("  * scaled linearly to the number of articles")
    print("  cpu: CPU seconds of the measuring process; far below the wall time means the machine was busy")


def compare(old_path: Path, new: dict[str, Any]) -> None:
    old = json.loads(old_path.read_text())
    print(f"\ncompared with {old_path} ({old.get('when', '?')}, git {old.get('machine', {}).get('git', '?')}):")
    print(f"{'target':<22} {'old median':>12} {'new median':>12} {'change':>8}")
    for name, r in new["results"].items():
        o = old.get("results", {}).get(name)
        if not o or o.get("median") is None or r.get("median") is None:
            continue
        change = (r["median"] - o["median"]) / o["median"] * 100 if o["median"] else 0.0
        print(f"{name:<22} {fmt(o['median'], r['unit']):>12} {fmt(r['median'], r['unit']):>12} {change:>+7.0f}%")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=FULL_ARTICLES)
    ap.add_argument("--statements", type=int, default=None, help="per coder (default: 10 per article)")
    ap.add_argument("--coders", type=int, default=3)
    ap.add_argument("--entities", type=int, default=1000)
    ap.add_argument("--quick", action="store_true", help="1,000 articles, 10 statements per article per coder")
    ap.add_argument("--edits", type=int, default=300, help="statements created/changed for the latency figures")
    ap.add_argument("--open-runs", type=int, default=3)
    ap.add_argument("--export-runs", type=int, default=3)
    ap.add_argument("--agree-runs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gui", action="store_true", help="also run tests/perf/bench_gui.py (Qt, offscreen) and include it")
    ap.add_argument("--no-profile", dest="profile", action="store_false", help="do not profile failing targets")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    ap.add_argument("-o", "--output", type=Path, default=RESULTS / "study.json")
    ap.add_argument("--compare", type=Path, metavar="OLD.json")
    ap.add_argument("--probe", help=argparse.SUPPRESS)
    ap.add_argument("--probe-op", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--coder", help=argparse.SUPPRESS)
    ap.add_argument("--switches", type=int, default=100, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.probe:
        print(json.dumps(probe(a.probe, a.coder, a.switches)))
        return 0
    if a.probe_op:
        print(json.dumps(probe_op(a.probe_op[0], a.probe_op[1:])))
        return 0
    if a.quick and a.articles == FULL_ARTICLES:
        a.articles = 1000
    if a.statements is None:
        a.statements = a.articles * 10
    if a.keep:
        a.keep.mkdir(parents=True, exist_ok=True)
        work = a.keep
    else:
        work = Path(tempfile.mkdtemp(prefix="claimcoder-bench-"))
    bench = Bench(a, work)
    if hasattr(os, "getloadavg"):
        bench.info["loadavg_at_start"] = os.getloadavg()  # other programs on the machine skew figures
    started = time.perf_counter()
    try:
        bench.run()
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_table(bench.results)
    doc = {
        "benchmark": "study", "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "params": {k: v for k, v in vars(a).items() if k not in ("probe", "probe_op", "coder", "switches")
                   and not isinstance(v, Path)},
        "results": {r.name: r.as_json() for r in bench.results},
        "info": bench.info, "wall_s": time.perf_counter() - started,
        "profiles": bench.profiles,
    }
    for name, text in bench.profiles.items():
        print(f"\n=== profile: {name} ===\n{text[:6000]}")
    a.output.parent.mkdir(parents=True, exist_ok=True)
    a.output.write_text(json.dumps(doc, indent=1, default=str))
    print(f"\nwrote {a.output}  (total {doc['wall_s']:.0f} s)")
    if a.compare:
        compare(a.compare, doc)
    return 1 if any(r.passed is False for r in bench.results) else 0


if __name__ == "__main__":
    sys.exit(main())
