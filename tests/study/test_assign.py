"""``assign`` writes one package per coder with exactly that coder's documents, and a later run
extends the assignment without moving anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.core.errors import ProjectError
from app.core.study import SampleSpec
from app.services.project import Project
from app.services.study.assign import PACKAGE_CODER, assign, parse_coders
from app.services.study.common import study_store
from tests.study.helpers import add_articles, make_master


def _assigned(master: Project) -> dict[tuple[str, str], tuple[bool, int]]:
    names = {c.id: c.name for c in master.coders()}
    return {(d, names[c]): (s, p) for d, c, s, p in study_store(master).handed()}


def test_packages_hold_exactly_each_coders_documents(tmp_path: Path) -> None:
    out = tmp_path / "packages"
    out.mkdir()
    with make_master(tmp_path / "master.ccdb") as master:
        result = assign(master, ["ana", "ben", "cem"], SampleSpec(share=0.2), out, seed=11)
        handed = _assigned(master)
        master_id = master.info.id
        coder_ids = {c.name: c.id for c in master.coders()}
        lengths = {d.id: d.length for d in master.document_summaries()}
    assert result.sample_size == 4  # 20% of 20
    sample = {d for (d, _), (s, _) in handed.items() if s}
    assert len(sample) == 4
    everyone: set[str] = set()
    loads = {}
    for name in ("ana", "ben", "cem"):
        mine = {d for (d, c) in handed if c == name}
        assert sample <= mine
        everyone |= mine
        loads[name] = sum(lengths[d] for d in mine - sample)
        with Project.open(out / f"{name}.ccdb", read_only=True) as pkg:
            assert pkg.info.id == master_id
            assert pkg.setting(PACKAGE_CODER) == name
            assert [c.name for c in pkg.coders()] == [name] and pkg.coder(name).id == coder_ids[name]
            docs = pkg.document_summaries()
            assert {d.id for d in docs} == mine
            order = [d.id for d in docs]
            by_position = sorted(mine, key=lambda d: handed[(d, name)][1])
            assert order == by_position
            assert {e.name for e in pkg.entities()} == {"Vladimir Putin", "United Nations"}
    assert len(everyone) == 20  # every document handed out
    assert max(loads.values()) - min(loads.values()) <= max(lengths.values())  # balanced by length
    con = sqlite3.connect(out / "ana.ccdb")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file to hand over
    con.close()


def test_sample_is_not_revealed_by_the_order(tmp_path: Path) -> None:
    out = tmp_path / "p"
    out.mkdir()
    with make_master(tmp_path / "m.ccdb", n=40) as master:
        assign(master, ["ana", "ben"], SampleSpec(share=0.25), out, seed=5)
        handed = _assigned(master)
    mine = sorted(((p, s, d) for (d, c), (s, p) in handed.items() if c == "ana"))
    sample_positions = [p for p, s, _ in mine if s]
    assert len(sample_positions) == 10  # 25% of 40
    assert sample_positions != list(range(1, 11))  # not the first ten …
    assert sample_positions != list(range(len(mine) - 9, len(mine) + 1))  # … nor the last ten
    with Project.open(tmp_path / "m.ccdb", read_only=True) as master:
        project_order = [d.id for d in master.document_summaries()]
    ids = [d for _, _, d in mine]
    assert ids != sorted(ids, key=project_order.index)  # nor the master's order


def test_rerun_extends_without_reshuffling(tmp_path: Path) -> None:
    out = tmp_path / "p"
    out.mkdir()
    with make_master(tmp_path / "m.ccdb") as master:
        assign(master, ["ana", "ben", "cem"], SampleSpec(share=0.2), out, seed=11)
        before = _assigned(master)
        with Project.open(out / "ana.ccdb") as pkg:  # ana has started coding her package
            ana = pkg.coder("ana")
            doc = pkg.document_summaries()[0].id
            st = pkg.create_statement(doc, ana, 0, 9, values={"stance": "support"})
        add_articles(master, 100, 10)
        result = assign(master, ["ana", "ben", "cem", "dan"], SampleSpec(share=0.2), out)
        after = _assigned(master)
        assert result.seed == 11  # the study's seed is kept
        rounds = study_store(master).rounds()
    assert [r["design"]["round"] for r in rounds] == [1, 2]
    for key, value in before.items():
        assert after[key] == value  # nothing handed out moved
    new_sample = {d for (d, c), (s, _) in after.items() if s} - {d for (d, c), (s, _) in before.items() if s}
    assert len(new_sample) == 2  # 20% of the 10 new articles
    dan = {d for (d, c) in after if c == "dan"}
    assert {d for (d, c), (s, _) in after.items() if s} <= dan
    with Project.open(out / "ana.ccdb") as pkg:
        assert pkg.statement(st.id) is not None  # extending kept her work
        assert {d.id for d in pkg.document_summaries()} == {d for (d, c) in after if c == "ana"}


def test_gold_and_duplicates_are_refused_as_coder_names(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="reserved"):
        parse_coders("ana,Gold")
    with pytest.raises(ProjectError, match="listed twice"):
        parse_coders("ana,ANA")
    with make_master(tmp_path / "m.ccdb", n=2) as master:
        with pytest.raises(ProjectError, match="reserved"):
            master.ensure_coder("gold")


def test_packages_carry_the_studys_coding_rules_and_keep_candidates_out_of_the_sample(tmp_path: Path) -> None:
    """The supervisor switched candidates on, added a cue and closed the actor list: every
    package codes under those rules, and lists its reliability-sample documents, where the coding
    window shows no candidates (a later round extends that list)."""
    from app.gui.candidate_guide import enabled_for

    out = tmp_path / "packages"
    out.mkdir()
    cues = {"en": {"verbs": ["conceded"]}}
    with make_master(tmp_path / "master.ccdb") as master:
        master.set_setting("candidates", True)
        master.set_setting("candidate_cues", cues)
        master.set_setting("closed_actor_list", True)
        assign(master, ["ana", "ben"], SampleSpec(share=0.2), out, seed=5)
        sample = sorted({d for (d, _), (s, _) in _assigned(master).items() if s})
        add_articles(master, 20, 10)
        assign(master, ["ana", "ben"], SampleSpec(share=0.2), out, seed=5)
        sample_now = sorted({d for (d, _), (s, _) in _assigned(master).items() if s})
    assert len(sample) == 4 and len(sample_now) == 6 and set(sample) < set(sample_now)  # 20% of 20, of 30
    with Project.open(out / "ana.ccdb", read_only=True) as pkg:
        assert pkg.setting("candidates") is True
        assert pkg.setting("candidate_cues") == cues
        assert pkg.setting("closed_actor_list") is True
        assert pkg.setting("reliability_sample") == sample_now
        shown = {d.id: enabled_for(pkg, pkg.document(d.id)) for d in pkg.document_summaries()}
    assert {d for d, on in shown.items() if not on} == set(sample_now)
    assert any(shown.values())
