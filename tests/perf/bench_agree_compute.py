"""On-demand benchmark of the agreement computation alone (issue 18), without reading or imports.

``bench_agree_cli.py`` times the whole ``claimcoder agree``; this one reads the same exports once
(as the CLI does: ``load_export_rows(..., columns_only=True)``) and then times
``compute_agreement`` on them several times in the same process, stage by stage (through its
progress callback), with the CPU time (user + sys) beside the wall time: on a shared machine
the CPU time is the steadier figure. It also prints how much the process's peak memory rose
during the computations (the peak after reading is printed first) and the 1-minute load average.

Run: ``.venv/bin/python tests/perf/bench_agree_compute.py [--runs 5] [--coders 3 10] [--folder DIR]``
with the folder ``bench_agree_cli.py`` writes (``DIR/3-coders/c0.json`` …; missing exports are
written there first, as that script does). Results go to ``tests/perf/results/agree_compute.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agree_cli import ensure_exports, p95  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--coders", type=int, nargs="+", default=[3, 10])
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "claimcoder-bench-agree")
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()

    from app.core.agreement import compute_agreement
    from app.core.export_model import load_export_rows

    results: dict[str, object] = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                              "cpus": os.cpu_count()}, "runs": args.runs}
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    for n in args.coders:
        paths = ensure_exports(args.folder, n)
        gc.collect()
        texts: dict[str, str] = {}
        exports = [load_export_rows(p, texts, columns_only=True) for p in paths]
        after_read = peak_mb()
        walls, cpus, loads = [], [], []
        stages: dict[str, list[float]] = {}
        gc.disable()  # as the CLI runs it (app.cli.main: paused_gc)
        try:
            for _ in range(args.runs + 1):  # the first run warms up and is not counted
                marks: list[tuple[str, float]] = []
                loads.append(os.getloadavg()[0])
                t, c = time.perf_counter(), cpu()
                compute_agreement(exports, sources=[str(p) for p in paths], bootstrap=args.bootstrap, seed=0,
                                  include_disagreements=False,
                                  progress=lambda step, total, what: marks.append((what, cpu())))
                walls.append(time.perf_counter() - t)
                cpus.append(cpu() - c)
                marks.append(("end", cpu()))
                for k in range(len(marks) - 1):
                    stages.setdefault(marks[k][0], []).append(marks[k + 1][1] - marks[k][1])
        finally:
            gc.enable()
        walls, cpus, loads = walls[1:], cpus[1:], loads[1:]
        stages = {k: v[1:] for k, v in stages.items()}
        peak = peak_mb()
        del exports, texts
        label = f"compute_agreement, {n} coders"
        print(f"{label:<40}{'median':>9}{'p95':>9}")
        print(f"{'  wall (s)':<40}{statistics.median(walls):>9.3f}{p95(walls):>9.3f}"
              f"   load avg (1 min) {' '.join(f'{x:.1f}' for x in loads)}")
        print(f"{'  cpu, user + sys (s)':<40}{statistics.median(cpus):>9.3f}{p95(cpus):>9.3f}")
        for what, xs in stages.items():
            print(f"{'    ' + what[:34] + ' (cpu)':<40}{statistics.median(xs):>9.3f}{p95(xs):>9.3f}")
        print(f"{'  peak MB after reading / after computing':<40}{after_read:>9.0f}{peak:>9.0f}")
        results[f"{n}_coders"] = {
            "wall_s": [round(x, 3) for x in walls], "cpu_s": [round(x, 3) for x in cpus],
            "wall_s_median": round(statistics.median(walls), 3), "cpu_s_median": round(statistics.median(cpus), 3),
            "stages_cpu_s_median": {k: round(statistics.median(v), 3) for k, v in stages.items()},
            "peak_mb_after_reading": round(after_read), "peak_mb_after_computing": round(peak), "loads": loads}
    out = ROOT / "tests" / "perf" / "results" / "agree_compute.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
