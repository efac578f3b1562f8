"""The demo project: a few bundled fictional articles, an actor list and some coded statements.

It shows a first-time user every part of the tool at once — articles to read, entities with
aliases for the speaker field, and statements already coded by the coder "demo" — without
touching their own data. The material lives in ``app/resources/demo`` (``articles.json`` plus
one UTF-8 ``.txt`` per article, first line = title). Statements are located by searching the
article for their quoted text, so editing an article never leaves a span pointing at the wrong
words: a quote that is no longer found is an error here, caught by the tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.core.domain import NewDocument
from app.core.errors import ProjectError
from app.core.text import normalize_text, sha256_text
from app.services.project import Project

DEMO_FILE = "demo.ccdb"
DEMO_NAME = "Demo: political claims in the news"


def demo_resources() -> Path:
    return Path(__file__).resolve().parent.parent / "resources" / "demo"


def create_demo_project(folder: Path) -> Path:
    """Create ``folder/demo.ccdb`` with the default codebook and the bundled material."""
    folder = Path(folder)
    target = folder / DEMO_FILE
    if target.exists():
        raise ProjectError(f"{target}: a demo project already exists there; open it or choose another folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    manifest = _manifest()
    with Project.create(target, name=DEMO_NAME) as project:
        doc_ids = _add_articles(project, manifest["articles"])
        for ent in manifest["entities"]:
            project.add_entity(ent["name"], ent.get("kind", ""), ent.get("aliases", []))
        _add_statements(project, manifest, doc_ids)
    return target


def _manifest() -> dict[str, Any]:
    path = demo_resources() / "articles.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProjectError(f"{path}: the bundled demo material is missing or damaged ({exc})") from None
    return data


def _add_articles(project: Project, articles: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Store each article (one transaction each); file name → (document id, text)."""
    stored: dict[str, str] = {}
    for item in articles:
        path = demo_resources() / item["file"]
        text = normalize_text(path.read_text(encoding="utf-8"))
        title = text.split("\n", 1)[0].strip()
        doc = NewDocument(text=text, title=title, source=item.get("source", ""), published=item.get("published"),
                          url=item.get("url"), origin=f"demo/{item['file']}")
        project.add_documents([(doc, sha256_text(text))])
        stored[sha256_text(text)] = item["file"]
    out: dict[str, tuple[str, str]] = {}
    for summary in project.document_summaries():
        doc = project.document(summary.id)
        if doc.sha256 in stored:
            out[stored[doc.sha256]] = (doc.id, doc.text)
    return out


def _add_statements(project: Project, manifest: dict[str, Any], doc_ids: dict[str, tuple[str, str]]) -> None:
    coder = project.ensure_coder(manifest.get("coder", "demo"))
    coded: list[str] = []
    for item in manifest["statements"]:
        doc_id, text = doc_ids[item["file"]]
        start = text.find(item["quote"])
        if start < 0:
            raise ProjectError(f"demo material: quote not found in {item['file']}: {item['quote'][:60]}")
        project.create_statement(doc_id, coder, start, start + len(item["quote"]),
                                 values=item["values"], note=item.get("note", ""))
        if doc_id not in coded:
            coded.append(doc_id)
    # The first article is finished, the second still open: both states show in the list.
    for n, doc_id in enumerate(coded):
        project.set_status(doc_id, coder, "done" if n == 0 else "in_progress")
    if coded:
        project.remember_position(coder, coded[-1])
