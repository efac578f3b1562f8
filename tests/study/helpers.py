"""A small study for the study tests: a master with articles of different lengths and sources."""

from __future__ import annotations

import re
from pathlib import Path

from app.core.domain import NewDocument
from app.core.text import normalize_text, sha256_text
from app.services.project import Project

SOURCES = ["Reuters", "AP", "TASS", "AFP"]


def article(i: int) -> str:
    """Article i: a title and i+3 sentences, each a claim someone could code."""
    body = " ".join(f"Minister {k} said the mission number {i} is still needed." for k in range(i % 7 + 3))
    return normalize_text(f"Article {i}\n\n{body}\n")


def make_master(path: Path, n: int = 20) -> Project:
    master = Project.create(path, name="Study master")
    docs = []
    for i in range(n):
        text = article(i)
        docs.append((NewDocument(text=text, title=f"Article {i}", source=SOURCES[i % len(SOURCES)],
                                 published=f"2026-{1 + i % 3:02d}-15", metadata={"desk": "world" if i % 2 else "home"}),
                     sha256_text(text)))
    master.add_documents(docs)
    master.add_entity("Vladimir Putin", "person", ["Putin", "the Russian president"])
    master.add_entity("United Nations", "organisation", ["UN"])
    return master


def add_articles(master: Project, first: int, n: int) -> None:
    docs = []
    for i in range(first, first + n):
        text = article(i)
        docs.append((NewDocument(text=text, title=f"Article {i}", source=SOURCES[i % len(SOURCES)]), sha256_text(text)))
    master.add_documents(docs)


SENTENCE = re.compile(r"Minister \d+ said the mission number \d+ is still needed\.")


def sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in SENTENCE.finditer(text)]


def code_package(path: Path, name: str, sample: list[str], first: str) -> None:
    """The designed coding of tests/study/test_end_to_end.py (see its docstring)."""
    with Project.open(path) as pkg:
        me = pkg.coder(name)
        for d in pkg.document_summaries():
            s = sentences(pkg.document(d.id).text)
            if d.id in sample:
                pkg.create_statement(d.id, me, *s[0], values={"speaker": "Putin", "stance": "support"})
                pkg.create_statement(d.id, me, *s[1], values={"speaker": "United Nations",
                                                              "stance": "neutral" if name == "cem" else "oppose"})
                if name == "ana":
                    pkg.create_statement(d.id, me, *s[2], values={"speaker": "UN", "stance": "support"})
                if d.id == first and name != "cem":
                    pkg.create_statement(d.id, me, *s[3], values={"speaker": "United Nations",
                                                                  "stance": "support" if name == "ana" else "oppose"})
            else:
                pkg.create_statement(d.id, me, *s[0], values={"speaker": f"Spokesperson of {name}", "stance": "neutral"})
            pkg.set_status(d.id, me, "done")


def build_study(folder: Path, coders: tuple[str, ...] = ("ana", "ben", "cem")) -> tuple[Path, list[str]]:
    """A master with three coders' packages coded as designed and merged; (master, sample in
    project order)."""
    from app.core.study import SampleSpec
    from app.services.study.assign import assign
    from app.services.study.common import study_store
    from app.services.study.merge import merge_files

    out = folder / "packages"
    out.mkdir()
    master_path = folder / "study.ccdb"
    with make_master(master_path) as master:
        assign(master, list(coders), SampleSpec(share=0.2), out, seed=42)
        positions = {s.id: s.position for s in master.document_summaries()}
        sample = sorted({d for d, _, s, _ in study_store(master).handed() if s}, key=positions.get)
    for name in coders:
        code_package(out / f"{name}.ccdb", name, sample, sample[0])
    with Project.open(master_path) as master:
        merge_files(master, [out / f"{n}.ccdb" for n in coders])
    return master_path, sample
