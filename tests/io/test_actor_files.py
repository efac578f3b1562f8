"""Actor files (Contract 5): what each format reads as, what is refused, and lossless writing."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from app.core.domain import Entity
from app.io.actor_files import ActorFileError, read_actor_file, write_actor_file


def test_csv_with_bom_semicolons_and_attribute_columns(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(codecs.BOM_UTF8 + "Name;Kind;Aliases;country\nVladimir Putin;person; Putin | the Russian president ;RU\n"
                     "\n;;;\nNikol Pashinyan;person;;\n".encode())
    got = read_actor_file(path)
    assert got.attribute_keys == ["country"]
    a, b = got.records
    assert (a.name, a.kind, a.aliases, a.attributes, a.line) == (
        "Vladimir Putin", "person", ("Putin", "the Russian president"), {"country": "RU"}, 2)
    assert (b.name, b.aliases, b.attributes, b.line) == ("Nikol Pashinyan", (), {"country": ""}, 5)


def test_a_csv_without_kind_or_aliases_columns_leaves_them_unstated(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text("name\tparty\nJonas Berg\tLabour\n", encoding="utf-8")
    [rec] = read_actor_file(path).records
    assert rec.kind is None and rec.aliases is None and rec.attributes == {"party": "Labour"}


def test_utf16_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_bytes(codecs.BOM_UTF16_LE + "name\tkind\nСергей Лавров\tperson\n".encode("utf-16-le"))
    assert read_actor_file(path).records[0].name == "Сергей Лавров"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.csv", b"name,kind\n,person\n", "row 2 has no name"),
    ("a.csv", b"name,kind,name\nx,y,z\n", "the column 'name' appears twice"),
    ("a.csv", b"name\nVladimir Putin\nvladimir  PUTIN\n", "'vladimir PUTIN' is claimed by both 'Vladimir Putin' (row 2)"),
    ("a.csv", b"name\n\n\n", "lists no actors"),
    ("a.csv", b"   \n", "the file is empty"),
    ("a.yaml", b"actors: [{name: Lavrov, country: RU}]\n", "unknown key(s) country (attributes go under 'attributes')"),
    ("a.yaml", b"- {name: Lavrov, attributes: {x: [1]}}\n", "'attributes' must map names to text"),
    ("a.json", b'{"format": "claimcoder-export", "actors": []}', "not an actor list"),
    ("a.json", b"[{\"name\": ", "not valid JSON"),
    ("a.txt", b"name\nx\n", "an actor file ends in .csv, .tsv, .yaml or .json"),
    ("a.yaml", b"- name: Sergey Lavrov\n  aliases: [Lavrov]\n- name: lavrov\n", "'lavrov' is claimed by both 'Sergey Lavrov' (actor 1) and 'lavrov' (actor 2)"),
])
def test_bad_files_are_refused_with_one_line(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ActorFileError) as err:
        read_actor_file(path)
    assert str(err.value).startswith(str(path)) and message in str(err.value) and "\n" not in str(err.value)


def test_the_export_protects_formula_cells_and_reads_them_back(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    write_actor_file(path, [Entity("1", "=HYPERLINK(x)", "group", ("-minus",), {"note": "@home"}),
                            Entity("2", "'=quoted", "", (), {})])
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(x)" in text and "'@home" in text
    rec, quoted = read_actor_file(path).records
    assert (rec.name, rec.aliases, rec.attributes) == ("=HYPERLINK(x)", ("-minus",), {"note": "@home"})
    assert quoted.name == "'=quoted"


def test_json_export_is_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    write_actor_file(path, [Entity("1", "Vladimir Putin", "person", ("Putin",), {"country": "RU"})], ["country"])
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "format": "claimcoder-actors", "format_version": 1, "attribute_keys": ["country"],
        "actors": [{"name": "Vladimir Putin", "kind": "person", "aliases": ["Putin"], "attributes": {"country": "RU"}}]}


names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20).map(
    lambda s: " ".join(s.replace("|", "/").split())).filter(bool)


@given(st.lists(st.tuples(names, st.sampled_from(["", "person", "organisation"]), names), min_size=1, max_size=6,
                unique_by=lambda t: t[0].casefold()))
@pytest.mark.parametrize("ext", ["csv", "tsv", "yaml", "json"])
def test_write_then_read_is_lossless(tmp_path_factory: pytest.TempPathFactory, ext: str,
                                     rows: list[tuple[str, str, str]]) -> None:
    from app.core.names import name_key

    if len({name_key(n) for n, _, _ in rows}) < len(rows):
        return  # two names with one key are not a valid list
    entities = [Entity(str(i), n, k, (), {"country": c}) for i, (n, k, c) in enumerate(rows)]
    path = tmp_path_factory.mktemp("rt") / f"a.{ext}"
    write_actor_file(path, entities)
    got = read_actor_file(path).records
    assert [(r.name, r.kind or "", r.attributes) for r in got] == [(e.name, e.kind, e.attributes) for e in entities]
