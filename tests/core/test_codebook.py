from __future__ import annotations

from pathlib import Path

import pytest

from app.core.codebook import default_codebook, default_codebook_path, load_codebook, parse_codebook
from app.core.errors import CodebookError

REPO = Path(__file__).resolve().parents[2]


def _book(**stance: object) -> dict:
    var = {"key": "stance", "kind": "category", "level": "ordinal",
           "categories": [{"value": "oppose"}, {"value": "support"}]}
    var.update(stance)
    return {"name": "Test", "variables": [var]}


def test_default_codebook_is_the_claims_codebook() -> None:
    book = default_codebook()
    assert book.keys[:3] == ["speaker", "stance", "claim_type"]
    stance = book.variable("stance")
    assert stance and stance.level == "ordinal" and [c.value for c in stance.categories] == ["oppose", "neutral", "support"]
    claim = book.variable("claim_type")
    assert claim and all(c.description for c in claim.categories)
    assert {"assertion", "evaluation", "demand", "prediction", "commitment", "accusation"} <= {c.value for c in claim.categories}


def test_schema_folder_has_the_default_codebook() -> None:
    assert (REPO / "schema" / "default_codebook.yaml").read_text(encoding="utf-8") == default_codebook_path().read_text(encoding="utf-8")


def test_repeated_category_is_named() -> None:
    data = _book(categories=[{"value": "support"}, {"value": "support"}])
    with pytest.raises(CodebookError, match="variable 'stance': category 'support' appears 2 times"):
        parse_codebook(data)


def test_repeated_variable_key_is_named() -> None:
    data = {"name": "x", "variables": [{"key": "a", "kind": "text"}, {"key": "a", "kind": "text"}]}
    with pytest.raises(CodebookError, match="variable 'a' appears 2 times"):
        parse_codebook(data)


def test_interval_category_needs_scores() -> None:
    with pytest.raises(CodebookError, match="needs a score on every category"):
        parse_codebook(_book(level="interval"))


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(CodebookError, match="colour"):
        parse_codebook(_book(colour="red"))


def test_text_variable_cannot_be_ordinal() -> None:
    with pytest.raises(CodebookError, match="can only be 'nominal'"):
        parse_codebook({"name": "x", "variables": [{"key": "t", "kind": "text", "level": "ordinal"}]})


def test_loads_yaml_and_json(tmp_path: Path) -> None:
    import json

    (tmp_path / "b.json").write_text(json.dumps(_book()), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("name: Test\nvariables:\n  - {key: s, kind: entity}\n", encoding="utf-8")
    assert load_codebook(tmp_path / "b.json").keys == ["stance"]
    assert load_codebook(tmp_path / "b.yaml").keys == ["s"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("name: [unclosed", "not valid YAML"),
        ("- just a list", "a codebook is a mapping"),
        ("name: X\nvariables: []\n", "variables"),
    ],
)
def test_bad_codebook_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CodebookError, match=message) as err:
        load_codebook(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_value_checks() -> None:
    book = default_codebook()
    assert book.check_values({"stance": "support", "speaker": "Putin"}) == []
    assert "not a category" in book.check_values({"stance": "maybe"})[0]
    assert "unknown variable" in book.check_values({"colour": "red"})[0]
    assert book.missing_required({"speaker": "Putin"}) == ["stance", "claim_type"]
