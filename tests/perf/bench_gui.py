"""GUI benchmark (on demand): article switch with highlights painted, statement create/change,
and a 100,000-character article. Run: ``.venv/bin/python tests/perf/bench_gui.py``.

Writes tests/perf/results/gui.json and prints a table. Targets (BRIEF): switch ≤ 50 ms,
create/change ≤ 20 ms.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.domain import NewDocument  # noqa: E402
from app.core.text import sha256_text  # noqa: E402
from app.services.project import Project  # noqa: E402

N_ARTICLES, ARTICLE_CHARS, PER_ARTICLE, SWITCHES = 300, 3000, 50, 100
WORDS = ("the minister said that peace is needed while refugees arrived from the north and Putin "
         "warned that the EU would act soon against the ceasefire violations reported").split()


def article(rng: random.Random, chars: int) -> str:
    parts, n = [], 0
    while n < chars:
        para = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + ".\n"
        parts.append(para)
        n += len(para)
    return "".join(parts)[:chars].rstrip() + "."


def build(path: Path) -> tuple[Project, object]:
    rng = random.Random(1)
    project = Project.create(path)
    texts = [article(rng, ARTICLE_CHARS) for _ in range(N_ARTICLES)]
    project.add_documents([(NewDocument(text=t, title=f"Article {i + 1}"), sha256_text(t)) for i, t in enumerate(texts)])
    big = article(rng, 100_000)
    project.add_documents([(NewDocument(text=big, title="Long report"), sha256_text(big))])
    project.add_entity("Vladimir Putin", "person", ["Putin"])
    project.add_entity("European Union", "organisation", ["EU"])
    coder = project.ensure_coder("bench")
    stances, types = ["oppose", "neutral", "support"], ["assertion", "evaluation", "demand"]
    for summary in project.document_summaries()[:N_ARTICLES]:
        for k in range(PER_ARTICLE):
            start = rng.randrange(0, ARTICLE_CHARS - 200)
            project.create_statement(summary.id, coder, start, start + rng.randint(20, 200),
                                     values={"speaker": "Vladimir Putin", "stance": stances[k % 3], "claim_type": types[k % 3]})
    return project, coder


def ms(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"median_ms": round(statistics.median(s) * 1000, 2), "p95_ms": round(s[int(0.95 * (len(s) - 1))] * 1000, 2),
            "max_ms": round(s[-1] * 1000, 2), "n": len(s)}


def main() -> int:
    import argparse

    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    app = QApplication.instance() or QApplication([])
    app.setOrganizationName("claimcoder-bench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    t0 = time.perf_counter()
    project, coder = build(tmp / "bench.ccdb")
    print(f"built {N_ARTICLES} articles × {PER_ARTICLE} statements in {time.perf_counter() - t0:.1f} s")
    from app.gui.main_window import MainWindow

    t0 = time.perf_counter()
    win = MainWindow(project, coder)
    win.resize(1400, 880)
    win.show()
    app.processEvents()
    win.article.view.viewport().repaint()
    open_ms = (time.perf_counter() - t0) * 1000
    view, session = win.article.view, win.session

    def settle() -> None:
        app.processEvents()
        view.viewport().repaint()

    switch = []
    for _ in range(SWITCHES):
        t = time.perf_counter()
        if session.row_of(session.document.id) >= N_ARTICLES - 1:
            session.open_document(session.summaries[0].id)
        else:
            win.step_document(1)
        settle()
        switch.append(time.perf_counter() - t)
    assert len(session.statements) == PER_ARTICLE

    create, change = [], []
    rng = random.Random(2)
    for _ in range(50):
        start = rng.randrange(0, ARTICLE_CHARS - 100)
        t = time.perf_counter()
        st = session.create_statement(start, start + 50)
        settle()
        create.append(time.perf_counter() - t)
        t = time.perf_counter()
        session.set_value(st.id, "stance", "support")
        settle()
        change.append(time.perf_counter() - t)

    big_id = session.summaries[-1].id
    t = time.perf_counter()
    session.open_document(big_id)
    settle()
    big_open = time.perf_counter() - t
    bar, scroll = view.verticalScrollBar(), []
    for step in range(40):
        t = time.perf_counter()
        bar.setValue(bar.maximum() * step // 39)
        settle()
        scroll.append(time.perf_counter() - t)

    results = {
        "articles": N_ARTICLES, "statements_per_article": PER_ARTICLE,
        "window_open_ms": round(open_ms, 1),
        "switch_article": ms(switch), "create_statement": ms(create), "change_value": ms(change),
        "open_100k_article_ms": round(big_open * 1000, 1), "scroll_100k_step": ms(scroll),
    }
    print(f"{'measure':<28}{'median ms':>12}{'p95 ms':>10}{'max ms':>10}")
    for key in ("switch_article", "create_statement", "change_value", "scroll_100k_step"):
        r = results[key]
        print(f"{key:<28}{r['median_ms']:>12}{r['p95_ms']:>10}{r['max_ms']:>10}")
    print(f"{'window open':<28}{results['window_open_ms']:>12}")
    print(f"{'open 100k-char article':<28}{results['open_100k_article_ms']:>12}")
    out = Path(__file__).resolve().parent / "results" / "gui.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
