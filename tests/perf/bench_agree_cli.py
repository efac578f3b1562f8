"""On-demand benchmark of ``claimcoder agree`` through the real command line (issue 18).

Targets: 3 coders × 100,000 statements (1,000 speakers, bootstrap on) ≤ 1.5 s with a peak of
≤ 300 MB; 10 coders × 100,000 ≤ 6 s, ≤ 800 MB.

Run: ``.venv/bin/python tests/perf/bench_agree_cli.py [--runs 5] [--coders 3 10] [--folder DIR]``.
The exports are the synthetic ones of ``bench_agreement.build_exports`` (10,000 documents of
~3,000 characters, shared by all coders), written once to ``DIR`` (default: a folder in the
system's temporary directory) and reused by later runs. Each run is a fresh process
(``claimcoder agree … --format json -o FILE``), so start-up and imports count. Three ways are
timed, each its own rows: ``afresh`` (``--no-cache``: every export read and checked, the way
every run went before the cache), ``first`` (an empty cache folder each run: read, checked and
kept — what the first run on new exports costs) and ``rerun`` (the exports kept by an earlier
run: what a supervisor's second run costs); the three reports must be identical. The timed
runs take turns (afresh, first, rerun, afresh, …), so that a busy minute falls on the three
alike. Per run we take the wall time, the CPU time of the process (user + sys: less sensitive
to other people's load on a shared machine than the wall time) and its peak resident memory,
all from ``wait4``; the 1-minute load average is read before and after each run and printed
beside the figures.

``agree`` may read the files and compute in further processes: ``wait4`` counts their CPU time
in (they are waited for) but its peak memory is that of the largest single process. So on Linux
the process and its children are also sampled every 5 ms: "MB all" is the peak of the sum of
their resident memory (pages a child shares with its parent counted twice: an upper bound), "MB
pss" the peak of the sum of their proportional set sizes (shared pages split between the
processes: the memory they take together; sampled every 25 ms). The sampling itself costs time
(reading a large process's proportional set size walks its page tables, on the cores the command
runs on: measured +0.5 s on 3 coders, +2 s on 10), so it is done in the warm-up run only, and the
timed runs are not sampled.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGETS = {3: (1.5, 300), 10: (6.0, 800)}  # coders: (seconds, peak MB)


def ensure_exports(folder: Path, n_coders: int) -> list[Path]:
    """The exports of ``n_coders`` coders, written on first use (each file once, atomically)."""
    sub = folder / f"{n_coders}-coders"
    paths = [sub / f"c{c}.json" for c in range(n_coders)]
    if all(p.exists() for p in paths):
        return paths
    from bench_agreement import iter_exports  # heavy imports only when something must be built

    from app.core.export_model import dump_export, write_text_atomic

    sub.mkdir(parents=True, exist_ok=True)
    for path, export in zip(paths, iter_exports(n_coders=n_coders)):
        print(f"  writing {path.name} …", file=sys.stderr, flush=True)
        write_text_atomic(path, dump_export(export))
    return paths


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux: /proc/PID/task/TID/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(map(int, fh.read().split()))
        except OSError:
            pass
    return out


class TreeMemory(threading.Thread):
    """Peak of the summed resident memory (and proportional set size) of a process and its children."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.rss_mb, self.pss_mb = pid, 0.0, 0.0
        self.done = threading.Event()
        self.page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20

    def run(self) -> None:
        tick = 0
        while not self.done.wait(0.005):
            pids, rss, pss = _tree(self.pid), 0.0, 0.0
            for p in pids:
                try:
                    with open(f"/proc/{p}/statm") as fh:
                        rss += int(fh.read().split()[1]) * self.page_mb
                    if tick % 5 == 0:
                        with open(f"/proc/{p}/smaps_rollup") as fh:
                            pss += next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) / 1024
                except (OSError, StopIteration, ValueError):
                    pass
            self.rss_mb = max(self.rss_mb, rss)
            if tick % 5 == 0:
                self.pss_mb = max(self.pss_mb, pss)
            tick += 1


def one_run(paths: list[Path], out: Path, python: str, source: Path = ROOT, *, sample: bool = False,
            cache: Path | None = None) -> dict[str, float]:
    """One run of the command; ``sample``: with the memory of all its processes sampled (slower);
    ``cache``: the cache folder it keeps its exports in (None: ``--no-cache``, every file read
    afresh)."""
    load_before = os.getloadavg()[0]
    env = {**os.environ, "CLAIMCODER_CACHE_DIR": str(cache)} if cache is not None else None
    # (an app of before the cache, --before, has no such flag, and keeps nothing anyway)
    extra = [] if cache is not None or source != ROOT else ["--no-cache"]
    t = time.perf_counter()
    proc = subprocess.Popen([python, "-m", "app", "agree", *map(str, paths), "--format", "json", "-o", str(out), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=source, env=env)
    tree = TreeMemory(proc.pid)
    if sample and os.path.exists(f"/proc/{proc.pid}/statm"):
        tree.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    tree.done.set()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if tree.is_alive():
        tree.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"claimcoder agree failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
    peak = usage.ru_maxrss / 1024
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": peak,
            "peak_all_mb": max(peak, tree.rss_mb), "peak_pss_mb": max(tree.pss_mb, 0.0),
            "load_before": load_before, "load_after": os.getloadavg()[0]}


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(0.95 * len(xs) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--coders", type=int, nargs="+", default=[3, 10], choices=sorted(TARGETS))
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "claimcoder-bench-agree")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="also run the app in DIR (e.g. `git archive COMMIT app | tar -x -C DIR`), "
                             "alternating with ours, so that both see the same load")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                              "cpus": os.cpu_count()}, "runs": args.runs}
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{'work':<34}{'':>8}{'median':>9}{'p95':>9}   load avg (1 min) before/after each run")
    # the app's modules compiled, as an installed copy has them (pip compiles what it installs,
    # the bundle holds bytecode): an editable checkout under PYTHONDONTWRITEBYTECODE would
    # otherwise compile ~0.1 s of source on every run
    import compileall

    for source in (ROOT, *([args.before] if args.before else [])):
        compileall.compile_dir(str(source / "app"), quiet=1)
    for n in args.coders:
        paths = ensure_exports(args.folder, n)
        seconds, megabytes = TARGETS[n]
        entry: dict[str, object] = {"files_mb": [round(p.stat().st_size / 1e6, 1) for p in paths]}
        reports: dict[str, str] = {}
        with tempfile.TemporaryDirectory() as tmp:
            # three ways a supervisor runs it: every file read afresh (--no-cache); the first run
            # on these files (an empty cache: read, checked and kept); a rerun (all kept)
            modes = ("afresh", "first", "rerun")
            kept = Path(tmp) / "cache-rerun"

            def cache_of(mode: str, k: int) -> Path | None:
                if mode == "afresh":
                    return None
                return kept if mode == "rerun" else Path(tmp) / f"cache-first-{k}"

            def out_of(mode: str) -> Path:
                return Path(tmp) / f"{mode}.json"

            one_run(paths, out_of("rerun"), sys.executable, cache=kept)  # the cache a first run fills
            # page cache warm; memory sampled (the timed runs are not: sampling slows them)
            sampled = {mode: one_run(paths, out_of(mode), sys.executable, sample=True, cache=cache_of(mode, -1))
                       for mode in modes}
            # the timed runs take turns (afresh, first, rerun, afresh, …), so that a busy minute
            # on a shared machine falls on all three ways alike
            runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
            before: list[dict[str, float]] = []
            for k in range(args.runs):
                for mode in modes:
                    runs[mode].append(one_run(paths, out_of(mode), sys.executable, cache=cache_of(mode, k)))
                if args.before:
                    before.append(one_run(paths, Path(tmp) / "before.json", sys.executable, args.before,
                                          cache=Path(tmp) / "cache-before"))
            for mode in modes:
                out = out_of(mode)
                reports[mode] = out.read_text(encoding="utf-8").split('"coders"', 1)[1]
                entry["units"] = json.loads(out.read_text(encoding="utf-8"))["alignment"]["n_units"]
                loads = " ".join(f"{r['load_before']:.1f}/{r['load_after']:.1f}" for r in runs[mode])
                label = f"agree {n} × 100,000 {mode}"
                for key, unit, target in (("wall_s", "s", f"≤ {seconds:g} s"), ("cpu_s", "s cpu", "(cpu; target is wall)"),
                                          ("peak_mb", "MB", "(largest single process)"),
                                          ("peak_all_mb", "MB all", "(all processes, summed RSS; the sampled warm-up run)"),
                                          ("peak_pss_mb", "MB pss", f"≤ {megabytes} MB (all processes, summed PSS; the sampled run)")):
                    xs = [sampled[mode][key]] if key in ("peak_all_mb", "peak_pss_mb") else [r[key] for r in runs[mode]]
                    print(f"{label:<34}{unit:>8}{statistics.median(xs):>9.2f}{p95(xs):>9.2f}   {target}"
                          + (f"   loads {loads}" if key == "wall_s" else ""))
                    label = ""
                entry[mode] = {"runs": [{k: round(v, 3) for k, v in r.items()} for r in runs[mode]],
                               "sampled_run": {k: round(v, 3) for k, v in sampled[mode].items()},
                               **{f"{k}_median": round(statistics.median([r[k] for r in runs[mode]]), 3)
                                  for k in ("wall_s", "cpu_s", "peak_mb")},
                               **{f"{k}_p95": round(p95([r[k] for r in runs[mode]]), 3)
                                  for k in ("wall_s", "cpu_s", "peak_mb")}}
            if before:
                before_loads = " ".join(f"{r['load_before']:.1f}" for r in before)
                for key, unit in (("wall_s", "s"), ("cpu_s", "s cpu"), ("peak_mb", "MB")):
                    xs = [r[key] for r in before]
                    head = "  before (--before)" if key == "wall_s" else ""
                    tail = f"   loads {before_loads}" if key == "wall_s" else ""
                    print(f"{head:<34}{unit:>8}{statistics.median(xs):>9.2f}{p95(xs):>9.2f}{tail}")
                reports["before"] = (Path(tmp) / "before.json").read_text(encoding="utf-8").split('"coders"', 1)[1]
                entry["before"] = [{k: round(v, 3) for k, v in r.items()} for r in before]
        same = len(set(reports.values())) == 1
        print(f"  reports of {', '.join(reports)} identical (after the header): {same}")
        entry["reports_identical"] = same
        results[f"{n}_coders"] = entry
    out = ROOT / "tests" / "perf" / "results" / "agree_cli.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
