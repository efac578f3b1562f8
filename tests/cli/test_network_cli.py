"""``claimcoder network`` end to end: from a project or exports to files others read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from app.core.domain import NewDocument
from app.core.export_model import dump_export
from app.core.text import normalize_text, sha256_text
from app.main import main
from app.services.exporting import build_export
from app.services.project import Project
from app.services.study.adjudicate import decide, review_units

TEXT = "Speaker one said a thing. Speaker two said another thing. A third claim was made here too."
# (document, coder, speaker, claim type, stance)
CODING = [
    ("jan", "alice", "Anna", "demand", "support"), ("jan", "alice", "Ben", "demand", "support"),
    ("jan", "alice", "Cem", "demand", "oppose"),
    ("feb", "alice", "Anna", "evaluation", "oppose"), ("feb", "alice", "Cem", "evaluation", "neutral"),
    ("feb", "bob", "Anna", "evaluation", "support"), ("feb", "bob", "Ben", "evaluation", "support"),
    ("mar", "alice", "Ben", "demand", "oppose"), ("mar", "bob", "Cem", "demand", "oppose"),
    ("apr", "bob", "Anna", "prediction", "support"), ("apr", "bob", "Cem", "prediction", "support"),
]
DATES = {"jan": "2023-01-10", "feb": "2023-02-14", "mar": "2023-03-01", "apr": "2023-04-20"}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.ccdb"
    with Project.create(path, name="Networks") as p:
        ids = {}
        for name, day in DATES.items():
            text = normalize_text(f"{name.title()} article. " + TEXT)
            p.add_documents([(NewDocument(text=text, title=name, published=day), sha256_text(text))])
        for s in p.document_summaries():
            ids[s.title] = s.id
        for n, (doc, coder, speaker, ctype, stance) in enumerate(CODING):
            p.create_statement(ids[doc], p.ensure_coder(coder), n, n + 5,
                               values={"speaker": speaker, "claim_type": ctype, "stance": stance})
        alice, bob = p.coder("alice"), p.coder("bob")
        for who, doc, status in ((alice, "feb", "done"), (bob, "feb", "done"),
                                 (alice, "mar", "done"), (bob, "mar", "in_progress")):
            p.set_status(ids[doc], who, status)
        # feb is adjudicated: bob's statements become gold, alice's others are rejected
        for item in review_units(p):
            unit = item.unit
            mine = unit.members.get(bob.id)
            if mine is None:
                decide(p, document_id=unit.document_id, decision="rejected", unit_ids=unit.ids, sources=[])
            else:
                decide(p, document_id=unit.document_id, decision="picked", unit_ids=unit.ids, sources=[mine["id"]],
                       span=(mine["start"], mine["end"]), values=mine["values"])
        # a gold statement in mar before bob finished it: mar must stay out of the dataset all the same
        early = p.statements(ids["mar"], alice)[0]
        decide(p, document_id=ids["mar"], decision="added", unit_ids=[early.id], sources=[early.id],
               span=(early.start, early.end), values={"speaker": "Cem", "claim_type": "demand", "stance": "support"})
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_csv_matrix_of_one_coder(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # alice: Anna demand/support + evaluation/oppose; Ben demand/support + demand/oppose (mar);
    # Cem demand/oppose + evaluation/neutral. Congruence (R = 2):
    # Anna–Ben: demand s·s 1 + s·o 0 = 1; Anna–Cem: demand s·o 0 + evaluation o·n ½ = ½;
    # Ben–Cem: demand s·o 0 + o·o 1 = 1
    code, out, err = run(["network", str(study), "--coder", "alice", "--format", "csv"], capsys)
    assert code == 0, err
    assert out == ",Anna,Ben,Cem\nAnna,0,1,0.5\nBen,1,0,1\nCem,0.5,1,0\n"
    assert "3 nodes, 3 ties from 6 statements" in err


def test_dataset_takes_gold_or_the_single_coder(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # jan: alice only; feb: gold (bob's two, picked); mar: alice and bob, bob not finished → left
    # out, its early gold statement too; apr: bob only. (export --dataset takes the same.)
    # Anna: jan demand/s, feb evaluation/s, apr prediction/s; Ben: jan demand/s, feb evaluation/s;
    # Cem: jan demand/o, apr prediction/s.
    # Anna–Ben 1 + 1 = 2; Anna–Cem: demand s·o 0 + prediction 1 = 1; Ben–Cem: demand 0
    code, out, err = run(["network", str(study), "--dataset", "--format", "csv"], capsys)
    assert code == 0, err
    assert out == ",Anna,Ben,Cem\nAnna,0,2,1\nBen,2,0,0\nCem,1,0,0\n"
    assert "left out of the dataset: mar (not finished by bob)" in err


def test_exports_and_pooling(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {}
    with Project.open(study) as p:
        for coder in ("alice", "bob"):
            files[coder] = tmp_path / f"{coder}.json"
            files[coder].write_text(dump_export(build_export(p, coder)), encoding="utf-8")
    code, out, _ = run(["network", str(files["alice"]), "--format", "csv"], capsys)
    assert code == 0 and out.startswith(",Anna,Ben,Cem\nAnna,0,1,0.5\n")
    code, _, err = run(["network", str(files["alice"]), str(files["bob"])], capsys)
    assert code == 1 and "different coders" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(["network", str(files["alice"]), "--coder", "bob"], capsys)
    assert code == 1 and "not 'bob'" in err
    code, _, _ = run(["network", str(files["alice"]), str(files["bob"]), "--pool-coders", "--format", "json"], capsys)
    assert code == 0


def _export_with_attributes(study: Path, tmp_path: Path) -> Path:
    with Project.open(study) as p:
        data = json.loads(dump_export(build_export(p, "alice")))
    data["entities"] = [
        {"id": "e1", "name": "Anna", "kind": "person", "aliases": [], "attributes": {"country": "NO", "seats": 3}},
        {"id": "e2", "name": "Ben", "kind": "organisation", "aliases": [], "attributes": {"country": "SE", "seats": 2.5}},
        {"id": "e3", "name": "Cem", "kind": "", "aliases": [], "attributes": {"seats": "many", "founded": 1990}},
    ]
    path = tmp_path / "alice-attrs.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_graphml_reads_back_with_weights_and_attributes(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _export_with_attributes(study, tmp_path)
    out = tmp_path / "net.graphml"
    assert main(["network", str(src), "-o", str(out)]) == 0
    g = nx.read_graphml(out)
    assert {(a, b): d["weight"] for a, b, d in g.edges(data=True)} == {
        ("Anna", "Ben"): 1.0, ("Anna", "Cem"): 0.5, ("Ben", "Cem"): 1.0}
    assert g.nodes["Anna"]["country"] == "NO" and g.nodes["Cem"]["country"] == ""  # text: "" not missing
    assert {type(g.nodes[n]["seats"]) for n in g} == {str}  # 3, 2.5 and "many": one type, text
    assert g.nodes["Cem"]["founded"] == 1990 and "founded" not in g.nodes["Anna"]  # ints stay ints
    assert g.nodes["Ben"]["kind"] == "organisation" and g.nodes["Ben"]["statements"] == 2
    text = out.read_text(encoding="utf-8")
    assert "None" not in text and text.count('attr.name="seats"') == 1


def test_two_mode_graphml_and_signed_weights(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "two.graphml"
    assert main(["network", str(study), "--coder", "alice", "--mode", "two-mode", "--aggregation", "subtract",
                 "-o", str(out)]) == 0
    g = nx.read_graphml(out)
    # Ben: demand support (+1) and oppose (−1) → 0, no tie; Cem demand oppose → −1
    w = {(a, b) if g.nodes[a]["bipartite"] == 0 else (b, a): d["weight"] for a, b, d in g.edges(data=True)}
    # Cem evaluation neutral → 0, no tie either
    assert w == {("Anna", "demand"): 1.0, ("Anna", "evaluation"): -1.0, ("Cem", "demand"): -1.0}
    assert {n for n in g if g.nodes[n]["bipartite"] == 0} == {"Anna", "Ben", "Cem"}


def test_dynamic_gexf_reads_back(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "dyn.gexf"
    assert main(["network", str(study), "--coder", "bob", "--window", "1m", "--format", "gexf", "-o", str(out)]) == 0
    g = nx.read_gexf(out)
    assert g.graph.get("mode") == "dynamic"
    # bob: feb Anna–Ben evaluation s·s = 1; mar only Cem; apr Anna–Cem prediction s·s = 1
    edges = {tuple(sorted((a, b))): d for a, b, d in g.edges(data=True)}
    assert set(edges) == {("Anna", "Ben"), ("Anna", "Cem")}
    assert edges["Anna", "Ben"]["weight"] == 1.0
    assert edges["Anna", "Ben"]["window_weight"] == [(1.0, "2023-02-01", "2023-02-28")]
    assert edges["Anna", "Cem"]["window_weight"] == [(1.0, "2023-04-01", "2023-04-30")]


def test_static_gexf_matches_graphml(study: Path, tmp_path: Path) -> None:
    assert main(["network", str(study), "--coder", "alice", "-o", str(tmp_path / "a.gexf")]) == 0
    assert main(["network", str(study), "--coder", "alice", "-o", str(tmp_path / "a.graphml")]) == 0
    a, b = nx.read_gexf(tmp_path / "a.gexf"), nx.read_graphml(tmp_path / "a.graphml")
    ga = {frozenset((g.nodes[x]["label"], g.nodes[y]["label"])): d["weight"] for g in (a,) for x, y, d in g.edges(data=True)}
    gb = {frozenset((x, y)): d["weight"] for x, y, d in b.edges(data=True)}
    assert ga == gb


def test_edgelist_node_table_dl_and_json(study: Path, tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    assert main(["network", str(study), "--coder", "alice", "--format", "edgelist", "-o", str(edges)]) == 0
    rows = list(csv.reader(edges.open(encoding="utf-8")))
    assert rows == [["source", "target", "weight"], ["Anna", "Ben", "1"], ["Anna", "Cem", "0.5"], ["Ben", "Cem", "1"]]
    nodes = list(csv.DictReader((tmp_path / "edges-nodes.csv").open(encoding="utf-8")))
    assert [(n["id"], n["degree"], n["strength"]) for n in nodes] == [("Anna", "2", "1.5"), ("Ben", "2", "2.0"), ("Cem", "2", "1.5")]

    dl = tmp_path / "net.dl"
    assert main(["network", str(study), "--coder", "alice", "-o", str(dl)]) == 0
    assert dl.read_text(encoding="utf-8").splitlines() == [
        "DL N=3", "FORMAT = FULLMATRIX DIAGONAL PRESENT", "LABELS:", '"Anna"', '"Ben"', '"Cem"',
        "DATA:", "0 1 0.5", "1 0 1", "0.5 1 0"]

    js = tmp_path / "net.json"
    assert main(["network", str(study), "--coder", "alice", "-o", str(js)]) == 0
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["format"] == "claimcoder-network" and doc["options"]["aggregation"] == "congruence"
    d = doc["networks"][0]["descriptives"]
    assert (d["nodes"], d["edges"], d["density"], d["statements"]) == (3, 3, 1.0, 6)
    assert doc["networks"][0]["edges"][1] == {"source": "Anna", "target": "Cem", "weight": 0.5}


def test_windows_write_one_file_each(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "w.csv"
    assert main(["network", str(study), "--coder", "alice", "--window", "1m", "-o", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.glob("w-*.csv")) == ["w-2023-01-01.csv", "w-2023-02-01.csv", "w-2023-03-01.csv"]
    assert (tmp_path / "w-2023-01-01.csv").read_text(encoding="utf-8") == ",Anna,Ben,Cem\nAnna,0,1,0\nBen,1,0,0\nCem,0,0,0\n"


@pytest.mark.parametrize("args,code,message", [
    (["--coder", "alice", "--window", "3q"], 2, "--window takes"),
    (["--coder", "alice", "--from", "2023-13-01"], 2, "--from takes a date"),
    (["--coder", "alice", "--mode", "two-mode", "--aggregation", "congruence"], 2, "not for two-mode"),
    (["--coder", "alice", "--normalization", "activity"], 2, "not for one-mode"),
    (["--coder", "alice", "--rows", "nope"], 1, "no variable 'nope'"),
    (["--coder", "alice", "--exclude", "colour"], 2, "VAR=VALUE"),
    (["--coder", "zed"], 1, "no coder 'zed'"),
    ([], 2, "needs --coder NAME or --dataset"),
    (["--coder", "alice", "--format", "gexf"], 1, "needs -o FILE"),
    (["--coder", "alice", "--format", "svg"], 2, "invalid choice"),
])
def test_errors_are_one_line(study: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str) -> None:
    got, _, err = run(["network", str(study), *args], capsys)
    assert got == code and message in err
    assert "Traceback" not in err and len([x for x in err.splitlines() if "error" in x or "claimcoder:" in x]) == 1


def test_missing_export_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["network", str(tmp_path / "none.json")], capsys)
    assert code == 1 and "no such file" in err


def test_dataset_file(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Contract 6's dataset: the keys of an export except ``coder``; statements name their coder."""
    with Project.open(study) as p:
        export = json.loads(dump_export(build_export(p, "alice")))
    export.pop("coder")
    export["format"] = "claimcoder-dataset"
    for st in export["statements"]:
        st.update(coder="alice", decision=None)
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    code, out, err = run(["network", str(path), "--format", "csv"], capsys)
    assert code == 0, err
    assert out == ",Anna,Ben,Cem\nAnna,0,1,0.5\nBen,1,0,1\nCem,0.5,1,0\n"  # alice's network, as above
    code, _, err = run(["network", str(path), "--coder", "alice"], capsys)
    assert code == 1 and "dataset file" in err
    export["statements"][0]["values"]["stance"] = "furious"
    path.write_text(json.dumps(export), encoding="utf-8")
    code, _, err = run(["network", str(path)], capsys)
    assert code == 1 and "statements[0]" in err and "furious" in err
