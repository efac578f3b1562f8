"""The whole study as the README walks through it, on the command line: assign to three coders
with a 20% sample, the coders code their packages (through the service the window uses), merge,
agreement on the sample, adjudicate, export the gold standard and the dataset.

The coders' work on the sample is designed so every outcome is known in advance. In each of the
4 sample documents (sentences S1, S2, S3 of the article):
  S1  all three: speaker "Putin" (an alias), stance support      → auto-unanimous
  S2  ana, ben: oppose; cem: neutral                             → auto-majority (ana's and ben's)
  S3  only ana: support                                          → rejected by the majority
and in the first sample document only, S4: ana support, ben oppose, cem nothing → a tie, open
until the supervisor picks ben's version.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import krippendorff
import numpy as np
import pytest

from app.cli.main import run
from app.core.export_model import load_export
from app.services.project import Project
from app.services.study.adjudicate import decide, review_units
from app.services.study.common import study_store
from tests.study.helpers import code_package, make_master

REPO = Path(__file__).resolve().parents[2]
CODERS = ["ana", "ben", "cem"]
def test_the_whole_study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    master_path = tmp_path / "study.ccdb"
    packages = tmp_path / "packages"
    packages.mkdir()
    make_master(master_path, n=20).close()

    # 1. assign
    assert run(["assign", str(master_path), "--coders", ",".join(CODERS), "--sample", "0.2", "--seed", "42",
                "-o", str(packages)]) == 0
    assert "reliability sample of 4 documents" in capsys.readouterr().out
    with Project.open(master_path, read_only=True) as master:
        handed = study_store(master).handed()
        positions = {s.id: s.position for s in master.document_summaries()}
    sample = sorted({d for d, _, s, _ in handed if s}, key=positions.get)
    assert len(sample) == 4
    first = sample[0]

    # 2. the coders code their packages
    for name in CODERS:
        code_package(packages / f"{name}.ccdb", name, sample, first)

    # 3. merge
    files = [str(packages / f"{n}.ccdb") for n in CODERS]
    assert run(["merge", str(master_path), *files]) == 0
    merged = capsys.readouterr().out
    assert "Spokesperson of ana  (proposed by ana)" in merged  # a new actor, listed for the supervisor

    # 4. status: every sample document finished, agreement computed inside the master
    assert run(["status", str(master_path), "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["sample"] == {"documents": 4, "finished_by_every_coder": 4}
    assert {c["name"]: (c["assigned"], c["done"], c["sample"]["done"]) for c in status["coders"]} == {
        n: (c["assigned"], c["assigned"], 4) for n, c in ((c["name"], c) for c in status["coders"])}
    # The stance units, coders in name order (ana, ben, cem); 0 oppose, 1 neutral, 2 support:
    # S1 (2,2,2) ×4, S2 (0,0,1) ×4, S3 (2,·,·) ×4, S4 (2,0,·) once. The krippendorff package is
    # the oracle for α on exactly these units.
    units = [[2, 2, 2]] * 4 + [[0, 0, 1]] * 4 + [[2, np.nan, np.nan]] * 4 + [[2, 0, np.nan]]
    expected = krippendorff.alpha(reliability_data=np.array(units, dtype=float).T,
                                  level_of_measurement="ordinal", value_domain=[0, 1, 2])
    stance = status["agreement"]["variables"]["stance"]
    assert stance["krippendorff_alpha"] == pytest.approx(expected, abs=1e-4)
    assert status["agreement"]["units"] == 13

    # 5. adjudicate: unanimous first, then majority; a second run keeps every decision
    assert run(["adjudicate", str(master_path), "--auto", "unanimous"]) == 0
    assert "4 decided now (4 auto-unanimous), 0 decided before, 9 left open" in capsys.readouterr().out
    assert run(["adjudicate", str(master_path), "--auto", "majority"]) == 0
    assert "8 decided now (4 auto-majority, 4 rejected), 4 decided before, 1 left open" in capsys.readouterr().out
    assert run(["adjudicate", str(master_path), "--auto", "majority"]) == 0
    assert "0 decided now, 12 decided before, 1 left open" in capsys.readouterr().out

    # 6. the dataset leaves out the document with an open unit, and says so
    dataset = tmp_path / "study.json"
    assert run(["export", str(master_path), "--dataset", "-o", str(dataset)]) == 0
    err = capsys.readouterr().err
    assert "not fully adjudicated" in err and len(err.strip().splitlines()) == 1
    data = json.loads(dataset.read_text(encoding="utf-8"))
    assert first not in {d["id"] for d in data["documents"]} and len(data["documents"]) == 19

    # the supervisor takes ben's version of the tie (what the window's key 2 does)
    with Project.open(master_path) as master:
        (open_unit,) = [r.unit for r in review_units(master) if r.decision is None]
        ben = master.coder("ben")
        version = open_unit.members[ben.id]
        decide(master, document_id=open_unit.document_id, decision="picked", unit_ids=open_unit.ids,
               sources=[version["id"]], span=(version["start"], version["end"]), values=version["values"])
        coder_ids = {c.name: c.id for c in master.coders()}

    assert run(["export", str(master_path), "--dataset", "-o", str(dataset)]) == 0
    assert "left out" not in capsys.readouterr().err
    data = json.loads(dataset.read_text(encoding="utf-8"))
    schema = json.loads((REPO / "schema" / "dataset.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["format"] == "claimcoder-dataset" and data["format_version"] == 1 and "coder" not in data
    assert len(data["documents"]) == 20 and len({d["id"] for d in data["documents"]}) == 20  # each once
    by_doc: dict[str, list[dict]] = {}
    for st in data["statements"]:
        by_doc.setdefault(st["document_id"], []).append(st)
    for doc in data["documents"]:
        mine = by_doc[doc["id"]]
        if doc["id"] in sample:
            assert {st["coder"] for st in mine} == {"gold"}
            decisions = sorted(st["decision"] for st in mine)
            assert decisions == (["auto-majority", "auto-unanimous", "picked"] if doc["id"] == first
                                 else ["auto-majority", "auto-unanimous"])
            unanimous = next(st for st in mine if st["decision"] == "auto-unanimous")
            assert unanimous["values"]["speaker"] == "Vladimir Putin"  # the alias, made canonical at merge
            assert len(unanimous["sources"]) == 3
            majority = next(st for st in mine if st["decision"] == "auto-majority")
            assert majority["values"]["stance"] == "oppose" and len(majority["sources"]) == 2
        else:
            (st,) = mine
            assert st["decision"] is None and st["coder"] in CODERS
            assert {d for d, c, _, _ in handed if coder_ids[st["coder"]] == c} >= {doc["id"]}

    # 7. the gold standard is an ordinary export, so agree measures a coder against it
    gold = tmp_path / "gold.json"
    ana = tmp_path / "ana.json"
    assert run(["export", str(master_path), "--coder", "gold", "-o", str(gold)]) == 0
    assert run(["export", str(master_path), "--coder", "ana", "-o", str(ana)]) == 0
    loaded = load_export(gold)
    assert len(loaded.statements) == 9
    assert all(st.decision and st.sources for st in loaded.statements)
    assert "decision" not in json.loads(ana.read_text(encoding="utf-8"))["statements"][0]  # only gold has it
    capsys.readouterr()
    assert run(["agree", str(ana), str(gold), "--format", "json", "--bootstrap", "0"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in report["coders"]] == ["ana", "gold"]
