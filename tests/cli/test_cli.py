"""Contract 3: exit 0 on success, 1 with one line on stderr for user errors, 2 for usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from app import __version__
from app.core.export_model import load_export
from app.core.text import normalize_text, sha256_text
from app.main import main
from app.services.project import Project

REPO = Path(__file__).resolve().parents[2]

NEWS = {
    "ceasefire.txt": "Peacekeepers guarantee the ceasefire, president says\n\nThe president on Friday called the "
    "peacekeeping contingent “the guarantor of the ceasefire”. Deputy foreign minister Anna Petrova said "
    "the mission was “still needed”.\r\nMore than 100,000 people have fled since September.\r\n",
    "budget.txt": "Budget talks collapse\n\nFinance minister Jonas Berg said the opposition’s demands were "
    "“simply unaffordable”, while opposition leader Maria Lind accused the government of hiding the deficit.\n",
    "nested/unicode.txt": "Саммит в Ереване 😀\n\nПремьер-министр заявил, что «мир возможен». Ե՛րևան — 𝄞.\n",
}


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    for name, text in NEWS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    return folder


def run(*args: str | Path) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True, cwd=REPO)
    return proc.returncode, proc.stdout, proc.stderr


def test_newcomer_session(tmp_path: Path, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "study.ccdb"
    assert main(["new", str(study)]) == 0
    assert main(["import", str(study), str(articles)]) == 0
    out = capsys.readouterr().out
    assert "Imported 3 articles, skipped 0 duplicates, 0 files failed" in out
    alice = tmp_path / "alice.json"
    assert main(["export", str(study), "--coder", "alice", "-o", str(alice)]) == 0
    export = load_export(alice)
    schema = json.loads((REPO / "schema" / "export.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads(alice.read_text("utf-8")), schema)
    assert export.statements == [] and len(export.documents) == 3
    by_title = {d.title: d for d in export.documents}
    for name, raw in NEWS.items():
        expected = normalize_text(raw)
        doc = by_title[expected.split("\n", 1)[0]]
        assert doc.text == expected and doc.sha256 == sha256_text(expected)


def test_export_round_trip_with_statements(tmp_path: Path, articles: Path) -> None:
    study = tmp_path / "study.ccdb"
    main(["new", str(study)])
    main(["import", str(study), str(articles)])
    with Project.open(study) as proj:
        alice = proj.ensure_coder("alice")
        for summary in proj.document_summaries():
            doc = proj.document(summary.id)
            start = doc.text.index("\n\n") + 2
            proj.create_statement(doc.id, alice, start, start + 25,
                                  values={"speaker": "X", "stance": "oppose", "claim_type": "demand"})
    out = tmp_path / "alice.json"
    assert main(["export", str(study), "--coder", "alice", "-o", str(out)]) == 0
    export = load_export(out)
    texts = {d.id: d.text for d in export.documents}
    assert len(export.statements) == 3
    for st in export.statements:
        assert st.text == texts[st.document_id][st.start : st.end] and len(st.text) == 25
    csv_out = tmp_path / "alice.csv"
    assert main(["export", str(study), "--coder", "alice", "-o", str(csv_out)]) == 0
    raw = csv_out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").count("\r\n") == 4


def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    study = tmp_path / "s.ccdb"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("=HYPERLINK(\"http://x\")\n\n+ plus and @at\n", encoding="utf-8")
    main(["new", str(study)])
    main(["import", str(study), str(folder)])
    with Project.open(study) as proj:
        doc = proj.document_summaries()[0]
        proj.create_statement(doc.id, proj.ensure_coder("bob"), 0, 10, values={"speaker": "-1 Bad", "stance": "oppose"})
    out = tmp_path / "b.csv"
    main(["export", str(study), "--coder", "bob", "-o", str(out)])
    text = out.read_text("utf-8-sig")
    assert "'=HYPERLINK" in text and "'-1 Bad" in text
    assert ",=" not in text and ",-1 Bad" not in text


def test_duplicates_and_failures_are_reported(tmp_path: Path, articles: Path) -> None:
    study = tmp_path / "s.ccdb"
    main(["new", str(study)])
    (articles / "copy.txt").write_text(NEWS["budget.txt"], encoding="utf-8", newline="")
    (articles / "empty.txt").write_bytes(b"")
    code, out, err = run("import", study, articles)
    assert code == 1
    assert "duplicate" in out and "Budget talks collapse" in out
    assert "empty.txt" in err and "Traceback" not in err
    assert "Imported 3 articles, skipped 1 duplicate, 1 file failed" in out
    code, out, _ = run("import", study, articles, "--json")
    summary = json.loads(out)
    assert summary["imported"] == 0 and summary["duplicates"] == 4 and summary["failed"] == 1


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["import", "{tmp}/missing.ccdb", "{tmp}"], 1, "no such project file"),
        (["export", "{tmp}/missing.ccdb", "--coder", "a"], 1, "no such project file"),
        (["new", "{tmp}/nofolder/x.ccdb"], 1, "does not exist"),
        (["new", "{tmp}/x.ccdb", "--codebook", "{tmp}/nope.yaml"], 1, "no such file"),
        (["agree", "{tmp}/broken.json", "{tmp}/other.json"], 1, "broken.json: not valid JSON"),
        (["agree", "{tmp}/broken.json"], 2, "at least two"),
        (["agree", "{tmp}/a.json", "{tmp}/b.json", "--min-overlap", "0"], 2, "min-overlap"),
        (["export", "{tmp}/x.ccdb"], 2, "--coder"),
        (["frobnicate"], 2, "invalid choice"),
        (["import", "{tmp}/x.ccdb", "--column", "nonsense", "{tmp}"], 2, "FIELD=COLUMN"),
    ],
)
def test_error_paths(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    if "--column" in args:
        run("new", tmp_path / "x.ccdb")
    got, out, err = run(*[a.format(tmp=tmp_path) for a in args])
    assert got == code, err
    assert message in err
    assert "Traceback" not in err
    if code == 1:
        assert len(err.strip().splitlines()) == 1


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip().startswith(f"claimcoder {__version__}")  # + the commit (app/build_info.py)
    code, out, _ = run("--help")
    assert code == 0 and "claimcoder agree alice.json bob.json" in out


def test_not_a_project(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.ccdb"
    bogus.write_text("hello", encoding="utf-8")
    code, _, err = run("export", bogus, "--coder", "a")
    assert code == 1 and "not a claimcoder project" in err


def test_export_while_the_window_has_the_project_open(tmp_path: Path, articles: Path) -> None:
    study = tmp_path / "study.ccdb"
    main(["new", str(study)])
    main(["import", str(study), str(articles)])
    with Project.open(study) as proj:  # as the coding window holds it
        doc = proj.document_summaries()[0]
        proj.create_statement(doc.id, proj.ensure_coder("alice"), 0, 5)
        code, out, err = run("export", study, "--coder", "alice", "-o", tmp_path / "a.json")
        assert code == 0, err
        assert "1 statement by alice" in out
        code, _, err = run("import", study, articles)
        assert code == 1 and "is open in claimcoder" in err and "Traceback" not in err


def test_output_piped_into_a_reader_that_stops_early_gives_no_traceback(tmp_path: Path) -> None:
    """`claimcoder actors list PROJECT | head -1`: the reader closes the pipe after one line."""
    import os

    from app.services.demo import create_demo_project

    path = create_demo_project(tmp_path / "demo")
    many = tmp_path / "actors.csv"  # more lines than a pipe holds, so the write surely meets the closed end
    many.write_text("name,kind\n" + "".join(f"Actor number {i:05d},person\n" for i in range(5000)), encoding="utf-8")
    assert run("actors", "import", path, many)[0] == 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "app", "actors", "list", str(path), "--format", "csv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert first.startswith(b"name,kind,aliases")
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
