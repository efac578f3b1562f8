"""A small study for the study tests: a master with articles of different lengths and sources."""

from __future__ import annotations

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
