"""The export on two cores (:mod:`app.services.export_parts`): the second process's part, copied
in after this process's statements, must give the bytes of the model path (and so of the single
streamed writer), wherever the documents are cut; a refusal found by the second process reads as
if found here; a second process that dies leaves its half to this one."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import update

from app.core.errors import ExportFormatError
from app.io.export_stream import csv_meta_keys
from app.io.export_writer import write_export_csv, write_export_json
from app.services import export_parts, exporting
from app.services.project import Project
from app.store.models import StatementRow
from tests.services.test_export_stream import _project


@pytest.fixture()
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_parts, "PARALLEL_MIN", 1)


def _expected(project: Project, header: object, path: Path, fmt: str) -> bytes:
    coder = project.coder("alice")
    documents = exporting._documents(project, coder)
    write = write_export_json if fmt == "json" else write_export_csv
    write(path, header, documents, exporting._statements(project, coder))  # type: ignore[operator]
    return path.read_bytes()


def _parallel(project: Project, tmp_path: Path, fmt: str) -> tuple[bytes, bytes, tuple[int, int]]:
    coder = project.coder("alice")
    header = exporting._header(project, coder)
    out = tmp_path / f"two.{fmt}"
    counts = exporting._streamed(project, coder, header, out, fmt)
    assert not list(tmp_path.glob(".two*"))  # the part is gone
    return out.read_bytes(), _expected(project, header, tmp_path / f"model.{fmt}", fmt), counts


def test_the_metadata_pass_reads_the_documents_of_its_window(project: Project) -> None:
    """The CSV's ``meta_`` columns come from a pass without statuses or order: the same
    documents and metadata as the ordered read, in each window."""
    _, ids = _project(project)
    repo, alice = project.repository, project.coder("alice")
    cut, last = (2, ids[1]), (4, ids[3])
    for window in (None, (None, cut), (cut, last), (None, last)):
        ordered = [(r[0], r[7]) for rows in project.export_document_rows(alice, text=False, window=window) for r in rows]
        rows = [r for chunk in repo.export_metadata(window=window, chunk=1) for r in chunk]
        assert sorted((r[0], r[7]) for r in rows) == sorted(ordered)
        assert {len(r) for r in rows} == {9} and {r[6] for r in rows} == {None}  # export_documents' shape
    assert len([r for chunk in repo.export_metadata(window=(cut, last)) for r in chunk]) == 2  # ids[2], ids[3]
    assert csv_meta_keys(repo.export_metadata()) == (4, ["newspaper", "page", "tags"])  # set by hand in _project


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("share", [0.25, 0.5, 0.75, 1.0])  # 1.0: no cut, one process
def test_two_processes_write_the_model_paths_bytes(project: Project, tmp_path: Path, two_cores: None,
                                                    monkeypatch: pytest.MonkeyPatch, fmt: str, share: float) -> None:
    if project.repository.engine.dialect.name != "sqlite":
        assert not export_parts.wanted(project, project.coder("alice") or project.ensure_coder("alice"))
        pytest.skip("team mode stays sequential")
    _project(project)
    monkeypatch.setattr(export_parts, "SHARE", {"json": share, "csv": share})
    # the second process really wrote its half: the fallback here is not taken
    monkeypatch.setattr(export_parts.SecondHalf, "_write_here", lambda *a: pytest.fail("written here"))
    new, old, counts = _parallel(project, tmp_path, fmt)
    assert counts == (4, 9)  # counted by hand in _project: 4 articles, alice's 9 statements
    assert new == old


def test_the_cut_is_after_a_share_of_the_documents(project: Project) -> None:
    _, ids = _project(project)  # positions 1..4 in the order added
    repo = project.repository
    assert repo.export_cut(0.5) == ((2, ids[1]), (4, ids[3]))
    assert repo.export_cut(0.1) == ((1, ids[0]), (4, ids[3]))  # never an empty first run
    alice = project.coder("alice")
    firsts = [r[0] for rows in project.export_document_rows(alice, window=(None, (2, ids[1]))) for r in rows]
    lasts = [r[0] for rows in project.export_document_rows(alice, window=((2, ids[1]), (4, ids[3]))) for r in rows]
    assert (firsts, lasts) == (ids[:2], ids[2:])
    in_window = [r[1] for rows in project.export_statement_rows(alice, window=((2, ids[1]), None)) for r in rows]
    assert in_window == [ids[3], ids[3]]  # alice's two statements in the fourth article, none in the third


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_refusal_in_the_second_half_reads_as_the_single_writers(project: Project, tmp_path: Path, two_cores: None,
                                                                  fmt: str) -> None:
    if project.repository.engine.dialect.name != "sqlite":
        pytest.skip("team mode stays sequential")
    _, ids = _project(project)
    (st,) = [s for s in project.iter_statements(project.coder("alice")) if s.values.get("speaker") == "Big"]
    assert st.document_id == ids[3]  # in the second process's half
    with project._repo.session() as s:
        s.execute(update(StatementRow).where(StatementRow.id == st.id).values(values={"speaker": "x", "stance": "maybe"}))
    out = tmp_path / f"bad.{fmt}"
    with pytest.raises(ExportFormatError) as exc:
        exporting.export_coder(project, "alice", out, fmt)  # type: ignore[arg-type]
    assert str(exc.value) == (f"{out}: statement {st.id}: 'maybe' is not a category of 'stance' "
                              "(allowed: oppose, neutral, support)")
    assert not out.exists() and not list(tmp_path.glob(".bad*"))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_second_process_that_dies_leaves_its_half_to_this_one(project: Project, tmp_path: Path, two_cores: None,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture, fmt: str) -> None:
    if project.repository.engine.dialect.name != "sqlite":
        pytest.skip("team mode stays sequential")
    _project(project)
    monkeypatch.setattr(export_parts, "_CHILD", "import os; os._exit(3)")
    with caplog.at_level(logging.WARNING, logger="app.services.export_parts"):
        new, old, counts = _parallel(project, tmp_path, fmt)
    assert counts == (4, 9) and new == old
    assert "ended with 3" in caplog.text


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_part_left_half_written_is_taken_back(project: Project, tmp_path: Path, two_cores: None,
                                                 monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """The part is copied in while the second process writes it: one that dies after writing
    some of it leaves those bytes in the output for a while; they are cut off again and the
    half is written here, so the file is the single writer's."""
    if project.repository.engine.dialect.name != "sqlite":
        pytest.skip("team mode stays sequential")
    _project(project)
    monkeypatch.setattr(export_parts, "_CHILD", (
        "import sys, os, time, pickle; sys.path[:0] = sys.argv[1:]; job = pickle.loads(sys.stdin.buffer.read()); "
        "fh = open(job.part, 'wb'); fh.write(b'half a row, then'); fh.flush(); time.sleep(0.5); os._exit(3)"))
    copied = []
    step = export_parts._PartCopy.step
    monkeypatch.setattr(export_parts._PartCopy, "step", lambda self: (step(self), copied.append(self._done)))
    new, old, counts = _parallel(project, tmp_path, fmt)
    assert len(b"half a row, then") in copied  # it was in the output before the process died
    assert counts == (4, 9) and new == old


def test_small_exports_stay_in_one_process(project: Project) -> None:
    _project(project)
    assert export_parts.PARALLEL_MIN == 200_000
    assert not export_parts.wanted(project, project.coder("alice"))


def test_a_frozen_executable_is_started_as_the_second_process_with_its_flag(
        project: Project, tmp_path: Path, two_cores: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the bundle sys.executable is claimcoder itself (no ``-c``): the second process is that
    executable with the worker flag, which the bundle's entry script (packaging/entry.py) runs
    before anything else. Here a small launcher stands in for the frozen executable."""
    if project.repository.engine.dialect.name != "sqlite":
        pytest.skip("team mode stays sequential")
    root = Path(__file__).resolve().parents[2]
    launcher = tmp_path / "claimcoder"
    launcher.write_text(f'#!/bin/sh\nPYTHONPATH="{root}" exec "{sys.executable}" "{root / "packaging" / "entry.py"}" "$@"\n')
    launcher.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(launcher))
    assert export_parts.child_command() == [str(launcher), export_parts.WORKER_FLAG]
    _project(project)
    assert export_parts.wanted(project, project.coder("alice"))  # a frozen bundle splits too
    monkeypatch.setattr(export_parts, "SHARE", {"json": 0.5, "csv": 0.5})
    monkeypatch.setattr(export_parts.SecondHalf, "_write_here", lambda *a: pytest.fail("written here"))
    for fmt in ("json", "csv"):
        new, old, counts = _parallel(project, tmp_path, fmt)
        assert counts == (4, 9)  # as above, counted by hand
        assert new == old
    assert os.access(launcher, os.X_OK)
