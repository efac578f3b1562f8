"""The streamed export (store rows → file) against the model path (pydantic per statement).

The streamed writer replaced ``write_export_json`` / ``write_export_csv`` for ordinary coders:
its files must be byte for byte what the model path writes, on a project that exercises every
value kind, unicode and emoji, overlapping statements, notes, origins and chunk boundaries, and
must be refused where the model path refuses.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from app.core.codebook import parse_codebook
from app.core.domain import Statement
from app.core.errors import ExportFormatError
from app.core.export_model import load_export
from app.io import export_stream
from app.io.export_stream import _csv_column, _quoting, write_csv_streamed, write_json_streamed
from app.io.export_writer import write_export_csv, write_export_json
from app.services import exporting
from app.services.project import Project
from app.store.models import DocumentRow, StatementRow
from app.store.repository import new_id
from tests.conftest import add_texts

REPO = Path(__file__).resolve().parents[2]

CODEBOOK = parse_codebook({
    "name": "Every kind", "version": "3",
    "variables": [
        {"key": "speaker", "label": "Speaker", "kind": "entity", "required": True},
        {"key": "stance", "label": "Stance", "kind": "category", "level": "ordinal",
         "categories": [{"value": "oppose", "score": -1}, {"value": "neutral", "score": 0},
                        {"value": "support", "score": 1}]},
        {"key": "quote", "label": "Quote", "kind": "text"},
        {"key": "count", "label": "Count", "kind": "number", "level": "ratio"},
        {"key": "direct", "label": "Direct", "kind": "boolean"},
    ],
})

TEXTS = [
    "Ceasefire holds 😀 𝄞, said the minister.\n\n\"We stay\", the president said\tagain.",
    "-5 % growth: =SUM(A1) is not a formula here; @home +1.\nZürich, Genève, 東京, عربى.",
    "An article nobody coded.",
    "\u200b=HYPERLINK(\"x\") starts after an invisible space; the back\\slash and the 'quote'.",
]


def _project(project: Project) -> tuple[Project, list[str]]:
    project.set_codebook(CODEBOOK)
    ids = add_texts(project, *TEXTS)
    with project._repo.session() as s:  # metadata and the fields a spreadsheet might run
        s.execute(update(DocumentRow).where(DocumentRow.id == ids[1]).values(
            meta={"newspaper": "=Daily", "page": 3, "tags": ["a", "b"]}, url="https://example.org/ä",
            published="2023-10-13", title="+Headline", source="@wire"))
        s.execute(update(DocumentRow).where(DocumentRow.id == ids[0]).values(meta={"page": 1.5}))
    alice, bob = project.ensure_coder("alice"), project.ensure_coder("bob")
    t0, t1 = TEXTS[0], TEXTS[1]
    emoji = t0.index("😀")
    project.create_statement(ids[0], alice, 0, len(t0), values={"speaker": "The minister", "stance": "support"},
                             note="whole article ✓")
    project.create_statement(ids[0], alice, emoji, emoji + 3, values={"speaker": "😀 Smiley", "count": 3,
                                                                       "direct": True}, origin="candidate")
    project.create_statement(ids[0], alice, emoji, emoji + 3, values={"speaker": "Twin", "direct": False},
                             origin="candidate-changed")  # same span twice
    project.create_statement(ids[0], alice, 3, 20, values={"speaker": "Overlap", "count": 1e20, "quote": "=1+1"},
                             note="+ a note that starts like a formula\nover two lines")
    project.create_statement(ids[1], alice, 0, 5, values={"speaker": "-Minus", "count": 0.1, "stance": "oppose"})
    project.create_statement(ids[1], alice, t1.index("Zürich"), len(t1), values={"speaker": "東京", "count": -0.0,
                                                                                 "quote": "\"quoted\"\ttab"})
    project.create_statement(ids[3], alice, 0, 10, values={"speaker": "Invisible"})
    project.create_statement(ids[1], bob, 0, 3, values={"speaker": "Bob's"})  # another coder: left out
    when = datetime(2026, 3, 1, 12, 0, 0, 120000, tzinfo=timezone.utc)
    project.import_statements([
        Statement(new_id(), ids[1], alice.id, 10, 30, {"speaker": "Imported", "quote": "", "count": 7,
                                                        "stance": "neutral"}, "", when, when + timedelta(seconds=1)),
        Statement(new_id(), ids[3], alice.id, 2, 9, {"speaker": "Big", "count": 123456789012345678901234567890},
                  "note", when.replace(microsecond=0), when.replace(microsecond=5)),
    ])
    project.set_status(ids[0], alice, "done")
    project.set_status(ids[2], alice, "skipped")
    return project, ids


def _model_and_stream(project: Project, tmp_path: Path, fmt: str, chunk: int) -> tuple[bytes, bytes]:
    coder = project.coder("alice")
    header = exporting._header(project, coder)
    old, new = tmp_path / f"model.{fmt}", tmp_path / f"stream.{fmt}"
    documents = exporting._documents(project, coder)
    rows = functools.partial(project.export_document_rows, coder, chunk=min(chunk, 500))
    statements = project.export_statement_rows(coder, chunk=chunk)
    if fmt == "json":
        write_export_json(old, header, documents, exporting._statements(project, coder))
        texts = functools.partial(project.export_document_rows, coder, details=False, chunk=min(chunk, 500))
        n_docs, n = write_json_streamed(new, header, rows, statements, texts)
    else:
        write_export_csv(old, header, documents, exporting._statements(project, coder))
        n_docs, n = write_csv_streamed(new, header, rows, statements, project.export_document_rows(coder, text=False))
    assert (n_docs, n) == (4, 9)  # counted by hand above: 4 articles, alice's 9 statements
    return old.read_bytes(), new.read_bytes()


@pytest.mark.parametrize("chunk", [5000, 2, 1])
def test_streamed_json_is_the_model_paths_bytes(project: Project, tmp_path: Path, chunk: int) -> None:
    _project(project)
    old, new = _model_and_stream(project, tmp_path, "json", chunk)
    assert new == old
    data = json.loads(new)
    schema = json.loads((REPO / "schema" / "export.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    export = load_export(tmp_path / "stream.json")  # and claimcoder reads it back
    assert len(export.statements) == 9
    by_speaker = {st.values["speaker"]: st for st in export.statements}
    assert by_speaker["😀 Smiley"].text == "😀 𝄞" and by_speaker["😀 Smiley"].origin == "candidate"
    assert by_speaker["Big"].values["count"] == 123456789012345678901234567890
    assert by_speaker["Imported"].values["quote"] == ""
    # written by hand: pydantic's forms of 1e20 and of these timestamps
    assert b'"count": 1e+20' in new
    assert b'"created_at": "2026-03-01T12:00:00.120000Z"' in new
    assert b'"updated_at": "2026-03-01T12:00:00.000005Z"' in new
    assert b'"created_at": "2026-03-01T12:00:00Z"' in new


@pytest.mark.parametrize("chunk", [5000, 2, 1])
def test_streamed_csv_is_the_model_paths_bytes(project: Project, tmp_path: Path, chunk: int) -> None:
    _project(project)
    old, new = _model_and_stream(project, tmp_path, "csv", chunk)
    assert new == old
    text = new.decode("utf-8-sig")
    assert "'+Headline" in text and "'@wire" in text and "'=Daily" in text and "'-Minus" in text
    assert "'=1+1" in text and "'\u200b=HYPERLIN" in text


def test_a_timestamp_in_another_form_is_written_as_the_model_writes_it(project: Project, tmp_path: Path) -> None:
    if project._repo.engine.dialect.name != "sqlite":
        pytest.skip("stored text of a timestamp: SQLite only")
    _project(project)
    with project._repo.engine.begin() as conn:  # as another program might have stored them
        conn.exec_driver_sql("UPDATE statement SET created_at = '2026-03-01T12:00:00+02:00' "
                             "WHERE note = 'whole article ✓'")
        conn.exec_driver_sql("UPDATE statement SET updated_at = '2026-03-01 12:00:00' WHERE note = 'note'")
    for fmt in ("json", "csv"):
        old, new = _model_and_stream(project, tmp_path, fmt, 3)
        assert new == old
    assert b"2026-03-01T12:00:00+02:00" in new


def test_timestamps_shared_by_many_statements_are_written_as_the_model_writes_them(project: Project,
                                                                                   tmp_path: Path) -> None:
    """A chunk whose statements share a few timestamps converts each once (imported in bulk)."""
    _project(project)
    with project._repo.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE statement SET created_at = '2026-03-01 12:00:00.000000', "
                             "updated_at = '2026-03-01 12:00:00.000000'")
        conn.exec_driver_sql("UPDATE statement SET updated_at = '2026-03-02 08:30:00.250000' WHERE note = 'note'")
    for fmt in ("json", "csv"):
        old, new = _model_and_stream(project, tmp_path, fmt, 5000)
        assert new == old
    # by hand: eight statements written at noon, the ninth changed the next morning
    assert new.count(b"2026-03-01T12:00:00+00:00,2026-03-01T12:00:00+00:00") == 8
    assert new.count(b"2026-03-01T12:00:00+00:00,2026-03-02T08:30:00.250000+00:00") == 1


def _broken(project: Project, tmp_path: Path, fmt: str) -> str:
    coder = project.coder("alice")
    header = exporting._header(project, coder)
    rows = functools.partial(project.export_document_rows, coder)
    out = tmp_path / f"broken.{fmt}"
    with pytest.raises(ExportFormatError) as exc:
        if fmt == "json":
            write_json_streamed(out, header, rows, project.export_statement_rows(coder, chunk=4))
        else:
            write_csv_streamed(out, header, rows, project.export_statement_rows(coder, chunk=4),
                               project.export_document_rows(coder, text=False))
    assert not out.exists() and not list(tmp_path.glob(".broken*"))  # nothing half-written is left
    return str(exc.value)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_values_the_codebook_refuses_are_refused_by_name(project: Project, tmp_path: Path, fmt: str) -> None:
    _project(project)
    (st,) = [s for s in project.iter_statements(project.coder("alice")) if s.values.get("speaker") == "Overlap"]
    for values, why in [
        ({"speaker": "x", "stance": "maybe"}, "'maybe' is not a category of 'stance' (allowed: oppose, neutral, support)"),
        ({"speaker": "x", "direct": 1}, "'direct' takes true or false, not 1"),
        ({"speaker": "x", "count": True}, "'count' takes a number, not True"),
        ({"speaker": "x", "count": [1]}, "'count' takes a number, not [1]"),
        ({"speaker": "x", "colour": "red"}, "unknown variable 'colour'"),
    ]:
        with project._repo.session() as s:  # stored behind the service's back
            s.execute(update(StatementRow).where(StatementRow.id == st.id).values(values=values))
        assert _broken(project, tmp_path, fmt) == f"{tmp_path / ('broken.' + fmt)}: statement {st.id}: {why}"


@pytest.mark.parametrize("limit", [1, 2, 50_000])
def test_values_seen_before_are_written_from_their_cells(project: Project, tmp_path: Path, limit: int,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The CSV keeps the cells of each values text it has checked: statements sharing one are
    written from them, in chunks of one statement, with the cells kept or dropped each chunk
    (``limit``), and are the model path's bytes; a refused value after them is still refused."""
    _, ids = _project(project)
    monkeypatch.setattr(export_stream._Rendered, "LIMIT", limit)
    alice = project.coder("alice")
    same = {"speaker": "=Twin, again", "stance": "oppose", "direct": True, "count": 2}
    for start in (1, 4, 7):  # the same values three times, in three documents' worth of chunks
        project.create_statement(ids[1], alice, start, start + 2, values=same)
        project.create_statement(ids[3], alice, start, start + 1, values=same)
    coder = project.coder("alice")
    header = exporting._header(project, coder)
    write_export_csv(tmp_path / "model.csv", header, exporting._documents(project, coder),
                     exporting._statements(project, coder))
    for chunk in (1, 3):
        out = tmp_path / f"stream{chunk}.csv"
        write_csv_streamed(out, header, functools.partial(project.export_document_rows, coder, chunk=2),
                           project.export_statement_rows(coder, chunk=chunk), project.export_document_rows(coder, text=False))
        assert out.read_bytes() == (tmp_path / "model.csv").read_bytes()
    assert (tmp_path / "model.csv").read_text("utf-8-sig").count("\"'=Twin, again\",oppose,,2,true") == 6
    (last,) = [s for s in project.iter_statements(alice) if s.document_id == ids[3] and s.start == 7]
    with project._repo.session() as s:  # a category the codebook lacks, after the texts seen before
        s.execute(update(StatementRow).where(StatementRow.id == last.id).values(values={**same, "stance": "maybe"}))
    assert _broken(project, tmp_path, "csv").endswith(f"statement {last.id}: 'maybe' is not a category of 'stance' "
                                                      "(allowed: oppose, neutral, support)")


def test_a_true_beside_a_one_is_still_refused(project: Project, tmp_path: Path) -> None:
    """1 == True in a set: a check per distinct value must keep their types apart."""
    _project(project)
    sts = [s for s in project.iter_statements(project.coder("alice"))]
    with project._repo.session() as s:
        s.execute(update(StatementRow).where(StatementRow.id == sts[0].id).values(values={"speaker": "a", "direct": True}))
        s.execute(update(StatementRow).where(StatementRow.id == sts[1].id).values(values={"speaker": "a", "count": 1}))
        s.execute(update(StatementRow).where(StatementRow.id == sts[2].id).values(values={"speaker": "a", "count": True}))
    assert _broken(project, tmp_path, "json").endswith(f"statement {sts[2].id}: 'count' takes a number, not True")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_offsets_outside_the_text_are_refused(project: Project, tmp_path: Path, fmt: str) -> None:
    _project(project)
    st = next(iter(project.iter_statements(project.coder("alice"))))
    with project._repo.session() as s:
        s.execute(update(StatementRow).where(StatementRow.id == st.id).values(end=10_000))
    assert _broken(project, tmp_path, fmt).endswith(f"statement {st.id} lies outside its document")


def test_a_bad_document_is_refused_counting_from_the_first(project: Project, tmp_path: Path) -> None:
    _, ids = _project(project)
    with project._repo.session() as s:
        s.execute(update(DocumentRow).where(DocumentRow.id == ids[3]).values(sha256="not a hash"))
    coder = project.coder("alice")
    out = tmp_path / "bad.json"
    with pytest.raises(ExportFormatError, match=r"documents: \[3\]\.sha256"):
        write_json_streamed(out, exporting._header(project, coder),
                            functools.partial(project.export_document_rows, coder),
                            project.export_statement_rows(coder))


def test_export_coder_uses_the_stream_and_counts(project: Project, tmp_path: Path) -> None:
    _project(project)
    for fmt in ("json", "csv"):
        written = exporting.export_coder(project, "alice", tmp_path / f"alice.{fmt}", fmt)  # type: ignore[arg-type]
        assert (written.documents, written.statements) == (4, 9)
    assert len(load_export(tmp_path / "alice.json").statements) == 9
    empty = exporting.export_coder(project, "carol", tmp_path / "carol.json")
    assert (empty.documents, empty.statements) == (4, 0)
    assert load_export(tmp_path / "carol.json").statements == []


@given(st.lists(st.one_of(st.text(max_size=8), st.integers(), st.floats(allow_nan=False)), min_size=2, max_size=6))
def test_csv_cells_are_written_as_the_csv_module_writes_them(row: list[object]) -> None:
    """The streamed CSV renders cells itself; the csv module's default dialect is the reference."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(row)
    assert ",".join(cell for (cell,) in (_csv_column([v]) for v in row)) + "\r\n" == buf.getvalue()


@given(st.lists(st.text(alphabet='a,"\n\r é', max_size=6), min_size=1, max_size=8))
def test_a_column_of_cells_is_written_as_the_csv_module_writes_each(column: list[str]) -> None:
    """Quoted by column (one replace over the joined cells) as the csv module quotes each cell."""
    expected = []
    for cell in column:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow([cell, ""])  # a lone "" is written as '""'
        expected.append(buf.getvalue()[:-3])
    assert _csv_column(column) == expected


@given(st.lists(st.text(alphabet='a,"\n\r é\x00😀', max_size=6), min_size=1, max_size=8))
def test_statement_texts_are_quoted_as_the_column_is(column: list[str]) -> None:
    """The texts' quotes are written as the separators around them: the same cells."""
    texts, quote = _quoting(column)
    flags = quote or [False] * len(column)
    assert [('"' + t + '"') if q else t for t, q in zip(texts, flags)] == _csv_column(column)


def test_a_cell_holding_the_column_separator_is_quoted_alone() -> None:
    # by hand: the csv module's rule, a comma or a quote inside means quotes around, quotes doubled
    assert _csv_column(['a\x00,b', 'x"y', "plain"]) == ['"a\x00,b"', '"x""y"', "plain"]
