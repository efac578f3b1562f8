"""REFI-QDA export: valid against the official schemas, and readable the way QualCoder reads it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from lxml import etree

from app.cli.main import run
from app.core.codebook import default_codebook
from app.services.project import Project

REFI = Path(__file__).resolve().parents[1] / "fixtures" / "refi"
Q = "{urn:QDA-XML:project:1.0}"
# An astral character before the statement: offsets must count code points, as QualCoder's
# Python slicing of the UTF-8 source does.
TEXT = ("Minister backs mission \U0001F54A\n\nThe deputy foreign minister said the mission \"is still "
        "needed\".\nCritics accused the government of hiding the costs.")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    from app.core.domain import NewDocument
    from app.core.text import sha256_text

    path = tmp_path / "study.ccdb"
    with Project.create(path, codebook=default_codebook()) as project:
        project.add_entity("Sergei Lavrov", "person", ["Lavrov"], attributes={"country": "RU"})
        doc = NewDocument(text=TEXT, title="Minister backs mission", source="The Paper", published="2023-10-13",
                          metadata={"section": "World"})
        project.add_documents([(doc, sha256_text(TEXT))])
        (summary,) = project.document_summaries()
        alice = project.ensure_coder("alice")
        s1 = TEXT.index("the mission")
        project.create_statement(summary.id, alice, s1, s1 + len('the mission "is still needed"'),
                                 values={"speaker": "Sergei Lavrov", "stance": "support", "claim_type": "evaluation"},
                                 note="quoted")
        s2 = TEXT.index("Critics")
        project.create_statement(summary.id, alice, s2, len(TEXT), values={"stance": "oppose"})
    return path


def _export(project_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "alice.qdpx"
    assert run(["export", str(project_path), "--coder", "alice", "-o", str(out)]) == 0
    return out


def test_the_project_validates_against_the_refi_qda_schema(project_path: Path, tmp_path: Path) -> None:
    out = _export(project_path, tmp_path)
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("project.qde")
    schema = etree.XMLSchema(etree.parse(str(REFI / "Project.xsd")))
    doc = etree.fromstring(xml)
    assert schema.validate(doc), schema.error_log


def test_qualcoder_reads_our_selections_at_our_offsets(project_path: Path, tmp_path: Path) -> None:
    """Follows QualCoder's refi.py importer: a lowercase ``sources`` folder, the file named by
    ``plainTextPath`` after ``internal:/``, read as UTF-8, ``fulltext[start:end]`` per selection,
    and each Coding's CodeRef naming a code of the codebook."""
    out = _export(project_path, tmp_path)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
    assert "sources" in {p.name for p in folder.iterdir()}
    root = ET.parse(folder / "project.qde").getroot()
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{Q}Code")}
    parents = {child.get("guid"): parent.get("name") for parent in root.iter(f"{Q}Code") for child in parent.findall(f"{Q}Code")}
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    (source,) = root.iter(f"{Q}TextSource")
    assert source.get("name") == "Minister backs mission"
    path = folder / ("sources" + source.get("plainTextPath").split("internal:/")[1])
    raw = path.read_bytes()
    assert b"\r\n" not in raw
    fulltext = raw.decode("utf-8")
    assert fulltext == TEXT
    selections = []
    for sel in source.findall(f"{Q}PlainTextSelection"):
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        coded = sorted(f"{parents[c.find(f'{Q}CodeRef').get('targetGUID')]} ▸ "
                       f"{codes[c.find(f'{Q}CodeRef').get('targetGUID')]}" for c in sel.findall(f"{Q}Coding"))
        description = sel.find(f"{Q}Description")
        selections.append((fulltext[start:end], coded, description.text if description is not None else None,
                           users[sel.get("creatingUser")]))
    assert selections == [
        ('the mission "is still needed"', ["Claim type ▸ Evaluation", "Speaker ▸ Sergei Lavrov", "Stance ▸ Support"],
         "quoted", "alice"),
        ("Critics accused the government of hiding the costs.", ["Stance ▸ Oppose"], None, "alice"),
    ]
    values = {}
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{Q}Variable")}
    for vv in source.findall(f"{Q}VariableValue"):
        ref = vv.find(f"{Q}VariableRef").get("targetGUID")
        values[variables[ref]] = vv[1].text
    assert values == {"Source": "The Paper", "Published": "2023-10-13", "Status": "in_progress", "section": "World"}


def test_the_codebook_alone_validates_as_qdc(project_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "codebook.qdc"
    assert run(["export", str(project_path), "--coder", "alice", "-o", str(out)]) == 0
    schema = etree.XMLSchema(etree.parse(str(REFI / "Codebook.xsd")))
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log
    names = [c.get("name") for c in doc.getroot().iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert "Speaker" in names and "Sergei Lavrov" in names and "Support" in names


def test_exporting_twice_gives_the_same_identities(project_path: Path, tmp_path: Path) -> None:
    first = _export(project_path, tmp_path)
    guids_a = {e.get("guid") for e in etree.fromstring(zipfile.ZipFile(first).read("project.qde")).iter()}
    second = tmp_path / "again.qdpx"
    assert run(["export", str(project_path), "--coder", "alice", "-o", str(second)]) == 0
    guids_b = {e.get("guid") for e in etree.fromstring(zipfile.ZipFile(second).read("project.qde")).iter()}
    assert guids_a == guids_b
