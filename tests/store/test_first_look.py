"""The coding window's first look at a project file (app.store.first_look): the same records the
store gives, read before SQLAlchemy is imported; the store attached after it, with nothing lost;
and every file the first look cannot serve opened, or refused, exactly as Project.open does."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.domain import NewDocument
from app.core.errors import ProjectError
from app.core.text import normalize_text, sha256_text
from app.services.lock import LockHolder, ProjectLockedError, lock_path
from app.services.project import Project
from app.store import revisions
from app.store.first_look import FirstLook
from app.store.repository import Repository
from tests.conftest import ARTICLE

ROOT = Path(__file__).resolve().parents[2]


def _study(path: Path) -> Path:
    """A project with what the first paint reads, in its less common forms too: two coders, a
    statement with a note, values and an origin, a document without a date or URL and one with
    metadata, a coder's status, an actor with aliases and attributes, settings of several types."""
    with Project.create(path, name="Første studie") as proj:
        texts = [normalize_text(ARTICLE), normalize_text("Ministerin Jørgensen sagte, das Gesetz komme 2025.")]
        proj.add_documents([
            (NewDocument(text=texts[0], title="Article 1", source="Courier", published="2023-10-13",
                         url="https://example.org/a", metadata={"section": "Politik", "page": 3}), sha256_text(texts[0])),
            (NewDocument(text=texts[1], title="Zweiter Artikel"), sha256_text(texts[1])),
        ])
        first, second = (s.id for s in proj.document_summaries())
        ana, ben = proj.ensure_coder("ana"), proj.ensure_coder("Ben Østergaard")
        proj.create_statement(first, ana, 0, 12, values={"stance": "oppose"}, note="unsicher – prüfen")
        proj.create_statement(first, ana, 20, 40, values={"stance": "support", "claim_type": "evaluation"},
                              origin="candidate-accepted")
        proj.create_statement(first, ben, 0, 12, values={"stance": "support"})
        proj.create_statement(second, ben, 0, 10)
        proj.set_status(first, ana, "done")
        proj.add_entity("Ana Jørgensen", "person", aliases=["Jørgensen", "the minister"], attributes={"party": "SD"})
        proj.add_entity("Courier", "organisation")
        proj.set_setting("closed_actor_list", True)
        proj.set_setting("package_coder", "ana")
        proj.set_setting("weights", {"a": [1, 2.5, None]})
        proj.remember_position(ana, second)
    # times as other programs may have stored them: with a zone, without microseconds, shorter ones
    con = sqlite3.connect(path)
    for when, note in (("2026-03-01T12:00:00+02:00", "unsicher – prüfen"), ("2026-03-01 12:00:00", ""),
                       ("2026-03-01 12:00:00.5", None)):
        con.execute("UPDATE statement SET created_at = ? WHERE rowid = (SELECT min(rowid) FROM statement "
                    "WHERE note = coalesce(?, note) AND created_at NOT LIKE '2026-03-01%')", (when, note))
    con.commit()
    con.close()
    return path


def _reads(repo: Repository | FirstLook, doc_ids: list[str], coder_ids: list[str]) -> dict[str, object]:
    out: dict[str, object] = {
        "info": repo.project_info(),
        "codebook": repo.codebook_content(),
        "coders": repo.coders(),
        "by name": [repo.coder_by_name(n) for n in ("ana", "Ben Østergaard", "nobody")],
        "last document": [repo.last_document_id(c) for c in coder_ids],
        "settings": [repo.setting(k, "default") for k in ("closed_actor_list", "package_coder", "weights", "unset")],
        "entities": repo.entities(),
        "documents": [repo.document(d) for d in [*doc_ids, "no-such-id"]],
    }
    for coder in [None, *coder_ids]:
        out[f"summaries {coder}"] = repo.document_summaries(coder)
        out[f"page {coder}"] = repo.document_summaries(coder, start=2, limit=1)
        out[f"statements {coder}"] = [repo.statements(d, coder) for d in doc_ids]
    return out


def test_the_first_look_reads_what_the_store_reads(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.ccdb")
    with Project.open(path) as proj:
        doc_ids = [s.id for s in proj.document_summaries()]
        coder_ids = [c.id for c in proj.coders()]
        expected = _reads(proj.repository, doc_ids, coder_ids)
    look = Project.open_first_look(path)
    try:
        repo = look.repository
        assert isinstance(repo, FirstLook) and not repo.attached
        found = _reads(repo, doc_ids, coder_ids)
        assert not repo.attached  # every read above was the first look's own
    finally:
        look.close()
    assert found == expected
    # the data is what the test wrote, not merely equal between the two
    assert [c.name for c in found["coders"]] == ["Ben Østergaard", "ana"]  # type: ignore[attr-defined]
    assert found["settings"] == [True, "ana", {"a": [1, 2.5, None]}, "default"]
    assert found["entities"][0].aliases == ("Jørgensen", "the minister")  # type: ignore[index]
    ana_statements = found[f"statements {coder_ids[1]}"][0]  # type: ignore[index]
    assert [(s.start, s.end, s.note, s.origin) for s in ana_statements] == \
        [(0, 12, "unsicher – prüfen", ""), (20, 40, "", "candidate-accepted")]
    assert ana_statements[0].created_at.tzinfo is not None


def test_the_first_paint_reads_need_no_sqlalchemy_and_the_store_attaches_after(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.ccdb")
    probe = """
import json, sys
from app.services.project import Project
project = Project.open_first_look(sys.argv[1])
coder = project.ensure_coder("ana")
doc = project.document(project.last_document_id(coder))
shown = [project.name, project.codebook.name, doc.title, len(project.statements(doc.id, coder)),
         len(project.document_summaries(coder, start=0, limit=50)), len(project.entities()),
         project.setting("closed_actor_list", False)]
before = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic"))
project.finish_opening()
after = "sqlalchemy.orm" in sys.modules
project.close()
print(json.dumps([shown, before, after]))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, env=env,
                         timeout=120, check=True)
    shown, before, after = json.loads(out.stdout.strip().splitlines()[-1])
    assert shown[2:] == ["Zweiter Artikel", 0, 2, 2, True]
    assert before == []
    assert after is True


def test_a_call_the_first_look_does_not_answer_attaches_the_store(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.ccdb")
    project = Project.open_first_look(path)
    try:
        ana = project.ensure_coder("ana")
        assert not project.repository.attached  # type: ignore[union-attr]
        assert project.statement_count(ana) == 2  # not a first-look read: the store answers
        assert project.repository.attached  # type: ignore[union-attr]
        project.finish_opening()
        assert isinstance(project.repository, Repository)
        doc = project.document_summaries()[0].id
        made = project.create_statement(doc, ana, 50, 60, values={"stance": "oppose"})
        assert project.statement(made.id) == made
    finally:
        project.close()


def test_a_new_coder_and_the_remembered_article_are_written(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.ccdb")
    with Project.open(path) as proj:
        first, second = (s.id for s in proj.document_summaries())
    project = Project.open_first_look(path)
    ana = project.ensure_coder("ana")
    project.remember_position(ana, first)  # waits for the store
    assert project.last_document_id(ana) == first
    assert not project.repository.attached  # type: ignore[union-attr]
    project.close()  # closed before the store was attached: the position is still written
    assert not lock_path(path).exists()
    project = Project.open_first_look(path)
    try:
        assert project.last_document_id(project.ensure_coder("ana")) == first
        carl = project.ensure_coder("carl")  # a new coder is a write: the store attaches for it
        assert project.repository.attached  # type: ignore[union-attr]
        project.remember_position(carl, second)
    finally:
        project.close()
    with Project.open(path) as proj:
        assert [c.name for c in proj.coders()] == ["Ben Østergaard", "ana", "carl"]
        assert proj.last_document_id(proj.coder("carl")) == second  # type: ignore[arg-type]


def test_the_file_is_locked_and_checked_before_the_first_look(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.ccdb")
    holder = dataclasses.replace(LockHolder.current(), pid=os.getppid(), user="bob")  # another program, alive
    lock_path(path).write_text(json.dumps(dataclasses.asdict(holder)), encoding="utf-8")
    with pytest.raises(ProjectLockedError, match="bob"):
        Project.open_first_look(path)
    lock_path(path).unlink()
    copy = shutil.copy(path, tmp_path / "planted.ccdb")
    con = sqlite3.connect(copy)
    con.execute("CREATE TRIGGER keep_it_positive AFTER INSERT ON statement BEGIN "
                "UPDATE statement SET \"values\" = '{}' WHERE id = NEW.id; END")
    con.commit()
    con.close()
    with pytest.raises(ProjectError) as caught:
        Project.open_first_look(copy)
    with pytest.raises(ProjectError) as plain:
        Project.open(copy)
    assert caught.value.message == plain.value.message
    assert "trigger 'keep_it_positive' on statement" in caught.value.message
    assert not lock_path(copy).exists()


def test_what_the_first_look_cannot_serve_opens_as_before(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    import make_fixtures

    older = tmp_path / "older.ccdb"
    shutil.copy(make_fixtures.fixture_path(revisions.chain()[-2]), older)
    with Project.open_first_look(older) as project:  # an upgrade goes through the store, after a backup
        assert isinstance(project.repository, Repository)
        assert project.info.schema_revision == revisions.head()
        assert project.backup_path is not None and project.backup_path.exists()


def test_a_file_on_read_only_media_opens_read_only_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.store import file_access

    path = _study(tmp_path / "study.ccdb")
    monkeypatch.setattr(file_access, "writable", lambda _path: False)  # a CD, a write-protected share
    with Project.open_first_look(path) as project:
        assert project.read_only and isinstance(project.repository, Repository)
        assert project.read_only_reason
        assert project.name == "Første studie"
    assert not lock_path(path).exists()


def test_a_store_that_refuses_the_file_after_the_first_look_says_so_every_time(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from app.store import schema_columns

    path = _study(tmp_path / "study.ccdb")
    project = Project.open_first_look(path)
    coder = project.ensure_coder("ana")

    def refuse(*_args: object) -> None:
        raise ProjectError(f"{path}: its statement table lacks the column 'origin'")

    monkeypatch.setattr(schema_columns, "check_required_columns", refuse)
    for _ in range(2):
        with pytest.raises(ProjectError, match="lacks the column 'origin'"):
            project.finish_opening()
    with pytest.raises(ProjectError, match="lacks the column 'origin'"):
        project.statement_count(coder)
    assert not lock_path(path).exists()  # the failed open let the file go
    project.remember_position(coder, None)
    project.close()  # no traceback for the position it cannot write
    assert json.loads(json.dumps(project.name)) == "Første studie"


def test_a_project_closed_before_its_store_was_needed_does_not_open_it_afterwards(tmp_path: Path) -> None:
    """The window closed while the store was loading: nothing opens the file behind it later."""
    path = _study(tmp_path / "study.ccdb")
    project = Project.open_first_look(path)
    look = project.repository
    project.close()
    assert not lock_path(path).exists()
    with pytest.raises(ProjectError, match="closed before its store was opened"):
        project.finish_opening()
    assert isinstance(look, FirstLook) and not look.attached
