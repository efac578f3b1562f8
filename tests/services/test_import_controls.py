"""Contract 1 on every backend: NUL and the other C0 controls (except tab and newline) are
removed at import, from the text and from every field stored beside it.

PostgreSQL refuses a NUL in any text value, SQLite stores it: without the rule, the same file
imported into a project file but failed on a team server, and its sha256 differed.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.core.text import normalize_text, sha256_text
from app.services.exporting import build_export
from app.services.importing import import_paths
from app.services.project import Project

# A few stray controls in a real article; a file that is more than 1% controls is binary data.
BODY = " The talks went on." * 80

# Every C0 control but \t, \n (and \r, which is a line ending), plus DEL and C1, which stay.
CONTROLS = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")


def test_controls_in_a_csv_cell_title_and_metadata(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    text = "Talks\x00 resume\x07\n\nThe envoy\x1b said\tthe \x0bceasefire\x0c holds.\x7f" + BODY
    path.write_text(f'title,text,desk\n"Head\x00line\x01","{text}","wor\x00ld\x1f"\n', encoding="utf-8")
    summary = import_paths(project, [path])
    assert [o.error for o in summary.outcomes] == [None] and summary.imported == 1
    (doc,) = list(project.iter_documents())
    # by hand: NUL, BEL, ESC, US and SOH removed; VT and FF are line breaks; tab, DEL stay
    assert doc.text == "Talks resume\n\nThe envoy said\tthe \nceasefire\n holds.\x7f" + BODY
    assert doc.title == "Headline"
    assert doc.metadata == {"desk": "world"}
    assert doc.sha256 == sha256_text(doc.text)


def test_controls_in_jsonl_fields_and_keys(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    record = {"text": "A\u0000B said it.\u0002", "title": "T\u0000", "source": "Wire\u0003", "url": "https://x.org/\u0000a",
              "extra\u0000key": "v\u0000", "nested": {"k": "x\u0000"}}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    summary = import_paths(project, [path])
    assert summary.imported == 1, [o.error for o in summary.outcomes]
    (doc,) = list(project.iter_documents())
    assert (doc.text, doc.title, doc.source, doc.url) == ("AB said it.", "T", "Wire", "https://x.org/a")
    assert doc.metadata == {"extrakey": "v", "nested": '{"k":"x"}'}
    export = build_export(project, "ana")
    assert "\x00" not in json.dumps(export.model_dump(mode="json"))


def test_a_text_file_with_stray_controls(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(("Budget\x1a talks\n\nThe minister\x08 said no." + BODY + "\n").encode())
    assert import_paths(project, [path]).imported == 1
    (doc,) = list(project.iter_documents())
    assert doc.text == "Budget talks\n\nThe minister said no." + BODY + "\n"


def test_normalisation_removes_exactly_the_c0_controls() -> None:
    kept = "\t\n\x7f\x80\x9f\u2028 abc"
    assert normalize_text(CONTROLS.replace("\x0b", "").replace("\x0c", "") + kept) == kept
    assert normalize_text("a\x0bb\x0cc") == "a\nb\nc"
    assert normalize_text(normalize_text("x\x00\r\n\x0c")) == normalize_text("x\x00\r\n\x0c") == "x\n\n"
